/**
 * The candidates of a function target (child side): first the seeds (the typical call, the planner's cases from
 * patterns, guards and domain values, round-trip pairs of earlier functions' outputs, one parameter at a time over its
 * pool, equal arguments), then mutation of what reached new blocks, with random restarts, until the budget or a
 * stale run ends it. Classes and the objects calls return go through search-sequences.ts instead.
 */
import { fits } from './fits';
import { pick, poolOf, randomOf, sharedPairs } from './search-inputs';
import { clone } from './search-values';
import { restGroup, SHARED, type TargetSearch } from './search-candidates';

export async function searchFunction(s: TargetSearch): Promise<void> {
  const { target } = s;
  const call = (values: unknown[]) => [{ method: null, c: target, values }];
  const base = s.typicalArgs(target);
  await s.propose(null, call(base), { title: 'returns a result for typical inputs' });
  for (const seed of target.seeds) {
    if (!s.budgetLeft()) break;
    const values = s.seedValues(seed);
    if (!values) continue;
    await s.propose(null, call(restGroup(target, values)), { title: seed.title, boundary: seed.boundary });
  }
  // Round-trip pairs from earlier functions on two string parameters, both ways.
  const stringParams = target.params.map((p, i) => (fits('', p.shape, 'search') && !p.rest ? i : -1)).filter((i) => i >= 0);
  if (stringParams.length >= 2) {
    const [i, j] = stringParams;
    for (const [out, arg] of SHARED.pairs.slice(0, 24)) {
      if (!s.budgetLeft()) break;
      for (const [x, y] of [
        [out, arg],
        [arg, out],
      ]) {
        const values = base.map((v) => clone(v));
        values[i] = x;
        values[j] = y;
        await s.propose(null, call(values));
      }
    }
  }
  // One parameter at a time, round robin over the parameters' pools (each pool: constants first).
  const pools = target.params.map((p) => poolOf(p.shape, s.ctx(target)));
  const longest = Math.max(0, ...pools.map((p) => p.length));
  for (let k = 0; k <= longest && s.budgetLeft(); k++) {
    for (let i = 0; i < target.params.length && s.budgetLeft(); i++) {
      const p = target.params[i];
      if (k === longest) {
        if (p.optional) await s.propose(null, call(base.slice(0, i)));
        continue;
      }
      if (k >= pools[i].length) continue;
      const values = base.map((x) => clone(x));
      values[i] = p.rest ? [pools[i][k]] : pools[i][k];
      await s.propose(null, call(values));
    }
  }
  // Equal arguments: a parameter's seed and pool values, each with a copy of it in a parameter of the same kind.
  const seeded = target.seeds.map((seed) => s.seedValues(seed)).flatMap((v) => (v ? [restGroup(target, v)] : []));
  for (const [i, j] of sharedPairs(target.params)) {
    for (const v of [...seeded.map((values) => values[i]), ...pools[i]].slice(0, 48)) {
      if (!s.budgetLeft()) break;
      const values = base.map((x) => clone(x));
      [values[i], values[j]] = [clone(v), clone(v)];
      await s.propose(null, call(values));
    }
  }
  // Mutation of what reached something new (and random restarts).
  let stale = 0;
  while (s.budgetLeft() && stale < s.stale) {
    const before = s.covered.size;
    const parent = s.kept.length && s.rng() < 0.85 ? pick(s.rng, s.kept) : null;
    const values = parent
      ? s.mutateArgs(target, parent.cand.steps[0].values.length ? restGroup(target, parent.cand.steps[0].values) : base)
      : target.params.map((p) => randomOf(p.shape, s.ctx(target)));
    if (!(await s.propose(null, call(values)))) stale++;
    stale = s.covered.size > before ? 0 : stale + 1;
  }
}
