/**
 * The CI guard of the generator bench (bench/generate/guard.mjs) judging a saved run against a baseline: within 5
 * points passes, more than 5 points below on statements or branches fails with exit 1 and says which, a package that
 * could not be installed is exit 2 (a fault of the bench, not the generator).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, repoRoot } from '../helpers';

const guard = path.join(repoRoot, 'bench', 'generate', 'guard.mjs');
const baseline = { median: { statements: 80, branches: 70 }, perTarget: { 'a@1.0.0': { statements: 80, branches: 70 } } };

function judge(statements: number, branches: number, extraRow: object = {}) {
  const rows = [{ package: 'a@1.0.0', statements, branches, errors: [], ...extraRow }];
  const dir = makeProject({
    'run.json': JSON.stringify({ rows, summary: { statements, branches } }),
    'baseline.json': JSON.stringify(baseline),
  });
  const result = spawnSync(process.execPath, [guard, '--result', path.join(dir, 'run.json'), '--baseline', path.join(dir, 'baseline.json')], {
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

describe('bench:generate guard', () => {
  it('passes within 5 points of the baseline', () => {
    const { code, out } = judge(75.5, 65.1);
    expect(code).toBe(0);
    expect(out).toContain('median statements 75.5% (baseline 80.0%)');
  });

  it('fails when the median statements fall more than 5 points', () => {
    const { code, out } = judge(74.9, 70);
    expect(code).toBe(1);
    expect(out).toContain('median statements 74.9% is more than 5 points below the baseline');
    expect(out).toContain('a@1.0.0: statements 74.9% (was 80%)');
  });

  it('fails when the median branches fall more than 5 points', () => {
    const { code, out } = judge(80, 60);
    expect(code).toBe(1);
    expect(out).toContain('median branches 60.0% is more than 5 points below');
  });

  it('exits 2 when a package could not be measured', () => {
    const { code, out } = judge(80, 70, { notMeasured: true, errors: ['npm install a@1.0.0 failed: E404'] });
    expect(code).toBe(2);
    expect(out).toContain('not measured: a@1.0.0 (npm install a@1.0.0 failed: E404)');
  });
});
