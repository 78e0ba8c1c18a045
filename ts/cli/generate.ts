/**
 * `tdd-fast generate <file|dir...>`: arguments, options, help text and what it does. The generator (../generate) is
 * required only when `generate` runs.
 */
import * as path from 'node:path';

import { InvalidArgumentError, Option, type Command } from 'commander';

import { ALL_SCENARIOS } from '../engine/defaults';
import { checkPathsExist } from './usage';
import type { GenerateResult } from '../generate';
import type { Scenario } from '../generate/plan';

export interface GenerateIO {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface GenerateCommandOptions {
  function?: string;
  scenarios: Scenario[];
  outDir?: string;
  dryRun?: boolean;
  record?: boolean;
  format: 'text' | 'json';
  root?: string;
  testTimeout?: number;
  timeBudget?: number;
}

function scenarioList(value: string): Scenario[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean) as Scenario[];
  const bad = list.filter((s) => !ALL_SCENARIOS.includes(s));
  if (bad.length || list.length === 0) throw new InvalidArgumentError(`scenarios are a comma-separated list of ${ALL_SCENARIOS.join(', ')}.`);
  return list;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number > 0.');
  return n;
}

export function registerGenerateCommand(
  program: Command,
  io: GenerateIO,
  setExitCode: (code: number) => void,
): void {
  program
    .command('generate')
    .description('generate vitest tests for the exported functions of JavaScript/TypeScript files and folders')
    .argument('<paths...>', 'source files and folders (folders are walked respecting .gitignore; test files are skipped)')
    .option('--function <name>', 'only this function (name or Class.method): its tests alone, also in record mode')
    .option('--scenarios <list>', `comma-separated: ${ALL_SCENARIOS.join(',')}`, scenarioList, [...ALL_SCENARIOS])
    .option('--out-dir <dir>', 'write tests under this folder, mirroring the sources (default: beside each source)')
    .option('--dry-run', 'print the generated tests to stdout instead of writing them')
    .option('--record', "RUNS THE CODE (child process, time limits) and records today's behaviour as inline snapshots")
    .addOption(new Option('--format <format>', 'text, or json for the test plan itself').choices(['text', 'json']).default('text'))
    .option('--root <dir>', 'project root (default: the nearest folder with a package.json)')
    .option('--test-timeout <ms>', 'record mode: time limit per call', positive)
    .option('--time-budget <seconds>', "record mode: the whole run's search time, in CPU seconds (default 180; ends after 4 times that in wall time whatever the load); what was found by then is written", positive)
    .action(async (paths: string[], options: GenerateCommandOptions) => {
      checkPathsExist(paths, io.cwd);
      setExitCode(await runGenerate(paths, options, io));
    });
}

/** What `tdd-fast generate` does; resolves to the exit code. */
export async function runGenerate(paths: string[], options: GenerateCommandOptions, io: GenerateIO): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { collectSources, findProjectRoot, generateTestsBatch } = require('../generate') as typeof import('../generate');
  const absolute = paths.map((p) => path.resolve(io.cwd, p));
  const root = options.root ? path.resolve(io.cwd, options.root) : findProjectRoot(absolute[0]);
  const sources = await collectSources(absolute, root);
  if (sources.length === 0) {
    io.stderr('tdd-fast generate: no JavaScript/TypeScript source files in the given paths.\n');
    return 2;
  }
  const json = options.format === 'json';
  const results = await generateTestsBatch(sources, {
    root,
    function: options.function,
    scenarios: options.scenarios,
    outDir: options.outDir,
    dryRun: options.dryRun || (json && !options.record),
    record: options.record,
    recordOptions: options.testTimeout ? { testTimeoutMs: options.testTimeout } : undefined,
    timeBudget: options.timeBudget,
  });
  if (json) {
    io.stdout(`${JSON.stringify({ version: 1, files: results.map((r) => toJson(r, root)) }, null, 2)}\n`);
  } else {
    for (const r of results) report(r, root, options, io);
  }
  if (options.function && results.every((r) => r.functions === 0 && r.errors.length === 0)) {
    io.stderr(`tdd-fast generate: no function named '${options.function}' in the given files.\n`);
    return 2;
  }
  return results.some((r) => r.errors.length) ? 1 : 0;
}

function rel(root: string, file: string | null): string | null {
  return file === null ? null : path.relative(root, file).split(path.sep).join('/');
}

function toJson(r: GenerateResult, root: string) {
  return {
    path: rel(root, r.file),
    output: rel(root, r.output),
    written: r.written.map((w) => rel(root, w)),
    functions: r.functions,
    tests: r.tests,
    todo: r.todo,
    recorded: r.recorded,
    dropped: r.dropped,
    errors: r.errors,
    warnings: r.warnings ?? [],
    ms: Math.round(r.ms * 100) / 100,
    plan: r.plan,
  };
}

function report(r: GenerateResult, root: string, options: GenerateCommandOptions, io: GenerateIO): void {
  for (const error of r.errors) io.stderr(`tdd-fast generate: ${error}\n`);
  for (const warning of r.warnings ?? []) io.stderr(`tdd-fast generate: ${rel(root, r.file)}: ${warning}\n`);
  if (r.errors.length) return;
  if (options.dryRun && r.text) {
    io.stdout(`// ---- ${rel(root, r.output)}\n${r.text}`);
    return;
  }
  if (r.functions === 0) {
    // With --function, the files that do not hold it are not news (the end says when none does).
    // A barrel exports functions written elsewhere: only the run-time walk of --record finds them through it.
    if (r.barrel && !options.function) io.stderr(`${rel(root, r.file)}: only re-exports functions of other files (--record tests them through this module)\n`);
    else if (!options.function) io.stderr(`${rel(root, r.file)}: no exported functions\n`);
    return;
  }
  const recorded = r.recorded !== undefined ? `, ${r.recorded} recorded, ${r.dropped} dropped to TODO` : '';
  io.stdout(`${rel(root, r.output)}: ${r.tests} tests for ${r.functions} functions (${r.todo} TODO${recorded})\n`);
}
