/**
 * End to end: the example project's real vitest runs (234 tests, then the 1,000-test isolation stress in two modes),
 * and the HTML dashboard rendered by headless Chromium.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PerfReporter, type ReportedTestCase } from '../../ts/testing/perf-reporter';
import { PerfHistory } from '../../ts/testing/history';
import { buildReport, renderHtml } from '../../ts/testing/dashboard';
import { skipWithoutTool } from '../helpers';
import { repoRoot, tempDir } from './helpers';

const vitestBin = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
const exampleConfig = path.join(repoRoot, 'examples', 'shop', 'vitest.config.ts');

function runExample(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitestBin, 'run', '--config', exampleConfig], {
      cwd: repoRoot,
      env: { ...process.env, SHOP_QUIET: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

const passedCount = (output: string) => Number(/Tests\s+(\d+) passed/.exec(output)?.[1] ?? -1);

describe('example project', () => {
  it('runs its 234 tests twice with one template build and records both runs in the history', async () => {
    const cacheDir = tempDir();
    for (let run = 0; run < 2; run++) {
      const { code, output } = await runExample({ TDD_FAST_CACHE_DIR: cacheDir });
      expect(output).not.toMatch(/FAIL/);
      expect(code).toBe(0);
      expect(passedCount(output)).toBe(234);
    }
    const builds = fs.readFileSync(path.join(cacheDir, 'templates', 'builds.log'), 'utf8').trim().split('\n');
    expect(builds).toHaveLength(1);
    const history = PerfHistory.open(path.join(cacheDir, 'perf-history.sqlite'), { readonly: true });
    const runs = history.runs();
    expect(runs.map((r) => r.tests)).toEqual([234, 234]);
    const samples = history.samplesForRun(runs[1].id);
    expect(samples.every((s) => s.heapDeltaBytes !== null)).toBe(true);
    expect(samples.some((s) => s.testId.startsWith('test/orders.test.ts > checkout >'))).toBe(true);
    history.close();
  });

  it.each([
    ['clone per test', {}],
    ['savepoint rollback on a per-worker file database', { SHOP_DB_MODE: 'rollback', SHOP_DB_FILE: '1' }],
  ])('stress: 1,000 tests over all workers, twice, with 0 isolation failures (%s)', async (_mode, env) => {
    const cacheDir = tempDir();
    for (let repeat = 0; repeat < 2; repeat++) {
      const { code, output } = await runExample({ ...env, SHOP_STRESS: '1', TDD_FAST_CACHE_DIR: cacheDir, TDD_FAST_PERF_MONITOR: '0' });
      expect(passedCount(output)).toBe(1000);
      expect(output).not.toMatch(/\d+ failed/);
      expect(code).toBe(0);
    }
    // Per-worker database files are removed when their test file ends.
    const workers = path.join(cacheDir, 'workers');
    expect(fs.existsSync(workers) ? fs.readdirSync(workers) : []).toEqual([]);
  });
});

const chromium = '/usr/bin/chromium';

describe('HTML dashboard in headless Chromium', () => {
  it.skipIf(skipWithoutTool(fs.existsSync(chromium), `the dashboard browser test needs ${chromium} (apt-get install chromium)`))('renders the suite chart, per-test SVG trends and the regression table', () => {
    const dir = tempDir();
    const historyPath = path.join(dir, 'history.sqlite');
    const reporter = new PerfReporter({ historyPath, console: false });
    const test = (name: string, durationMs: number): ReportedTestCase => ({
      name,
      fullName: `checkout > ${name}`,
      module: { moduleId: '/project/test/checkout.test.ts' },
      result: () => ({ state: 'passed' }),
      diagnostic: () => ({ duration: durationMs, retryCount: 0, repeatCount: 0, heap: undefined }),
      meta: () => ({}),
    });
    for (let run = 1; run <= 12; run++) {
      reporter.onInit({ config: { root: '/project' } });
      reporter.onTestRunStart();
      for (let i = 0; i < 6; i++) reporter.onTestCaseResult(test(`steady case ${i}`, 8 + i * 3 + (run % 4)));
      reporter.onTestCaseResult(test('applies the coupon', run <= 10 ? 24 : 61));
      reporter.onTestRunEnd([], [], 'passed');
    }
    const history = PerfHistory.open(historyPath, { readonly: true });
    const html = path.join(dir, 'perf.html');
    fs.writeFileSync(html, renderHtml(buildReport(history)));
    history.close();

    const common = [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--window-size=1280,2000',
    ];
    const screenshot = path.join(dir, 'perf.png');
    const shot = spawnSync(chromium, [...common, `--user-data-dir=${tempDir('chromium-')}`, `--screenshot=${screenshot}`, `file://${html}`], { timeout: 60_000 });
    expect(shot.status, shot.stderr?.toString()).toBe(0);
    expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);
    if (process.env.TDD_FAST_KEEP_SCREENSHOT) fs.copyFileSync(screenshot, process.env.TDD_FAST_KEEP_SCREENSHOT);

    const dump = spawnSync(chromium, [...common, `--user-data-dir=${tempDir('chromium-')}`, '--dump-dom', `file://${html}`], { timeout: 60_000 });
    expect(dump.status, dump.stderr?.toString()).toBe(0);
    const dom = dump.stdout.toString();
    expect(dom).toContain('<figure id="suite-trend"><svg class="trend"');
    expect(dom.match(/<figure class="test-trend"/g)?.length).toBeGreaterThanOrEqual(7);
    expect(dom).toMatch(/<table id="regressions">[\s\S]*checkout &gt; applies the coupon[\s\S]*<\/table>/);
    expect(dom).toMatch(/<circle cx="[\d.]+" cy="[\d.]+" r="2.5"><title>run #12: 61\.0 ms<\/title>/);
  });
});
