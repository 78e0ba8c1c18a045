/**
 * Generated tests that kill mutants and hold on every run, end to end: the CLI runs `generate --record` on fixture
 * modules (__test__/generate/fixtures/mutation/, plain JavaScript), then real vitest runs check the generated files
 * against the source and against mutated copies of it, as Stryker would mutate it:
 * - tally.js: a factory whose object keeps its state in the closure (no field shows it), handed a worker callback;
 *   only the observer methods (`pending()`, `status()`) and the worker's recorded calls tell a mutant apart;
 * - ids.js: functions that draw from Math.random (directly, and through a `random = Math.random` default): their
 *   tests pin Math.random to the sequence the search ran them with, so exact values hold on every run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { repoRoot } from '../helpers';

const cli = path.join(repoRoot, 'bin', 'tdd-fast.js');
const vitestBin = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
const fixtures = path.join(__dirname, 'fixtures', 'mutation');
const FILES = ['src/tally.js', 'src/ids.js'];

let root = '';
const generated = new Map<string, string>();

/** One vitest run of the generated files under `dir`: failed and passed tests. */
function vitest(dir: string): { failed: number; passed: number } {
  const run = spawnSync(process.execPath, [vitestBin, 'run', '--root', dir, '--reporter=json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
  const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { numFailedTests: number; numPassedTests: number };
  return { failed: report.numFailedTests, passed: report.numPassedTests };
}

/** A copy of the project with `from` replaced by `to` in one source file (one mutant), its generated tests kept. */
function mutant(file: string, from: string, to: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-mutant-'));
  fs.cpSync(root, dir, { recursive: true });
  const source = fs.readFileSync(path.join(dir, file), 'utf8');
  expect(source).toContain(from);
  fs.writeFileSync(path.join(dir, file), source.replace(from, to));
  return dir;
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-mutation-'));
  fs.cpSync(fixtures, root, { recursive: true });
  const run = spawnSync(process.execPath, [cli, 'generate', ...FILES, '--record'], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  expect(run.status, run.stderr).toBe(0);
  for (const f of FILES) generated.set(f, fs.readFileSync(path.join(root, f.replace(/\.js$/, '.generated.test.js')), 'utf8'));
}, 300_000);

describe('state kept in a closure is asserted through the object it made', () => {
  it('asserts the observers after a sequence, and the worker the object was made with as vi.fn', () => {
    const text = generated.get('src/tally.js')!;
    // The observers whose answer the calls changed (`finished()` is 0 before and after: not repeated).
    expect(text).toMatch(/expect\(instance\.pending\(\)\)\.toBe\(2\);\n\s+expect\(instance\.status\(\)\)\.toBe\('busy'\);/);
    expect(text).toMatch(/const callback = vi\.fn\([^\n]*\);\n\s+const instance = createTally\(callback\);/);
    expect(text).toMatch(/expect\(callback\)\.toHaveBeenLastCalledWith\([^\n]*, expect\.any\(Function\)\);/);
  });

  it('kills the mutants of the counter and of the comparison a test must pin at its boundary', () => {
    for (const [from, to] of [
      ['pending++', 'pending--'],
      ['pending >= 2', 'pending > 2'],
    ]) {
      expect(vitest(mutant('src/tally.js', from, to)).failed, `${from} -> ${to}`).toBeGreaterThan(0);
    }
  }, 120_000);
});

describe('code that draws from Math.random gets stable, exact tests', () => {
  it('pins Math.random in the tests that draw, and asserts the exact values', () => {
    const text = generated.get('src/ids.js')!;
    expect(text).toContain("vi.spyOn(Math, 'random')");
    expect(text).toMatch(/pinRandom\(\);\n\s+expect\(shortId\(\)\)\.toBe\('id-[0-9a-z]{6}'\);/);
    // A callback passed in place of Math.random is the test's own: no pin there.
    expect(text).not.toMatch(/pinRandom\(\);\n\s+const callback = vi\.fn/);
  });

  it('the generated files pass on every run', () => {
    for (let run = 0; run < 3; run++) {
      const { failed, passed } = vitest(root);
      expect(failed, `run ${run + 1}`).toBe(0);
      expect(passed).toBeGreaterThanOrEqual(20);
    }
  }, 120_000);
});
