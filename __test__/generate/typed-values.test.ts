/**
 * Values of the declared types in a TypeScript test (issue 22): on a real `generate --record` run of a small fixture,
 * the parameters the generator could not build before get recorded tests that the real `tsc --noEmit --strict`
 * accepts and vitest passes:
 * - a function's own type parameters (`<T>`: any value, `<K extends string>`: its constraint);
 * - indexed access types (`Options['mode']`, `Options['sizes'][number]`), `PropertyKey` and typed arrays (arguments
 *   and results written `new Uint8Array([...])`);
 * - the object a factory returns, searched in sequences, shows only arguments of the declared types (the factory's
 *   declared interface, not what the object has at run time), so no case of it is dropped by the type check.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, repoRoot, runCli } from '../helpers';

const vitestBin = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
const tscBin = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

const PICKS = `export interface Options {
  mode: 'fast' | 'safe';
  sizes: number[];
  label?: string;
}

/** The first item, or the fallback for an empty list. */
export function firstOr<T>(items: T[], fallback: T): T {
  if (items.length === 0) return fallback;
  return items[0];
}

/** The longer of two names (the first on a tie). */
export function longer<K extends string>(a: K, b: K): K {
  if (b.length > a.length) return b;
  return a;
}

export function speedOf(mode: Options['mode']): number {
  if (mode === 'fast') return 10;
  return 1;
}

export function bucket(size: Options['sizes'][number]): string {
  if (size < 0) throw new RangeError('size must not be negative');
  return size > 100 ? 'large' : 'small';
}

/** The bytes in reverse order; an empty input is refused. */
export function reversed(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 0) throw new RangeError('no bytes');
  return bytes.slice().reverse();
}

export function describeKey(key: PropertyKey): string {
  if (typeof key === 'number') return \`index \${key}\`;
  if (typeof key === 'string') return \`name \${key}\`;
  return 'symbol';
}
`;

const LEDGER = `export interface Account {
  id: string;
  limit(): number;
}

export interface Entry {
  account: Account;
  amount: number;
}

export interface Ledger {
  readonly name: string;
  post(entry: Entry): number;
  total(): number;
}

/** A ledger: entries over an account's limit are refused. */
export function createLedger(name: string): Ledger {
  let sum = 0;
  return {
    name,
    post(entry: Entry): number {
      if (entry.amount > entry.account.limit()) throw new RangeError(\`over the limit of \${entry.account.id}\`);
      sum += entry.amount;
      return sum;
    },
    total(): number {
      return sum;
    },
    // At run time only: the declared Ledger has no such method, a TypeScript test cannot call it.
    reset(): void {
      sum = 0;
    },
  } as Ledger;
}
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, noEmit: true, skipLibCheck: true, types: [] },
  include: ['src'],
});

function project(): string {
  const root = makeProject({ 'package.json': '{"name":"picks","type":"module"}', 'tsconfig.json': TSCONFIG, 'src/picks.ts': PICKS, 'src/ledger.ts': LEDGER });
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

function passes(root: string): { failed: number; passed: number; why: string } {
  fs.writeFileSync(path.join(root, 'vitest.config.mjs'), "export default { test: { include: ['**/*.generated.test.*'] } };\n");
  const out = path.join(root, 'report.json');
  const vitest = spawnSync(process.execPath, [vitestBin, 'run', '--root', root, '--reporter=json', `--outputFile=${out}`], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1' }, timeout: 120_000 });
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { numFailedTests: number; numPassedTests: number };
  return { failed: report.numFailedTests, passed: report.numPassedTests, why: vitest.stdout + vitest.stderr };
}

describe('values of the declared types in a TypeScript test', () => {
  it('builds generic, indexed-access, PropertyKey and Uint8Array parameters; calls a returned object only as its declared type', () => {
    const root = project();
    const run = runCli(['generate', 'src/picks.ts', 'src/ledger.ts', '--record'], root);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const picks = fs.readFileSync(path.join(root, 'src/picks.generated.test.ts'), 'utf8');
    expect(picks).not.toMatch(/cannot construct/);
    expect(picks).not.toMatch(/does not type-check/);
    // A generic function's own parameters: called with values, asserted.
    expect(picks).toMatch(/expect\(firstOr\(\[[^\n]*\)\)\.to/);
    expect(picks).toMatch(/expect\(longer\('[^']*', '[^']*'\)\)\.to/);
    // `Options['mode']`: its members; `Options['sizes'][number]`: a number; PropertyKey: a string and a number.
    expect(picks).toMatch(/expect\(speedOf\('fast'\)\)\.toBe\(10\)/);
    expect(picks).toMatch(/expect\(speedOf\('safe'\)\)\.toBe\(1\)/);
    expect(picks).toMatch(/bucket\(-?\d/);
    expect(picks).toMatch(/expect\(describeKey\(-?\d[^)]*\)\)\.toBe\('index /);
    expect(picks).toMatch(/expect\(describeKey\('[^']*'\)\)\.toBe\('name /);
    expect(picks).toMatch(/expect\(reversed\(new Uint8Array\(\[[^\n]*\]\)\)\)\.toStrictEqual\(new Uint8Array\(\[/);

    const ledger = fs.readFileSync(path.join(root, 'src/ledger.generated.test.ts'), 'utf8');
    // The returned ledger's sequences: no case dropped by the type check, no call of the undeclared method.
    expect(ledger).not.toMatch(/does not type-check/);
    expect(ledger).not.toMatch(/\.reset\(/);
    expect(ledger).toMatch(/const instance = createLedger\(/);

    const tsc = spawnSync(process.execPath, [tscBin, '-p', 'tsconfig.json', '--noEmit', '--strict'], { cwd: root, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const result = passes(root);
    expect(result.failed, result.why).toBe(0);
    expect(result.passed).toBeGreaterThan(10);
  }, 300_000);
});
