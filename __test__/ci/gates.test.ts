import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { applyBaseline, createBaseline } from '../../ts/ci/baseline';
import { gate } from '../../ts/ci/gate';
import { countBySeverity, findingsOf } from '../../ts/report/findings';
import { makeProject, runCli } from '../helpers';
import { smell, syntheticResult } from './synthetic';

describe('gate', () => {
  it('fails on errors by default, on lower severities with --fail-on, and over --max-warnings', () => {
    const result = syntheticResult();
    expect(gate(result)).toMatchObject({ code: 1, counts: { error: 2, warning: 3, info: 1 } });
    // The gate counts without building the findings; the counts are the findings' (what sarif/github/junit show).
    expect(gate(result).counts).toEqual(countBySeverity(findingsOf(result)));
    expect(gate(result, { failOn: 'never' }).code).toBe(0);
    expect(gate(result, { failOn: 'never', maxWarnings: 3 }).code).toBe(0);
    expect(gate(result, { failOn: 'never', maxWarnings: 2 }).reasons).toEqual(['3 warnings, more than --max-warnings 2 allows']);
    const noErrors = { ...result, files: result.files.map((f) => ({ ...f, errors: [], smells: f.smells.filter((s) => s.severity !== 'error') })) };
    expect(gate(noErrors).code).toBe(0);
    expect(gate(noErrors, { failOn: 'warning' }).code).toBe(1);
    expect(gate(noErrors, { failOn: 'info' }).reasons[0]).toBe('3 warnings, 1 info (--fail-on info)');
  });
});

describe('the gate of --format json (counted by the core, the files never parsed)', () => {
  it('gives the same verdict as a format that parses every finding', () => {
    const body = (name: string) =>
      `export function ${name}(items: number[], limit: number) {\n  let total = 0;\n` +
      Array.from({ length: 12 }, (_, i) => `  if (items[${i}] > limit) { total += items[${i}] * ${i + 7}; }\n`).join('') +
      '  return total;\n}\n';
    const project = makeProject({
      'src/a.ts': body('a'),
      'src/b.ts': body('b'), // a duplicate block of a.ts: a warning
      'src/broken.ts': 'export const broken = (;\n', // a syntax error: an error
      'src/flags.ts': 'export function f(a: number, b: number, c: number, d: number, e: number, g: boolean) { return g ? a + 42 : b; }\n',
    });
    for (const gateArgs of [[], ['--fail-on', 'warning'], ['--fail-on', 'info'], ['--fail-on', 'never', '--max-warnings', '1']]) {
      const json = runCli(['analyze', 'src', '--no-cache', '--format', 'json', ...gateArgs], project);
      const sarif = runCli(['analyze', 'src', '--no-cache', '--format', 'sarif', ...gateArgs], project);
      expect(json.code).toBe(sarif.code);
      expect(json.stderr).toBe(sarif.stderr);
    }
    const warnings = runCli(['analyze', 'src', '--no-cache', '--format', 'json', '--fail-on', 'warning'], project);
    expect(warnings.code).toBe(1);
    expect(warnings.stderr).toMatch(/failing: 1 error, \d+ warnings? \(--fail-on warning\)/);
  });
});

describe('baseline', () => {
  it('suppresses known findings, keeps new ones, survives line shifts and counts fixed ones', () => {
    const old = syntheticResult();
    const baseline = createBaseline(old);
    expect(baseline.entries.reduce((n, e) => n + e.count, 0)).toBe(6);
    expect(applyBaseline(old, baseline)).toMatchObject({ suppressed: 6, fixed: 0 });
    expect(gate(applyBaseline(old, baseline).result, { failOn: 'info' }).code).toBe(0);

    const next = syntheticResult();
    const cart = next.files[0]!;
    for (const s of cart.smells) s.line += 3; // an edit above moved them
    cart.smells.push(smell('long-function', 90, 'error', 'Cart.add', 'Function Cart.add has 70 lines.')); // new
    next.files[1]!.smells = []; // fixed
    const outcome = applyBaseline(next, baseline);
    expect(outcome.suppressed).toBe(5);
    expect(outcome.fixed).toBe(1);
    expect(outcome.result.files.flatMap((f) => f.smells.map((s) => `${s.id}:${s.function}`))).toEqual(['long-function:Cart.add']);
    expect(outcome.result.files.flatMap((f) => f.errors)).toEqual([]);
    expect(outcome.result.duplicates).toEqual([]);
    expect(outcome.result.summary).toMatchObject({ smells: 1, errors: 0 });
  });

  it('on the CLI: --update-baseline passes and writes the file, --baseline fails only on new findings', () => {
    const project = makeProject({
      'src/ok.ts': 'export const ok = (a: number) => a + 1;\n',
      'src/legacy.ts': 'export function legacy( {\n',
    });
    expect(runCli(['analyze', 'src', '--format', 'json'], project).code).toBe(1);
    const update = runCli(['analyze', 'src', '--update-baseline'], project);
    expect(update.code).toBe(0);
    expect(update.stderr).toContain('wrote 1 findings to the baseline .tdd-fast-baseline.json');
    const file = JSON.parse(fs.readFileSync(path.join(project, '.tdd-fast-baseline.json'), 'utf8'));
    expect(file).toMatchObject({ version: 1, tool: 'tdd-fast', entries: [{ path: 'src/legacy.ts', rule: 'parse-error', count: 1 }] });

    const known = runCli(['analyze', 'src', '--baseline', '.tdd-fast-baseline.json', '--format', 'json'], project);
    expect(known.code).toBe(0);
    expect(JSON.parse(known.stdout).summary.errors).toBe(0);
    expect(known.stderr).toContain('1 findings already in the baseline are not reported');

    fs.writeFileSync(path.join(project, 'src/new.ts'), 'export const broken = (;\n');
    const fresh = runCli(['analyze', 'src', '--baseline', '.tdd-fast-baseline.json', '--format', 'json'], project);
    expect(fresh.code).toBe(1);
    expect(JSON.parse(fresh.stdout).files.filter((f: { errors: unknown[] }) => f.errors.length).map((f: { path: string }) => f.path)).toEqual([
      'src/new.ts',
    ]);
    expect(fresh.stderr).toMatch(/failing: 1 error \(--fail-on error\)/);

    const missing = runCli(['analyze', 'src', '--baseline', 'nope.json'], project);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist (create it with --update-baseline)');
    expect(runCli(['analyze', 'src', '--fail-on', 'never'], project).code).toBe(0);
    expect(runCli(['analyze', 'src', '--fail-on', 'bogus'], project).code).toBe(2);
  });
});

function git(cwd: string, ...args: string[]) {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

describe('--changed and --since', () => {
  it('report only the files git sees as changed, with duplicates that touch them', () => {
    const project = makeProject({
      'src/a.ts': 'export const a = (x: number) => x + 1;\n',
      'src/b.ts': 'export const b = (x: number) => x + 2;\n',
      'src/c.ts': 'export const c = (x: number) => x + 3;\n',
      'README.md': 'hi\n',
    });
    git(project, 'init', '-q', '-b', 'main');
    git(project, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'root');
    git(project, 'add', '.');
    git(project, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'base');
    const paths = (run: { stdout: string }) => JSON.parse(run.stdout).files.map((f: { path: string }) => f.path);

    expect(paths(runCli(['analyze', '--changed', '--format', 'json'], project))).toEqual([]);
    fs.writeFileSync(path.join(project, 'src/a.ts'), 'export const a = (x: number) => x - 1;\n');
    fs.writeFileSync(path.join(project, 'src/new.ts'), 'export const n = () => 0;\n');
    fs.rmSync(path.join(project, 'src/c.ts'));
    const changed = runCli(['analyze', '--changed', '--format', 'json'], project);
    expect(changed.code).toBe(0);
    expect(paths(changed)).toEqual(['src/a.ts', 'src/new.ts']);
    expect(JSON.parse(changed.stdout).summary.files).toBe(2);

    git(project, 'checkout', '-q', '-b', 'feature');
    git(project, 'add', '-A');
    git(project, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'feature');
    fs.writeFileSync(path.join(project, 'src/b.ts'), 'export const b = (x: number) => x * 2;\n');
    expect(paths(runCli(['analyze', '--changed', '--format', 'json'], project))).toEqual(['src/b.ts']);
    expect(paths(runCli(['analyze', 'src', '--since', 'main', '--format', 'json'], project))).toEqual(['src/a.ts', 'src/b.ts', 'src/new.ts']);
    const bad = runCli(['analyze', '--since', 'no-such-ref'], project);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("cannot find the merge base of 'no-such-ref'");
  });
});
