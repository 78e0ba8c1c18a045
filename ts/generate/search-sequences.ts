/**
 * Call sequences on an object (child side), Randoop's idea: build the object, call its methods one after another
 * with typical, seeded and random arguments, and keep the sequences that reach new blocks; a kept sequence grows by
 * a call, has one call's arguments mutated, or loses a call. Used for classes (`new C(...)` then methods) and for
 * what a factory call returns (an object's methods, or the returned function itself; see search-returned.ts).
 */
import { fits } from './fits';
import { argsFor, restGroup, typicalArgs } from './search-args';
import { pick, poolOf, randomOf } from './search-inputs';
import { tag } from './value-code';
import { clone, FACTORY } from './value-shapes';
import type { StepPlan, TargetSearch } from './search-candidates';
import { PROGRESS_STATES } from './search-states';
import type { Ran } from './search-run';
import type { SpecCallable } from './search-runtime';

/** Longest sequence the mutation phase builds. */
const MAX_STEPS = 4;

/** A method called once on each of the first constructions, then with each of its own seeds. */
async function methodSeeds(s: TargetSearch, m: SpecCallable, ctorSeeds: unknown[][]): Promise<void> {
  for (const ctorVals of ctorSeeds.slice(0, 3)) {
    if (!s.budgetLeft()) return;
    await s.propose(ctorVals, [{ method: m.name, c: m, values: typicalArgs(m) }], { title: undefined });
  }
  for (const seed of m.seeds) {
    if (!s.budgetLeft()) return;
    const v = s.seedValues(seed);
    if (v) await s.propose(ctorSeeds[0], [{ method: m.name, c: m, values: restGroup(m, v) }], { boundary: seed.boundary });
  }
}

/** Constructor values per parameter tried with the first method: the start of each parameter's pool. */
const CTOR_POOL = 8;

/**
 * One constructor parameter at a time over the start of its pool (the code's constants first), with the first
 * method's typical call: a constructor's own guards (`if (d === 0) throw`) are reached as a function's are.
 */
async function constructorPools(s: TargetSearch, ctorBase: unknown[]): Promise<void> {
  const first = s.methods[0] as SpecCallable | undefined;
  for (let i = 0; i < s.target.params.length; i++) {
    const p = s.target.params[i];
    for (const v of poolOf(p.shape, s.ctx(s.target)).slice(0, CTOR_POOL)) {
      if (!s.budgetLeft()) return;
      const ctorVals = ctorBase.map((x) => clone(x));
      ctorVals[i] = p.rest ? [v] : v;
      await s.propose(ctorVals, first ? [{ method: first.name, c: first, values: typicalArgs(first) }] : []);
    }
  }
}

/** The typical construction, then the target's seeds (for what a factory returned: the calls that made it). */
function constructorSeeds(s: TargetSearch, ctorBase: unknown[]): unknown[][] {
  const ctorSeeds: unknown[][] = [ctorBase];
  for (const seed of s.target.seeds) {
    const v = s.seedValues(seed);
    if (v) ctorSeeds.push(restGroup(s.target, v));
  }
  return ctorSeeds;
}

/** Each method once after the typical and seeded constructions, then each method's own seeds. */
async function firstCalls(s: TargetSearch, ctorBase: unknown[], ctorSeeds: unknown[][]): Promise<void> {
  for (const m of s.methods) await methodSeeds(s, m, ctorSeeds);
  await constructorPools(s, ctorBase);
}

/** The next sequence from a kept one (or from nothing): constructor mutated, a call added, or a call changed. */
function nextSequence(s: TargetSearch, parent: Ran | null, ctorSeeds: unknown[][], grow = false): { ctorVals: unknown[]; steps: StepPlan[] } {
  const byName = (name: string | null): SpecCallable => s.methods.find((m) => m.name === name)!;
  // A fresh start: what a factory returned is made by one of the calls that made it; a class, the typical way.
  let ctorVals = parent?.cand.ctor ?? (s.target.construct === 'call' ? pick(s.rng, ctorSeeds) : ctorSeeds[0]);
  let steps: StepPlan[] = parent ? parent.cand.steps.map((st) => ({ method: st.method, c: byName(st.method), values: restGroup(byName(st.method), st.values) })) : [];
  const r = s.rng();
  // A parent kept for its state grows by a call (what the state makes reachable is the point of keeping it).
  if (r < 0.15 && s.target.params.length && !grow) ctorVals = s.mutateArgs(s.target, ctorVals);
  else if (grow || r < 0.55 || steps.length === 0) {
    if (steps.length < MAX_STEPS) {
      const m = pick(s.rng, s.methods);
      const values = s.rng() < 0.5 ? typicalArgs(m) : m.params.map((p) => randomOf(p.shape, s.ctx(m)));
      steps = [...steps, { method: m.name, c: m, values: reuseValues(s, m, values, [ctorVals, ...steps.map((st) => st.values)]) }];
    }
  } else {
    const i = Math.floor(s.rng() * steps.length);
    steps[i] = { ...steps[i], values: s.mutateArgs(steps[i].c, steps[i].values) };
    if (s.rng() < 0.2 && steps.length > 1) steps.splice(Math.floor(s.rng() * steps.length), 1);
  }
  return { ctorVals, steps };
}

/**
 * Values an earlier call of the sequence took, passed again (Randoop reuses a sequence's values): `add(x)` then
 * `has(x)`, `insert(item)` then `remove(item)`; each argument of the new call has a chance to be one of them when it
 * fits the parameter.
 */
function reuseValues(s: TargetSearch, m: SpecCallable, values: unknown[], earlier: unknown[][]): unknown[] {
  const used = earlier.flat().filter((v) => v !== undefined && v !== null && typeof v !== 'function');
  if (used.length === 0) return values;
  return values.map((v, i) => {
    const p = m.params[i];
    if (!p || p.rest || s.rng() >= 0.5) return v;
    const candidate = pick(s.rng, used);
    return fits(candidate, p.shape, 'search') ? clone(candidate) : v;
  });
}

/** What a factory returned is built again from the arguments of the call that returned it (its first seed). */
function constructorBase(s: TargetSearch, factory: boolean): unknown[] {
  const seed = factory && s.target.seeds[0] ? s.seedValues(s.target.seeds[0]) : null;
  return seed ? restGroup(s.target, seed) : typicalArgs(s.target);
}

export async function searchSequences(s: TargetSearch): Promise<void> {
  const factory = s.target.construct === 'call';
  // A class without methods (a node, a record, an error with fields): its constructions, asserted by the state each
  // leaves (`new Node(1, 'a')` has `{ key: 1, data: 'a', left: null }`), the constructor's guards reached as a
  // function's are.
  if (s.methods.length === 0) {
    if (!factory) await constructionsOnly(s);
    return;
  }
  const ctorBase = constructorBase(s, factory);
  const instance = factory ? null : instanceFactory(s.runner.init.callee, s.result.access, argsFor(s.target, ctorBase));
  if (instance) s.methods.forEach((m) => (s.ctx(m).instances = [instance]));
  const ctorSeeds = constructorSeeds(s, ctorBase);
  await firstCalls(s, ctorBase, ctorSeeds);
  await extendSequences(s, ctorSeeds);
}

/** The typical construction, the seeded ones, then each constructor parameter over its pool: no method calls. */
async function constructionsOnly(s: TargetSearch): Promise<void> {
  const ctorBase = constructorBase(s, false);
  for (const ctorVals of constructorSeeds(s, ctorBase)) {
    if (!s.budgetLeft()) return;
    await s.propose(ctorVals, []);
  }
  await constructorPools(s, ctorBase);
  for (let stale = 0; s.budgetLeft() && stale < s.budget.stale && s.target.params.length > 0; ) {
    const before = s.covered.size;
    const tried = s.n;
    await s.propose(s.mutateArgs(s.target, ctorBase.map((x) => clone(x))), []);
    stale = s.n === tried || s.covered.size === before ? stale + 1 : 0;
  }
}

/** A parent that reached new blocks, or one that left the object in a new kind of state (search-states.ts). */
function parentOf(s: TargetSearch): { parent: Ran | null; fromState: boolean } {
  if (s.rng() < 0.4 && s.states.runs.length > 0) return { parent: s.states.next(), fromState: true };
  return { parent: s.kept.length && s.rng() < 0.8 ? pick(s.rng, s.kept) : null, fromState: false };
}

/** Kept sequences extended and mutated until the budget, or a run of candidates that reach nothing new, ends it. */
async function extendSequences(s: TargetSearch, ctorSeeds: unknown[][]): Promise<void> {
  let stale = 0;
  // Proposals that ran nothing (a sequence tried before, arguments that cannot be written) are not stale runs, but
  // they are bounded too.
  let idle = 0;
  // A new kind of state is progress too (the first PROGRESS_STATES of them: a bounded number).
  const progress = () => s.covered.size + Math.min(s.states.runs.length, PROGRESS_STATES);
  while (s.budgetLeft() && stale < s.budget.stale && idle < 4 * s.budget.count) {
    const before = progress();
    const tried = s.n;
    const { parent, fromState } = parentOf(s);
    const { ctorVals, steps } = nextSequence(s, parent, ctorSeeds, fromState);
    await s.propose(ctorVals, steps);
    if (s.n === tried) idle++;
    else stale = progress() > before ? 0 : stale + 1;
  }
}

/**
 * An instance of the class under test built from the typical constructor arguments, written in a test as
 * `new <access>(<args>)`; every use of it is a fresh instance (see FACTORY). Null when the constructor throws.
 */
function instanceFactory(callee: unknown, access: string | null, args: { values: unknown[]; codes: string[] } | null): object | null {
  if (!access || !args || !/^mod(\.[A-Za-z_$][\w$]*)*$/.test(access)) return null;
  const code = `new ${access}(${args.codes.join(', ')})`;
  const make = (): object => tag(new (callee as new (...a: unknown[]) => object)(...args.values.map((v) => clone(v))), code);
  try {
    const first = make();
    if (first === null || typeof first !== 'object') return null;
    FACTORY.set(first, () => {
      const next = make();
      FACTORY.set(next, FACTORY.get(first)!);
      return next;
    });
    return first;
  } catch {
    return null;
  }
}
