/**
 * The performance monitor as a vitest 4 reporter. Per test it only copies a few numbers into an array (the hot path
 * must stay far below 50 µs); at the end of the run it writes the history in one transaction, judges regressions and
 * budgets, prints a short summary, calls your callbacks, and emits GitHub annotations when running in GitHub Actions.
 *
 *   // vitest.config.ts
 *   export default defineConfig({ test: { reporters: ['default', ['tdd-fast/testing/reporter', { budgetMs: 100 }]] } });
 */
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { resolveSwitches, type TestingConfig } from './switches';
import { HISTORY_FILE_NAME, PerfHistory, type SampleRecord } from './history';
import { buildReport, type FlaggedTest, type OverBudgetTest, type PerfReport, type ReportOptions } from './dashboard';
import { detectLeak, MEMORY_META_KEY, type LeakVerdict, type MemoryMeta } from './memory';
import type { RegressionOptions } from './regression';
import { DB_META_KEY, type DbTimingMeta } from './pg/fixtures';
import { percentile } from './stats';
import { TestHashes, type ReportedProject } from './test-hashes';

/** The parts of vitest's TestCase the reporter reads (structural, so this module never loads vitest). */
export interface ReportedTestCase {
  readonly name: string;
  readonly fullName: string;
  readonly module: { readonly moduleId: string; readonly project?: ReportedProject };
  /** Where the test is defined; vitest reports it when `includeTaskLocation` is on. */
  readonly location?: { readonly line: number; readonly column: number };
  result(): { state: 'passed' | 'failed' | 'skipped' | 'pending' };
  diagnostic(): { duration: number; retryCount: number; repeatCount: number; heap: number | undefined } | undefined;
  meta(): object;
}

export interface PerfReporterOptions extends TestingConfig {
  /** History database path. Default `<cacheDir>/perf-history.sqlite`. */
  historyPath?: string;
  /** Runs kept in the history. Default 200. */
  maxRuns?: number;
  /** Regression thresholds (factor 1.5, floor 2 ms, 3x MAD, 5 samples, 2 confirming runs by default). */
  regression?: RegressionOptions;
  /** Budget for every test, ms. Default: none. */
  budgetMs?: number;
  /** Budgets for tests whose id (`file > suite > name`) contains the key; the first match wins over `budgetMs`. */
  budgets?: Record<string, number>;
  /** Leak suspicion threshold across `repeats` of a test, MB. Default 1. */
  leakThresholdMb?: number;
  /** Print the summary to the console. Default true. */
  console?: boolean;
  /** GitHub annotations: default on when GITHUB_ACTIONS=true. */
  githubAnnotations?: boolean;
  onRegression?: (regressions: FlaggedTest[], report: PerfReport) => void;
  onBudgetExceeded?: (overBudget: OverBudgetTest[], report: PerfReport) => void;
  onLeakSuspected?: (leaks: (LeakVerdict & { testId: string })[]) => void;
  /** Called with the full report after every recorded run. */
  onReport?: (report: PerfReport) => void;
  /** Called with the split of test time into getting the database vs. the test body (tests with db fixtures only). */
  onTimeSplit?: (split: TimeSplit) => void;
}

/** Per test: time spent getting (and giving back) its database vs. the test body, from the pg fixtures' meta. */
export interface TestTimeSplit {
  testId: string;
  backend: string;
  mode: string;
  durationMs: number;
  /** acquire + release of the database. */
  databaseMs: number;
  bodyMs: number;
}

export interface TimeSplit {
  /** Tests whose database came from a tdd-fast fixture. */
  tests: number;
  totalMs: number;
  databaseMs: number;
  bodyMs: number;
  /** Share of the test time spent on the database, 0..1. */
  databaseShare: number;
  acquireP50Ms: number;
  acquireP99Ms: number;
  /** The tests that waited longest for their database. */
  slowest: TestTimeSplit[];
  perTest: TestTimeSplit[];
}

interface PendingSample {
  file: string;
  line: number | undefined;
  project: ReportedProject | undefined;
  name: string;
  durationMs: number;
  retries: number;
  repeats: number;
  state: SampleRecord['state'];
  heapUsed: number | undefined;
  memory: MemoryMeta | undefined;
  db: DbTimingMeta | undefined;
}

function escapeAnnotationData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeAnnotationProperty(text: string): string {
  return escapeAnnotationData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function gitSha(root: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** For each sample with a known line, the line of the next test of the same file (where its own source ends). */
function nextTestLines(samples: readonly PendingSample[]): Map<PendingSample, number> {
  const linesByFile = new Map<string, number[]>();
  for (const s of samples) {
    if (s.line === undefined) continue;
    let lines = linesByFile.get(s.file);
    if (!lines) linesByFile.set(s.file, (lines = []));
    lines.push(s.line);
  }
  for (const lines of linesByFile.values()) lines.sort((a, b) => a - b);
  const next = new Map<PendingSample, number>();
  for (const s of samples) {
    if (s.line === undefined) continue;
    const following = linesByFile.get(s.file)?.find((line) => line > (s.line as number));
    if (following !== undefined) next.set(s, following);
  }
  return next;
}

export class PerfReporter {
  private readonly options: PerfReporterOptions;
  private root = process.cwd();
  private log: (message: string) => void = (message) => console.log(message);
  private pending: PendingSample[] = [];
  private startedAt = Date.now();
  private enabledCache: boolean | null = null;
  private gitShaCache: string | null | undefined;
  /** The last report, for programmatic use after a run. */
  lastReport: PerfReport | null = null;
  /** The last run's database-vs-body split (null when no test used a database fixture). */
  lastTimeSplit: TimeSplit | null = null;

  constructor(options: PerfReporterOptions = {}) {
    this.options = options;
  }

  private get enabled(): boolean {
    this.enabledCache ??= resolveSwitches(this.options).perfMonitor.value;
    return this.enabledCache;
  }

  onInit(vitest: { config: { root: string; includeTaskLocation?: boolean }; logger?: { log(message: string): void } }): void {
    this.root = vitest.config.root;
    this.enabledCache = null;
    // Test locations bound each test's own source for flaky detection (a hash of its lines, not of its whole file).
    // Unless the project decided, turn them on: the workers read the config when the run starts, after onInit.
    if (this.enabled && vitest.config.includeTaskLocation === undefined) vitest.config.includeTaskLocation = true;
    const logger = vitest.logger;
    if (logger) this.log = (message) => logger.log(message);
    this.startedAt = Date.now();
  }

  onTestRunStart(): void {
    this.pending = [];
    this.startedAt = Date.now();
  }

  onTestCaseResult(testCase: ReportedTestCase): void {
    if (!this.enabled) return;
    const diagnostic = testCase.diagnostic();
    if (!diagnostic) return; // skipped or never ran
    this.pending.push({
      file: testCase.module.moduleId,
      line: testCase.location?.line,
      project: testCase.module.project,
      name: testCase.fullName,
      durationMs: diagnostic.duration,
      retries: diagnostic.retryCount,
      repeats: diagnostic.repeatCount,
      state: testCase.result().state,
      heapUsed: diagnostic.heap,
      memory: (testCase.meta() as Record<string, MemoryMeta | undefined>)[MEMORY_META_KEY],
      db: (testCase.meta() as Record<string, DbTimingMeta | undefined>)[DB_META_KEY],
    });
  }

  private budgetFor(testId: string): number | null {
    for (const [needle, budget] of Object.entries(this.options.budgets ?? {})) if (testId.includes(needle)) return budget;
    return this.options.budgetMs ?? null;
  }

  /** Turns the collected samples into history records (relative paths, memory readings, budgets). */
  private toRecords(): { records: SampleRecord[]; leaks: (LeakVerdict & { testId: string })[]; peakRss: number } {
    const leaks: (LeakVerdict & { testId: string })[] = [];
    let peakRss = process.memoryUsage().rss;
    const relativeFiles = new Map<string, string>(); // path.relative once per test file, not once per test
    const hashes = new TestHashes();
    const nextLine = nextTestLines(this.pending);
    const records = this.pending.map((sample): SampleRecord => {
      let file = relativeFiles.get(sample.file);
      if (file === undefined) {
        file = path.relative(this.root, sample.file).split(path.sep).join('/');
        relativeFiles.set(sample.file, file);
      }
      const testId = `${file} > ${sample.name}`;
      const memorySamples = sample.memory?.samples ?? [];
      const lastMemory = memorySamples[memorySamples.length - 1];
      for (const m of memorySamples) peakRss = Math.max(peakRss, m.rssBytes);
      if (memorySamples.length >= 4) {
        const verdict = detectLeak(memorySamples.map((m) => m.heapUsedBytes), { thresholdMb: this.options.leakThresholdMb ?? 1 });
        if (verdict.suspected) leaks.push({ ...verdict, testId });
      }
      return {
        testId,
        name: sample.name,
        file,
        durationMs: sample.durationMs,
        retries: sample.retries,
        repeats: sample.repeats,
        state: sample.state,
        heapDeltaBytes: lastMemory ? lastMemory.heapDeltaBytes : null,
        heapUsedBytes: lastMemory ? lastMemory.heapUsedBytes : (sample.heapUsed ?? null),
        rssBytes: lastMemory ? lastMemory.rssBytes : null,
        budgetMs: this.budgetFor(testId),
        sourceHash: hashes.testSource(sample.file, sample.line, nextLine.get(sample)),
        depsHash: hashes.imports(sample.project, sample.file),
      };
    });
    return { records, leaks, peakRss };
  }

  onTestRunEnd(_modules?: unknown, _errors?: unknown, reason?: string): void {
    if (!this.enabled || this.pending.length === 0) return;
    if (reason === 'interrupted') return; // a partial run would look like a speed-up and skew baselines
    // The cache lives under the project root (where vitest was started), like the templates the workers build.
    const switches = resolveSwitches(this.options);
    const historyPath = this.options.historyPath
      ? path.resolve(this.options.historyPath)
      : path.join(switches.cacheDir.value, HISTORY_FILE_NAME);
    const split = this.timeSplit();
    const { records, leaks, peakRss } = this.toRecords();
    this.pending = [];
    const history = PerfHistory.open(historyPath);
    let report: PerfReport;
    try {
      const finishedAt = Date.now();
      history.recordRun(
        {
          startedAt: this.startedAt,
          finishedAt,
          durationMs: finishedAt - this.startedAt,
          reason: reason ?? 'unknown',
          rssBytes: peakRss,
          gitSha: this.gitShaCache === undefined ? (this.gitShaCache = gitSha(this.root)) : this.gitShaCache,
        },
        records,
        this.options.maxRuns ?? 200,
      );
      const reportOptions: ReportOptions = { regression: this.options.regression };
      report = buildReport(history, reportOptions);
    } finally {
      history.close();
    }
    this.lastReport = report;
    this.lastTimeSplit = split;
    this.announce(report, leaks, split);
  }

  /** Splits every test that used a database fixture into database time and body time. */
  private timeSplit(): TimeSplit | null {
    const perTest: TestTimeSplit[] = [];
    for (const sample of this.pending) {
      if (!sample.db) continue;
      const databaseMs = sample.db.acquireMs + sample.db.releaseMs;
      const file = path.relative(this.root, sample.file).split(path.sep).join('/');
      perTest.push({
        testId: `${file} > ${sample.name}`,
        backend: sample.db.backend,
        mode: sample.db.mode,
        durationMs: sample.durationMs,
        databaseMs,
        bodyMs: Math.max(0, sample.durationMs - databaseMs),
      });
    }
    if (perTest.length === 0) return null;
    let totalMs = 0;
    let databaseMs = 0;
    for (const t of perTest) {
      totalMs += t.durationMs;
      databaseMs += t.databaseMs;
    }
    const acquire = perTest.map((t) => t.databaseMs);
    return {
      tests: perTest.length,
      totalMs,
      databaseMs,
      bodyMs: Math.max(0, totalMs - databaseMs),
      databaseShare: totalMs > 0 ? Math.min(1, databaseMs / totalMs) : 0,
      acquireP50Ms: percentile(acquire, 50),
      acquireP99Ms: percentile(acquire, 99),
      slowest: [...perTest].sort((a, b) => b.databaseMs - a.databaseMs).slice(0, 5),
      perTest,
    };
  }

  private announce(report: PerfReport, leaks: (LeakVerdict & { testId: string })[], split: TimeSplit | null): void {
    const { regressions, overBudget } = report;
    if (this.options.console !== false) {
      const parts = [`tdd-fast perf: ${report.latestRun?.tests ?? 0} tests recorded`];
      parts.push(`${regressions.length} regression(s)`);
      if (report.suspects.length) parts.push(`${report.suspects.length} suspect(s)`);
      if (overBudget.length) parts.push(`${overBudget.length} over budget`);
      if (leaks.length) parts.push(`${leaks.length} leak suspect(s)`);
      const lines = [parts.join(', ')];
      for (const r of regressions) lines.push(`  ✗ regression: ${r.testId}: ${r.reason}`);
      for (const o of overBudget.slice(0, 10)) lines.push(`  ⏱ over budget: ${o.testId}: ${o.durationMs.toFixed(1)} ms > ${o.budgetMs} ms`);
      for (const l of leaks) lines.push(`  ⚠ memory: ${l.testId}: ${l.reason}`);
      if (split) {
        const backends = [...new Set(split.perTest.map((t) => `${t.backend} ${t.mode}`))].join(', ');
        lines.push(
          `  database vs body (${split.tests} tests, ${backends}): database ${split.databaseMs.toFixed(0)} ms ` +
            `(${(split.databaseShare * 100).toFixed(0)}%), body ${split.bodyMs.toFixed(0)} ms; ` +
            `per test p50 ${split.acquireP50Ms.toFixed(2)} ms, p99 ${split.acquireP99Ms.toFixed(2)} ms`,
        );
        const worst = split.slowest[0];
        if (worst && worst.databaseMs > 1) lines.push(`    longest wait for a database: ${worst.testId}: ${worst.databaseMs.toFixed(1)} ms of ${worst.durationMs.toFixed(1)} ms`);
      }
      lines.push(`  history: ${report.historyPath} (npx tdd-fast perf report --html perf.html)`);
      this.log(lines.join('\n'));
    }
    const annotate = this.options.githubAnnotations ?? process.env.GITHUB_ACTIONS === 'true';
    if (annotate) {
      for (const r of regressions) {
        process.stdout.write(
          `::warning file=${escapeAnnotationProperty(r.file)},title=${escapeAnnotationProperty('tdd-fast: performance regression')}::` +
            `${escapeAnnotationData(`${r.name}: ${r.reason}`)}\n`,
        );
      }
      for (const o of overBudget) {
        process.stdout.write(
          `::notice file=${escapeAnnotationProperty(o.file)},title=${escapeAnnotationProperty('tdd-fast: over budget')}::` +
            `${escapeAnnotationData(`${o.name}: ${o.durationMs.toFixed(1)} ms > budget ${o.budgetMs} ms`)}\n`,
        );
      }
    }
    if (regressions.length) this.options.onRegression?.(regressions, report);
    if (overBudget.length) this.options.onBudgetExceeded?.(overBudget, report);
    if (leaks.length) this.options.onLeakSuspected?.(leaks);
    if (split) this.options.onTimeSplit?.(split);
    this.options.onReport?.(report);
  }
}
