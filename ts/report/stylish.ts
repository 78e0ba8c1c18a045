import type { AnalysisResult, FunctionReport } from '../types';
import type { FormatContext } from './index';

function signature(fn: FunctionReport): string {
  const params = fn.params.map((p) => `${p.rest ? '...' : ''}${p.name}${p.optional && !p.rest ? '?' : ''}`).join(', ');
  return `${fn.name}(${params})`;
}

function flags(fn: FunctionReport): string {
  return [fn.exported && 'exported', fn.async && 'async', fn.generator && 'generator'].filter(Boolean).join(' ');
}

/** Readable output grouped by file, like ESLint's stylish: functions, errors and smells, then a summary line. */
export function stylish(result: AnalysisResult, context: FormatContext): string {
  const c = context.palette;
  const out: string[] = [];
  for (const file of result.files) {
    if (!file.functions.length && !file.errors.length && !file.smells.length) continue;
    out.push(c.underline(file.path) + c.dim(`  ${file.functions.length} functions, ${file.lines} lines`));
    for (const error of file.errors) {
      out.push(`  ${c.dim(`${error.line}:${error.column}`.padEnd(8))}${c.red('error'.padEnd(9))}${error.message}`);
    }
    if (context.showFunctions) {
      for (const fn of file.functions) {
        const m = fn.metrics;
        const measures = `cc ${m.cyclomatic}  cog ${m.cognitive}  depth ${m.maxDepth}  ${m.lines} lines`;
        const edgeCases = fn.patterns.length ? `  ${fn.patterns.length} edge cases` : '';
        out.push(
          `  ${c.dim(`${fn.line}:${fn.column}`.padEnd(8))}${fn.kind.padEnd(12)}${c.bold(signature(fn))}` +
            `${flags(fn) ? ' ' + c.dim(flags(fn)) : ''}  ${c.dim(measures + edgeCases)}`,
        );
      }
    }
    for (const smell of file.smells) {
      const label = smell.severity.padEnd(9);
      const severity = smell.severity === 'error' ? c.red(label) : c.yellow(label);
      out.push(`  ${c.dim(`${smell.line}:${smell.column ?? 1}`.padEnd(8))}${severity}${smell.message}  ${c.dim(smell.id)}`);
    }
    out.push('');
  }
  const s = result.summary;
  const errorSmells = result.files.reduce((n, f) => n + f.smells.filter((x) => x.severity === 'error').length, 0);
  const problems = s.errors + s.smells;
  const line =
    `${s.files} files, ${s.functions} functions, ${s.smells} smells, ${s.errors} errors` +
    (result.duplicates.length ? `, ${result.duplicates.length} duplicate blocks` : '') +
    ` in ${s.ms} ms` +
    (s.cache.hits + s.cache.misses ? ` (cache ${s.cache.hits}/${s.cache.hits + s.cache.misses} hits)` : '');
  const mark = s.errors + errorSmells > 0 ? c.red('✖') : problems > 0 ? c.yellow('⚠') : c.green('✔');
  out.push(`${mark} ${c.bold(line)}`);
  return out.join('\n') + '\n';
}
