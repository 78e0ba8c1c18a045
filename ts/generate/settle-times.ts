/**
 * How long the search waits for a call's promise, per method: the settle time, until one of the method's promises
 * never settled; then three times the slowest of its promises that settled, not less than SHORT_SETTLE_MS and not
 * more than the settle time (a throttle or a queue whose promises wait on something that never comes would cost the
 * full settle time on every call of it).
 */
export const SHORT_SETTLE_MS = 100;

export class SettleTimes {
  /** Per method (`''` for the target itself, `new` for a sequence's construction): the slowest promise that settled. */
  private readonly slowest = new Map<string, number>();
  /** Methods one of whose promises never settled. */
  private readonly unsettled = new Set<string>();

  constructor(private readonly settleMs: number) {}

  waitMs(key: string): number {
    if (!this.unsettled.has(key)) return this.settleMs;
    return Math.min(this.settleMs, Math.max(SHORT_SETTLE_MS, 3 * (this.slowest.get(key) ?? 0)));
  }

  settled(key: string, ms: number): void {
    this.slowest.set(key, Math.max(this.slowest.get(key) ?? 0, ms));
  }

  neverSettled(key: string): void {
    this.unsettled.add(key);
  }
}
