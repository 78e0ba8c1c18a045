import * as fs from 'node:fs';
import * as path from 'node:path';

import { Command, InvalidArgumentError, Option } from 'commander';

import { applyBaseline, createBaseline, DEFAULT_BASELINE, readBaseline, writeBaseline } from '../ci/baseline';
import { FAIL_ON, gate, type FailOn } from '../ci/gate';
import { resolveConfig } from '../engine/config';
import { changedFiles, reportPath, restrictToFiles } from '../ci/git';
import type { FormatterName } from '../report';
import { colorEnabled, palette } from '../report/colors';
import { format, FORMAT_NAMES } from '../report/load';
import { parseShard, shardFiles, type ShardSpec } from '../ci/shard';
import type { AnalysisResult, Severity } from '../engine/types';

/** The CI options of `analyze` (and partly `merge-reports`): gates, baseline, changed files, sharding. */
export interface CiOptions {
  failOn?: FailOn;
  maxWarnings?: number;
  /** The baseline file; false with --no-baseline (then not even the default file applies). */
  baseline?: string | false;
  updateBaseline?: boolean;
  changed?: boolean;
  since?: string;
  shard?: ShardSpec;
}

export interface Out {
  cwd: string;
  stdout(text: string | Uint8Array): void;
  stderr(text: string): void;
}

function shardOption(value: string): ShardSpec {
  try {
    return parseShard(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Adds the CI options to a command (analyze). */
export function addCiOptions(command: Command): Command {
  return command
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the run (exit 1)').choices([...FAIL_ON]).default('error'))
    .option('--baseline <file>', `only findings not in this baseline file count (default: ${DEFAULT_BASELINE} when it exists; create it with --update-baseline)`)
    .option('--no-baseline', `report every finding, even with a ${DEFAULT_BASELINE}`)
    .option('--update-baseline', `write every current finding to the baseline file (--baseline, default ${DEFAULT_BASELINE}) and pass`)
    .option('--changed', 'report only files changed in the working tree against HEAD (git); duplicates still span the whole tree')
    .option('--since <ref>', 'report only files changed since the merge base of <ref> and HEAD (git), working tree included')
    .option('--shard <i/n>', 'analyse shard i of n (deterministic, even by size); combine the JSON reports with merge-reports', shardOption);
}

/** The paths to analyse: the shard's files under --shard, else the paths as given. */
export function planPaths(paths: string[], options: CiOptions, root: string, threads?: number): { paths: string[]; shard?: AnalysisResult['shard'] } {
  if (options.updateBaseline && (options.shard || options.changed || options.since !== undefined)) {
    throw new Error('--update-baseline needs a full run: drop --shard, --changed and --since (or merge the shard reports with merge-reports --update-baseline)');
  }
  if (!options.shard) return { paths };
  const { files, all } = shardFiles(paths, root, options.shard, threads);
  return { paths: files.map((f) => f.absolute), shard: { index: options.shard.index, total: options.shard.total, allFiles: all } };
}

/**
 * The baseline a run applies: --baseline's file, else the default file when the root has one (like ESLint's
 * suppressions file, it applies without a flag; --no-baseline turns it off). Sets `options.baseline`.
 */
export function resolveBaseline(options: CiOptions, root: string): void {
  if (options.baseline === undefined && !options.updateBaseline && fs.existsSync(path.join(root, DEFAULT_BASELINE))) {
    options.baseline = DEFAULT_BASELINE;
  }
}

/** After the analysis: --changed/--since, then the baseline (apply or update). */
export function afterAnalysis(result: AnalysisResult, options: CiOptions, io: Out): AnalysisResult {
  let out = result;
  if (options.changed || options.since !== undefined) {
    const root = fs.realpathSync(io.cwd);
    const changed = changedFiles(io.cwd, { since: options.since });
    out = restrictToFiles(out, new Set(changed.map((f) => reportPath(root, f))));
  }
  return withBaseline(out, options, io);
}

export function withBaseline(result: AnalysisResult, options: CiOptions, io: Out): AnalysisResult {
  if (options.updateBaseline) {
    const file = path.resolve(io.cwd, options.baseline || DEFAULT_BASELINE);
    const baseline = createBaseline(result);
    writeBaseline(file, baseline);
    const count = baseline.entries.reduce((n, e) => n + e.count, 0);
    io.stderr(`tdd-fast: wrote ${count} findings to the baseline ${path.relative(io.cwd, file) || file}\n`);
    return result;
  }
  if (!options.baseline) return result;
  const baseline = readBaseline(path.resolve(io.cwd, options.baseline));
  const inRun = new Set(result.files.map((f) => f.path));
  const outcome = applyBaseline(result, baseline, (p) => inRun.has(p));
  if (outcome.suppressed) io.stderr(`tdd-fast: ${outcome.suppressed} findings already in the baseline are not reported\n`);
  if (outcome.fixed) {
    io.stderr(`tdd-fast: ${outcome.fixed} baseline findings are fixed; run with --update-baseline to tighten the baseline\n`);
  }
  return outcome.result;
}

/**
 * The exit code of a run (0 or 1), with the reason on stderr when it fails (unless `quiet`). --update-baseline always
 * passes. `counts`: the result's findings by severity when the core counted them.
 */
export function gateCode(result: AnalysisResult, options: CiOptions, io: Out, how: { quiet?: boolean; counts?: Record<Severity, number> } = {}): 0 | 1 {
  if (options.updateBaseline) return 0;
  const verdict = gate(result, { failOn: options.failOn, maxWarnings: options.maxWarnings }, how.counts);
  if (verdict.code && !how.quiet) io.stderr(`tdd-fast: failing: ${verdict.reasons.join('; ')}\n`);
  return verdict.code;
}

/** A commander parser for a whole number >= 0 (`name` is the flag, for the error). */
export function integer(name: string) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`${name} must be a whole number >= 0.`);
    return parsed;
  };
}

/** Writes the report to --output-file or stdout: `asIs` (the core's JSON text) when nothing changed the result, else a formatter's. */
export function emitReport(
  report: { result: AnalysisResult; asIs?: Buffer; counts?: Record<Severity, number> },
  options: { format: FormatterName; outputFile?: string; color?: boolean; functions?: boolean },
  io: Out,
): void {
  const { result, asIs, counts } = report;
  const toFile = options.outputFile !== undefined;
  const useColor = options.color ?? (!toFile && colorEnabled(process.stdout));
  const text: string | Buffer =
    asIs ?? format(result, options.format, { palette: palette(useColor), showFunctions: options.functions ?? false, cwd: io.cwd, counts });
  if (toFile) {
    const target = path.resolve(io.cwd, options.outputFile!);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    if (asIs) fs.appendFileSync(target, '\n');
  } else {
    io.stdout(text);
    if (asIs) io.stdout('\n');
  }
}
