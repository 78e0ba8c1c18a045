/**
 * What the generate tests share: a fixture project made from a folder or from files, this repository's node_modules
 * linked into it, a real `generate --record` run of the built CLI, and the project's own vitest run with its JSON report.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';

import { repoRoot, runCli, type CliRun } from '../helpers';

const api = require(path.join(repoRoot, 'dist', 'index.js')) as typeof import('../../ts/index');

export const vitestBin = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');

/** A copy of `__test__/generate/fixtures/<name>` in a fresh temp folder (the fixtures themselves are never written). */
export function copyFixture(name: string, options: { nodeModules?: boolean } = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `tdd-fast-${name}-`));
  fs.cpSync(path.join(__dirname, 'fixtures', name), root, { recursive: true });
  if (options.nodeModules) linkNodeModules(root);
  return root;
}

/** This repository's node_modules linked into a project (its generated tests and tsc resolve vitest and types there). */
export function linkNodeModules(root: string): void {
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
}

/** A count budget that binds long before the time cap, so runs are reproducible on a busy machine. */
/** The `thrown` helper a generated test file holds, as the lines the generator writes (for hand-made generated files). */
export const THROWN_HELPER_LINES = [
  '/** The error a call throws (the test fails when it does not throw). */',
  'function thrown(run: () => unknown): Error {',
  '  try {',
  '    run();',
  '  } catch (error) {',
  '    return error as Error;',
  '  }',
  "  throw new Error('expected the call to throw');",
  '}',
];

export const SEARCH = { budgetCount: 120, budgetMs: 20_000, seed: 7 };

type BatchResult = Awaited<ReturnType<typeof api.generateTestsBatch>>[number];

/** `generateTestsBatch` in record mode on files of a project: each file's result and generated text, by file. */
export async function recordBatch(root: string, files: string[]): Promise<{ results: Map<string, BatchResult>; generated: Map<string, string> }> {
  const out = await api.generateTestsBatch(
    files.map((f) => path.join(root, f)),
    { root, record: true, recordOptions: { vitestBin, search: SEARCH } },
  );
  const results = new Map<string, BatchResult>();
  const generated = new Map<string, string>();
  out.forEach((r, i) => {
    results.set(files[i], r);
    if (r.output && fs.existsSync(r.output)) generated.set(files[i], fs.readFileSync(r.output, 'utf8'));
  });
  return { results, generated };
}

/** `generate <file> --record` through the CLI, which must exit 0; the run and the generated file's text. */
export function recordFile(root: string, file: string): { run: CliRun; text: string } {
  const run = runCli(['generate', file, '--record'], root);
  expect(run.code, run.stderr + run.stdout).toBe(0);
  const output = file.replace(/\.([cm]?[jt]sx?)$/, '.generated.test.$1');
  return { run, text: fs.readFileSync(path.join(root, output), 'utf8') };
}

export interface VitestReport {
  success: boolean;
  numFailedTests: number;
  numPassedTests: number;
  numTodoTests: number;
  numTotalTestSuites: number;
  testResults: Array<{ name: string; status: string; message?: string; assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }>;
  /** What vitest printed (for failure messages). */
  output: string;
}

/**
 * A real `vitest run` of the project, with its JSON report. By default the project's own config applies (vitest finds
 * it); `generatedOnly` writes a config for the run that takes only the generated test files, each test under that
 * time limit; `filters` are vitest's file filters.
 */
export function runVitest(root: string, options: { generatedOnly?: { testTimeout: number }; filters?: string[] } = {}): VitestReport {
  const args = [vitestBin, 'run', ...(options.filters ?? [])];
  if (options.generatedOnly) {
    const config = path.join(root, 'vitest.config.mjs');
    fs.writeFileSync(config, `export default { test: { include: ['**/*.generated.test.*'], testTimeout: ${options.generatedOnly.testTimeout} } };\n`);
    args.push('--config', config);
  }
  const out = path.join(root, 'report.json');
  const run = spawnSync(process.execPath, [...args, '--root', root, '--reporter=json', `--outputFile=${out}`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    timeout: 120_000,
  });
  const output = run.stdout + run.stderr;
  expect(fs.existsSync(out), output).toBe(true);
  return { ...(JSON.parse(fs.readFileSync(out, 'utf8')) as Omit<VitestReport, 'output'>), output };
}

/** The `describe(name, ...)` block of a generated file. */
export function describeBlock(text: string, name: string): string {
  const start = text.indexOf(`describe('${name}', () => {`);
  expect(start, `describe('${name}') in\n${text}`).toBeGreaterThanOrEqual(0);
  return text.slice(start, text.indexOf('\n});', start));
}
