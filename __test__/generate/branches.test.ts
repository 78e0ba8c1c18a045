/**
 * Branches the recorded tests reach, end to end: the CLI runs `generate --record` on fixture modules whose branches
 * stayed unreached in bench draws for a general reason, then a real vitest run checks the generated files.
 * Fixtures: __test__/generate/fixtures/branches/ (plain JavaScript, no types anywhere):
 * - bus.js: `on(name, listener)` throws unless the listener is a function (the only hint of its type) and returns
 *   the function that unsubscribes; `emit(name)` reaches a listener only while it is subscribed;
 * - pairs.js: `view()` and `sizes()` return an object and a typed array with a hidden (non-enumerable) `constructor`,
 *   which a literal cannot write, and `view()` shares the object's own Map;
 * - cookie.js: a parser that compares keys inside a `forEach` callback, reached only by `name=value;key=value`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { repoRoot } from '../helpers';

const cli = path.join(repoRoot, 'bin', 'tdd-fast.js');
const vitestBin = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
const fixtures = path.join(__dirname, 'fixtures', 'branches');
const FILES = ['src/bus.js', 'src/pairs.js', 'src/cookie.js'];

let root = '';
let stdout = '';
const generated = new Map<string, string>();

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-branches-'));
  fs.cpSync(fixtures, root, { recursive: true });
  const run = spawnSync(process.execPath, [cli, 'generate', ...FILES, '--record'], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  expect(run.status, run.stderr).toBe(0);
  stdout = run.stdout;
  for (const f of FILES) generated.set(f, fs.readFileSync(path.join(root, f.replace(/\.js$/, '.generated.test.js')), 'utf8'));
}, 300_000);

describe('recorded tests reach the branches behind a guard and a subscription', () => {
  it("a parameter typed only by its guard (`typeof listener !== 'function'`) is passed a callback", () => {
    expect(generated.get('src/bus.js')).toMatch(/instance\.on\([^\n]*, callback\d*\)/);
  });

  it('a function an earlier call returned (an unsubscribe) is called after the last call: emit reaches the listener', () => {
    const text = generated.get('src/bus.js')!;
    // the unsubscribe is still asserted by what it does, once the calls after it have run
    expect(text).toMatch(/const (returned\d*) = instance\.on\('([^'\n]*)', callback\d*\);[^]*?expect\(instance\.emit\('\2', [^\n]*\)\)\.toBe\([1-9]\);\n[^]*?expect\(\1\(\)\)\.toBeUndefined\(\);/);
    expect(text).toMatch(/expect\(callback\d*\)\.toHaveBeenCalledTimes\(1\);/);
  });

  it('a value with a hidden own property is not written as a literal, a returned view is asserted as it was when returned: no test is lost', () => {
    // `toStrictEqual` tells a literal from an object or typed array with a hidden `constructor`; `view()` shares the
    // object's Map, which a later `set()` changes
    expect(stdout).toMatch(/src\/pairs\.generated\.test\.js: \d+ tests for \d+ functions \(0 TODO/);
    expect(generated.get('src/pairs.js')).not.toMatch(/toStrictEqual\(\{ left:/);
  });

  it("a parser's keys compared in a nested callback are reached with inputs in its own format (`a=b;expires=1`)", () => {
    const text = generated.get('src/cookie.js')!;
    expect(text).toMatch(/parseCookie\('[^'\n]*;expires=[^'\n]*'\)\)\.toStrictEqual\(\{[^\n]*expires: /);
    expect(text).toMatch(/parseCookie\('[^'\n]*;secure[^'\n]*'\)\)\.toStrictEqual\(\{[^\n]*flags: \['secure'\]/);
  });

  it('the generated files pass in vitest', () => {
    const run = spawnSync(process.execPath, [vitestBin, 'run', '--root', root, '--reporter=json'], { cwd: root, encoding: 'utf8' });
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { numFailedTests: number; numPassedTests: number };
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThanOrEqual(10);
  }, 120_000);
});
