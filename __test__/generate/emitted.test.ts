/**
 * What a reviewer checks in a generated file, on the built package with real parts: every emitted literal means the
 * value that was recorded (a seeded property test over random values through the emitter, each file parsed by the
 * core); a case that does not parse as its file's language becomes a TODO and the rest of the file runs in vitest;
 * TypeScript outputs of an application fixture (domain types, a service class) pass `tsc --noEmit --strict`; inputs
 * are shrunk to the smallest that keep a test's blocks and outcome; titles say input class and outcome.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, repoRoot } from '../helpers';
import { linkNodeModules, runVitest as runProjectVitest, vitestBin } from './helpers';

const dist = (m: string) => require(path.join(repoRoot, 'dist', 'generate', m));
const api = require(path.join(repoRoot, 'dist', 'index.js')) as typeof import('../../ts/index');
const { emitFile } = dist('emit.js') as typeof import('../../ts/generate/emit');
const { toCode } = dist('value-code.js') as typeof import('../../ts/generate/value-code');
const { stateCode } = dist('search-values.js') as typeof import('../../ts/generate/search-values');
const { syntaxProblems } = dist('emitted-check.js') as typeof import('../../ts/generate/emitted-check');
const { prng } = dist('search-inputs.js') as typeof import('../../ts/generate/search-inputs');
const { writeGenerated } = dist('write.js') as typeof import('../../ts/generate/write');
type SearchOutcome = import('../../ts/generate/search').SearchOutcome;
type FoundTest = import('../../ts/generate/search-results').FoundTest;
type Outcome = import('../../ts/generate/search-results').Outcome;

const tscBin = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

/** The generated test files under vitest, 5 s a test. */
function runVitest(root: string) {
  return runProjectVitest(root, { generatedOnly: { testTimeout: 5000 } });
}

/* ------------------------------------------------------------------ random recorded values */

/** Deep equality as a test asserts it (`toStrictEqual`): prototypes, own keys in order, -0 and NaN, invalid dates. */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime());
  if (a instanceof RegExp) return a.source === (b as RegExp).source && a.flags === (b as RegExp).flags;
  if (a instanceof Map || a instanceof Set) return same([...a], [...(b as Map<unknown, unknown> | Set<unknown>)]);
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k]));
}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}

const AWKWARD = ["'", '"', '`', '\\', '\n', '\r', '\t', '\u2028', '\u2029', '\u0000', '\u007f', '\ud800', '\udc00', '\ud83d\ude80', '${x}', '*/', '//', 'é', ' '];

function randomString(rng: () => number): string {
  const n = Math.floor(rng() * 6);
  let s = '';
  for (let i = 0; i < n; i++) s += rng() < 0.5 ? AWKWARD[Math.floor(rng() * AWKWARD.length)] : String.fromCharCode(97 + Math.floor(rng() * 26));
  return s;
}

const NUMBERS = [0, -0, 1, -1, 0.1 + 0.2, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 1e21, -1e-7, 2 ** 53 + 2];
const KEYS = ['a', 'b-c', '', '0', '__proto__', 'constructor', 'with space', "it's", 'ünï', '\ud800'];

/** A random value of the kinds a search records, `depth` levels deep at most. */
function randomValue(rng: () => number, depth: number): unknown {
  const pick = <T>(items: T[]): T => items[Math.floor(rng() * items.length)];
  const kinds = depth > 0 ? 17 : 9;
  switch (Math.floor(rng() * kinds)) {
    case 0:
      return pick(NUMBERS);
    case 1:
      return Math.round((rng() - 0.5) * 1e6) / 100;
    case 2:
      return BigInt(Math.round((rng() - 0.5) * 1e6)) * (rng() < 0.3 ? 10n ** 30n : 1n);
    case 3:
      return randomString(rng);
    case 4:
      return pick([true, false, null, undefined]);
    case 5:
      return pick([new Date(0), new Date(-86_400_000 * 400), new Date(NaN), new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999))]);
    case 6:
      return new RegExp(pick(['a+', '^\\d{2,}$', '[/]', '\\n', '(?<y>\\d{4})', 'é|\\u{1F680}']), pick(['', 'g', 'gi', 'imsu', 'y', 'dgu']));
    case 7:
      return new Point(pick(NUMBERS), Math.floor(rng() * 10));
    case 8:
      return Object.assign(new (pick([Error, RangeError, TypeError]))(randomString(rng)), rng() < 0.3 ? { code: 'E_X' } : {});
    case 9:
    case 10:
      return Array.from({ length: Math.floor(rng() * 4) }, () => randomValue(rng, depth - 1));
    case 11:
    case 12: {
      const o: Record<string, unknown> = {};
      // Own properties (also `__proto__`, which a literal would otherwise read as the prototype).
      for (let i = Math.floor(rng() * 4); i > 0; i--) Object.defineProperty(o, pick(KEYS), { value: randomValue(rng, depth - 1), enumerable: true, writable: true, configurable: true });
      return o;
    }
    case 13:
      return new Map(Array.from({ length: Math.floor(rng() * 3) }, () => [randomValue(rng, depth - 1), randomValue(rng, depth - 1)] as [unknown, unknown]));
    case 14:
      return new Set(Array.from({ length: Math.floor(rng() * 3) }, () => randomValue(rng, depth - 1)));
    case 15:
      // What parsers and `Object.create(null)` dictionaries return: an array with named properties, no prototype.
      return rng() < 0.5 ? Object.assign([randomValue(rng, 0)], { index: 0, [pick(['input', 'b-c', ''])]: randomValue(rng, depth - 1) }) : Object.assign(Object.create(null), { [pick(KEYS)]: randomValue(rng, depth - 1) });
    default:
      // A symbol as a key: no literal can say which symbol, so the emitter asserts the rest of the object.
      return { [Symbol('k')]: 1, visible: randomValue(rng, depth - 1) };
  }
}

function outcomeOf(value: unknown): Outcome {
  if (value instanceof Error) return { kind: 'throws', error: { name: value.name, ctor: value.name, message: value.message, code: null } };
  const code = toCode(value);
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (code !== null) return { kind: 'returns', code, type, plain: true };
  return { kind: 'returns', code: null, type, plain: false, state: stateCode(value), builtin: value instanceof Map ? 'Map' : null };
}

/** A search outcome whose tests call `f<k>(<argument>)` and record `value`: what emit.ts writes for real results. */
function outcomeFor(values: unknown[], args: unknown[]): SearchOutcome {
  const targets: SearchOutcome['targets'] = [];
  const results: SearchOutcome['results'] = new Map();
  values.forEach((value, k) => {
    const id = `f${k}`;
    const argCode = toCode(args[k]);
    const test: FoundTest = { title: `records ${String(typeof value)} #${k} ${randomString(prng(k))}`, ctor: null, steps: [{ method: null, args: argCode === null ? [] : [argCode], outcome: outcomeOf(value), mutated: [] }], state: null, blocks: 1, boundary: false };
    targets.push({ id, kind: 'function', name: id, functions: [], accessCodes: [`mod.${id}`], async: false, params: [], report: null, methods: [] });
    results.set(id, { id, access: `mod.${id}`, tests: [test], candidates: 1, covered: 1, exits: [], nondeterministic: 0, rejectedThrows: 0 });
  });
  return { targets, results, failed: new Map(), hangs: new Map() };
}

const PLAN = { version: 1 as const, path: 'subject.ts', language: 'ts' as const, functions: [], skipped: [] };

describe('the emitter, fed random recorded values (seeded)', () => {
  it('writes files that parse as their language, and every literal evaluates back to the value recorded', () => {
    let literals = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const rng = prng(seed);
      const values = Array.from({ length: 24 }, () => randomValue(rng, 3));
      const args = Array.from({ length: 24 }, () => randomValue(rng, 2));
      for (const typescript of [false, true]) {
        const outputFile = typescript ? 'subject.generated.test.ts' : 'subject.generated.test.js';
        const emitted = emitFile(PLAN, outcomeFor(values, args), { importPath: './subject', typescript, record: false, sourceLabel: 'subject.ts', version: '0', outputFile });
        expect(syntaxProblems(emitted.text, outputFile), `seed ${seed}`).toEqual([]);
        // Nothing was turned into a TODO: every case parsed on its own.
        expect(emitted.todo, `seed ${seed}`).toBe(0);
        if (!typescript) expect(emitted.text).not.toMatch(/ as never| as unknown|: any\b/);
      }
      for (const value of [...values, ...args]) {
        const code = toCode(value);
        if (code === null) continue;
        const back = new Function(`return (${code});`)() as unknown;
        expect(same(back, value), `seed ${seed}: ${code}`).toBe(true);
        literals++;
      }
    }
    // The generator reaches every kind: most values are written as literals.
    expect(literals).toBeGreaterThan(600);
  });

  it('gives the same bytes for the same recorded values', () => {
    const make = () => {
      const rng = prng(99);
      const values = Array.from({ length: 24 }, () => randomValue(rng, 3));
      return emitFile(PLAN, outcomeFor(values, values), { importPath: './subject', typescript: true, record: false, sourceLabel: 'subject.ts', version: '0' }).text;
    };
    expect(make()).toBe(make());
  });
});

describe('the parse check of an emitted file', () => {
  it('turns a case with TypeScript syntax in a .js file into a TODO; the rest of the file runs in vitest', () => {
    const root = makeProject({ 'package.json': '{"name":"fx","type":"module"}', 'subject.js': 'export function f0(x) { return x === undefined ? 0 : 1; }\nexport function f1(x) { return x * 2; }\n' });
    const search = outcomeFor([0, 4], [undefined, 2]);
    // What the static fallback once wrote into a .js file.
    search.results.get('f0')!.tests[0].steps[0].args = ['undefined as never'];
    const output = path.join(root, 'subject.generated.test.js');
    const emitted = emitFile(PLAN, search, { importPath: './subject.js', typescript: false, record: false, sourceLabel: 'subject.js', version: '0', outputFile: output });
    expect(emitted.text).toMatch(/it\.todo\('records number #0[^\n]*\);\n {2}\/\/ TODO\(tdd-fast\): the generated code of this case did not parse \(Type assertion expressions can only be used in TypeScript files/);
    expect(emitted.text).toContain('expect(f1(2)).toBe(4);');
    expect([emitted.tests, emitted.todo]).toEqual([1, 1]);
    writeGenerated(root, output, emitted.text);
    const report = runVitest(root);
    expect([report.numPassedTests, report.numFailedTests, report.numTodoTests], report.output).toEqual([1, 0, 1]);
    // A text that does not parse outside its cases is never written.
    expect(() => writeGenerated(root, output, `${emitted.text}\nconst broken: number = 1;\n`)).toThrow(/does not parse .*nothing was written/);
    expect(fs.readFileSync(output, 'utf8')).toBe(emitted.text);
  });
});

const MONEY = `export interface Money {
  cents: number;
  currency: 'EUR' | 'USD';
}

export function money(cents: number, currency: Money['currency'] = 'EUR'): Money {
  if (!Number.isInteger(cents)) throw new RangeError('cents must be an integer');
  return { cents, currency };
}

export function add(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new TypeError(\`cannot add \${a.currency} to \${b.currency}\`);
  return { cents: a.cents + b.cents, currency: a.currency };
}
`;

const INVOICE = `import { add, money, type Money } from '../domain/money';

export interface Line {
  sku: string;
  qty: number;
  price: Money;
}

export type Status = 'draft' | 'open' | 'paid' | 'overdue';

export class InvoiceBook {
  private lines: Line[] = [];
  private paid: Money | null = null;

  constructor(readonly customer: string, readonly due: Date) {}

  addLine(line: Line): number {
    if (line.qty <= 0) throw new RangeError("a line's quantity must be positive");
    if (line.sku.trim() === '') throw new Error('a line needs a sku');
    this.lines.push(line);
    return this.lines.length;
  }

  total(): Money {
    let sum = money(0);
    for (const line of this.lines) sum = add(sum, money(line.price.cents * line.qty, line.price.currency));
    return sum;
  }

  pay(amount: Money): boolean {
    if (amount.cents < this.total().cents) return false;
    this.paid = amount;
    return true;
  }

  status(today: Date): Status {
    if (this.lines.length === 0) return 'draft';
    if (this.paid) return 'paid';
    return today.getTime() > this.due.getTime() ? 'overdue' : 'open';
  }
}

export function lineTotal(line: Line, discount?: number): number {
  if (line.qty <= 0) throw new RangeError("a line's quantity must be positive");
  const gross = line.qty * line.price.cents;
  if (discount === undefined) return gross;
  if (discount < 0 || discount > 100) throw new RangeError('discount must be between 0 and 100');
  return Math.round(gross * (1 - discount / 100));
}

export function label(customer: string | undefined, status: Status): string {
  return \`\${customer ?? 'unknown customer'}: \${status}\`;
}
`;

describe('arguments a recorded call mutated', () => {
  it('are declared before the call, passed by name and asserted after it: in a function test, a method sequence and a database sequence', () => {
    const returns = (code: string): Outcome => ({ kind: 'returns', code, type: 'number', plain: true });
    const built: Outcome = { kind: 'returns', code: null, type: 'object', plain: false, state: '{}', builtin: null };
    const found = (steps: FoundTest['steps']): FoundTest => ({ title: 'mutates', ctor: [], steps, state: null, blocks: 1, boundary: false });
    const target = (id: string, kind: 'function' | 'class', database?: Array<{ name: string; index: number }>) =>
      ({ id, kind, name: id, functions: [], accessCodes: [`mod.${id}`], async: false, params: [], report: null, methods: [], database }) as unknown as SearchOutcome['targets'][number];
    const result = (id: string, test: FoundTest) => ({ id, access: `mod.${id}`, tests: [test], candidates: 1, covered: 1, exits: [], nondeterministic: 0, rejectedThrows: 0 });
    const search = {
      targets: [target('sortIn', 'function'), target('Bag', 'class'), target('Repo', 'class', [{ name: 'add', index: 0 }, { name: 'take', index: 1 }])],
      results: new Map([
        ['sortIn', result('sortIn', found([{ method: null, args: ['[3, 1]', '2'], outcome: returns('1'), mutated: [{ index: 0, code: '[1, 3]' }] }]))],
        ['Bag', result('Bag', found([{ method: null, args: [], outcome: built, mutated: [] }, { method: 'fill', args: ['[1]', "'a'"], outcome: returns('2'), mutated: [{ index: 0, code: '[1, 2]' }] }]))],
        ['Repo', result('Repo', found([{ method: null, args: [], outcome: built, mutated: [] }, { method: 'add', args: ['1'], outcome: returns('1'), mutated: [] }, { method: 'take', args: ['1', '[3]'], outcome: returns('0'), mutated: [{ index: 1, code: '[]' }] }]))],
      ]),
      hangs: new Map(),
    } as unknown as SearchOutcome;
    const { text } = emitFile(PLAN, search, { importPath: './subject', typescript: true, record: true, sourceLabel: 'subject.ts', version: '0', outputFile: '/tmp/subject.generated.test.ts' });
    expect(text).toContain(['    const arg0 = [3, 1];', '    expect(sortIn(arg0, 2)).toBe(1);', '    expect(arg0).toStrictEqual([1, 3]);'].join('\n'));
    expect(text).toContain(['    const arg0_0 = [1];', "    expect(instance.fill(arg0_0, 'a')).toBe(2);", '    expect(arg0_0).toStrictEqual([1, 2]);'].join('\n'));
    // The database handle takes its place among the parameters; the step index names the variable.
    expect(text).toContain(['    const arg1_1 = [3];', '    expect(take(1, db, arg1_1)).toBe(0);', '    expect(arg1_1).toStrictEqual([]);'].join('\n'));
  });
});

describe('record mode on an application fixture', () => {
  it('writes TypeScript that passes tsc --noEmit --strict, with named imports, shrunk inputs and titles without code', async () => {
    const root = makeProject({
      'package.json': '{"name":"app","type":"module"}',
      'tsconfig.json': JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, noEmit: true, skipLibCheck: true, types: [] },
        include: ['src'],
      }),
      'src/domain/money.ts': MONEY,
      'src/services/invoice.ts': INVOICE,
    });
    linkNodeModules(root);
    const results = await api.generateTestsBatch(
      ['src/domain/money.ts', 'src/services/invoice.ts'].map((f) => path.join(root, f)),
      { root, record: true, recordOptions: { vitestBin, search: { seed: 7 } } },
    );
    for (const r of results) expect(r.errors, r.file).toEqual([]);
    const money = fs.readFileSync(path.join(root, 'src/domain/money.generated.test.ts'), 'utf8');
    const invoice = fs.readFileSync(path.join(root, 'src/services/invoice.generated.test.ts'), 'utf8');
    for (const text of [money, invoice]) {
      expect(text).not.toMatch(/ as never|: any\b|\bmod\./);
      // No code excerpts in titles.
      expect(text).not.toMatch(/reaches `|\(line \d+: /);
    }
    expect(money).toContain("import { add, money } from './money';");
    expect(invoice).toContain("import { InvoiceBook, label, lineTotal } from './invoice';");
    // Titles: the outcome and the class of the input that sets the test apart.
    expect(invoice).toMatch(/it\((['"])(addLine\(\) )?throws RangeError when line\.qty is 0\b[^\n]*\1/);
    // Shrunk: no call keeps the typical 'Hello World' where a shorter string reaches the same blocks and outcome, and
    // shrinking stops at 'a' and 3 (an empty string, 0 or 1 would hide the mutants of `qty * price.cents`).
    const calls = (text: string) => text.split('\n').filter((l) => /^\s+(expect\(|const error\d* = thrown\()(lineTotal|instance\.addLine|label)\(/.test(l));
    const lineCalls = calls(invoice).filter((l) => l.includes('lineTotal('));
    expect(lineCalls.length).toBeGreaterThan(2);
    for (const l of lineCalls) expect(l, l).toMatch(/lineTotal\(\{ sku: 'a', qty: /);
    expect(invoice).toMatch(/expect\(lineTotal\(\{ sku: 'a', qty: 3, price: \{ cents: 3, currency: 'EUR' \} \}[^\n]*\)\)\.toBe\(9\);/);
    const tsc = spawnSync(process.execPath, [tscBin, '-p', 'tsconfig.json', '--noEmit', '--strict'], { cwd: root, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const report = runVitest(root);
    expect(report.numFailedTests, report.output).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(20);
  }, 300_000);
});
