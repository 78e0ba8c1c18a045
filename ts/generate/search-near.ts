/**
 * The other side of a truthiness test, next to calls that already reached something (child side): each kept call
 * again with one argument made empty (`''`, `0`, `false`, `[]`, left out when optional). `if (what)` after
 * `if (ok)` is only reached by `check(false, '')`, two changes away from the typical call: the first change was
 * kept for its new blocks, and the second is tried here on purpose instead of waiting for a random mutation to
 * make it. Bounded: the first kept calls, each parameter once.
 */
import { fits } from './fits';
import { restGroup } from './search-args';
import { clone } from './value-shapes';
import type { TargetSearch } from './search-candidates';
import type { SpecParam } from './search-runtime';

/** Kept calls whose neighbours are tried. */
const PARENTS = 8;

/** The empty values of a parameter's kind that fit it (undefined first when it may be left out). */
function emptiesOf(p: SpecParam): unknown[] {
  const out: unknown[] = p.optional ? [undefined] : [];
  for (const v of ['', 0, false, null, []]) if (fits(v, p.shape, 'search')) out.push(v);
  return out.slice(0, 2);
}

/** The call `values` with argument `i` made `empty` (left out at the end: written without it, so a default applies). */
function withEmpty(values: unknown[], i: number, empty: unknown): unknown[] | null {
  const next = values.map((v) => clone(v));
  while (next.length <= i) next.push(undefined);
  if (next[i] === empty) return null;
  next[i] = clone(empty);
  return empty === undefined && i === next.length - 1 ? next.slice(0, i) : next;
}

export async function emptyNeighbours(s: TargetSearch): Promise<void> {
  const { target } = s;
  const empties = target.params.map((p) => (p.rest ? [] : emptiesOf(p)));
  const parents = s.kept.slice(0, PARENTS).flatMap((r) => (r.cand.steps[0] ? [restGroup(target, r.cand.steps[0].values)] : []));
  for (const values of parents) {
    for (let i = 0; i < target.params.length; i++) {
      for (const empty of empties[i]) {
        if (!s.budgetLeft()) return;
        const next = withEmpty(values, i, empty);
        if (next) await s.propose(null, [{ method: null, c: target, values: next }]);
      }
    }
  }
}
