/**
 * `generate --record --time-budget S`: the run's search ends when its budget does, every target gets at most its share
 * of the time left (one slow target cannot starve the rest), and what was found is written; the targets it did not
 * reach say why. A real CLI run on a module whose every call is slow.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, runCli } from '../helpers';

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
