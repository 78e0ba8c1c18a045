import { describe, expect, it } from 'vitest';
import { detectRegressions, judgeSample, type TestSeries } from '../../ts/testing/regression';
import { detectLeak } from '../../ts/testing/memory';

/** Deterministic PRNG + normal variates, so the rates below are reproducible. */
function rng(seed: number) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/**
 * A realistic timing model: per-test base duration (1-200 ms, log-uniform), 8% multiplicative jitter, a per-run
 * machine factor (busy CI neighbour, sigma 10%), and 2% heavy-tailed outliers (GC pause: 1.3-3x).
 */
function simulateSuite(seed: number, tests: number, runs: number, slowdown?: { testIndex: number; fromRun: number; factor: number }) {
  const { uniform, normal } = rng(seed);
  const bases = Array.from({ length: tests }, () => Math.exp(Math.log(1) + uniform() * (Math.log(200) - Math.log(1))));
  const series: TestSeries[] = bases.map((_, i) => ({ testId: `t${i}`, samples: [] }));
  const history: TestSeries[][] = [];
  for (let run = 1; run <= runs; run++) {
    const machine = Math.exp(0.1 * normal());
    bases.forEach((base, i) => {
      let duration = base * machine * Math.exp(0.08 * normal());
      if (uniform() < 0.02) duration *= 1.3 + 1.7 * uniform();
      if (slowdown && i === slowdown.testIndex && run >= slowdown.fromRun) duration *= slowdown.factor;
      (series[i].samples as { runId: number; durationMs: number }[]).push({ runId: run, durationMs: duration });
    });
    history.push(series.map((s) => ({ testId: s.testId, samples: [...s.samples] })));
  }
  return { bases, history };
}

describe('judgeSample', () => {
  it('needs at least 5 earlier samples', () => {
    expect(judgeSample([10, 10, 10, 10], 40)).toMatchObject({ exceeds: false, enoughHistory: false });
    expect(judgeSample([10, 10, 10, 10, 10], 40)).toMatchObject({ exceeds: true, enoughHistory: true });
  });
  it('ignores a 3x slowdown that stays under the 2 ms floor', () => {
    expect(judgeSample([0.5, 0.5, 0.6, 0.5, 0.5], 1.6).exceeds).toBe(false);
  });
  it('ignores a change within 3x the median absolute deviation of a noisy test', () => {
    const noisy = [10, 20, 14, 6, 18, 9, 16];
    // median 14, MAD 4: +11 ms is 1.8x but inside 3 x MAD = 12 ms
    expect(judgeSample(noisy, 25).exceeds).toBe(false);
    expect(judgeSample([14, 14.5, 13.8, 14.2, 14.1], 25).exceeds).toBe(true);
  });
  it('uses the configured factor', () => {
    expect(judgeSample([10, 10, 10, 10, 10], 17).exceeds).toBe(true);
    expect(judgeSample([10, 10, 10, 10, 10], 17, { factor: 2, floorMs: 2, noiseFactor: 3, minSamples: 5, window: 20, confirmRuns: 2, normalizeRunSpeed: true }).exceeds).toBe(false);
  });
});

describe('detectRegressions', () => {
  const steady = (values: number[]): TestSeries => ({ testId: 'x', samples: values.map((durationMs, i) => ({ runId: i + 1, durationMs })) });

  it('calls one slow run a suspect and two consecutive slow runs a regression', () => {
    expect(detectRegressions([steady([10, 10, 10, 10, 10, 10, 25])])[0].status).toBe('suspect');
    expect(detectRegressions([steady([10, 10, 10, 10, 10, 10, 25, 25])])[0].status).toBe('regression');
    expect(detectRegressions([steady([10, 10, 10, 10, 10, 10, 25, 25])], { confirmRuns: 1 })[0].status).toBe('regression');
    expect(detectRegressions([steady([10, 10, 10])])[0].status).toBe('insufficient-history');
  });

  it('does not flag tests when the whole run was slower (busy machine)', () => {
    const series = Array.from({ length: 10 }, (_, t) => ({
      testId: `t${t}`,
      samples: [...Array.from({ length: 8 }, (_, i) => ({ runId: i + 1, durationMs: 10 + t })), { runId: 9, durationMs: (10 + t) * 1.8 }, { runId: 10, durationMs: (10 + t) * 1.8 }],
    }));
    expect(detectRegressions(series).filter((v) => v.status !== 'ok')).toEqual([]);
    expect(detectRegressions(series, { normalizeRunSpeed: false }).every((v) => v.status === 'regression')).toBe(true);
  });

  it('catches a 2x slowdown of a >= 5 ms test in at least 95% of trials (synthetic noisy histories)', () => {
    let trials = 0;
    let caught = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const { bases, history } = simulateSuite(seed, 40, 14, undefined);
      const target = bases.findIndex((b) => b >= 5);
      const slowed = simulateSuite(seed, 40, 14, { testIndex: target, fromRun: 13, factor: 2 }).history;
      void history;
      trials++;
      // Caught = flagged as a confirmed regression once the slow build has run twice (runs 13 and 14).
      const verdict = detectRegressions(slowed[13])[target];
      if (verdict.status === 'regression') caught++;
    }
    if (process.env.TDD_FAST_PRINT_RATES) console.log(`detection rate ${caught}/${trials}`);
    expect(caught / trials).toBeGreaterThanOrEqual(0.95);
  });

  it('raises false alarms on at most 1% of tests when an unchanged suite is rerun 20 times', () => {
    let tests = 0;
    let alarmed = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const { history } = simulateSuite(1000 + seed, 200, 30);
      const everAlarmed = new Set<string>();
      for (let run = 10; run < 30; run++) {
        for (const v of detectRegressions(history[run])) if (v.status === 'regression') everAlarmed.add(v.testId);
      }
      tests += 200;
      alarmed += everAlarmed.size;
    }
    if (process.env.TDD_FAST_PRINT_RATES) console.log(`false alarms ${alarmed}/${tests} tests`);
    expect(alarmed / tests).toBeLessThanOrEqual(0.01);
  });
});

describe('detectLeak', () => {
  const MB = 1024 * 1024;
  it('suspects steady growth above the threshold', () => {
    const readings = Array.from({ length: 10 }, (_, i) => 50 * MB + i * 0.5 * MB);
    expect(detectLeak(readings, { thresholdMb: 1 })).toMatchObject({ suspected: true });
  });
  it('does not suspect a GC sawtooth with no net growth', () => {
    const readings = Array.from({ length: 10 }, (_, i) => 50 * MB + (i % 2) * 3 * MB);
    expect(detectLeak(readings).suspected).toBe(false);
  });
  it('does not suspect steady growth below the threshold, or one big step', () => {
    expect(detectLeak(Array.from({ length: 10 }, (_, i) => 50 * MB + i * 0.01 * MB)).suspected).toBe(false);
    expect(detectLeak([50, 50, 50, 80, 80, 80, 80].map((m) => m * MB)).suspected).toBe(false);
  });
});
