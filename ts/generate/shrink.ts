/**
 * Shrinking a chosen test's inputs (search child, after the suite is chosen), as property-testing libraries shrink a
 * counterexample: each argument is replaced by a smaller value of its kind (`qty: 1` rather than `qty: 2239`, `'a'`
 * rather than `'HelloY:\t -_ World'`, an array with fewer elements), the call is run again, and the smaller value is
 * kept when the call still runs the same blocks and ends the same way. Bounded by a count of re-runs (so the same
 * source and seed still give the same file) and by a time cap that is only a safety net.
 *
 * Loaded in the search child: imports nothing heavy.
 */
import type { Outcome } from './search-runtime';
import { CODE } from './value-code';
import { FACTORY } from './value-shapes';
import { cpuMs } from './work-clock';

/** Smaller values than `value` of the same kind, most wanted first; none for values that have no smaller form. */
export function smallerValues(value: unknown, near: readonly number[] = []): unknown[] {
  if (value !== null && (typeof value === 'object' || typeof value === 'function') && (CODE.has(value) || FACTORY.has(value))) return [];
  switch (typeof value) {
    case 'number':
      return smallerNumbers(value, near);
    case 'bigint':
      return value === 0n ? [] : [0n, 1n, value / 2n].filter((b, i, all) => abs(b) < abs(value) && all.indexOf(b) === i);
    case 'string':
      return smallerStrings(value);
    case 'boolean':
      return value ? [false] : [];
    case 'object':
      if (Array.isArray(value)) return smallerArrays(value, near);
      if (value !== null && Object.getPrototypeOf(value) === Object.prototype) return smallerObjects(value as Record<string, unknown>, near);
      return [];
    default:
      return [];
  }
}

function abs(b: bigint): bigint {
  return b < 0n ? -b : b;
}

/**
 * Shrinking stops short of the values under which the code's operations cannot be told apart: 0 and ±1 (`a * b` and
 * `a / b` agree for b = 1, `a + b` and `a - b` for b = 0), the empty string (`s + t` and `t`) and the empty array (a
 * `map` and a `filter`). A test of `add(0)` covers the code a test of `add(3)` covers, but survives its mutants.
 * Such values still come from the seeds (the code's constants, the edge cases), and shrinking gives them only where
 * the code compares with them (a boundary, below). 3 rather than 2: `2 + 2` is `2 * 2`.
 */
const SMALLEST_NUMBER = 3;

/**
 * Simpler means nearer zero, then an integer rather than a fraction, then positive. First the constants the code
 * compares with and their neighbours (`near`: `score >= 90` makes 91, 90 and 89 candidates), so a value shrinks onto the
 * boundary of the branch it takes, where a test tells `>=` from `>`; then SMALLEST_NUMBER, the integer part, then
 * values from half of it up to one less (a bisection towards zero, as property-testing libraries shrink integers),
 * never below SMALLEST_NUMBER in magnitude.
 */
function smallerNumbers(x: number, near: readonly number[]): number[] {
  if (!Number.isFinite(x) || Math.abs(x) <= SMALLEST_NUMBER) return [];
  const base = Math.trunc(x);
  // A fraction stays a fraction first (the code may test for one): 3.5, then its own fractional part above the floor.
  const fractions = Number.isInteger(x) ? [] : [SMALLEST_NUMBER + 0.5, -(SMALLEST_NUMBER + 0.5), SMALLEST_NUMBER + (x - base)];
  // The smallest boundary that keeps the blocks: 68 with `>= 50` and `>= 90` tries 49, then 50 (and ends there); an
  // option the code clamps with `Math.max(n, 1)` shrinks to 0, where the clamp shows.
  const boundaries = near
    .flatMap((c) => [c - 1, c, c + 1])
    .filter((c) => Number.isFinite(c) && Math.abs(c) < Math.abs(x))
    .sort((a, b) => Math.abs(a) - Math.abs(b) || b - a);
  const out = [SMALLEST_NUMBER, ...fractions, base, -base, -x];
  for (let step = Math.trunc(base / 2); step !== 0; step = Math.trunc(step / 2)) out.push(base - step);
  const simpler = (c: number) =>
    Math.abs(c) < Math.abs(x) || (Math.abs(c) === Math.abs(x) && ((Number.isInteger(c) && !Number.isInteger(x)) || (c > 0 && x < 0)));
  const plain = out.filter((c) => Math.abs(c) >= SMALLEST_NUMBER && simpler(c));
  return [...new Set([...boundaries, ...plain])].filter((c) => !Object.is(c, x));
}

/** Shorter strings first (`'a'`, halves, one character fewer), then the same length in plain letters; never `''`. */
function smallerStrings(s: string): string[] {
  if (s.length <= 1) return [];
  const chars = [...s];
  const out = ['a', chars[0], chars.slice(0, Math.ceil(chars.length / 2)).join(''), chars.slice(Math.floor(chars.length / 2)).join('')];
  for (let i = 0; i < Math.min(chars.length, 12); i++) out.push([...chars.slice(0, i), ...chars.slice(i + 1)].join(''));
  const plain = chars.map((c) => (/[A-Za-z0-9]/.test(c) ? c.toLowerCase() : c)).join('');
  out.push(plain);
  return [...new Set(out)].filter((c) => c !== '' && (c.length < s.length || (c.length === s.length && c < s)));
}

/**
 * Fewer elements, never fewer than two when there were two (one element is first and last, sorted and reversed, at
 * every index: a test of it tells none of these apart), then each element smaller in place.
 */
function smallerArrays(a: unknown[], near: readonly number[]): unknown[] {
  if (a.length === 0) return [];
  const least = Math.min(a.length, 2);
  const out: unknown[][] = [a.slice(0, least), a.slice(0, Math.ceil(a.length / 2))];
  for (let i = 0; i < Math.min(a.length, 8); i++) out.push([...a.slice(0, i), ...a.slice(i + 1)]);
  // Then each element smaller, in place (the first few candidates of each).
  for (let i = 0; i < Math.min(a.length, 8); i++) for (const v of smallerValues(a[i], near).slice(0, 3)) out.push(a.map((x, k) => (k === i ? v : x)));
  const seen = new Set<string>();
  return out.filter((c) => c.length >= least && c.length <= a.length && !seen.has(keyOf(c)) && Boolean(seen.add(keyOf(c))) && keyOf(c) !== keyOf(a));
}

/** Each property's value smaller, one property at a time (properties are never dropped: the type may need them). */
function smallerObjects(o: Record<string, unknown>, near: readonly number[]): unknown[] {
  const out: unknown[] = [];
  for (const key of Object.keys(o).slice(0, 12)) for (const v of smallerValues(o[key], near).slice(0, 4)) out.push({ ...o, [key]: v });
  return out;
}

function keyOf(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/** How a run ended: the last step's kind and, for a throw, the error it asserts (a shrunk call must end the same). */
export function behaviourOf(ran: { blocks: Set<string>; steps: Array<{ outcome: Outcome }> }): Behaviour {
  const o = ran.steps[ran.steps.length - 1]?.outcome;
  const ending = !o ? 'none' : o.kind === 'throws' || o.kind === 'rejects' ? `${o.kind} ${o.error.name}: ${o.error.message}` : o.kind;
  return { blocks: ran.blocks, ending };
}

/** What a shrink step keeps equal: the blocks a call ran and how it ended (`returns`, `throws RangeError`, ...). */
export interface Behaviour {
  blocks: Set<string>;
  ending: string;
}

export interface ShrinkHooks<C> {
  /** The candidate's argument lists: the constructor's (classes) and each call's. */
  args(c: C): unknown[][];
  /** The candidate with these argument lists, or null when they do not make a valid call (it must stay as valid). */
  rebuild(c: C, args: unknown[][]): C | null;
  run(c: C): Promise<Behaviour>;
  /** The numbers the code compares with: shrinking tries them (and their neighbours) first. */
  near?: readonly number[];
}

function same(a: Behaviour, b: Behaviour): boolean {
  if (a.ending !== b.ending || a.blocks.size !== b.blocks.size) return false;
  for (const k of a.blocks) if (!b.blocks.has(k)) return false;
  return true;
}

/**
 * Whether `value` would equal another number or string argument of the candidate that the value it replaces did
 * not: two priorities 5 and 7 shrunk to 3 and 3 make a heap's order (and every `<` against `<=`) untestable.
 */
function collides(args: unknown[][], at: readonly [number, number], value: unknown): boolean {
  if (typeof value !== 'number' && typeof value !== 'string') return false;
  const before = args[at[0]][at[1]];
  return args.some((l, k) => l.some((v, j) => (k !== at[0] || j !== at[1]) && v === value && v !== before));
}

/** The argument lists with argument `at[1]` of list `at[0]` replaced by `value`. */
function replaced(args: unknown[][], at: readonly [number, number], value: unknown): unknown[][] {
  return args.map((l, k) => (k === at[0] ? l.map((v, j) => (j === at[1] ? value : v)) : l));
}

/**
 * The smallest candidate found that behaves like `cand` (`wanted`): greedy, argument by argument, each replaced by
 * the first smaller value that keeps the behaviour, until no argument shrinks or `budget.runs` re-runs are spent
 * (or the CPU time reaches `budget.until`, work-clock.ts).
 */
export async function shrink<C>(cand: C, wanted: Behaviour, hooks: ShrinkHooks<C>, budget: { runs: number; until: number }): Promise<{ cand: C; runs: number }> {
  let best = cand;
  let runs = 0;
  const spent = () => runs >= budget.runs || cpuMs() >= budget.until;
  /** The first smaller value of one argument that keeps the behaviour, as a candidate; null when none does. */
  const step = async (args: unknown[][], list: number, i: number): Promise<C | null> => {
    for (const smaller of smallerValues(args[list][i], hooks.near ?? [])) {
      if (spent()) return null;
      if (collides(args, [list, i], smaller)) continue;
      const next = hooks.rebuild(best, replaced(args, [list, i], smaller));
      if (next === null) continue;
      runs++;
      if (same(await hooks.run(next), wanted)) return next;
    }
    return null;
  };
  // Passes over the arguments; an argument that shrank is tried again at once (its next smaller value), the others
  // in the next pass only if something shrank in this one.
  for (let improved = true; improved && !spent(); ) {
    improved = false;
    const positions = hooks.args(best).flatMap((l, list) => l.map((_, i) => [list, i] as const));
    for (const [list, i] of positions) {
      for (let next = await step(hooks.args(best), list, i); next !== null; next = await step(hooks.args(best), list, i)) {
        best = next;
        improved = true;
      }
    }
  }
  return { cand: best, runs };
}

/** A chosen run of the search, as shrinking sees it. */
export interface ChosenRun<C> {
  cand: C;
  exit: string | null;
}

/**
 * Shrinks the chosen runs in place: the set cover's picks (the first `covering`) keep their blocks and how they end;
 * the others (boundary cases, distinct results) were kept for what they return, so `wanted(run, true)` keeps exactly
 * that. A run whose shrunk call equals an earlier chosen one is dropped (its blocks are that one's).
 */
export async function shrinkChosen<C, R extends ChosenRun<C>>(
  chosen: R[],
  covering: number,
  io: Omit<ShrinkHooks<C>, 'run'> & { run: (c: C) => Promise<R>; wanted: (run: R, exact: boolean) => Behaviour; key: (c: C) => string },
  budget: { runs: number; until: number },
): Promise<void> {
  let left = budget.runs;
  const extras = new Set(chosen.slice(covering));
  const keys = new Set<string>();
  for (let i = 0; i < chosen.length; i++) {
    const r = chosen[i];
    if (left > 0 && r.exit === null) {
      const exact = extras.has(r);
      const hooks: ShrinkHooks<C> = { args: io.args, rebuild: io.rebuild, near: io.near, run: async (c) => io.wanted(await io.run(c), exact) };
      // Measured again: runs of a batch that reached nothing new carry no blocks of their own.
      const wanted = await hooks.run(r.cand);
      // An even share of what is left, so the last tests get shrunk too.
      const share = Math.max(4, Math.floor(left / (chosen.length - i)));
      const { cand, runs } = await shrink(r.cand, wanted, hooks, { runs: Math.min(left, share, 24), until: budget.until });
      left -= runs + 1;
      chosen[i] = { ...r, cand };
    }
    const k = io.key(chosen[i].cand);
    if (keys.has(k)) chosen.splice(i--, 1);
    else keys.add(k);
  }
}
