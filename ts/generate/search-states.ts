/**
 * New object states as parents of longer sequences (child side), EvoSuite's and Randoop's idea: a call that leaves the
 * object in a state no earlier sequence left it in is worth extending even when it ran no new block itself.
 * `tree.insert({ minX: 1, ... })` runs the same blocks as `tree.insert('a')`, but only after the first does
 * `tree.search(box)` go down into the tree. A state is new when its object holds a field path or a kind of value
 * no earlier state held (array positions merged), so the pool grows with what the object can hold, not with every
 * value, length or combination. A parent of this kind is extended by a call that may take its earlier values.
 */
import type { Ran } from './search-run';

/** Parents kept per target for their state alone. */
const MAX_PARENTS = 48;
/** New states that count as progress (reset the stale count): the first few; the rest only join the parents. */
export const PROGRESS_STATES = 12;

/** The instance's state with its literals replaced by their kind: `{ n: 3, s: 'a' }` -> `{ n: #n, s: #s }`. */
function literalKinds(code: string): string {
  return code
    .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '#s')
    .replace(/-?\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?n?\b|-?Infinity\b|NaN\b/g, '#n');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'empty' : 'array';
  return typeof value;
}

/** `path:kind` of every leaf and container, array positions merged (`items[].lo:number`), a few levels deep. */
function kindPaths(value: unknown, at: string, out: Set<string>, depth: number): void {
  out.add(`${at}:${kindOf(value)}`);
  if (depth > 4 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) for (const v of value.slice(0, 32)) kindPaths(v, `${at}[]`, out, depth + 1);
  else for (const [k, v] of Object.entries(value).slice(0, 32)) kindPaths(v, `${at}.${k}`, out, depth + 1);
}

/**
 * The kinds of a state: its fields' paths and kinds, positions in arrays merged (`items[].lo:number`), read back
 * from the state's code; a state that does not evaluate (a class instance inside) is its code with literals as kinds.
 */
export function stateKinds(code: string): string[] {
  try {
    // An instance of the module's class inside (`new mod.List()`) is one kind of its own.
    const value = new Function(`return (${code.replace(/new mod(?:\.[\w$]+)+\([^()]*\)/g, "{ '#instance': 1 }")});`)() as unknown;
    const out = new Set<string>();
    kindPaths(value, '', out, 0);
    return [...out].sort();
  } catch {
    return [literalKinds(code)];
  }
}

/**
 * Parents kept for a new kind of state: a sequence whose object holds a field path or kind no earlier one held
 * (`items[].lo:number` after `items[]:string`). Handed out in turn, so each gets its extensions.
 */
export class StateParents {
  readonly runs: Ran[] = [];
  private readonly seen = new Set<string>();
  private turn = 0;

  /** Keeps a sequence that returned normally and left a new kind of state; true when kept. */
  note(ran: Ran): boolean {
    const state = ran.state ?? ran.watched ?? null;
    if (state === null || ran.throws || ran.exit !== null || ran.steps.length < 2 || !ran.cand.valid) return false;
    // A state reached through a call that never settled is not one to extend: each extension waits for it again.
    if (ran.steps.some((st) => st.outcome.kind === 'timeout')) return false;
    // What a function object's settable properties read is a state by its values (`isEnabled: false` after true).
    const fresh = (ran.state === null ? [`=${state}`] : stateKinds(state)).filter((k) => !this.seen.has(k));
    if (fresh.length === 0) return false;
    fresh.forEach((k) => this.seen.add(k));
    if (this.runs.length >= MAX_PARENTS) return false;
    this.runs.push(ran);
    return true;
  }

  /** The next parent in turn. */
  next(): Ran {
    return this.runs[this.turn++ % this.runs.length];
  }
}
