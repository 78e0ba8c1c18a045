/**
 * Record mode's coverage-guided search, end to end: the built package generates test files for fixture projects with
 * `--record`, and real vitest runs of the generated files check them. Nothing of ours is mocked.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, repoRoot } from '../helpers';
import { runVitest as runProjectVitest, vitestBin, type VitestReport } from './helpers';

const api = require(path.join(repoRoot, 'dist', 'index.js')) as typeof import('../../ts/index');
/** A count budget that binds long before the time cap, so runs are reproducible on a busy machine. */
const search = { budgetCount: 120, budgetMs: 20_000, seed: 7 };

type Report = VitestReport;

/** The generated test files under vitest, 5 s a test. */
function runVitest(root: string): Report {
  return runProjectVitest(root, { generatedOnly: { testTimeout: 5000 } });
}

function failures(report: Report): string[] {
  return report.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => `${a.title}: ${a.failureMessages[0]?.split('\n')[0]}`));
}

/** The `it(...)` blocks (not TODOs) of a generated file. */
function tests(text: string): string[] {
  return text.split(/\n  \/\/ tdd-fast:case /).slice(1).filter((b) => /\n {2}it\(/.test(b));
}

async function record(root: string, files: string[]) {
  const results = await api.generateTestsBatch(
    files.map((f) => path.join(root, f)),
    { root, record: true, recordOptions: { vitestBin, search } },
  );
  for (const r of results) expect(r.errors, r.file).toEqual([]);
  return results;
}

describe('module shapes', () => {
  it('ESM named and default exports, a default-exported TS class and CJS fn / class / object / exports.x all get passing, asserting tests', async () => {
    const root = makeProject({
      'package.json': '{"name":"fx"}',
      'src/esm.ts': [
        'export function grade(score: number): string {',
        "  if (score >= 90) return 'A';",
        "  if (score >= 75) return 'B';",
        "  return 'C';",
        '}',
        'export default function double(n: number): number {',
        '  return n * 2;',
        '}',
        '',
      ].join('\n'),
      'src/account.ts': [
        'export default class Account {',
        '  private balance = 0;',
        '  deposit(amount: number): number {',
        "    if (amount <= 0) throw new RangeError('amount must be positive');",
        '    this.balance += amount;',
        '    return this.balance;',
        '  }',
        '  withdraw(amount: number): number {',
        "    if (amount > this.balance) throw new Error('insufficient funds');",
        '    this.balance -= amount;',
        '    return this.balance;',
        '  }',
        '}',
        '',
      ].join('\n'),
      'lib/fn.js': "module.exports = function shout(s) {\n  if (s.length > 5) return s.toUpperCase() + '!';\n  return s.toUpperCase();\n};\n",
      'lib/klass.js': [
        'class Stack {',
        '  constructor() { this.items = []; }',
        '  push(x) { this.items.push(x); return this.items.length; }',
        "  pop() { if (this.items.length === 0) return null; return this.items.pop(); }",
        '}',
        'module.exports = Stack;',
        '',
      ].join('\n'),
      'lib/object.js': 'function add(a, b) { return a + b; }\nfunction neg(a) { return a < 0 ? a : -a; }\nmodule.exports = { add, neg };\n',
      'lib/exportsx.js': "exports.wrap = function wrap(s, w) { return w ? w + s + w : '[' + s + ']'; };\n",
    });
    const files = ['src/esm.ts', 'src/account.ts', 'lib/fn.js', 'lib/klass.js', 'lib/object.js', 'lib/exportsx.js'];
    await record(root, files);
    const texts = Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(root, f.replace(/\.(ts|js)$/, '.generated.test.$1')), 'utf8')]));
    for (const [file, text] of Object.entries(texts)) {
      expect(tests(text).length, file).toBeGreaterThan(0);
      // The generated file never assigns to the module namespace.
      expect(text, file).not.toMatch(/\bmod(\.\w+)*\s*=[^=>]/);
    }
    // Imports as a person writes them: named, and the default one named after the function or class it is.
    expect(texts['src/esm.ts']).toContain("import double, { grade } from './esm';");
    expect(texts['src/esm.ts']).toMatch(/expect\(grade\(\d+\)\)\.toBe\('A'\)/);
    expect(texts['src/esm.ts']).toMatch(/expect\(grade\(-?\d+(\.\d+)?\)\)\.toBe\('C'\)/);
    expect(texts['src/esm.ts']).toMatch(/expect\(double\(\d+\)\)\.toBe\(\d+\)/);
    expect(texts['src/account.ts']).toContain('const instance = new Account(');
    expect(texts['src/account.ts']).toContain("import Account from './account';");
    expect(texts['lib/fn.js']).toMatch(/expect\(shout\('.{6,}'\)\)\.toBe\('.*!'\)/);
    expect(texts['lib/fn.js']).toContain("import shout from './fn.js';");
    expect(texts['lib/klass.js']).toContain('new Stack()');
    expect(texts['lib/object.js']).toMatch(/expect\((object\.)?add\(/);
    expect(texts['lib/exportsx.js']).toMatch(/expect\((exportsx\.)?wrap\(/);
    for (const text of Object.values(texts)) expect(text).not.toContain('import * as mod');
    const report = runVitest(root);
    expect(failures(report)).toEqual([]);
    expect(report.numPassedTests).toBeGreaterThan(12);
  }, 300_000);
});

describe('UMD wrappers', () => {
  it('finds the functions a UMD factory returns in the loaded module and records them', async () => {
    const root = makeProject({
      'package.json': '{"name":"fx"}',
      'lib/slug.js': [
        '(function (root, factory) {',
        "  if (typeof module === 'object' && module.exports) module.exports = factory();",
        '  else root.slug = factory();',
        '})(this, function () {',
        '  function slug(s) {',
        "    if (s.length > 10) return s.slice(0, 10).toLowerCase();",
        "    return s.toLowerCase().replace(/ /g, '-');",
        '  }',
        '  slug.reverse = function (s) {',
        "    return s.split('').reverse().join('');",
        '  };',
        '  return slug;',
        '});',
        '',
      ].join('\n'),
    });
    await record(root, ['lib/slug.js']);
    const text = fs.readFileSync(path.join(root, 'lib/slug.generated.test.js'), 'utf8');
    expect(text).toMatch(/expect\(slug\('[^']{11,}'\)\)\.toBe\('/);
    expect(text).toMatch(/expect\(slug\('[^']{0,10}'\)\)\.toBe\('/);
    // vitest's CommonJS interop also exposes `module.exports`' own properties as named exports.
    expect(text).toMatch(/expect\((slug\.)?reverse\('/);
    expect(failures(runVitest(root))).toEqual([]);
  }, 300_000);

  it('searches functions the loaded module exports that the analysis cannot see (built by a factory call)', async () => {
    const root = makeProject({
      'package.json': '{"name":"fx","type":"module"}',
      'src/ops.ts': [
        'function operation(fn: (a: number, b: number) => number) {',
        '  return (...nums: number[]): number => {',
        "    if (nums.length === 0) throw new RangeError('no operands');",
        '    return nums.reduce((acc, n) => fn(acc, n));',
        '  };',
        '}',
        'export function half(n: number): number {',
        '  return n / 2;',
        '}',
        'export default { half, sum: operation((a, b) => a + b), product: operation((a, b) => a * b) };',
        '',
      ].join('\n'),
    });
    await record(root, ['src/ops.ts']);
    const text = fs.readFileSync(path.join(root, 'src/ops.generated.test.ts'), 'utf8');
    expect(text).toContain("describe('sum', () => {");
    expect(text).toContain("describe('product', () => {");
    // Numbers in, the sum out; and the planned function is not searched twice.
    expect(text).toMatch(/expect\(ops\.sum\(-?[\d.]+(, -?[\d.]+)*\)\)\.toBe\(-?[\d.]+\);/);
    expect(text).toMatch(/thrown\(\(\) => ops\.product\(\)\);\n\s+expect\(error\)\.toBeInstanceOf\(RangeError\);/);
    expect(text.match(/describe\('half'/g)).toHaveLength(1);
    expect(failures(runVitest(root))).toEqual([]);
  }, 300_000);
});

describe('classes', () => {
  it('constructs with new, exercises method sequences and asserts the state after them', async () => {
    const root = makeProject({
      'package.json': '{"name":"fx","type":"module"}',
      'src/counter.ts': [
        'export class Counter {',
        '  count: number;',
        '  constructor(start: number) {',
        '    this.count = start;',
        '  }',
        '  add(n: number): number {',
        '    this.count += n;',
        '    return this.count;',
        '  }',
        '  reset(): void {',
        '    if (this.count > 10) this.count = 10;',
        '    else this.count = 0;',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    await record(root, ['src/counter.ts']);
    const text = fs.readFileSync(path.join(root, 'src/counter.generated.test.ts'), 'utf8');
    expect(text).toMatch(/const instance = new Counter\(-?[\d.]+\);/);
    // Method sequences: two calls on the same instance, each asserted, with the state between them.
    expect(text).toMatch(/expect\(instance\.\w+\([^\n]*\n\s+expect\(instance\)\.toMatchObject\(\{ count: -?\d+ \}\);\n\s+expect\(instance\.\w+\(/);
    expect(text).toMatch(/expect\(instance\)\.toMatchObject\(\{ count: 10 \}\)/);
    expect(failures(runVitest(root))).toEqual([]);
  }, 300_000);

  it('a function-constructor class with prototype methods: nested state, iteration, pure observers, fluent returns and instances as arguments', async () => {
    const root = makeProject({
      'package.json': '{"name":"fx"}',
      'lib/list.js': [
        'function Node(value, prev) {',
        '  this.value = value;',
        '  this.prev = prev || null;',
        '  this.next = null;',
        '}',
        'function List() {',
        '  this.head = null;',
        '  this.tail = null;',
        '  this.length = 0;',
        '}',
        'List.prototype.push = function (value) {',
        '  const node = new Node(value, this.tail);',
        '  if (this.tail) this.tail.next = node;',
        '  else this.head = node;',
        '  this.tail = node;',
        '  this.length++;',
        '  return this;',
        '};',
        'List.prototype.shift = function () {',
        '  if (!this.head) return undefined;',
        '  const value = this.head.value;',
        '  this.head = this.head.next;',
        '  if (this.head) this.head.prev = null;',
        '  else this.tail = null;',
        '  this.length--;',
        '  return value;',
        '};',
        'List.prototype.toArray = function () {',
        '  const out = [];',
        '  for (let n = this.head; n; n = n.next) out.push(n.value);',
        '  return out;',
        '};',
        'List.prototype.append = function (other) {',
        '  if (!(other instanceof List)) throw new TypeError("not a list");',
        '  for (const v of other.toArray()) this.push(v);',
        '  return this.length;',
        '};',
        'List.prototype[Symbol.iterator] = function* () {',
        '  for (let n = this.head; n; n = n.next) yield n.value;',
        '};',
        'module.exports = List;',
        '',
      ].join('\n'),
    });
    await record(root, ['lib/list.js']);
    const text = fs.readFileSync(path.join(root, 'lib/list.generated.test.js'), 'utf8');
    // `new` on the function constructor; `return this` asserted as the instance itself.
    expect(text).toMatch(/const instance = new List\(\);/);
    expect(text).toMatch(/expect\(instance\.push\([^)]*\)\)\.toBe\(instance\);/);
    // The state after a sequence: nested nodes written as their fields, the back-pointer `prev` of a node inside the
    // list included as plain fields (no cycle), what iterating yields, and the observer toArray() (shift() changes
    // the list, so it is never used as an observer).
    expect(text).toMatch(/expect\(instance\)\.toMatchObject\(\{ head: \{ value: /);
    expect(text).toMatch(/expect\(\[\.\.\.instance\]\)\.toStrictEqual\(\[/);
    expect(text).toMatch(/expect\(instance\.toArray\(\)\)\.toStrictEqual\(\[/);
    expect(text).not.toMatch(/expect\(instance\.shift\(\)\)\.toBe\([^)]*\);\n\s+expect\(instance\.toArray\(\)\)/);
    // An instance of the class as an argument reaches the branch past the instanceof guard.
    expect(text).toMatch(/instance\.append\(new List\(\)\)/);
    expect(failures(runVitest(root))).toEqual([]);
  }, 300_000);
});

describe('inputs from the code', () => {
  it('a parser guarded by a regex of alternatives gets a test per alternative (each switch case is reached)', async () => {
    const root = makeProject({
      'package.json': '{"name":"fx"}',
      'lib/size.js': [
        'function toBytes(text) {',
        "  const m = /^(\\d+) *(kb|mb|gb|tb|pb)?$/i.exec(text);",
        '  if (!m) return NaN;',
        '  const n = Number(m[1]);',
        "  switch ((m[2] || '').toLowerCase()) {",
        "    case 'kb': return n * 1024;",
        "    case 'mb': return n * 1024 ** 2;",
        "    case 'gb': return n * 1024 ** 3;",
        "    case 'tb': return n * 1024 ** 4;",
        "    case 'pb': return n * 1024 ** 5;",
        '    default: return n;',
        '  }',
        '}',
        'module.exports = { toBytes };',
        '',
      ].join('\n'),
    });
    await record(root, ['lib/size.js']);
    const text = fs.readFileSync(path.join(root, 'lib/size.generated.test.js'), 'utf8');
    for (const unit of ['kb', 'mb', 'gb', 'tb', 'pb']) expect(text, unit).toMatch(new RegExp(`toBytes\\('\\d+ *${unit}'\\)`, 'i'));
    expect(failures(runVitest(root))).toEqual([]);
  }, 300_000);
});

describe('equal arguments', () => {
  it('calls a deep-equality function with equal values of every kind it tells apart, and the file passes', async () => {
    // Random values of two parameters almost never match, so without equal pairs only the first `return false` runs.
    const root = makeProject({
      'package.json': '{"name":"fx"}',
      'lib/equal.js': [
        'function same(a, b) {',
        '  if (a === b) return true;',
        "  if (a && b && typeof a === 'object' && typeof b === 'object') {",
        '    if (Array.isArray(a)) {',
        '      if (a.length !== b.length) return false;',
        '      for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;',
        "      return 'arrays';",
        '    }',
        '    const keys = Object.keys(a);',
        '    if (keys.length !== Object.keys(b).length) return false;',
        '    for (const k of keys) if (!same(a[k], b[k])) return false;',
        "    return 'objects';",
        '  }',
        '  return false;',
        '}',
        'module.exports = { same };',
        '',
      ].join('\n'),
    });
    await record(root, ['lib/equal.js']);
    const text = fs.readFileSync(path.join(root, 'lib/equal.generated.test.js'), 'utf8');
    expect(text).toContain(".toBe('arrays')");
    expect(text).toContain(".toBe('objects')");
    expect(failures(runVitest(root))).toEqual([]);
  }, 300_000);
});

describe('values of this machine', () => {
  it('does not assert a result that holds the working directory, so the tests pass in another checkout', async () => {
    const root = makeProject({
      'package.json': '{"name":"fx"}',
      'lib/where.js': [
        "const path = require('node:path');",
        'function where(name) {',
        "  if (typeof name !== 'string') return null;",
        '  return path.resolve(name);',
        '}',
        'module.exports = { where };',
        '',
      ].join('\n'),
    });
    await record(root, ['lib/where.js']);
    const text = fs.readFileSync(path.join(root, 'lib/where.generated.test.js'), 'utf8');
    expect(text).toContain('where(');
    expect(text).not.toContain(root);
    expect(text).not.toContain(fs.realpathSync(root));
    expect(failures(runVitest(root))).toEqual([]);
  }, 300_000);
});

describe('crash filter and throws', () => {
  it('keeps throws a type-valid input reaches, never TypeErrors of ill-typed arguments', async () => {
    const root = makeProject({
      'package.json': '{"name":"fx"}',
      'lib/text.js': [
        '// s is used as a string (trim, length): null or a number would crash it, and that is not a behaviour to lock in',
        'function initials(s) {',
        "  return s.trim().split(' ').map((w) => w[0]).join('');",
        '}',
        'function percent(n) {',
        "  if (n > 100) throw new RangeError('over 100');",
        '  return n / 100;',
        '}',
        '// An invariant helper is mostly its error paths: each message is a behaviour of its own',
        '/**',
        ' * @param {boolean} ok',
        ' * @param {string | (() => string)} [what]',
        ' */',
        'function check(ok, what) {',
        '  if (ok) return true;',
        "  if (typeof what === 'function') throw new Error('check failed: ' + what());",
        "  if (what) throw new Error('check failed: ' + what);",
        "  throw new Error('check failed');",
        '}',
        'module.exports = { initials, percent, check };',
        '',
      ].join('\n'),
    });
    await record(root, ['lib/text.js']);
    const text = fs.readFileSync(path.join(root, 'lib/text.generated.test.js'), 'utf8');
    expect(text).not.toMatch(/toBeInstanceOf\(TypeError\)/);
    expect(text).not.toMatch(/Cannot read properties/);
    expect(text).toMatch(/thrown\(\(\) => (text\.)?percent\(\d+\)\);\n\s+expect\(error\)\.toBeInstanceOf\(RangeError\);\n\s+expect\(error\.message\)\.toBe\('over 100'\);/);
    // Throwing tests each assert an error of their own within a function, at most 3 per function.
    const kept = tests(text);
    for (const fn of ['initials', 'percent', 'check']) {
      const block = text.slice(text.indexOf(`describe('${fn}'`)).split('\ndescribe(')[0];
      const messages = tests(block).filter((t) => t.includes('thrown(')).map((t) => /error\.message\)\.toBe\((.+)\);/.exec(t)?.[1]);
      expect(new Set(messages).size, fn).toBe(messages.length);
      expect(messages.length, fn).toBeLessThanOrEqual(3);
    }
    expect(kept.length).toBeGreaterThan(3);
    const checks = text.slice(text.indexOf("describe('check'"));
    expect(checks).toMatch(/expect\(error\.message\)\.toBe\('check failed'\);/);
    expect(checks).toMatch(/expect\(error\.message\)\.toBe\('check failed: .+'\);/);
    expect(failures(runVitest(root))).toEqual([]);
  }, 300_000);

  it('records values deep, and the state of an argument the call mutates', async () => {
    const root = makeProject({
      'package.json': '{"name":"fx","type":"module"}',
      'src/data.ts': [
        'export function tally(words: string[]): Map<string, number> {',
        '  const m = new Map<string, number>();',
        '  for (const w of words) m.set(w, (m.get(w) ?? 0) + 1);',
        '  return m;',
        '}',
        'export function sortInPlace(xs: number[]): number {',
        '  xs.sort((a, b) => a - b);',
        '  return xs.length;',
        '}',
        'export function ratio(a: number, b: number): number {',
        '  return a / b;',
        '}',
        '',
      ].join('\n'),
    });
    await record(root, ['src/data.ts']);
    const text = fs.readFileSync(path.join(root, 'src/data.generated.test.ts'), 'utf8');
    expect(text).toMatch(/expect\(tally\(\[.+\]\)\)\.toStrictEqual\(new Map\(\[\[/);
    expect(text).toMatch(/const arg0 = \[.+\];\n\s+expect\(sortInPlace\(arg0\)\)\.toBe\(\d+\);\n\s+expect\(arg0\)\.toStrictEqual\(\[/);
    expect(failures(runVitest(root))).toEqual([]);
  }, 300_000);
});

describe('safety of the search', () => {
  it('a class method that hangs on one input becomes a TODO and the search goes on with the other methods', async () => {
    const root = makeProject({
      'package.json': '{"name":"fx"}',
      'lib/meter.js': [
        'class Meter {',
        '  constructor() { this.total = 0; }',
        '  wait(ms) { if (ms > 5) { for (;;) {} } return ms; }',
        '  add(k) { if (k > 10) this.total += 2; else this.total += 1; return this.total; }',
        '}',
        'module.exports = { Meter };',
        '',
      ].join('\n'),
    });
    await record(root, ['lib/meter.js']);
    const text = fs.readFileSync(path.join(root, 'lib/meter.generated.test.js'), 'utf8');
    expect(text).toMatch(/it\.todo\('found by the search: new Meter\(\)\.wait\(.+\) did not return \(or stopped the process\): the search went on without wait\(\)'\)/);
    // Both branches of add are reached after the hang: one step adds 2, another adds 1.
    expect(text).toMatch(/\.add\(\d+\)\)\.toBe\(2\)/);
    expect(text).toMatch(/\.add\(\d+\)\)\.toBe\(1\)/);
    expect(failures(runVitest(root))).toEqual([]);
  }, 300_000);

  it('survives a call that hangs and one that calls process.exit: both become TODOs, later functions are still searched', async () => {
    const root = makeProject({
      'package.json': '{"name":"fx"}',
      'lib/risky.js': [
        'function spin(n) {',
        '  if (n > 1000) { for (;;) {} }',
        '  return n * 2;',
        '}',
        'function quit(code) {',
        '  if (code === 3) process.exit(3);',
        '  return code + 1;',
        '}',
        'function after(s) {',
        "  return s.length > 2 ? 'long' : 'short';",
        '}',
        'module.exports = { spin, quit, after };',
        '',
      ].join('\n'),
    });
    const [result] = await record(root, ['lib/risky.js']);
    const text = fs.readFileSync(path.join(root, 'lib/risky.generated.test.js'), 'utf8');
    expect(text).toMatch(/it\.todo\('found by the search: spin\(\d+\) did not return/);
    expect(text).toMatch(/it\.todo\('found by the search: quit\(3\) calls process\.exit\(3\)'\)/);
    expect(text).toMatch(/expect\((\w+\.)?spin\(\d+\)\)\.toBe\(\d+\)/);
    expect(text).toMatch(/expect\((\w+\.)?after\('.*'\)\)\.toBe\('long'\)/);
    expect(text).toMatch(/expect\((\w+\.)?after\('.*'\)\)\.toBe\('short'\)/);
    expect(result.todo).toBeGreaterThanOrEqual(2);
    expect(failures(runVitest(root))).toEqual([]);
    expect(fs.readdirSync(path.join(root, 'lib')).filter((f) => f.includes('tdd-fast-search'))).toEqual([]);
  }, 300_000);

  it('is deterministic (same source, same file bytes, also with the default budgets on a loaded machine) and never overwrites a hand-written file', async () => {
    // `score` takes milliseconds per call, so its search lasts about a second: with a time budget of a few hundred ms
    // (the earlier default) the file differed from run to run, even on a quiet machine.
    const source = [
      'export function kind(x: number | string): string {',
      '  if (typeof x === "string") return x.length ? "text" : "empty";',
      '  return x > 0 ? "positive" : "other";',
      '}',
      'export function score(s: string): number {',
      '  let spin = 0;',
      '  for (let i = 0; i < 2_000_000; i++) spin += i & 1;',
      '  let total = spin > 0 ? 0 : -1;',
      "  if (s.includes('a')) total += 1;",
      "  if (s.includes('b')) total += 2;",
      "  if (s.startsWith('-')) total += 4;",
      '  if (s.length > 40) total += 8;',
      "  if (s.includes('@')) total += 16;",
      '  return total;',
      '}',
      '',
    ].join('\n');
    const a = makeProject({ 'package.json': '{"name":"fx","type":"module"}', 'src/kind.ts': source });
    const b = makeProject({ 'package.json': '{"name":"fx","type":"module"}', 'src/kind.ts': source });
    await record(a, ['src/kind.ts']);
    // The second run competes with two busy processes (more than the cores of a small CI machine): with the default
    // budgets the count, not the clock, must bound the search, so the file comes out the same.
    const busy = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    try {
      const [result] = await api.generateTestsBatch([path.join(b, 'src/kind.ts')], { root: b, record: true, recordOptions: { vitestBin, search: { seed: search.seed } } });
      expect(result.errors).toEqual([]);
    } finally {
      for (const p of busy) p.kill('SIGKILL');
    }
    const loaded = fs.readFileSync(path.join(b, 'src/kind.generated.test.ts'), 'utf8');
    const [quiet] = await api.generateTestsBatch([path.join(b, 'src/kind.ts')], { root: b, record: true, recordOptions: { vitestBin, search: { seed: search.seed } } });
    expect(quiet.errors).toEqual([]);
    expect(fs.readFileSync(path.join(b, 'src/kind.generated.test.ts'), 'utf8')).toBe(loaded);
    await record(b, ['src/kind.ts']);
    const first = fs.readFileSync(path.join(a, 'src/kind.generated.test.ts'), 'utf8');
    expect(fs.readFileSync(path.join(b, 'src/kind.generated.test.ts'), 'utf8')).toBe(first);
    await record(a, ['src/kind.ts']);
    expect(fs.readFileSync(path.join(a, 'src/kind.generated.test.ts'), 'utf8')).toBe(first);
    for (const value of ['"text"', '"empty"', '"positive"', '"other"']) expect(first).toContain(`toBe('${value.slice(1, -1)}')`);

    fs.writeFileSync(path.join(a, 'src/kind.generated.test.ts'), "import { it } from 'vitest';\nit('mine', () => {});\n");
    const [result] = await api.generateTestsBatch([path.join(a, 'src/kind.ts')], { root: a, record: true, recordOptions: { vitestBin, search } });
    expect(result.errors[0]).toMatch(/Refusing to overwrite .*written by hand/);
    expect(fs.readFileSync(path.join(a, 'src/kind.generated.test.ts'), 'utf8')).toContain("it('mine'");
  }, 300_000);
});
