/**
 * `generate --record --time-budget S`: the run's search ends when its budget does, every target gets at most its share
 * of the time left (one slow target cannot starve the rest), and what was found is written; the targets it did not
 * reach say why. A real CLI run on a module whose every call is slow.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, repoRoot, runCli } from '../helpers';
import { vitestBin } from './helpers';

const api = require(path.join(repoRoot, 'dist', 'index.js')) as typeof import('../../ts/index');

/** 40 functions whose every call takes 30 ms: searched fully, they would take minutes. */
function slowModule(count: number): string {
  const lines = ['function spin(ms) {', '  const end = Date.now() + ms;', '  while (Date.now() < end) {}', '}', ''];
  for (let i = 0; i < count; i++) lines.push(`export function step${i}(n) {`, '  spin(30);', `  if (n > ${i}) return n - ${i};`, `  return n + ${i};`, '}', '');
  return lines.join('\n');
}

describe('record mode within a time budget', () => {
  it('writes the tests found before the budget ran out and says which functions were not searched', () => {
    const root = makeProject({ 'package.json': '{"name":"slow","private":true,"type":"module"}', 'src/slow.js': slowModule(40) });
    const run = runCli(['generate', 'src/slow.js', '--record', '--time-budget', '8'], root);
    expect(run.code, run.stderr).toBe(0);
    const text = fs.readFileSync(path.join(root, 'src/slow.generated.test.js'), 'utf8');
    // The first functions got their share and kept tests; 40 shares of at least 250 ms do not fit in 8 s.
    expect(text).toMatch(/describe\('step0', \(\) => \{\n\s+\/\/ tdd-fast:case[^\n]*\n\s+it\(/);
    expect(text).toContain("not searched: the run's time budget (8 s) ran out");
    expect(text).not.toContain("describe('step39', () => {\n  // tdd-fast:case f39.0\n  it(");
    expect(run.stderr).toMatch(/time budget \(8 s\) ran out: \d+ target\(s\) were not searched/);
    expect(run.stdout).toMatch(/src\/slow\.generated\.test\.js: \d+ tests for 40 functions/);
  }, 180_000);
});

/** Loop iterations that take about `ms` of this process's CPU time (measured here: the machine's speed varies). */
function iterationsFor(ms: number): number {
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let n = 1_000_000;
  for (;;) {
    const start = cpu();
    let x = 0;
    for (let i = 0; i < n; i++) x = (x + i * 7) % 1_000_003;
    const took = cpu() - start;
    if (x < 0) throw new Error('unreachable');
    if (took >= 100) return Math.round((n * ms) / took);
    n *= 4;
  }
}

describe('record mode on a loaded machine', () => {
  it('keeps the same tests when busy processes compete for the cores: the watchdog and the budgets count CPU time', async () => {
    // A module that takes about a second of CPU time to load, under a stall watchdog of two seconds: competing with
    // six busy processes for the cores, its load takes several seconds of wall time, and a wall-clock watchdog took
    // it for a hung call (every test lost). The functions themselves are quick: the count budget bounds their search.
    const spin = iterationsFor(1000);
    const source = [
      'let x = 0;',
      `for (let i = 0; i < ${spin}; i++) x = (x + i * 7) % 1_000_003;`,
      'export const ready = x >= 0;',
      '',
      'export function grade(score) {',
      "  if (typeof score !== 'number') throw new TypeError('score must be a number');",
      "  if (score >= 90) return 'A';",
      "  if (score >= 75) return 'B';",
      "  return score >= 50 ? 'C' : 'F';",
      '}',
      '',
    ].join('\n');
    const root = makeProject({ 'package.json': '{"name":"slow-load","private":true,"type":"module"}', 'src/grade.js': source });
    const file = path.join(root, 'src/grade.js');
    const output = path.join(root, 'src/grade.generated.test.js');
    const options = { root, record: true, recordOptions: { vitestBin, search: { seed: 3, stallMs: 2000 } } };
    const [quiet] = await api.generateTestsBatch([file], options);
    expect(quiet.errors).toEqual([]);
    const quietText = fs.readFileSync(output, 'utf8');
    expect(quietText).toMatch(/expect\(grade\([^\n]*\)\)\.toBe\('A'\);/);
    fs.rmSync(output);
    const busy = Array.from({ length: 6 }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    try {
      const [loaded] = await api.generateTestsBatch([file], options);
      expect(loaded.errors).toEqual([]);
    } finally {
      for (const p of busy) p.kill('SIGKILL');
    }
    expect(fs.readFileSync(output, 'utf8')).toBe(quietText);
  }, 300_000);
});

describe('the last-resort limit of a search process', () => {
  // the built module (the tests use the package as built): the limit is a plain function of the work left
  const { roundLimitMs, MAX_FOUND_PER_MODULE } = require('../../dist/generate/search-clock.js') as typeof import('../../ts/generate/search-clock');

  it('follows the run deadline, not a count of planned targets, when there is a budget', () => {
    const now = 1_000_000;
    // a module whose targets are all found at run time (0 planned) is not cut at 30 s while the budget lasts
    expect(roundLimitMs({ targetMs: 10_000, units: 0, walks: 1, deadline: now + 170_000, graceMs: 5_000, now })).toBe(175_000);
  });

  it('without a budget, counts each module still to walk with all the walk may find', () => {
    expect(roundLimitMs({ targetMs: 10_000, units: 0, walks: 1, graceMs: 5_000 })).toBe(30_000 + 10_000 * MAX_FOUND_PER_MODULE);
    expect(roundLimitMs({ targetMs: 10_000, units: 3, walks: 0, graceMs: 5_000 })).toBe(60_000);
  });
});
