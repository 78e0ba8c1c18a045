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
import { median, medianAbsoluteDeviation } from './stats';

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

/** Judges one sample against a baseline of earlier durations. */
export function judgeSample(
  baseline: readonly number[],
  currentMs: number,
  options: ResolvedRegressionOptions = DEFAULT_REGRESSION_OPTIONS,
): SampleJudgement {
  const recent = baseline.slice(-options.window);
  const baselineMs = median(recent);
  const madMs = medianAbsoluteDeviation(recent, baselineMs);
  const deltaMs = currentMs - baselineMs;
  const ratio = baselineMs > 0 ? currentMs / baselineMs : currentMs > 0 ? Infinity : 1;
  const base = { baselineMs, madMs, currentMs, ratio, deltaMs };
  if (recent.length < options.minSamples) {
    return { ...base, exceeds: false, enoughHistory: false, reason: `${recent.length} of ${options.minSamples} samples` };
  }
  const noiseMs = options.noiseFactor * madMs;
  const failures: string[] = [];
  if (ratio < options.factor) failures.push(`ratio ${ratio.toFixed(2)} < ${options.factor}`);
  if (deltaMs <= options.floorMs) failures.push(`+${deltaMs.toFixed(2)} ms <= floor ${options.floorMs} ms`);
  if (deltaMs <= noiseMs) failures.push(`+${deltaMs.toFixed(2)} ms <= noise ${noiseMs.toFixed(2)} ms`);
  const exceeds = failures.length === 0;
  const reason = exceeds
    ? `${ratio.toFixed(2)}x slower (+${deltaMs.toFixed(1)} ms) than baseline ${baselineMs.toFixed(1)} ms ` +
      `(noise ${noiseMs.toFixed(2)} ms, ${recent.length} samples)`
    : failures.join('; ');
  return { ...base, exceeds, enoughHistory: true, reason };
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
  const factors = new Map<number, number>();
  for (const runId of runIds) {
    const ratios: number[] = [];
    for (const test of series) {
      const index = test.samples.findIndex((s) => s.runId === runId);
      if (index < options.minSamples) continue;
      const baseline = median(test.samples.slice(Math.max(0, index - options.window), index).map((s) => s.durationMs));
      if (baseline > 0) ratios.push(test.samples[index].durationMs / baseline);
    }
    factors.set(runId, ratios.length >= 5 ? median(ratios) : 1);
  }
  return factors;
}

/** Judges the last sample of every series. `confirmRuns` consecutive exceeding runs make a regression. */
export function detectRegressions(series: readonly TestSeries[], options: RegressionOptions = {}): RegressionVerdict[] {
  const resolved = resolveRegressionOptions(options);
  const confirm = Math.max(1, resolved.confirmRuns);
  const recentRunIds = new Set<number>();
  for (const test of series) for (const s of test.samples.slice(-confirm)) recentRunIds.add(s.runId);
  const factors = resolved.normalizeRunSpeed
    ? runSpeedFactors(series, [...recentRunIds], resolved)
    : new Map<number, number>();

  return series.map((test) => {
    const durations = test.samples.map((s) => s.durationMs);
    const speed = (i: number) => factors.get(test.samples[i].runId) ?? 1;
    const last = durations.length - 1;
    if (last < 0) {
      return {
        testId: test.testId, status: 'insufficient-history', runSpeedFactor: 1, observedMs: 0, exceeds: false, enoughHistory: false,
        baselineMs: 0, madMs: 0, currentMs: 0, ratio: 1, deltaMs: 0, reason: 'no samples',
      };
    }
    // The current run judged against everything before it: enough to call it a suspect.
    const current = judgeSample(durations.slice(0, last), durations[last] / speed(last), resolved);
    let status: RegressionStatus = !current.enoughHistory ? 'insufficient-history' : current.exceeds ? 'suspect' : 'ok';
    let verdict: SampleJudgement = current;
    if (current.exceeds) {
      // Confirmation: the last `confirm` runs each exceed a baseline that excludes all of them.
      const firstJudged = last - confirm + 1;
      const baseline = durations.slice(0, Math.max(0, firstJudged));
      let confirmed = firstJudged >= 0;
      for (let i = Math.max(0, firstJudged); i <= last && confirmed; i++) {
        const judged = judgeSample(baseline, durations[i] / speed(i), resolved);
        confirmed = judged.exceeds;
        if (i === last) verdict = judged;
      }
      if (confirmed) status = 'regression';
      else verdict = current;
    }
    return { testId: test.testId, status, runSpeedFactor: speed(last), observedMs: durations[last], ...verdict };
  });
}
