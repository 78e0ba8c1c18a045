/**
 * `tdd-fast analyze [paths...]` (the default command): its options and what it does. Startup cost matters here, as
 * it is the common command: the other commands load their code only when they run, the report formatters are loaded
 * by name (../report/load) and `--profile`'s table only with --profile.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';

import { analyzeFilesForPrinting } from '../engine/api';
import { resolveConfig } from '../engine/config';
import type { AnalysisResult, Severity } from '../engine/types';
import type { FormatterName } from '../report';
import { FINDINGS_FORMATS, FORMAT_NAMES } from '../report/load';
import { addCiOptions, afterAnalysis, emitReport, gateCode, integer, planPaths, resolveBaseline, type CiOptions } from './ci-options';
import type { CliIO } from './main';
import { createProgress } from './progress';
import { checkPathsExist } from './usage';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Sizes like 2000000, 500kb, 2mb. */
function byteSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a size such as 2000000, 500kb or 2mb.');
  const unit = (match[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(match[1]) * factor);
}

export interface AnalyzeCommandOptions extends CiOptions {
  format: FormatterName;
  outputFile?: string;
  maxWarnings?: number;
  maxFileSize?: number;
  maxNesting?: number;
  fileTimeLimit?: number;
  threads?: number;
  functions?: boolean;
  color?: boolean;
  cache: boolean;
  cacheLocation?: string;
  profile?: boolean;
  progress: boolean;
  config?: string;
  preset?: string;
  rule?: string[];
  threshold?: string[];
}

type Analysed = { result: AnalysisResult; counts: Record<Severity, number>; json: Buffer };

/** The analysis itself, with the progress bar while it runs. */
async function analyzeForCli(
  paths: string[],
  options: AnalyzeCommandOptions,
  io: CliIO,
  how: { shard: boolean; parseFiles: boolean; findingsOnly: boolean },
): Promise<Analysed> {
  const config = resolveConfig(io.cwd, options);
  const progress = options.progress ? createProgress(process.stderr) : undefined;
  try {
    return await analyzeFilesForPrinting(
      paths,
      {
        root: io.cwd,
        maxFileSize: options.maxFileSize,
        maxNesting: options.maxNesting,
        fileTimeLimit: options.fileTimeLimit,
        threads: options.threads,
        cache: options.cache,
        cacheLocation: options.cacheLocation,
        profile: options.profile,
        config: config.json,
        fingerprints: how.shard,
        onProgress: progress?.update,
      },
      { parseFiles: how.parseFiles, findingsOnly: how.findingsOnly },
    );
  } finally {
    progress?.stop();
  }
}

async function runAnalyze(paths: string[], options: AnalyzeCommandOptions, io: CliIO): Promise<number> {
  const started = process.hrtime.bigint();
  const given = paths.length ? paths : ['.'];
  checkPathsExist(given, io.cwd);
  resolveBaseline(options, io.cwd);
  const plan = planPaths(given, options, io.cwd, options.threads);
  // Anything that rewrites the result after the analysis: then the core's text and counts no longer describe it.
  const rewrites = Boolean(plan.shard || options.changed || options.since !== undefined || options.baseline || options.updateBaseline);
  const printAsIs = options.format === 'json' && !rewrites;
  // Formats that print findings only get the core's findings product: the same findings, without every function's facts.
  const findingsOnly = FINDINGS_FORMATS.has(options.format) && !options.functions;
  const analysed = await analyzeForCli(plan.paths, options, io, { shard: plan.shard !== undefined, parseFiles: !printAsIs, findingsOnly });
  for (const warning of analysed.result.warnings ?? []) io.stderr(`tdd-fast: warning: ${warning}\n`);
  if (plan.shard) analysed.result.shard = plan.shard;
  const result = afterAnalysis(analysed.result, options, io);
  const counts = result === analysed.result && !plan.shard ? analysed.counts : undefined;
  const formatStarted = process.hrtime.bigint();
  emitReport({ result, asIs: printAsIs ? analysed.json : undefined, counts }, options, io);
  const output = result.profile?.phases.find((p) => p.phase === 'output');
  if (output) output.ms += Number(process.hrtime.bigint() - formatStarted) / 1e6;
  if (options.profile && result.profile) {
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { formatProfile } = require('../report/profile') as typeof import('../report/profile');
    io.stderr(formatProfile(result, wallMs, process.resourceUsage().maxRSS * 1024));
  }
  return gateCode(result, options, io, { counts: printAsIs ? analysed.counts : counts });
}

export function registerAnalyzeCommand(program: Command, io: CliIO, setExitCode: (code: number) => void): void {
  addCiOptions(program.command('analyze', { isDefault: true }))
    .description('analyse JavaScript/TypeScript files and folders (default: the current folder)')
    .argument('[paths...]', 'files and folders; folders are walked respecting .gitignore')
    .addOption(new Option('-f, --format <name>', 'output format').choices(FORMAT_NAMES).default('stylish'))
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .option('--max-warnings <n>', 'exit with 1 when there are more warnings than this', integer('--max-warnings'))
    .option('--max-file-size <size>', 'skip files larger than this, with an error (default 2mb)', byteSize)
    .option('--max-nesting <n>', 'skip files nested deeper than this (brackets plus chained operators), with an error (default 10000)', integer('--max-nesting'))
    .option('--file-time-limit <ms>', 'a file whose analysis takes longer gets an error instead of results (default 10000, 0 = off)', integer('--file-time-limit'))
    .option('--threads <n>', 'worker threads (default: all cores)', integer('--threads'))
    .option('--functions', 'stylish: list every function with its metrics too (json and html always have them)')
    .option('--no-functions', 'stylish: findings only (the default; kept for scripts written before it was)')
    .option('-c, --config <file>', 'configuration file (default: tdd-fast.config.json or package.json "tdd-fast", searched upward)')
    .option('--preset <name>', 'rule preset the configuration starts from: recommended (default) or all')
    .option('--rule <id=severity>', 'set a rule to off, info, warning or error (repeatable)', collect, [])
    .option('--threshold <id=n>', 'set a rule threshold, or id.option=n (repeatable)', collect, [])
    .option('--no-cache', 'analyse every file again, without reading or writing the cache')
    .option('--cache-location <file>', 'the cache file (default node_modules/.cache/tdd-fast/analysis.bin)')
    .option('--profile', 'print time per phase, files/s, MB/s, peak RSS and cache hit rate to stderr')
    .option('--no-progress', 'never show the progress bar (it only shows on a terminal, outside CI)')
    .option('--color', 'force colours on')
    .option('--no-color', 'turn colours off (NO_COLOR is honoured too)')
    .action(async (paths: string[], options: AnalyzeCommandOptions) => {
      setExitCode(await runAnalyze(paths, options, io));
    });
}
