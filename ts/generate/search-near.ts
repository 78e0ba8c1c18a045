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

export async function emptyNeighbours(s: TargetSearch): Promise<void> {
  const { target } = s;
  const empties = target.params.map((p) => (p.rest ? [] : emptiesOf(p)));
  for (const parent of s.kept.slice(0, PARENTS)) {
    const values = parent.cand.steps[0]?.values;
    if (!values) continue;
    for (let i = 0; i < target.params.length; i++) {
      for (const empty of empties[i]) {
        if (!s.budgetLeft()) return;
        const next = restGroup(target, values).map((v) => clone(v));
        while (next.length <= i) next.push(undefined);
        if (next[i] === empty) continue;
        next[i] = clone(empty);
        // Left out at the end: the call is written without it, so a default applies.
        const trimmed = empty === undefined && i === next.length - 1 ? next.slice(0, i) : next;
        await s.propose(null, [{ method: null, c: target, values: trimmed }]);
      }
    }
  }
}
