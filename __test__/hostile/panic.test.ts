/**
 * Panic containment: with the test hook armed (TDD_FAST_TEST_PANIC=1, read once per process; see docs/reliability.md),
 * the core panics on any file that starts with the marker. The panic must stay that file's error: the Node process
 * survives, the other files are analysed, the exit code says a file has an error. Without the env var the marker is
 * inert, so the hook cannot fire in normal use.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

import { afterAll, describe, expect, it } from 'vitest';

import type { AnalysisResult } from '../../ts/index';
import { makeProject, repoRoot } from '../helpers';
import { runCli } from './run';

const MARKER = '/*tdd-fast:test-panic*/';
const dir = makeProject({
  'boom.ts': `${MARKER}\nexport function boom() { return 1; }\n`,
  'a.ts': 'export function a(x: number) {\n  return x + 1;\n}\n',
  'b.js': 'function b(y) {\n  if (y) return 1;\n  return 2;\n}\n',
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a panic in the core', () => {
  it('CLI: the panicking file has an "internal error", the others are analysed, exit 1', () => {
    const run = runCli(['analyze', '--format', 'json', '--no-cache'], dir, { TDD_FAST_TEST_PANIC: '1' });
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout) as AnalysisResult;
    const boom = result.files.find((f) => f.path === 'boom.ts')!;
    expect(boom.errors).toHaveLength(1);
    expect(boom.errors[0].message).toMatch(/^internal error while analysing this file: test panic injected/);
    expect(result.files.find((f) => f.path === 'a.ts')!.functions).toHaveLength(1);
    expect(result.files.find((f) => f.path === 'b.js')!.functions).toHaveLength(1);
  });

  it('API: analyzeFiles and analyzeSource return the panic as the file\'s error and the process goes on', () => {
    const script = `
      const api = require(${JSON.stringify(repoRoot)});
      (async () => {
        const result = await api.analyzeFiles([], { root: ${JSON.stringify(dir)}, cache: false });
        const source = api.analyzeSource(${JSON.stringify(MARKER)} + ' let x = 1;', 'edit.ts');
        const after = api.analyzeSource('export function fine() {}', 'fine.ts');
        console.log(JSON.stringify({ files: result.files, source, after }));
      })();
    `;
    const run = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, TDD_FAST_TEST_PANIC: '1' },
    });
    expect(run.status, run.stderr).toBe(0);
    const { files, source, after } = JSON.parse(run.stdout);
    const boom = files.find((f: { path: string }) => f.path === 'boom.ts');
    expect(boom.errors[0].message).toMatch(/internal error/);
    expect(files.find((f: { path: string }) => f.path === 'a.ts').functions).toHaveLength(1);
    expect(source.errors[0].message).toMatch(/internal error/);
    expect(after.functions.map((f: { name: string }) => f.name)).toEqual(['fine']);
  });

  it('without TDD_FAST_TEST_PANIC=1 the marker does nothing', () => {
    const run = runCli(['analyze', '--format', 'json', '--no-cache'], dir, { TDD_FAST_TEST_PANIC: '' });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as AnalysisResult;
    expect(result.files.find((f) => f.path === 'boom.ts')!.functions).toHaveLength(1);
  });
});
