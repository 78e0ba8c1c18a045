/**
 * Flaky detection end to end: a user project runs vitest 10 times with `tdd-fast/testing/reporter`, then
 * `tdd-fast perf flaky` classifies its tests from the history file:
 * - `sometimes` fails every third run with nothing changed -> flaky;
 * - `needs a retry` fails its first attempt in every run and passes on vitest's retry -> flaky;
 * - `always fails` -> failing;
 * - `prices` fails after its imported module `src/price.js` changes between two runs -> changed;
 * - `steady` passes every time -> listed nowhere.
 * Needs `npm run build:ts` (the reporter and the CLI run from dist/).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyTest } from '../../ts/testing/flaky';
import type { OutcomeRow } from '../../ts/testing/history';
import { PerfHistory } from '../../ts/testing/history';
import { linkUserProjectModules, repoRoot, requireBuiltPackage, tempDir, userShellEnv } from './helpers';

const cliBin = path.join(repoRoot, 'bin', 'tdd-fast.js');

function write(project: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  fs.writeFileSync(path.join(project, file), text);
}

function makeProject(): string {
  const project = tempDir('tdd-fast-flaky-project-');
  write(project, 'package.json', JSON.stringify({ name: 'flaky-fixture', private: true, type: 'module' }));
  write(
    project,
    'vitest.config.mjs',
    "export default { test: { include: ['test/**/*.test.js'], reporters: ['default', 'tdd-fast/testing/reporter'] } };\n",
  );
  write(project, 'src/price.js', 'export const price = (cents) => cents / 100;\n');
  write(
    project,
    'test/price.test.js',
    "import { expect, test } from 'vitest';\nimport { price } from '../src/price.js';\ntest('prices', () => expect(price(250)).toBe(2.5));\n",
  );
  write(
    project,
    'test/misc.test.js',
    [
      "import * as fs from 'node:fs';",
      "import { expect, test } from 'vitest';",
      '// The run counter lives in a file the test reads, not in a module it imports: nothing the hashes see changes.',
      "const counterFile = new URL('../counter.txt', import.meta.url);",
      "const run = Number(fs.existsSync(counterFile) ? fs.readFileSync(counterFile, 'utf8') : '0') + 1;",
      'fs.writeFileSync(counterFile, String(run));',
      "test('steady', () => expect(1 + 1).toBe(2));",
      "test('sometimes', () => expect(run % 3).not.toBe(0));",
      "test('always fails', () => expect('red').toBe('green'));",
      'let attempts = 0;',
      "test('needs a retry', { retry: 1 }, () => { attempts++; expect(attempts).toBeGreaterThan(1); });",
      '',
    ].join('\n'),
  );
  linkUserProjectModules(project);
  return project;
}

function runVitest(project: string): string {
  const vitest = path.join(project, 'node_modules', 'vitest', 'vitest.mjs');
  const result = spawnSync(process.execPath, [vitest, 'run'], { cwd: project, env: userShellEnv(), encoding: 'utf8' });
  const output = `${result.stdout}\n${result.stderr}`;
  expect(output, output).toContain('tdd-fast perf: 5 tests recorded');
  return output;
}

function cli(project: string, args: string[]) {
  return spawnSync(process.execPath, [cliBin, ...args], { cwd: project, env: userShellEnv(), encoding: 'utf8' });
}

interface Listed {
  id: string;
  file: string;
  name: string;
  runs: number;
  failures: number;
  flips: number;
}

describe('tdd-fast perf flaky on a real project run 10 times', () => {
  beforeAll(() => requireBuiltPackage());

  it('tells flaky tests from changed and failing ones, shows them in the dashboard and fails CI on request', () => {
    const project = makeProject();
    for (let run = 1; run <= 10; run++) {
      // Between run 5 and run 6 the imported module changes, and `prices` starts failing.
      if (run === 6) write(project, 'src/price.js', 'export const price = (cents) => Math.round(cents / 100);\n');
      runVitest(project);
    }
    const historyPath = path.join(project, 'node_modules', '.cache', 'tdd-fast', 'perf-history.sqlite');

    const listed = cli(project, ['perf', 'flaky', '--format', 'json', '--history', historyPath]);
    expect(listed.status, listed.stderr).toBe(0);
    const report = JSON.parse(listed.stdout) as { flaky: Listed[]; changed: Listed[]; failing: Listed[] };
    const byName = (tests: Listed[]) => tests.map((t) => t.name).sort();
    expect(byName(report.flaky)).toEqual(['needs a retry', 'sometimes']);
    expect(byName(report.changed)).toEqual(['prices']);
    expect(byName(report.failing)).toEqual(['always fails']);
    const sometimes = report.flaky.find((t) => t.name === 'sometimes');
    // Runs 3, 6 and 9 failed: each failure is two flips (into it and out of it).
    expect(sometimes).toEqual({ id: 'test/misc.test.js > sometimes', file: 'test/misc.test.js', name: 'sometimes', runs: 10, failures: 3, flips: 6 });
    expect(report.flaky.find((t) => t.name === 'needs a retry')).toMatchObject({ runs: 10, failures: 0, flips: 10 });
    expect(report.changed[0]).toMatchObject({ id: 'test/price.test.js > prices', runs: 10, failures: 5, flips: 1 });
    expect(report.failing[0]).toMatchObject({ runs: 10, failures: 10, flips: 0 });

    const gated = cli(project, ['perf', 'flaky', '--fail-on-flaky', '--history', historyPath]);
    expect(gated.status).toBe(1);
    expect(gated.stdout).toContain('Flaky (2)');
    expect(gated.stderr).toContain('2 flaky test(s) found');

    const html = path.join(project, 'perf.html');
    const dashboard = cli(project, ['perf', 'report', '--html', html, '--history', historyPath]);
    expect(dashboard.status, dashboard.stderr).toBe(0);
    const page = fs.readFileSync(html, 'utf8');
    const table = page.slice(page.indexOf('<table id="flaky">'), page.indexOf('</table>', page.indexOf('<table id="flaky">')));
    expect(table.match(/data-kind="flaky"/g)).toHaveLength(2);
    expect(table.match(/data-kind="failing"/g)).toHaveLength(1);
    expect(table.match(/data-kind="changed"/g)).toHaveLength(1);
    expect(table).toContain('<td>sometimes</td>');
  }, 240_000);

  it('gives a usage error for a missing history or a bad --runs', () => {
    const project = tempDir('tdd-fast-flaky-empty-');
    const missing = cli(project, ['perf', 'flaky', '--history', path.join(project, 'none.sqlite')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no performance history at');
    const bad = cli(project, ['perf', 'flaky', '--runs', '1', '--history', path.join(project, 'none.sqlite')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--runs must be an integer of at least 2');
  });
});

describe('classifyTest', () => {
  const row = (runId: number, state: 'passed' | 'failed', hashes: [string | null, string | null] = ['s', 'd'], retries = 0): OutcomeRow => ({
    runId, testId: 'a.test.ts > t', name: 't', file: 'a.test.ts', state, retries, sourceHash: hashes[0], depsHash: hashes[1],
  });

  it('calls a flip with unknown hashes a change, not flakiness (nothing proves the code was the same)', () => {
    expect(classifyTest([row(1, 'passed', [null, null]), row(2, 'failed', [null, null])])?.kind).toBe('changed');
    expect(classifyTest([row(1, 'passed'), row(2, 'failed')])?.kind).toBe('flaky');
  });

  it('calls a flip with the test source changed a change, and a stable test nothing', () => {
    expect(classifyTest([row(1, 'passed', ['s1', 'd']), row(2, 'failed', ['s2', 'd'])])?.kind).toBe('changed');
    expect(classifyTest([row(1, 'passed'), row(2, 'passed'), row(3, 'passed')])).toBeNull();
  });

  it('counts a pass on retry as a flip', () => {
    expect(classifyTest([row(1, 'passed'), row(2, 'passed', ['s', 'd'], 1)])).toMatchObject({ kind: 'flaky', test: { flips: 1 } });
  });
});

describe('PerfHistory with a file written before flaky detection', () => {
  it('adds the hash columns on open and keeps the old samples (hashes unknown)', () => {
    const file = path.join(tempDir(), 'old.sqlite');
    const old = new Database(file);
    old.exec(`CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at INTEGER NOT NULL, finished_at INTEGER NOT NULL,
        duration_ms REAL NOT NULL, reason TEXT NOT NULL, rss_bytes INTEGER, git_sha TEXT);
      CREATE TABLE samples (run_id INTEGER NOT NULL, test_id TEXT NOT NULL, name TEXT NOT NULL, file TEXT NOT NULL,
        duration_ms REAL NOT NULL, retries INTEGER NOT NULL, repeats INTEGER NOT NULL, state TEXT NOT NULL,
        heap_delta_bytes INTEGER, heap_used_bytes INTEGER, rss_bytes INTEGER, budget_ms REAL, PRIMARY KEY (run_id, test_id)) WITHOUT ROWID;
      INSERT INTO runs VALUES (1, 0, 1, 1, 'passed', NULL, NULL);
      INSERT INTO samples VALUES (1, 'a > t', 't', 'a', 3, 0, 0, 'passed', NULL, NULL, NULL, NULL);`);
    old.close();
    const history = PerfHistory.open(file);
    try {
      expect(history.outcomes(10)).toEqual([
        { runId: 1, testId: 'a > t', name: 't', file: 'a', state: 'passed', retries: 0, sourceHash: null, depsHash: null },
      ]);
    } finally {
      history.close();
    }
  });
});
