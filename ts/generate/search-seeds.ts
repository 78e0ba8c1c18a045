/**
 * The candidates of a function target (child side): first the seeds (the typical call, the planner's cases from
 * patterns, guards and domain values, round-trip pairs of earlier functions' outputs, one parameter at a time over its
 * pool, equal arguments), then mutation of what reached new blocks, with random restarts, until the budget or a
 * stale run ends it. Classes and the objects calls return go through search-sequences.ts instead.
 */
import { fits } from './fits';
import { restGroup, typicalArgs } from './search-args';
import { pick, poolOf, randomOf, sharedPairs } from './search-inputs';
import { clone } from './value-shapes';
import { SHARED, type StepPlan, type TargetSearch } from './search-candidates';
import { emptyNeighbours } from './search-near';

const call = (s: TargetSearch, values: unknown[]): StepPlan[] => [{ method: null, c: s.target, values }];

/** The typical call, then the planner's cases. */
async function plannedSeeds(s: TargetSearch, base: unknown[]): Promise<void> {
  await s.propose(null, call(s, base), { title: 'returns a result for typical inputs' });
  for (const seed of s.target.seeds) {
    if (!s.budgetLeft()) break;
    const values = s.seedValues(seed);
    if (values) await s.propose(null, call(s, restGroup(s.target, values)), { title: seed.title, boundary: seed.boundary });
  }
}

/** Round-trip pairs from earlier functions on two string parameters, both ways. */
async function roundTrips(s: TargetSearch, base: unknown[]): Promise<void> {
  const stringParams = s.target.params.map((p, i) => (fits('', p.shape, 'search') && !p.rest ? i : -1)).filter((i) => i >= 0);
  if (stringParams.length < 2) return;
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
      await s.propose(null, call(s, values));
    }
  }
}

/** The typical call with parameter `i` set to the `k`-th value of its pool (past the pools: left out if optional). */
function withPoolValue(s: TargetSearch, base: unknown[], pools: unknown[][], at: { i: number; k: number }): unknown[] | null {
  const { i, k } = at;
  const p = s.target.params[i];
  if (k === Math.max(0, ...pools.map((pool) => pool.length))) return p.optional ? base.slice(0, i) : null;
  if (k >= pools[i].length) return null;
  const values = base.map((x) => clone(x));
  values[i] = p.rest ? [pools[i][k]] : pools[i][k];
  return values;
}

/** One parameter at a time, round robin over the parameters' pools (each pool: constants first). */
async function onePerParameter(s: TargetSearch, base: unknown[], pools: unknown[][]): Promise<void> {
  const longest = Math.max(0, ...pools.map((p) => p.length));
  for (let k = 0; k <= longest && s.budgetLeft(); k++) {
    for (let i = 0; i < s.target.params.length && s.budgetLeft(); i++) {
      const values = withPoolValue(s, base, pools, { i, k });
      if (values) await s.propose(null, call(s, values));
    }
  }
}

/** Equal arguments: a parameter's seed and pool values, each with a copy of it in a parameter of the same kind. */
async function equalArguments(s: TargetSearch, base: unknown[], pools: unknown[][]): Promise<void> {
  const seeded = s.target.seeds.map((seed) => s.seedValues(seed)).flatMap((v) => (v ? [restGroup(s.target, v)] : []));
  for (const [i, j] of sharedPairs(s.target.params)) {
    for (const v of [...seeded.map((values) => values[i]), ...pools[i]].slice(0, 48)) {
      if (!s.budgetLeft()) break;
      const values = base.map((x) => clone(x));
      [values[i], values[j]] = [clone(v), clone(v)];
      await s.propose(null, call(s, values));
    }
  }
}

/** Mutation of what reached something new (and random restarts). */
async function mutation(s: TargetSearch, base: unknown[]): Promise<void> {
  const { target } = s;
  let stale = 0;
  while (s.budgetLeft() && stale < s.budget.stale) {
    const before = s.covered.size;
    const parent = s.kept.length && s.rng() < 0.85 ? pick(s.rng, s.kept) : null;
    const values = parent
      ? s.mutateArgs(target, parent.cand.steps[0].values.length ? restGroup(target, parent.cand.steps[0].values) : base)
      : target.params.map((p) => randomOf(p.shape, s.ctx(target)));
    if (!(await s.propose(null, call(s, values)))) stale++;
    stale = s.covered.size > before ? 0 : stale + 1;
  }
}

export async function searchFunction(s: TargetSearch): Promise<void> {
  const base = typicalArgs(s.target);
  await plannedSeeds(s, base);
  await roundTrips(s, base);
  const pools = s.target.params.map((p) => poolOf(p.shape, s.ctx(s.target)));
  await onePerParameter(s, base, pools);
  await equalArguments(s, base, pools);
  await emptyNeighbours(s);
  await mutation(s, base);
}
