import * as fs from 'node:fs';
import * as path from 'node:path';

import { Command, InvalidArgumentError, Option } from 'commander';

import { applyBaseline, createBaseline, DEFAULT_BASELINE, readBaseline, summaryOf, writeBaseline } from './baseline';
import { FAIL_ON, gate, type FailOn } from './gate';
import { resolveConfig } from '../engine/config';
import { changedFiles } from './git';
import { mergeReports, readReport } from './merge';
import type { FormatterName } from '../report';
import { colorEnabled, palette } from '../report/colors';
import { format, FORMAT_NAMES } from '../report/load';
import { parseShard, shardFiles, type ShardSpec } from './shard';
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

interface Out {
  cwd: string;
  stdout(text: string): void;
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

function reportPath(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

/** Keeps the files in `keep` (report paths) and the duplicates that touch one of them; recomputes the summary counts. */
export function restrictToFiles(result: AnalysisResult, keep: Set<string>): AnalysisResult {
  const files = result.files.filter((f) => keep.has(f.path));
  return {
    ...result,
    files,
    duplicates: result.duplicates.filter((d) => d.locations.some((l) => keep.has(l.path))),
    summary: summaryOf(result, files),
  };
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

function withBaseline(result: AnalysisResult, options: CiOptions, io: Out): AnalysisResult {
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

interface MergeCommandOptions extends CiOptions {
  config?: string;
  format: FormatterName;
  outputFile?: string;
  color?: boolean;
  functions?: boolean;
}

/** A commander parser for a whole number >= 0 (`name` is the flag, for the error). */
export function integer(name: string) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`${name} must be a whole number >= 0.`);
    return parsed;
  };
}

/** Writes a formatted report to --output-file or stdout. */
export function emitReport(result: AnalysisResult, options: { format: FormatterName; outputFile?: string; color?: boolean; functions?: boolean }, io: Out): void {
  const toFile = options.outputFile !== undefined;
  const useColor = options.color ?? (!toFile && colorEnabled(process.stdout));
  const text = format(result, options.format, { palette: palette(useColor), showFunctions: options.functions ?? false, cwd: io.cwd });
  if (toFile) {
    const target = path.resolve(io.cwd, options.outputFile!);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  } else {
    io.stdout(text);
  }
}

/** `tdd-fast merge-reports <json...>`: one report from the shards' JSON reports, in any format, through the same gates. */
export function registerMergeCommand(program: Command, io: Out, setExitCode: (code: number) => void): void {
  program
    .command('merge-reports')
    .description('combine the JSON reports of --shard runs into one report (duplicates matched again across all files)')
    .argument('<reports...>', 'JSON reports written by `tdd-fast analyze --shard i/n --format json`')
    .addOption(new Option('-f, --format <name>', 'output format').choices(FORMAT_NAMES).default('json'))
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .option('-c, --config <file>', 'the configuration the shards used, for its duplicate settings (default: found like analyze does)')
    .option('--max-warnings <n>', 'exit with 1 when there are more warnings than this', integer('--max-warnings'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the run (exit 1)').choices([...FAIL_ON]).default('error'))
    .option('--baseline <file>', 'only findings not in this baseline file count')
    .option('--update-baseline', `write every finding of the merged report to the baseline file (default ${DEFAULT_BASELINE})`)
    .option('--functions', 'stylish: list every function with its metrics too')
    .option('--no-functions', 'stylish: findings only (the default)')
    .option('--color', 'force colours on')
    .option('--no-color', 'turn colours off (NO_COLOR is honoured too)')
    .action((reports: string[], options: MergeCommandOptions) => {
      const config = resolveConfig(io.cwd, { config: options.config });
      const merged = mergeReports(
        reports.map((r) => readReport(path.resolve(io.cwd, r))),
        { config: config.json },
      );
      for (const warning of merged.warnings ?? []) io.stderr(`tdd-fast: warning: ${warning}\n`);
      const result = withBaseline(merged, options, io);
      emitReport(result, options, io);
      setExitCode(gateCode(result, options, io));
    });
}
