import * as fs from 'node:fs';
import * as path from 'node:path';

import { functionCount } from '../engine/findings-report';
import { findingsOf, type Finding } from '../report/findings';
import { comparePaths } from './shard';
import type { AnalysisResult } from '../engine/types';

/**
 * A baseline records the findings a code base already has, so CI fails only on new ones (like ESLint's bulk
 * suppressions): per file, how many findings of each key (rule + function, or rule + message for file errors, or
 * rule + other files for duplicates). Keys ignore line numbers, so editing above a known finding does not make it new.
 * A key that has more findings than the baseline allows reports the extra ones as new.
 */

export const DEFAULT_BASELINE = '.tdd-fast-baseline.json';
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  path: string;
  rule: string;
  /** The function name, the error message, or the other files of a duplicate. */
  subject: string;
  count: number;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  tool: 'tdd-fast';
  entries: BaselineEntry[];
}

function entryKey(entry: Pick<BaselineEntry, 'path' | 'rule' | 'subject'>): string {
  return `${entry.rule}\u0000${entry.path}\u0000${entry.subject}`;
}

function subjectOf(key: string): string {
  // Finding keys are `rule|path|subject...`; the subject may itself contain '|'.
  const [, , ...rest] = key.split('|');
  return rest.join('|');
}

/** A baseline holding every finding of the result. Entries sorted, so the file diffs well in review. */
export function createBaseline(result: AnalysisResult): Baseline {
  const counts = new Map<string, BaselineEntry>();
  for (const f of findingsOf(result)) {
    const entry = { path: f.path, rule: f.ruleId, subject: subjectOf(f.key), count: 0 };
    const key = entryKey(entry);
    if (!counts.has(key)) counts.set(key, entry);
    counts.get(key)!.count++;
  }
  const entries = [...counts.values()].sort(
    (a, b) => comparePaths(a.path, b.path) || cmp(a.rule, b.rule) || cmp(a.subject, b.subject),
  );
  return { version: BASELINE_VERSION, tool: 'tdd-fast', entries };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function readBaseline(file: string): Baseline {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist (create it with --update-baseline)' : (error as Error).message;
    throw new Error(`cannot read the baseline ${file}: ${why}`);
  }
  const baseline = parsed as Partial<Baseline>;
  if (!baseline || baseline.tool !== 'tdd-fast' || !Array.isArray(baseline.entries)) {
    throw new Error(`${file} is not a tdd-fast baseline file`);
  }
  if (baseline.version !== BASELINE_VERSION) {
    throw new Error(`${file} has baseline version ${String(baseline.version)}; this tdd-fast reads version ${BASELINE_VERSION}`);
  }
  return baseline as Baseline;
}

export function writeBaseline(file: string, baseline: Baseline): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(baseline, null, 2) + '\n');
  fs.renameSync(temp, file);
}

export interface BaselineOutcome {
  /** The result without the findings the baseline knows. */
  result: AnalysisResult;
  /** How many findings the baseline suppressed. */
  suppressed: number;
  /** Baseline entries (counted per finding) that no longer occur: fixed since, so the baseline can be tightened. */
  fixed: number;
}

/**
 * Removes the findings the baseline already knows from a result (smells, file errors, duplicates) and recomputes the
 * summary counts. Findings beyond a key's recorded count stay: they are new.
 */
export function applyBaseline(result: AnalysisResult, baseline: Baseline, scope?: (path: string) => boolean): BaselineOutcome {
  const allowance = new Map<string, number>();
  for (const entry of baseline.entries) {
    if (scope && !scope(entry.path)) continue;
    allowance.set(entryKey(entry), (allowance.get(entryKey(entry)) ?? 0) + entry.count);
  }
  const known = new Set<Finding>();
  const findings = findingsOf(result);
  for (const f of findings) {
    const key = entryKey({ path: f.path, rule: f.ruleId, subject: subjectOf(f.key) });
    const left = allowance.get(key) ?? 0;
    if (left > 0) {
      allowance.set(key, left - 1);
      known.add(f);
    }
  }
  const fixed = [...allowance.values()].reduce((n, v) => n + v, 0);
  const dropped = new Set<object>([...known].map((f) => f.origin));
  const files = result.files.map((file) => ({
    ...file,
    errors: file.errors.filter((e) => !dropped.has(e)),
    smells: file.smells.filter((s) => !dropped.has(s)),
  }));
  const duplicates = result.duplicates.filter((d) => !dropped.has(d));
  const filtered: AnalysisResult = {
    ...result,
    files,
    duplicates,
    summary: summaryOf(result, files),
  };
  return { result: filtered, suppressed: known.size, fixed };
}

/**
 * The summary of a result cut down to `files` (by a baseline, --changed or --since): its counts over those files, its
 * other fields (cache, ms) as the run reported them.
 */
export function summaryOf(result: AnalysisResult, files: AnalysisResult['files']): AnalysisResult['summary'] {
  return {
    ...result.summary,
    files: files.length,
    functions: files.reduce((n, f) => n + functionCount(f), 0),
    smells: files.reduce((n, f) => n + f.smells.length, 0),
    errors: files.reduce((n, f) => n + f.errors.length, 0),
  };
}
