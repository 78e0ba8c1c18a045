import { comparePaths } from '../ci/shard';
import type { AnalysisResult, Duplicate, DuplicateLocation, FileError, Severity, Smell } from '../engine/types';

/** Rule ids of the findings that are not smells. */
export const PARSE_ERROR = 'parse-error';
export const DUPLICATE_CODE = 'duplicate-code';

/**
 * One problem to show or gate on, flattened from a result: a file error, a smell, or a duplicate block (reported at its
 * first location, the other locations related). The machine formats (sarif, github, junit) and the baseline work on these.
 */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  path: string;
  /** 1-based; a whole-file error has line 1. */
  line: number;
  endLine: number;
  /** 1-based (UTF-16 code units); 1 when the source has no column. */
  column: number;
  /** 1-based, just after the end (on `endLine`); absent when the source has no end column. */
  endColumn?: number;
  function: string | null;
  /** Where else the same code appears (duplicates only). */
  related: DuplicateLocation[];
  /**
   * Identifies the finding across runs and line shifts: rule, file, function (or message for errors) and, for duplicates,
   * the other files. Not unique: two findings may share one, the baseline counts them.
   */
  key: string;
  /** The object of the result this finding was made from (for filtering a result by findings). */
  origin: FileError | Smell | Duplicate;
}

function duplicateMessage(dup: Duplicate, others: DuplicateLocation[]): string {
  const where = others.map((o) => `${o.path}:${o.line}-${o.endLine}`).join(', ');
  return `${dup.lines} duplicated lines (${dup.tokens} tokens), also at ${where}`;
}

/** Every finding of a result, in a stable order (by path, line, rule). */
export function findingsOf(result: AnalysisResult): Finding[] {
  const out: Finding[] = [];
  for (const file of result.files) {
    for (const error of file.errors) {
      const line = Math.max(1, error.line);
      out.push({
        ruleId: PARSE_ERROR,
        severity: error.severity ?? 'error',
        message: error.message,
        path: file.path,
        line,
        endLine: line,
        column: Math.max(1, error.column),
        function: null,
        related: [],
        key: `${PARSE_ERROR}|${file.path}|${error.message}`,
        origin: error,
      });
    }
    for (const smell of file.smells) {
      out.push({
        ruleId: smell.id,
        severity: smell.severity,
        message: smell.message,
        path: file.path,
        line: Math.max(1, smell.line),
        endLine: Math.max(1, smell.endLine, smell.line),
        column: Math.max(1, smell.column ?? 1),
        ...(smell.endColumn ? { endColumn: smell.endColumn } : {}),
        function: smell.function,
        related: [],
        key: `${smell.id}|${file.path}|${smell.function ?? smell.message}`,
        origin: smell,
      });
    }
  }
  for (const dup of result.duplicates) {
    const [first, ...others] = [...dup.locations].sort(compareLocations);
    if (!first) continue;
    out.push({
      ruleId: DUPLICATE_CODE,
      severity: dup.severity ?? 'warning',
      message: duplicateMessage(dup, others),
      path: first.path,
      line: Math.max(1, first.line),
      endLine: Math.max(1, first.endLine),
      column: 1,
      function: null,
      related: others,
      key: `${DUPLICATE_CODE}|${first.path}|${[...new Set(others.map((o) => o.path))].sort().join(',')}|${dup.tokens}`,
      origin: dup,
    });
  }
  return out.sort((a, b) => comparePaths(a.path, b.path) || a.line - b.line || a.ruleId.localeCompare(b.ruleId));
}

export function compareLocations(a: DuplicateLocation, b: DuplicateLocation): number {
  return comparePaths(a.path, b.path) || a.line - b.line;
}

let nodeCrypto: typeof import('node:crypto') | undefined;

/** A short stable hash (hex) of a finding's key and its occurrence index, for SARIF partial fingerprints. */
export function fingerprint(key: string, occurrence: number): string {
  // node:crypto is loaded on first use: ~2 ms of startup that every CLI run paid (gate and baseline load this
  // module) while only SARIF output needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  nodeCrypto ??= require('node:crypto') as typeof import('node:crypto');
  return nodeCrypto.createHash('sha256').update(`${key}#${occurrence}`).digest('hex').slice(0, 32);
}

/** Counts per severity. */
export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/**
 * `countBySeverity(findingsOf(result))` without building, messaging and sorting every finding (the gate of every run
 * needs only the counts): file errors and duplicate blocks count at their severity (`parse-error` and `duplicate-code`,
 * error and warning by default).
 */
export function countFindings(result: AnalysisResult): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const file of result.files) {
    for (const error of file.errors) counts[error.severity ?? 'error']++;
    for (const smell of file.smells) counts[smell.severity]++;
  }
  for (const dup of result.duplicates) if (dup.locations.length > 0) counts[dup.severity ?? 'warning']++;
  return counts;
}
