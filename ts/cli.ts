import * as fs from 'node:fs';
import * as path from 'node:path';

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { analyzeFilesForPrinting, analyzeFilesWithText } from './api';
import { addCiOptions, afterAnalysis, gateCode, planPaths, registerMergeCommand, type CiOptions } from './ci';
import { registerGenerateCommand } from './commands/generate';
import { registerSessionCommands } from './commands/session';
import { registerTestingCommands } from './commands/testing';
import { registerWatchCommand } from './commands/watch';
import { resolveConfig } from './config';
import { createProgress } from './progress';
import { colorEnabled, palette } from './report/colors';
import { format, FORMAT_NAMES } from './report/load';
import type { FormatterName } from './report';
import type { AnalysisResult, Severity } from './types';

// Startup cost matters here (`analyze` is the common command): the other commands are defined (options and help)
// from ./commands, which loads none of their code; each one's module is required when it runs. The report
// formatters are loaded by name (./report/load) and `--profile`'s table only with --profile.
/* eslint-disable @typescript-eslint/no-require-imports */
const sessionActions = () => (require('./session/cli') as typeof import('./session/cli')).sessionActions;
const testingActions = () => (require('./testing/cli') as typeof import('./testing/cli')).testingActions;
const runWatchCommand = () => (require('./watch') as typeof import('./watch')).runWatchCommand;
const runGenerate = () => (require('./generate/cli') as typeof import('./generate/cli')).runGenerate;
/* eslint-enable @typescript-eslint/no-require-imports */

/** Exit codes follow ESLint: 0 clean, 1 findings over the gate, 2 usage or internal error. */
export const EXIT = { clean: 0, findings: 1, failure: 2 } as const;

function integer(name: string) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`${name} must be a whole number >= 0.`);
    return parsed;
  };
}

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
  functions: boolean;
  color?: boolean;
  cache: boolean;
  cacheLocation?: string;
  profile?: boolean;
  progress: boolean;
  config?: string;
  rule?: string[];
  threshold?: string[];
}

/** What the exit code is for a result: errors (syntax, unreadable, error-severity smells) or too many warnings => 1. */
export function exitCodeFor(result: AnalysisResult, maxWarnings?: number): number {
  let errors = 0;
  let warnings = 0;
  for (const file of result.files) {
    errors += file.errors.length;
    for (const smell of file.smells) {
      if (smell.severity === 'error') errors++;
      else if (smell.severity === 'warning') warnings++;
    }
  }
  if (errors > 0) return EXIT.findings;
  if (maxWarnings !== undefined && warnings > maxWarnings) return EXIT.findings;
  return EXIT.clean;
}

async function runAnalyze(paths: string[], options: AnalyzeCommandOptions, io: CliIO): Promise<number> {
  const started = process.hrtime.bigint();
  const progress = options.progress ? createProgress(process.stderr) : undefined;
  let result: AnalysisResult;
  // The native JSON text: `--format json` prints it as is when nothing below changes the result (saves re-serialising;
  // as UTF-8 bytes from the print path, so 18 MB are not converted to a string and back).
  let nativeJson: string | Buffer | undefined;
  // With the text printed as is: the findings by severity, counted without parsing the files.
  let printedCounts: Record<Severity, number> | undefined;
  try {
    const plan = planPaths(paths.length ? paths : ['.'], options, io.cwd, options.threads);
    const config = resolveConfig(io.cwd, options);
    // --format json with nothing that rewrites the result: print the native text as is, parse only the result without
    // its files (the core counts the files' findings for the exit code).
    const printAsIs =
      options.format === 'json' && !plan.shard && !options.changed && options.since === undefined && !options.baseline && !options.updateBaseline;
    const analyze = printAsIs
      ? (p: string[], o: Parameters<typeof analyzeFilesWithText>[1]) =>
          analyzeFilesForPrinting(p, o).then(({ result, counts, json }) => {
            printedCounts = counts;
            return { result, json };
          })
      : analyzeFilesWithText;
    ({ result, json: nativeJson } = await analyze(plan.paths, {
      root: io.cwd,
      maxFileSize: options.maxFileSize,
      maxNesting: options.maxNesting,
      fileTimeLimit: options.fileTimeLimit,
      threads: options.threads,
      cache: options.cache,
      cacheLocation: options.cacheLocation,
      profile: options.profile,
      config: config.json,
      fingerprints: plan.shard !== undefined,
      onProgress: progress?.update,
    }));
    if (plan.shard) {
      result.shard = plan.shard;
      nativeJson = undefined;
    }
  } finally {
    progress?.stop();
  }
  for (const warning of result.warnings ?? []) io.stderr(`tdd-fast: warning: ${warning}\n`);
  const analysed = result;
  result = afterAnalysis(result, options, io);
  const toFile = options.outputFile !== undefined;
  const useColor = options.color ?? (!toFile && colorEnabled(process.stdout));
  const formatStarted = process.hrtime.bigint();
  const asIs = options.format === 'json' && nativeJson !== undefined && result === analysed ? nativeJson : undefined;
  const text =
    asIs !== undefined
      ? typeof asIs === 'string'
        ? asIs + '\n'
        : asIs
      : format(result, options.format, { palette: palette(useColor), showFunctions: options.functions, cwd: io.cwd });
  if (toFile) {
    const target = path.resolve(io.cwd, options.outputFile!);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    if (typeof text !== 'string') fs.appendFileSync(target, '\n');
  } else {
    io.stdout(text);
    if (typeof text !== 'string') io.stdout('\n');
  }
  const output = result.profile?.phases.find((p) => p.phase === 'output');
  if (output) output.ms += Number(process.hrtime.bigint() - formatStarted) / 1e6;
  if (options.profile && result.profile) {
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { formatProfile } = require('./report/profile') as typeof import('./report/profile');
    io.stderr(formatProfile(result, wallMs, process.resourceUsage().maxRSS * 1024));
  }
  return gateCode(result, options, io, false, result === analysed ? printedCounts : undefined);
}

export interface CliIO {
  cwd: string;
  stdout(text: string | Uint8Array): void;
  stderr(text: string): void;
}

const defaultIO: CliIO = {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const { version } = require('../package.json') as { version: string };
  const program = new Command('tdd-fast')
    .description('Fast test-driven development: edge cases, code smells and vitest tests from a Rust core.')
    .version(version, '-v, --version')
    .showHelpAfterError('(run tdd-fast --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

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
    .option('--no-functions', 'stylish: list smells and errors only, not every function')
    .option('-c, --config <file>', 'configuration file (default: tdd-fast.config.json or package.json "tdd-fast", searched upward)')
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

  registerSessionCommands(program, sessionActions);
  registerMergeCommand(program, io, setExitCode);
  registerTestingCommands(program, testingActions);
  registerWatchCommand(program, io.cwd, io.stdout, runWatchCommand);
  registerGenerateCommand(program, io, setExitCode, runGenerate);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  let exitCode: number = EXIT.clean;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
      return ok ? EXIT.clean : EXIT.failure;
    }
    io.stderr(`tdd-fast: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}
