import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PerfReporter, type ReportedTestCase } from '../../ts/testing/perf-reporter';
import { PerfHistory } from '../../ts/testing/history';
import { describeDoctor } from '../../ts/testing/doctor';
import { tempDir, withEnv } from './helpers';
import { describeNativeCore, platformTriple } from '../../ts/engine/doctor';
import { native } from '../../ts/engine/native';
import { defaultCacheLocation } from '../../ts/engine/api';

// The commands run from the build, as bin/tdd-fast.js runs them: they require the toolkit's modules only when they
// run, with Node's require, which loads compiled JavaScript.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { registerTestingCommands } = require('../../dist/cli/testing.js') as typeof import('../../ts/cli/testing');

function testCase(file: string, name: string, durationMs: number, extra: { state?: 'passed' | 'failed'; retries?: number } = {}): ReportedTestCase {
  return {
    name,
    fullName: `suite > ${name}`,
    module: { moduleId: path.join('/project', file) },
    result: () => ({ state: extra.state ?? 'passed' }),
    diagnostic: () => ({ duration: durationMs, retryCount: extra.retries ?? 0, repeatCount: 0, heap: undefined }),
    meta: () => ({}),
  };
}

/** Simulates `runs` vitest runs through the reporter; `slow(run)` gives the duration of the test under watch. */
function simulateRuns(reporter: PerfReporter, runs: number, slow: (run: number) => number) {
  for (let run = 1; run <= runs; run++) {
    reporter.onInit({ config: { root: '/project' }, logger: { log: () => {} } });
    reporter.onTestRunStart();
    for (let i = 0; i < 8; i++) reporter.onTestCaseResult(testCase('test/a.test.ts', `steady ${i}`, 10 + i + (run % 3) * 0.2));
    reporter.onTestCaseResult(testCase('test/b.test.ts', 'watched', slow(run)));
    reporter.onTestRunEnd([], [], 'passed');
  }
}

afterEach(() => vi.restoreAllMocks());

describe('PerfReporter', () => {
  it('records runs, confirms a regression after two slow runs, and reports budgets and annotations', () => {
    const historyPath = path.join(tempDir(), 'history.sqlite');
    const regressions: string[][] = [];
    const overBudget: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const reporter = new PerfReporter({
      historyPath,
      budgets: { watched: 30 },
      githubAnnotations: true,
      console: false,
      onRegression: (found) => regressions.push(found.map((r) => r.testId)),
      onBudgetExceeded: (found) => overBudget.push(...found.map((o) => o.testId)),
    });
    simulateRuns(reporter, 8, (run) => (run <= 6 ? 20 : 45));
    expect(regressions).toEqual([['test/b.test.ts > suite > watched']]);
    expect(overBudget).toEqual(['test/b.test.ts > suite > watched', 'test/b.test.ts > suite > watched']);
    const annotations = stdout.mock.calls.map((c) => String(c[0])).filter((line) => line.startsWith('::'));
    expect(annotations.some((a) => a.startsWith('::warning file=test/b.test.ts,title=tdd-fast%3A performance regression::suite > watched: 2.'))).toBe(true);
    const history = PerfHistory.open(historyPath, { readonly: true });
    expect(history.runs().map((r) => r.tests)).toEqual([9, 9, 9, 9, 9, 9, 9, 9]);
    history.close();
  });

  it('keeps the history bounded to maxRuns', () => {
    const historyPath = path.join(tempDir(), 'history.sqlite');
    simulateRuns(new PerfReporter({ historyPath, maxRuns: 3, console: false }), 6, () => 20);
    const history = PerfHistory.open(historyPath, { readonly: true });
    expect(history.runs(100).map((r) => r.id)).toEqual([4, 5, 6]);
    history.close();
  });

  it('records nothing when TDD_FAST_PERF_MONITOR=0', () => {
    const historyPath = path.join(tempDir(), 'history.sqlite');
    withEnv({ TDD_FAST_PERF_MONITOR: '0' }, () => simulateRuns(new PerfReporter({ historyPath }), 2, () => 20));
    expect(fs.existsSync(historyPath)).toBe(false);
  });

  it('does not record interrupted runs', () => {
    const historyPath = path.join(tempDir(), 'history.sqlite');
    const reporter = new PerfReporter({ historyPath, console: false });
    reporter.onTestRunStart();
    reporter.onTestCaseResult(testCase('a.test.ts', 'x', 5));
    reporter.onTestRunEnd([], [], 'interrupted');
    expect(fs.existsSync(historyPath)).toBe(false);
  });
});

async function runCli(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const previous = process.exitCode;
  process.exitCode = 0;
  const program = new Command().exitOverride();
  registerTestingCommands(program);
  try {
    await program.parseAsync(['node', 'tdd-fast', ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = previous;
  return { stdout, stderr, exitCode };
}

describe('PerfHistory compact baselines', () => {
  const run = (i: number) => ({ startedAt: i, finishedAt: i + 1, durationMs: 1, reason: 'passed', rssBytes: null, gitSha: null });
  const sample = (testId: string, durationMs: number, state: 'passed' | 'failed' = 'passed') => ({
    testId, name: testId, file: 'f.test.ts', durationMs, retries: 0, repeats: 0, state,
    heapDeltaBytes: null, heapUsedBytes: null, rssBytes: null, budgetMs: null,
  });
  /** The per-test series as the samples table has them (what `series` answered before `baselines` existed). */
  const fromSamples = (file: string, runsBack: number) => {
    const db = new Database(file, { readonly: true });
    const first = db.prepare('SELECT MIN(id) FROM (SELECT id FROM runs ORDER BY id DESC LIMIT ?)').pluck().get(runsBack) as number;
    const rows = db.prepare("SELECT test_id, run_id, duration_ms FROM samples WHERE run_id >= ? AND state = 'passed' ORDER BY test_id, run_id").raw().all(first) as [string, number, number][];
    db.close();
    const byTest: Record<string, [number, number][]> = {};
    for (const [t, r, d] of rows) (byTest[t] ??= []).push([r, d]);
    return byTest;
  };
  const fromSeries = (history: PerfHistory, runsBack: number) =>
    Object.fromEntries(history.series(runsBack).map((s) => [s.testId, s.samples.map((p) => [p.runId, p.durationMs])]));

  it('answers series() exactly as the samples table does, through skips, failures, duplicates and pruning', () => {
    const file = path.join(tempDir(), 'history.sqlite');
    const history = PerfHistory.open(file);
    for (let i = 1; i <= 45; i++) {
      const samples = [sample('a', 10 + (i % 7) * 0.123456789), sample('b', 5 + i / 3)];
      if (i % 4) samples.push(sample('c', 3 + i)); // skipped in some runs
      samples.push(sample('d', 7, i % 5 ? 'passed' : 'failed'));
      if (i === 40) samples.push(sample('a', 99, 'failed')); // the same id twice: the last one counts
      history.recordRun(run(i), samples, 38);
    }
    for (const back of [1, 5, 22, 30, 32, 38]) expect(fromSeries(history, back)).toEqual(fromSamples(file, back));
    expect(history.runs(100).map((r) => r.id)).toEqual(Array.from({ length: 38 }, (_, i) => i + 8));
    expect(history.runs(2).map((r) => [r.tests, r.failed])).toEqual([[3, 0], [4, 1]]);
    history.close();
  });

  it('builds the baselines of a schema-1 history once, when opened for writing', () => {
    const file = path.join(tempDir(), 'history.sqlite');
    const history = PerfHistory.open(file);
    for (let i = 1; i <= 40; i++) history.recordRun(run(i), [sample('a', 10 + i), sample('b', 20 - i / 10)]);
    history.close();
    // Turn it into what an older version wrote: no aggregates, no baselines, schema version 1.
    const db = new Database(file);
    db.exec("DELETE FROM baselines; DELETE FROM run_stats; UPDATE meta SET value = '1' WHERE key = 'schemaVersion'");
    db.close();
    const old = PerfHistory.open(file, { readonly: true });
    expect(old.runs(3).map((r) => r.tests)).toEqual([2, 2, 2]); // read-only: falls back to the samples
    expect(fromSeries(old, 30)).toEqual(fromSamples(file, 30));
    old.close();
    const migrated = PerfHistory.open(file);
    expect(fromSeries(migrated, 30)).toEqual(fromSamples(file, 30));
    expect(migrated.runs(3).map((r) => r.tests)).toEqual([2, 2, 2]);
    migrated.close();
  });
});

describe('tdd-fast perf report / doctor', () => {
  it('prints regressions and slowest tests as text and JSON, and writes the HTML dashboard', async () => {
    const dir = tempDir();
    const historyPath = path.join(dir, 'history.sqlite');
    simulateRuns(new PerfReporter({ historyPath, console: false }), 9, (run) => (run <= 7 ? 20 : 50));
    const text = await runCli(['perf', 'report', '--history', historyPath]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain('Regressions (1):');
    expect(text.stdout).toMatch(/✗ suite > watched\s+\(test\/b\.test\.ts\)/);
    expect(text.stdout).toContain('Slowest tests:');
    const json = await runCli(['perf', 'report', '--history', historyPath, '--format', 'json']);
    const report = JSON.parse(json.stdout);
    expect(report.regressions.map((r: { testId: string }) => r.testId)).toEqual(['test/b.test.ts > suite > watched']);
    expect(report.slowest[0].name).toBe('suite > watched');
    const html = path.join(dir, 'out', 'perf.html');
    expect((await runCli(['perf', 'report', '--history', historyPath, '--html', html])).exitCode).toBe(0);
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toContain('<table id="regressions">');
    expect(page.match(/<svg class="trend"/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('exits 2 with a message for a missing history or an unknown format', async () => {
    const missing = await runCli(['perf', 'report', '--history', path.join(tempDir(), 'none.sqlite')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/no performance history/);
    const badFormat = await runCli(['perf', 'report', '--format', 'xml']);
    expect(badFormat.exitCode).toBe(2);
    expect(badFormat.stderr).toMatch(/unknown --format "xml"/);
  });

  it('doctor says what is enabled and why', async () => {
    const lines = describeDoctor(tempDir(), { TDD_FAST_TESTING: '0', TDD_FAST_CACHE_DIR: '/tmp/x-cache' });
    expect(lines.find((l) => l.name.startsWith('testing fast path'))).toMatchObject({ value: 'disabled', reason: 'env TDD_FAST_TESTING=0' });
    expect(lines.find((l) => l.name.startsWith('perf monitor'))).toMatchObject({ value: 'enabled', reason: 'default' });
    expect(lines.find((l) => l.name === 'cache directory')).toMatchObject({ value: '/tmp/x-cache', reason: 'env TDD_FAST_CACHE_DIR' });
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'tdd-fast.config.json'), JSON.stringify({ testing: { perfMonitor: false } }));
    expect(describeDoctor(root, {}).find((l) => l.name.startsWith('perf monitor'))).toMatchObject({ value: 'disabled', reason: path.join(root, 'tdd-fast.config.json') });
    const printed = await runCli(['doctor']);
    expect(printed.exitCode).toBe(0);
    expect(printed.stdout).toMatch(/better-sqlite3\s+12\./);
  });

  it('doctor reports the native core: loaded, its version, the platform triple and the analysis cache file', async () => {
    const root = tempDir();
    const lines = describeDoctor(root, {});
    const version = native().nativeVersion();
    expect(lines.find((l) => l.name === 'native core')).toMatchObject({ value: 'loaded' });
    expect(lines.find((l) => l.name === 'native core version')).toMatchObject({ value: version });
    expect(lines.find((l) => l.name === 'platform')?.value).toBe(platformTriple().napi);
    expect(lines.find((l) => l.name === 'analysis cache')).toMatchObject({
      value: defaultCacheLocation(root),
      reason: expect.stringMatching(/not written yet/),
    });
    const printed = await runCli(['doctor']);
    expect(printed.stdout).toMatch(new RegExp(`native core version\\s+${version.replace(/\./g, '\\.')}`));
    expect(printed.stdout).toMatch(/analysis cache\s+\S+analysis\.bin/);
  });

  it('doctor names the platform when the native core does not load, and the triples follow napi-rs and Rust', () => {
    const lines = describeNativeCore(tempDir(), () => {
      throw new Error('tdd-fast: no native core for linux-x64. Installed from npm, ...');
    });
    expect(lines.find((l) => l.name === 'native core')).toMatchObject({ value: 'unavailable', reason: expect.stringMatching(/no native core/) });
    expect(lines.find((l) => l.name === 'native core version')).toBeUndefined();
    expect(platformTriple('linux', 'x64', 'gnu')).toEqual({ napi: 'linux-x64-gnu', rust: 'x86_64-unknown-linux-gnu' });
    expect(platformTriple('linux', 'x64', 'musl')).toEqual({ napi: 'linux-x64-musl', rust: 'x86_64-unknown-linux-musl' });
    expect(platformTriple('darwin', 'arm64')).toEqual({ napi: 'darwin-arm64', rust: 'aarch64-apple-darwin' });
    expect(platformTriple('win32', 'x64')).toEqual({ napi: 'win32-x64-msvc', rust: 'x86_64-pc-windows-msvc' });
  });
});
