/** `tdd-fast generate <file|dir...>`: registered on the main program by ts/cli.ts. */
import * as path from 'node:path';

import type { Command } from 'commander';

import {
  registerGenerateCommand as defineGenerateCommand,
  type GenerateCommandOptions,
  type GenerateIO as IO,
} from '../cli/generate';
import { collectSources, findProjectRoot, generateTestsBatch, type GenerateResult } from './index';

export function registerGenerateCommand(program: Command, io: IO, setExitCode: (code: number) => void): void {
  defineGenerateCommand(program, io, setExitCode, () => runGenerate);
}

/** What `tdd-fast generate` does (../commands/generate defines its options); resolves to the exit code. */
export async function runGenerate(paths: string[], options: GenerateCommandOptions, io: IO): Promise<number> {
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
  });
  if (json) {
    io.stdout(`${JSON.stringify({ version: 1, files: results.map((r) => toJson(r, root)) }, null, 2)}\n`);
  } else {
    for (const r of results) report(r, root, options, io);
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
    ms: Math.round(r.ms * 100) / 100,
    plan: r.plan,
  };
}

function report(r: GenerateResult, root: string, options: GenerateCommandOptions, io: IO): void {
  for (const error of r.errors) io.stderr(`tdd-fast generate: ${error}\n`);
  if (r.errors.length) return;
  if (options.dryRun && r.text) {
    io.stdout(`// ---- ${rel(root, r.output)}\n${r.text}`);
    return;
  }
  if (r.functions === 0) {
    io.stderr(`${rel(root, r.file)}: no exported functions\n`);
    return;
  }
  const recorded = r.recorded !== undefined ? `, ${r.recorded} recorded, ${r.dropped} dropped to TODO` : '';
  io.stdout(`${rel(root, r.output)}: ${r.tests} tests for ${r.functions} functions (${r.todo} TODO${recorded})\n`);
}
