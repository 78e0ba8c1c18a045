import * as fs from 'node:fs';

import { native } from '../engine/native';
import { compareLocations } from '../report/findings';
import { comparePaths } from './shard';
import type { AnalysisResult, Duplicate, FileReport } from '../engine/types';

/**
 * `tdd-fast merge-reports`: combine the JSON reports of `--shard i/n` runs into the report one unsharded run gives.
 * Files are concatenated (in path order, like a run), the summary is recomputed, and cross-file duplicates are matched
 * again over all files from the per-file fingerprints the shards' reports carry (no file is read or parsed again).
 */

function byPath(a: { path: string }, b: { path: string }): number {
  return comparePaths(a.path, b.path);
}

export function readReport(file: string): AnalysisResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the report ${file}: ${(error as Error).message}`);
  }
  const report = parsed as Partial<AnalysisResult>;
  if (!report || report.version !== 1 || !Array.isArray(report.files) || !report.summary) {
    throw new Error(`${file} is not a tdd-fast JSON report (version 1); write shard reports with --format json`);
  }
  return report as AnalysisResult;
}

function duplicateKey(dup: Duplicate): string {
  return JSON.stringify([dup.lines, dup.tokens, [...dup.locations].sort(compareLocations)]);
}

export interface MergeOptions {
  /** The analysis configuration as JSON text (its duplicate settings apply), as the shards used it. */
  config?: string;
}

/**
 * Cross-file duplicates over all files: the native matcher over every shard's fingerprints, in the unsharded run's
 * file order. Reports without fingerprints (not from `--shard`) only contribute the duplicates they found themselves.
 */
function mergeDuplicates(reports: AnalysisResult[], options: MergeOptions, warnings: string[]): Duplicate[] {
  if (reports.every((r) => Array.isArray(r.fingerprints))) {
    const fingerprints = reports.flatMap((r) => r.fingerprints!).sort(byPath);
    return JSON.parse(native().mergeDuplicatesJson(JSON.stringify(fingerprints), { config: options.config })) as Duplicate[];
  }
  warnings.push('some reports carry no duplicate fingerprints (not written by --shard): duplicates across them are not matched');
  const seen = new Map<string, Duplicate>();
  for (const report of reports) for (const dup of report.duplicates ?? []) seen.set(duplicateKey(dup), dup);
  return [...seen.values()].sort((a, b) => compareLocations(a.locations[0]!, b.locations[0]!));
}

export function mergeReports(reports: AnalysisResult[], options: MergeOptions = {}): AnalysisResult {
  if (!reports.length) throw new Error('merge-reports needs at least one report');
  const sharded = reports.filter((r) => r.shard);
  if (sharded.length) {
    if (sharded.length !== reports.length) throw new Error('cannot merge shard reports with unsharded ones');
    const total = sharded[0]!.shard!.total;
    const indexes = new Set<number>();
    for (const report of sharded) {
      const shard = report.shard!;
      if (shard.total !== total) throw new Error(`the reports come from different splits (${shard.total} and ${total} shards)`);
      if (indexes.has(shard.index)) throw new Error(`shard ${shard.index}/${total} is given twice`);
      indexes.add(shard.index);
    }
    const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !indexes.has(i));
    if (missing.length) {
      throw new Error(`shard ${missing.map((i) => `${i}/${total}`).join(', ')} missing: merge the reports of all ${total} shards`);
    }
  }
  const files: FileReport[] = [];
  const owner = new Map<string, number>();
  reports.forEach((report, i) => {
    for (const file of report.files) {
      if (owner.has(file.path)) {
        throw new Error(`${file.path} is in two reports (${owner.get(file.path)! + 1} and ${i + 1}); shards must not overlap`);
      }
      owner.set(file.path, i);
      files.push(file);
    }
  });
  files.sort(byPath);
  const expected = sharded[0]?.shard?.allFiles;
  const warnings = [...new Set(reports.flatMap((r) => r.warnings ?? []))];
  if (expected !== undefined && expected !== files.length) {
    warnings.push(`the shards planned ${expected} files but their reports hold ${files.length} (files changed between runs?)`);
  }
  const duplicates = mergeDuplicates(reports, options, warnings);
  const merged: AnalysisResult = {
    version: 1,
    files,
    duplicates,
    summary: {
      files: files.length,
      functions: files.reduce((n, f) => n + f.functions.length, 0),
      smells: files.reduce((n, f) => n + f.smells.length, 0),
      errors: files.reduce((n, f) => n + f.errors.length, 0),
      cache: {
        hits: reports.reduce((n, r) => n + (r.summary.cache?.hits ?? 0), 0),
        misses: reports.reduce((n, r) => n + (r.summary.cache?.misses ?? 0), 0),
      },
      // The shards ran side by side: the slowest one is the wall time.
      ms: Math.max(...reports.map((r) => r.summary.ms ?? 0)),
    },
    warnings,
  };
  return merged;
}
