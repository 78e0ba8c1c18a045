/**
 * Regression detection over per-test duration histories. A test is flagged only when the slowdown is real:
 *   - the baseline has at least `minSamples` earlier samples (rolling window of the most recent `window`),
 *   - current / baseline median >= `factor` (default 1.5),
 *   - current - baseline median > `floorMs` (default 2 ms) and > `noiseFactor` x MAD (default 3x),
 *   - and, by default, the last `confirmRuns` (2) runs all meet those conditions, so one noisy run (a GC pause, a busy
 *     CI neighbour) is reported as a *suspect* in the dashboard but never raises an alert.
 * Whole-run slowness (every test 20% slower because the machine is busy) is divided out first: each run's speed
 * factor is the median current/baseline ratio across tests (needs 5+ tests with history).
 */
import { percentileOfSorted } from './stats';

export interface RegressionOptions {
  factor?: number;
  floorMs?: number;
  noiseFactor?: number;
  minSamples?: number;
  window?: number;
  confirmRuns?: number;
  normalizeRunSpeed?: boolean;
}

export type ResolvedRegressionOptions = Required<RegressionOptions>;

export const DEFAULT_REGRESSION_OPTIONS: ResolvedRegressionOptions = {
  factor: 1.5,
  floorMs: 2,
  noiseFactor: 3,
  minSamples: 5,
  window: 20,
  confirmRuns: 2,
  normalizeRunSpeed: true,
};

export interface DurationSample {
  runId: number;
  durationMs: number;
}

export interface TestSeries {
  testId: string;
  /** Oldest first; the last sample is the run being judged. */
  samples: readonly DurationSample[];
}

export interface SampleJudgement {
  exceeds: boolean;
  enoughHistory: boolean;
  baselineMs: number;
  madMs: number;
  currentMs: number;
  ratio: number;
  deltaMs: number;
  reason: string;
}

export type RegressionStatus = 'regression' | 'suspect' | 'ok' | 'insufficient-history';

export interface RegressionVerdict extends SampleJudgement {
  testId: string;
  status: RegressionStatus;
  /** The run speed factor divided out of `currentMs` (1 when none). */
  runSpeedFactor: number;
  /** The duration actually measured in the judged run, before run-speed normalization. */
  observedMs: number;
}

export function resolveRegressionOptions(options: RegressionOptions = {}): ResolvedRegressionOptions {
  const resolved = { ...DEFAULT_REGRESSION_OPTIONS };
  for (const key of Object.keys(options) as (keyof RegressionOptions)[]) {
    const value = options[key];
    if (value !== undefined) (resolved as Record<string, unknown>)[key] = value;
  }
  return resolved;
}

/** Sorted-copy median and MAD over `values[from, to)`, reusing scratch buffers (no per-call allocation). */
class RangeStats {
  private sorted = new Float64Array(32);
  private deviations = new Float64Array(32);

  private ensure(n: number): void {
    if (this.sorted.length < n) {
      this.sorted = new Float64Array(n * 2);
      this.deviations = new Float64Array(n * 2);
    }
  }

  median(values: ArrayLike<number>, from: number, to: number): number {
    const n = to - from;
    if (n <= 0) return 0;
    this.ensure(n);
    const view = this.sorted.subarray(0, n);
    for (let i = 0; i < n; i++) view[i] = values[from + i];
    return percentileOfSorted(view.sort(), 50);
  }

  mad(values: ArrayLike<number>, from: number, to: number, center: number): number {
    const n = to - from;
    if (n <= 0) return 0;
    this.ensure(n);
    const view = this.deviations.subarray(0, n);
    for (let i = 0; i < n; i++) view[i] = Math.abs(values[from + i] - center);
    return percentileOfSorted(view.sort(), 50);
  }
}

/**
 * Judges `currentMs` against the baseline `durations[0, end)` (its last `window` values), exactly as judgeSample does
 * on `durations.slice(0, end)`. `cachedMedian` is that window's median when the caller already has it.
 */
function judgeRange(
  durations: ArrayLike<number>,
  end: number,
  currentMs: number,
  options: ResolvedRegressionOptions,
  stats: RangeStats,
  cachedMedian?: number,
): SampleJudgement {
  // Same window as `baseline.slice(-window)` (a window of 0 keeps everything, as slice(-0) does).
  const from = options.window > 0 ? Math.max(0, end - options.window) : 0;
  const count = end - from;
  const baselineMs = cachedMedian ?? stats.median(durations, from, end);
  const madMs = stats.mad(durations, from, end, baselineMs);
  const deltaMs = currentMs - baselineMs;
  const ratio = baselineMs > 0 ? currentMs / baselineMs : currentMs > 0 ? Infinity : 1;
  if (count < options.minSamples) {
    const reason = `${count} of ${options.minSamples} samples`;
    return { baselineMs, madMs, currentMs, ratio, deltaMs, exceeds: false, enoughHistory: false, reason };
  }
  const noiseMs = options.noiseFactor * madMs;
  // Each clause is a failure test, so a NaN passes all of them (as it always did).
  const ratioFails = ratio < options.factor;
  const floorFails = deltaMs <= options.floorMs;
  const noiseFails = deltaMs <= noiseMs;
  const exceeds = !ratioFails && !floorFails && !noiseFails;
  let reason: string;
  if (exceeds) {
    reason =
      `${ratio.toFixed(2)}x slower (+${deltaMs.toFixed(1)} ms) than baseline ${baselineMs.toFixed(1)} ms ` +
      `(noise ${noiseMs.toFixed(2)} ms, ${count} samples)`;
  } else {
    const failures: string[] = [];
    if (ratioFails) failures.push(`ratio ${ratio.toFixed(2)} < ${options.factor}`);
    if (floorFails) failures.push(`+${deltaMs.toFixed(2)} ms <= floor ${options.floorMs} ms`);
    if (noiseFails) failures.push(`+${deltaMs.toFixed(2)} ms <= noise ${noiseMs.toFixed(2)} ms`);
    reason = failures.join('; ');
  }
  return { baselineMs, madMs, currentMs, ratio, deltaMs, exceeds, enoughHistory: true, reason };
}

/** Judges one sample against a baseline of earlier durations. */
export function judgeSample(
  baseline: readonly number[],
  currentMs: number,
  options: ResolvedRegressionOptions = DEFAULT_REGRESSION_OPTIONS,
): SampleJudgement {
  return judgeRange(baseline, baseline.length, currentMs, options, new RangeStats());
}

/**
 * Per-run speed factors: for each of the given runs, the median over tests of (duration / that test's baseline).
 * Both directions are corrected: in a run where the machine was 20% faster, a test that stayed put is relatively slower,
 * and a real 2x slowdown must not hide behind the fast machine.
 */
export function runSpeedFactors(
  series: readonly TestSeries[],
  runIds: readonly number[],
  options: ResolvedRegressionOptions,
): Map<number, number> {
  return speedFactors(series.map(prepare), runIds, options, new RangeStats());
}

interface PreparedSeries {
  test: TestSeries;
  durations: Float64Array;
  /** Baseline medians already computed, by sample index (the window before that index). */
  medians: Map<number, number>;
}

function prepare(test: TestSeries): PreparedSeries {
  const durations = new Float64Array(test.samples.length);
  for (let i = 0; i < durations.length; i++) durations[i] = test.samples[i].durationMs;
  return { test, durations, medians: new Map() };
}

function speedFactors(
  prepared: readonly PreparedSeries[],
  runIds: readonly number[],
  options: ResolvedRegressionOptions,
  stats: RangeStats,
): Map<number, number> {
  const factors = new Map<number, number>();
  const ratios = new Float64Array(prepared.length);
  for (const runId of runIds) {
    let count = 0;
    for (const p of prepared) {
      // The first sample of this run (as findIndex would); recent runs sit at the end, but ids may repeat.
      const samples = p.test.samples;
      let index = -1;
      for (let i = 0; i < samples.length; i++) {
        if (samples[i].runId === runId) {
          index = i;
          break;
        }
      }
      if (index < options.minSamples) continue;
      const from = Math.max(0, index - options.window);
      let baseline = p.medians.get(index);
      if (baseline === undefined) {
        baseline = stats.median(p.durations, from, index);
        // Cache only when this is the window judgeRange uses for the same index.
        if (options.window > 0) p.medians.set(index, baseline);
      }
      if (baseline > 0) ratios[count++] = p.durations[index] / baseline;
    }
    factors.set(runId, count >= 5 ? percentileOfSorted(ratios.subarray(0, count).sort(), 50) : 1);
  }
  return factors;
}

/** Judges the last sample of every series. `confirmRuns` consecutive exceeding runs make a regression. */
export function detectRegressions(series: readonly TestSeries[], options: RegressionOptions = {}): RegressionVerdict[] {
  const resolved = resolveRegressionOptions(options);
  const confirm = Math.max(1, resolved.confirmRuns);
  const stats = new RangeStats();
  const prepared = series.map(prepare);
  const recentRunIds = new Set<number>();
  for (const test of series) {
    for (let i = Math.max(0, test.samples.length - confirm); i < test.samples.length; i++) recentRunIds.add(test.samples[i].runId);
  }
  const factors = resolved.normalizeRunSpeed
    ? speedFactors(prepared, [...recentRunIds], resolved, stats)
    : new Map<number, number>();

  return prepared.map(({ test, durations, medians }): RegressionVerdict => {
    const speed = (i: number) => factors.get(test.samples[i].runId) ?? 1;
    const last = durations.length - 1;
    if (last < 0) {
      return {
        testId: test.testId, status: 'insufficient-history', runSpeedFactor: 1, observedMs: 0, exceeds: false, enoughHistory: false,
        baselineMs: 0, madMs: 0, currentMs: 0, ratio: 1, deltaMs: 0, reason: 'no samples',
      };
    }
    // The current run judged against everything before it: enough to call it a suspect.
    const current = judgeRange(durations, last, durations[last] / speed(last), resolved, stats, medians.get(last));
    let status: RegressionStatus = !current.enoughHistory ? 'insufficient-history' : current.exceeds ? 'suspect' : 'ok';
    let verdict: SampleJudgement = current;
    if (current.exceeds) {
      // Confirmation: the last `confirm` runs each exceed a baseline that excludes all of them.
      const firstJudged = last - confirm + 1;
      const end = Math.max(0, firstJudged);
      let confirmed = firstJudged >= 0;
      for (let i = end; i <= last && confirmed; i++) {
        const judged = judgeRange(durations, end, durations[i] / speed(i), resolved, stats);
        confirmed = judged.exceeds;
        if (i === last) verdict = judged;
      }
      if (confirmed) status = 'regression';
      else verdict = current;
    }
    return { testId: test.testId, status, runSpeedFactor: speed(last), observedMs: durations[last], ...verdict };
  });
}
