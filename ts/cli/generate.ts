/**
 * The definition of `tdd-fast generate`: arguments, options and help text only. What it does lives in
 * ../generate/cli, whose `runGenerate` `load` returns; the main CLI passes a loader that requires it only when
 * `generate` runs.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';

import { ALL_SCENARIOS } from '../engine/defaults';
import { checkPathsExist } from './usage';
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
}

/** ../generate/cli's `runGenerate`: resolves to the exit code. */
export type GenerateCommand = (paths: string[], options: GenerateCommandOptions, io: GenerateIO) => Promise<number>;

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
  load: () => GenerateCommand,
): void {
  program
    .command('generate')
    .description('generate vitest tests for the exported functions of JavaScript/TypeScript files and folders')
    .argument('<paths...>', 'source files and folders (folders are walked respecting .gitignore; test files are skipped)')
    .option('--function <name>', 'only this function (name or Class.method)')
    .option('--scenarios <list>', `comma-separated: ${ALL_SCENARIOS.join(',')}`, scenarioList, [...ALL_SCENARIOS])
    .option('--out-dir <dir>', 'write tests under this folder, mirroring the sources (default: beside each source)')
    .option('--dry-run', 'print the generated tests to stdout instead of writing them')
    .option('--record', "RUNS THE CODE (child process, time limits) and records today's behaviour as inline snapshots")
    .addOption(new Option('--format <format>', 'text, or json for the test plan itself').choices(['text', 'json']).default('text'))
    .option('--root <dir>', 'project root (default: the nearest folder with a package.json)')
    .option('--test-timeout <ms>', 'record mode: time limit per call', positive)
    .action(async (paths: string[], options: GenerateCommandOptions) => {
      checkPathsExist(paths, io.cwd);
      setExitCode(await load()(paths, options, io));
    });
}
