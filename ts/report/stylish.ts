import type { AnalysisResult, FileReport, FunctionReport, Severity } from '../engine/types';
import { countFindings, findingsOf, type Finding } from './findings';
import type { FormatContext } from './index';

/** How many files and functions the summary lists. */
const TOP = 5;

function signature(fn: FunctionReport): string {
  const params = fn.params.map((p) => `${p.rest ? '...' : ''}${p.name}${p.optional && !p.rest ? '?' : ''}`).join(', ');
  return `${fn.name}(${params})`;
}

function flags(fn: FunctionReport): string {
  return [fn.exported && 'exported', fn.async && 'async', fn.generator && 'generator'].filter(Boolean).join(' ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `3 errors, 12 warnings, 1 info`, leaving out the zeros ('' when there is nothing). */
function bySeverity(counts: Record<Severity, number>): string {
  const parts: string[] = [];
  if (counts.error) parts.push(plural(counts.error, 'error'));
  if (counts.warning) parts.push(plural(counts.warning, 'warning'));
  if (counts.info) parts.push(`${counts.info} info`);
  return parts.join(', ');
}

function severityLabel(severity: Severity, c: FormatContext['palette']): string {
  const label = severity.padEnd(9);
  return severity === 'error' ? c.red(label) : severity === 'warning' ? c.yellow(label) : c.dim(label);
}

/** The position of a finding: `line:column` (the column the core reports, 1 without one). */
function position(finding: Finding): string {
  return `${finding.line}:${finding.column}`;
}

/** The files in report order (the core's walk order), each with its findings (duplicates at their first location). */
function findingsByFile(result: AnalysisResult): Map<string, Finding[]> {
  const byFile = new Map<string, Finding[]>(result.files.map((f) => [f.path, []]));
  for (const finding of findingsOf(result)) {
    const list = byFile.get(finding.path);
    if (list) list.push(finding);
    else byFile.set(finding.path, [finding]);
  }
  for (const list of byFile.values()) list.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  return byFile;
}

/** The summary: the files with the most errors and warnings, the functions with the highest cognitive complexity. */
function hotspots(result: AnalysisResult, byFile: Map<string, Finding[]>, context: FormatContext): string[] {
  const c = context.palette;
  const out: string[] = [];
  const weight = (list: Finding[]) => list.filter((f) => f.severity !== 'info').length;
  const files = [...byFile]
    .filter(([, list]) => weight(list) > 0)
    .sort(([, a], [, b]) => weight(b) - weight(a))
    .slice(0, TOP);
  if (files.length > 1) {
    out.push(c.bold('Files with the most findings'));
    const width = Math.max(...files.map(([p]) => p.length));
    for (const [file, list] of files) {
      const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
      for (const f of list) counts[f.severity]++;
      out.push(`  ${file.padEnd(width)}  ${bySeverity(counts)}`);
    }
    out.push('');
  }
  const flagged = new Set(
    result.files.flatMap((f) => f.smells.filter((s) => s.function !== null && s.severity !== 'info').map((s) => `${f.path}\u0000${s.function}`)),
  );
  const functions = result.files
    .flatMap((file) => file.functions.map((fn) => ({ file, fn })))
    .filter(({ file, fn }) => flagged.has(`${file.path}\u0000${fn.name}`))
    .sort((a, b) => b.fn.metrics.cognitive - a.fn.metrics.cognitive || b.fn.metrics.cyclomatic - a.fn.metrics.cyclomatic)
    .slice(0, TOP);
  if (functions.length > 1) {
    out.push(c.bold('Most complex functions with findings'));
    const where = functions.map(({ file, fn }) => `${file.path}:${fn.line}`);
    const nameWidth = Math.max(...functions.map(({ fn }) => fn.name.length));
    const whereWidth = Math.max(...where.map((w) => w.length));
    functions.forEach(({ fn }, i) => {
      const m = fn.metrics;
      out.push(`  ${fn.name.padEnd(nameWidth)}  ${c.dim(where[i]!.padEnd(whereWidth))}  cognitive ${m.cognitive}, cyclomatic ${m.cyclomatic}, ${m.lines} lines`);
    });
    out.push('');
  }
  return out;
}

function inventory(fn: FunctionReport, context: FormatContext): string {
  const c = context.palette;
  const m = fn.metrics;
  const measures = `cc ${m.cyclomatic}  cog ${m.cognitive}  depth ${m.maxDepth}  ${m.lines} lines`;
  const edgeCases = fn.patterns.length ? `  ${fn.patterns.length} edge cases` : '';
  return (
    `  ${c.dim(`${fn.line}:${fn.column}`.padEnd(8))}${fn.kind.padEnd(12)}${c.bold(signature(fn))}` +
    `${flags(fn) ? ' ' + c.dim(flags(fn)) : ''}  ${c.dim(measures + edgeCases)}`
  );
}

/** One file's block: its name, with `--functions` its functions, then its findings ([] when there is nothing to show). */
function fileBlock(file: string, report: FileReport | undefined, findings: Finding[], context: FormatContext): string[] {
  const c = context.palette;
  const functions = context.showFunctions && report ? report.functions : [];
  if (!findings.length && !functions.length) return [];
  const detail = report && context.showFunctions ? c.dim(`  ${plural(report.functions.length, 'function')}, ${report.lines} lines`) : '';
  return [
    c.underline(file) + detail,
    ...functions.map((fn) => inventory(fn, context)),
    ...findings.map(
      (finding) => `  ${c.dim(position(finding).padEnd(8))}${severityLabel(finding.severity, c)}${finding.message}  ${c.dim(finding.ruleId)}`,
    ),
    '',
  ];
}

/** The last line: files, functions, findings by severity, time and cache hits. */
function totals(result: AnalysisResult, counts: Record<Severity, number>, context: FormatContext): string {
  const c = context.palette;
  const s = result.summary;
  const line =
    `${plural(s.files, 'file')}, ${plural(s.functions, 'function')}: ${bySeverity(counts) || 'no findings'}` +
    (result.duplicates.length ? ` (${plural(result.duplicates.length, 'duplicate block')} among the warnings)` : '') +
    ` in ${s.ms} ms` +
    (s.cache.hits + s.cache.misses ? ` (cache ${s.cache.hits}/${s.cache.hits + s.cache.misses} hits)` : '');
  const mark = counts.error > 0 ? c.red('✖') : counts.warning + counts.info > 0 ? c.yellow('⚠') : c.green('✔');
  return `${mark} ${c.bold(line)}`;
}

/**
 * Readable output like ESLint's stylish, findings first: per file its errors, smells and duplicate blocks; then the
 * files with the most findings and the most complex functions among those with findings; then the totals line.
 * With `showFunctions` (`--functions`) every file also lists its functions and their metrics.
 */
export function stylish(result: AnalysisResult, context: FormatContext): string {
  const byFile = findingsByFile(result);
  const reports = new Map(result.files.map((f) => [f.path, f]));
  const out = [...byFile].flatMap(([file, findings]) => fileBlock(file, reports.get(file), findings, context));
  out.push(...hotspots(result, byFile, context));
  out.push(totals(result, context.counts ?? countFindings(result), context));
  return out.join('\n') + '\n';
}
