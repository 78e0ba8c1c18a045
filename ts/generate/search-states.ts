/**
 * New object states as parents of longer sequences (child side), EvoSuite's and Randoop's idea: a call that leaves the
 * object in a state no earlier sequence left it in is worth extending even when it ran no new block itself.
 * `tree.insert({ minX: 1, ... })` runs the same blocks as `tree.insert('a')`, but only after the first does
 * `tree.search(box)` go down into the tree. States are compared by their abstraction (the instance's fields with
 * strings and numbers replaced by their kind), so the pool grows with the kinds of state, not with every value.
 */
import type { Ran } from './search-run';

/** Parents kept per target for their state alone. */
const MAX_PARENTS = 48;
/** New states that count as progress (reset the stale count): the first few; the rest only join the parents. */
export const PROGRESS_STATES = 12;

/** The instance's state with its literals replaced by their kind: `{ n: 3, s: 'a' }` -> `{ n: #n, s: #s }`. */
export function abstractState(code: string): string {
  return code
    .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '#s')
    .replace(/-?\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?n?\b|-?Infinity\b|NaN\b/g, '#n');
}

export class StateParents {
  readonly runs: Ran[] = [];
  private readonly seen = new Set<string>();

  /** Keeps a sequence that returned normally and left a state of a kind not seen before; true when kept. */
  note(ran: Ran): boolean {
    // A state reached through a call that never settled is not one to extend: each extension waits for it again.
    if (ran.state === null || ran.throws || ran.exit !== null || ran.steps.length < 2 || !ran.cand.valid) return false;
    if (ran.steps.some((st) => st.outcome.kind === 'timeout')) return false;
    const key = abstractState(ran.state);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.runs.length >= MAX_PARENTS) return false;
    this.runs.push(ran);
    return true;
  }
}
