import type { AnalysisResult } from '../engine/types';
import { findingsOf } from './findings';
import type { FormatContext } from './index';

/**
 * GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per finding, which the runner turns
 * into annotations on the pull request's diff. Paths are relative to where tdd-fast ran (the checkout root in CI).
 */

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

export function github(result: AnalysisResult, _context?: FormatContext): string {
  const lines = findingsOf(result).map((f) => {
    const props = [
      `file=${escapeProperty(f.path)}`,
      `line=${f.line}`,
      `endLine=${Math.max(f.line, f.endLine)}`,
      ...(f.column > 1 ? [`col=${f.column}`] : []),
      // GitHub reads endColumn only for one-line annotations; it is exclusive there too.
      ...(f.endColumn && f.endLine <= f.line && f.endColumn > f.column ? [`endColumn=${f.endColumn}`] : []),
      `title=${escapeProperty(`tdd-fast(${f.ruleId})`)}`,
    ];
    return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}`;
  });
  const s = result.summary;
  lines.push(
    `tdd-fast: ${s.files} files, ${s.functions} functions, ${s.smells} smells, ${s.errors} errors, ` +
      `${result.duplicates.length} duplicate blocks`,
  );
  return lines.join('\n') + '\n';
}
