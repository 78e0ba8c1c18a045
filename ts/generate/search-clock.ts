/**
 * The time budget of a record-mode run, child side: one deadline for the whole run (`--time-budget`), shared out
 * among the targets still to search, so one slow target (a curve's scalar multiplication, a parser that loops on
 * every odd input) cannot starve the rest. Each target gets at most its fair share of the time left (never less than
 * MIN_TARGET_MS); once the deadline has passed, targets are not searched any more and say so, and the run ends with
 * what it found. Far from the deadline the share is above the per-target cap, so the count budget alone bounds the
 * search and the output stays the same from run to run; a file written under a binding budget says so.
 */

/** Targets a module's walk may add beyond its planned ones (search-discover.ts keeps at most this many). */
export const MAX_FOUND_PER_MODULE = 24;

/** The least time a target gets when the run's budget is tight: enough for its seeds. */
export const MIN_TARGET_MS = 250;

/** Why a target was not searched, as its TODO says it. */
export function budgetReason(budgetS: number): string {
  return `not searched: the run's time budget (${budgetS} s) ran out before it; run again on fewer files, or with a larger --time-budget`;
}

export class SearchClock {
  /** Targets whose search the share cut short (their search may differ from an unhurried run). */
  cut = 0;

  /**
   * @param deadline epoch ms when the run's search must end (null: no run budget)
   * @param targetMs the per-target cap (the search's `budgetMs`)
   */
  constructor(
    private readonly deadline: number | null,
    private readonly targetMs: number,
  ) {}

  expired(now = Date.now()): boolean {
    return this.deadline !== null && now >= this.deadline;
  }

  /**
   * The time the next target's search may take: its fair share of what is left among `left` targets (this one
   * included), half of it (the other half is its suite's: shrinking); null without a run budget. A hard cap: a
   * class's search, whose per-function cap grows with its methods, gets no more.
   */
  shareMs(left: number, now = Date.now()): number | null {
    if (this.deadline === null) return null;
    return Math.floor(Math.max(MIN_TARGET_MS, (this.deadline - now) / Math.max(1, left) / 2));
  }

  /** After a target: it ran into a share smaller than the usual cap (its search may differ from an unhurried run). */
  settle(shareMs: number | null, elapsedMs: number): void {
    if (shareMs !== null && shareMs < this.targetMs && elapsedMs >= shareMs) this.cut++;
  }
}

/**
 * The last-resort time limit of one search process (parent side). With a run budget it is the run's deadline plus a
 * grace: the child ends by itself there, and a call that does not return is the stall watchdog's. Without one, the
 * per-target cap times the targets left, a class by its scale and each module still to walk with all the walk may
 * find (a module whose exports only the walk finds counts, so its classes are not killed half-way).
 */
export function roundLimitMs(o: { targetMs: number; units: number; walks: number; deadline?: number; graceMs: number; now?: number }): number {
  if (o.deadline !== undefined) return Math.max(1000, o.deadline - (o.now ?? Date.now()) + o.graceMs);
  return 30_000 + o.targetMs * (o.units + o.walks * MAX_FOUND_PER_MODULE);
}
