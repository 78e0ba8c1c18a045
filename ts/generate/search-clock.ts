/**
 * The time budget of a record-mode run, child side: one budget for the whole run (`--time-budget`), shared out among
 * the targets still to search, so one slow target (a curve's scalar multiplication, a parser that loops on every odd
 * input) cannot starve the rest. The budget counts the CPU time of the search process (work-clock.ts; the rounds
 * before this one included), so a loaded machine does not search less; a wall-clock backstop, WALL_BACKSTOP_FACTOR
 * times the budget, still ends a run whose process is starved or blocked. Each target gets at most its fair share of
 * the time left (never less than MIN_TARGET_MS); once the budget is spent, targets are not searched any more and say
 * so, and the run ends with what it found. Far from the end of the budget the share is above the per-target cap, so
 * the count budget alone bounds the search and the output stays the same from run to run; a file written under a
 * binding budget says so.
 */
import { cpuMs } from './work-clock';

/** Targets a module's walk may add beyond its planned ones (search-discover.ts keeps at most this many). */
export const MAX_FOUND_PER_MODULE = 24;

/** The least time a target gets when the run's budget is tight: enough for its seeds. */
export const MIN_TARGET_MS = 250;

/** Why a target was not searched, as its TODO says it. */
export function budgetReason(budgetS: number): string {
  return `not searched: the run's time budget (${budgetS} s) ran out before it; run again on fewer files, or with a larger --time-budget`;
}

/** The run's wall-clock backstop, in budgets: `--time-budget 180` ends after 720 s of wall time whatever the CPU. */
export const WALL_BACKSTOP_FACTOR = 4;

/** The run's budget: CPU ms for the whole run, and the epoch ms of its wall-clock backstop. */
export interface RunBudget {
  cpuMs: number;
  wallDeadline: number | null;
}

export class SearchClock {
  /** Targets whose search the share cut short (their search may differ from an unhurried run). */
  cut = 0;

  /**
   * @param budget the run's budget (null: none)
   * @param targetMs the per-target cap (the search's `budgetMs`)
   * @param used the CPU time the run has used so far, ms (earlier rounds' included)
   */
  constructor(
    private readonly budget: RunBudget | null,
    private readonly targetMs: number,
    private readonly used: () => number = cpuMs,
  ) {}

  expired(now = Date.now()): boolean {
    if (this.budget === null) return false;
    return this.used() >= this.budget.cpuMs || (this.budget.wallDeadline !== null && now >= this.budget.wallDeadline);
  }

  /**
   * The CPU time the next target's search may take: its fair share of what is left among `left` targets (this one
   * included), half of it (the other half is its suite's: shrinking); null without a run budget. A hard cap: a
   * class's search, whose per-function cap grows with its methods, gets no more.
   */
  shareMs(left: number): number | null {
    if (this.budget === null) return null;
    return Math.floor(Math.max(MIN_TARGET_MS, (this.budget.cpuMs - this.used()) / Math.max(1, left) / 2));
  }

  /** After a target (`usedMs`: the CPU time it took): it ran into a share smaller than the usual cap. */
  settle(shareMs: number | null, usedMs: number): void {
    if (shareMs !== null && shareMs < this.targetMs && usedMs >= shareMs) this.cut++;
  }
}

/**
 * The last-resort time limit of one search process (parent side). With a run budget it is the run's wall-clock
 * backstop plus a grace: the child ends by itself when its CPU budget is spent, and by the backstop, and a call that does not return is the stall watchdog's. Without one, the
 * per-target cap times the targets left, a class by its scale and each module still to walk with all the walk may
 * find (a module whose exports only the walk finds counts, so its classes are not killed half-way).
 */
export function roundLimitMs(o: { targetMs: number; units: number; walks: number; deadline?: number; graceMs: number; now?: number }): number {
  if (o.deadline !== undefined) return Math.max(1000, o.deadline - (o.now ?? Date.now()) + o.graceMs);
  return 30_000 + o.targetMs * (o.units + o.walks * MAX_FOUND_PER_MODULE);
}
