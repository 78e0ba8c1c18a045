/** Small, allocation-light statistics helpers shared by the template, pool, reporter and regression code. */

/** Linear-interpolated percentile (p in 0..100) of an unsorted sample. Returns 0 for an empty sample. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return percentileOfSorted(sorted, p);
}

export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (n === 1) return sorted[0];
  const rank = (Math.min(Math.max(p, 0), 100) / 100) * (n - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function median(values: ArrayLike<number>): number {
  return percentile(values, 50);
}

/** Median absolute deviation: a spread measure that a few outliers cannot inflate. */
export function medianAbsoluteDeviation(values: ArrayLike<number>, center = median(values)): number {
  if (values.length === 0) return 0;
  const deviations = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs(values[i] - center);
  return median(deviations);
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Keeps the most recent `capacity` samples in a ring buffer, so recording a sample never allocates
 * and long test runs cannot grow memory without bound.
 */
export class SampleRing {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;
  private total = 0;

  constructor(capacity = 10_000) {
    this.samples = new Float64Array(capacity);
  }

  record(value: number): void {
    this.samples[this.next] = value;
    this.next = (this.next + 1) % this.samples.length;
    if (this.filled < this.samples.length) this.filled++;
    this.total++;
  }

  /** How many samples were ever recorded (not only the retained ones). */
  get count(): number {
    return this.total;
  }

  summary(): LatencySummary {
    const kept = this.samples.slice(0, this.filled).sort();
    let sum = 0;
    for (const v of kept) sum += v;
    return {
      count: this.total,
      p50: percentileOfSorted(kept, 50),
      p90: percentileOfSorted(kept, 90),
      p99: percentileOfSorted(kept, 99),
      max: kept.length ? kept[kept.length - 1] : 0,
      mean: kept.length ? sum / kept.length : 0,
    };
  }
}

/** Milliseconds elapsed since a `process.hrtime.bigint()` reading, as a float. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
