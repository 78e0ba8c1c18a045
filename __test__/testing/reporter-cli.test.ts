import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PerfReporter, type ReportedTestCase } from '../../ts/testing/perf-reporter';
import { PerfHistory } from '../../ts/testing/history';
import { registerTestingCommands, describeDoctor } from '../../ts/testing/cli';
import { tempDir, withEnv } from './helpers';

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
});
