/**
 * Overloads and namespace types from the parent folder in a TypeScript test (issue 22), on a real
 * `generate --record` run of a small fixture:
 * - a class whose constructor is declared with overloads over `...args: any[]` is built as its first overload says
 *   (`new Day(2024, 5, 17)`), not with whatever the implementation's `any[]` lets through (strings the type check then
 *   rejects, so every case using it became a TODO);
 * - an overloaded function is called as its first overload;
 * - a parameter typed with a namespace member imported from `'..'` (`Clock.Options['overflow']`) gets its members.
 * The emitted file passes the real `tsc --noEmit --strict` and vitest.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, repoRoot, runCli } from '../helpers';

const vitestBin = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
const tscBin = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

const DAY = `export class Day {
  year: number;
  month: number;
  day: number;
  constructor(year: number, month: number, day: number);
  constructor(era: string, year: number, month: number, day: number);
  constructor(...args: any[]) {
    const values = typeof args[0] === 'string' ? args.slice(1) : args;
    if (values.some((v) => typeof v !== 'number')) throw new TypeError('year, month and day must be numbers');
    [this.year, this.month, this.day] = values;
  }
}

/** The later of two days. */
export function later(a: Day, b: Day): Day {
  if (a.year !== b.year) return a.year > b.year ? a : b;
  if (a.month !== b.month) return a.month > b.month ? a : b;
  return a.day >= b.day ? a : b;
}

export function pad(value: number): string;
export function pad(value: number, width: number, fill: string): string;
export function pad(...args: any[]): string {
  const [value, width = 2, fill = '0'] = args;
  if (typeof value !== 'number') throw new TypeError('value must be a number');
  return String(value).padStart(width, fill);
}
`;

const INDEX = `export namespace Clock {
  export type Options = { overflow?: 'constrain' | 'reject' };
}
`;

const REGULATE = `import type { Clock } from '..';

export function regulate(month: number, overflow: NonNullable<Clock.Options['overflow']>): number {
  if (month >= 1 && month <= 12) return month;
  if (overflow === 'reject') throw new RangeError('month out of range');
  return Math.min(Math.max(month, 1), 12);
}
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, noEmit: true, skipLibCheck: true, types: [] },
  include: ['src'],
});

function project(): string {
  const root = makeProject({ 'package.json': '{"name":"days","type":"module"}', 'tsconfig.json': TSCONFIG, 'src/day.ts': DAY, 'src/index.ts': INDEX, 'src/lib/regulate.ts': REGULATE });
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

describe('overloads and namespace types in a TypeScript test', () => {
  it('builds a class and calls a function as their first overload; a namespace member type from .. gets its members', () => {
    const root = project();
    const run = runCli(['generate', 'src/day.ts', 'src/lib/regulate.ts', '--record'], root);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const day = fs.readFileSync(path.join(root, 'src/day.generated.test.ts'), 'utf8');
    expect(day).not.toMatch(/does not type-check/);
    expect(day).not.toMatch(/cannot construct/);
    // The constructor's first overload: three numbers, never the implementation's anything-goes arguments.
    expect(day).toMatch(/new Day\(-?\d[\d.]*, -?\d[\d.]*, -?\d[\d.]*\)/);
    expect(day).not.toMatch(/new Day\('/);
    expect(day).toMatch(/expect\(later\(new Day\(/);
    expect(day).toMatch(/expect\(pad\(-?\d[\d.]*\)\)\.toBe\('/);

    const regulate = fs.readFileSync(path.join(root, 'src/lib/regulate.generated.test.ts'), 'utf8');
    expect(regulate).not.toMatch(/cannot construct/);
    expect(regulate).toMatch(/regulate\(-?\d[\d.]*, 'reject'\)/);
    expect(regulate).toMatch(/regulate\(-?\d[\d.]*, 'constrain'\)/);

    const tsc = spawnSync(process.execPath, [tscBin, '-p', 'tsconfig.json', '--noEmit', '--strict'], { cwd: root, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const result = passes(root);
    expect(result.failed, result.why).toBe(0);
    expect(result.passed).toBeGreaterThan(4);
  }, 300_000);
});
