/**
 * Memory tracking: per-test heap deltas (measured after a forced GC when node runs with --expose-gc, so the number is
 * retained memory rather than garbage), and a leak heuristic that only fires on steady growth across repeats.
 */
import type { FixtureFunction } from './fixture-types';

export interface MemorySample {
  /** Heap used after the test minus before it, in bytes. */
  heapDeltaBytes: number;
  heapUsedBytes: number;
  rssBytes: number;
  /** True when a GC ran before each reading (node --expose-gc). */
  gcForced: boolean;
}

/** What the fixture stores in `task.meta.tddFastMemory`; the perf reporter reads it. */
export interface MemoryMeta {
  samples: MemorySample[];
}

export const MEMORY_META_KEY = 'tddFastMemory';

type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;
type GlobalWithGc = typeof globalThis & { gc?: GcFunction };

/**
 * Which collection runs before each heap reading. `minor` (default) empties the young generation in well under a
 * millisecond, which removes a test's short-lived garbage; `full` is exact but costs milliseconds per test with a
 * large heap; `off` never collects.
 */
export type GcMode = 'minor' | 'full' | 'off';

export function gcAvailable(): boolean {
  return typeof (globalThis as GlobalWithGc).gc === 'function';
}

function collect(mode: GcMode = 'full'): boolean {
  const gc = (globalThis as GlobalWithGc).gc;
  if (mode === 'off' || typeof gc !== 'function') return false;
  if (mode === 'minor') gc({ type: 'minor', execution: 'sync' });
  else gc();
  return true;
}

export interface MemoryTrackingFixtures {
  tddFastMemory: [FixtureFunction<void, { task: { meta: object } }>, { auto: true }];
}

/**
 * An auto fixture: `base.extend({ ...sqliteFixtures(t), ...memoryTracking() })`. Each run of a test (including
 * `repeats`) appends a sample to `task.meta.tddFastMemory.samples`.
 */
export function memoryTracking(options: { gc?: GcMode } = {}): MemoryTrackingFixtures {
  const mode = options.gc ?? 'minor';
  const track: FixtureFunction<void, { task: { meta: object } }> = async ({ task }, use) => {
    const gcForced = collect(mode);
    const before = process.memoryUsage().heapUsed;
    await use(undefined);
    collect(mode);
    const usage = process.memoryUsage();
    const meta = task.meta as Record<string, MemoryMeta | undefined>;
    const entry = (meta[MEMORY_META_KEY] ??= { samples: [] });
    entry.samples.push({
      heapDeltaBytes: usage.heapUsed - before,
      heapUsedBytes: usage.heapUsed,
      rssBytes: usage.rss,
      gcForced,
    });
  };
  return { tddFastMemory: [track, { auto: true }] };
}

export interface LeakVerdict {
  suspected: boolean;
  /** Total growth from the first to the last reading, in MB. */
  growthMb: number;
  /** Share of consecutive steps that grew (1 = monotonic). */
  growingStepShare: number;
  /** Least-squares slope in MB per repeat. */
  slopeMbPerRepeat: number;
  reason: string;
}

export interface LeakOptions {
  /** Minimum total growth before suspecting a leak. Default 1 MB. */
  thresholdMb?: number;
  /** Minimum share of repeat-to-repeat steps that must grow. Default 0.8. */
  minGrowingShare?: number;
  /** Minimum number of readings. Default 4. */
  minRepeats?: number;
}

/**
 * Leak suspicion from heap-used readings taken after each repeat of the same work. One big allocation or a
 * sawtooth from GC is not a leak; memory that keeps climbing, repeat after repeat, past a threshold is.
 */
export function detectLeak(heapUsedBytes: readonly number[], options: LeakOptions = {}): LeakVerdict {
  const thresholdMb = options.thresholdMb ?? 1;
  const minGrowingShare = options.minGrowingShare ?? 0.8;
  const minRepeats = options.minRepeats ?? 4;
  const mb = heapUsedBytes.map((b) => b / (1024 * 1024));
  if (mb.length < minRepeats) {
    return { suspected: false, growthMb: 0, growingStepShare: 0, slopeMbPerRepeat: 0, reason: `fewer than ${minRepeats} readings` };
  }
  let growing = 0;
  for (let i = 1; i < mb.length; i++) if (mb[i] > mb[i - 1]) growing++;
  const growingStepShare = growing / (mb.length - 1);
  const n = mb.length;
  const meanX = (n - 1) / 2;
  const meanY = mb.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - meanX) * (mb[i] - meanY);
    den += (i - meanX) ** 2;
  }
  const slopeMbPerRepeat = den === 0 ? 0 : num / den;
  const growthMb = mb[n - 1] - mb[0];
  const suspected = growthMb >= thresholdMb && growingStepShare >= minGrowingShare && slopeMbPerRepeat > 0;
  const reason = suspected
    ? `heap grew ${growthMb.toFixed(2)} MB over ${n} repeats (${Math.round(growingStepShare * 100)}% of steps grew)`
    : growthMb < thresholdMb
      ? `growth ${growthMb.toFixed(2)} MB below ${thresholdMb} MB`
      : `growth not steady (${Math.round(growingStepShare * 100)}% of steps grew)`;
  return { suspected, growthMb, growingStepShare, slopeMbPerRepeat, reason };
}

/** Runs `work` `repeats` times and returns heap-used readings after each (GC forced when available). */
export async function measureHeapOverRepeats(work: () => unknown, repeats = 10): Promise<number[]> {
  const readings: number[] = [];
  for (let i = 0; i < repeats; i++) {
    await work();
    collect();
    readings.push(process.memoryUsage().heapUsed);
  }
  return readings;
}
