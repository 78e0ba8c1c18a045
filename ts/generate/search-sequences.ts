/**
 * Call sequences on an object (child side), Randoop's idea: build the object, call its methods one after another
 * with typical, seeded and random arguments, and keep the sequences that reach new blocks; a kept sequence grows by
 * a call, has one call's arguments mutated, or loses a call. Used for classes (`new C(...)` then methods) and for
 * what a factory call returns (an object's methods, or the returned function itself; see search-returned.ts).
 */
import { pick, randomOf } from './search-inputs';
import { clone, FACTORY, tag } from './search-values';
import { restGroup, type StepPlan, type TargetSearch } from './search-candidates';
import type { SpecCallable } from './search-runtime';

/** Longest sequence the mutation phase builds. */
const MAX_STEPS = 4;

export async function searchSequences(s: TargetSearch): Promise<void> {
  const { methods, ctorSpec } = s;
  if (methods.length === 0) return;
  // What a factory returned is built again from the arguments of the call that returned it (its first seed).
  const factorySeed = s.construct === 'call' && ctorSpec.seeds[0] ? s.seedValues(ctorSpec.seeds[0]) : null;
  const ctorBase = factorySeed ? restGroup(ctorSpec, factorySeed) : s.typicalArgs(ctorSpec);
  const instance = s.construct === 'new' ? instanceFactory(s.callee, s.result.access, s.argsFor(ctorSpec, ctorBase)) : null;
  if (instance) for (const m of methods) s.ctx(m).instances = [instance];
  const ctorSeeds: unknown[][] = [ctorBase];
  for (const seed of ctorSpec.seeds) {
    const v = s.seedValues(seed);
    if (v) ctorSeeds.push(restGroup(ctorSpec, v));
  }
  for (const m of methods) {
    for (const ctorVals of ctorSeeds.slice(0, 3)) {
      if (!s.budgetLeft()) break;
      await s.propose(ctorVals, [{ method: m.name, c: m, values: s.typicalArgs(m) }], { title: undefined });
    }
    for (const seed of m.seeds) {
      if (!s.budgetLeft()) break;
      const v = s.seedValues(seed);
      if (!v) continue;
      await s.propose(ctorBase, [{ method: m.name, c: m, values: restGroup(m, v) }], { boundary: seed.boundary });
    }
  }
  const byName = (name: string | null): SpecCallable => methods.find((m) => m.name === name)!;
  let stale = 0;
  while (s.budgetLeft() && stale < s.stale) {
    const before = s.covered.size;
    const parent = s.kept.length && s.rng() < 0.8 ? pick(s.rng, s.kept) : null;
    let ctorVals = parent?.cand.ctor ?? ctorBase;
    let steps: StepPlan[] = parent ? parent.cand.steps.map((st) => ({ method: st.method, c: byName(st.method), values: restGroup(byName(st.method), st.values) })) : [];
    const r = s.rng();
    if (r < 0.15 && ctorSpec.params.length) ctorVals = s.mutateArgs(ctorSpec, ctorVals);
    else if (r < 0.55 || steps.length === 0) {
      if (steps.length < MAX_STEPS) {
        const m = pick(s.rng, methods);
        steps = [...steps, { method: m.name, c: m, values: s.rng() < 0.5 ? s.typicalArgs(m) : m.params.map((p) => randomOf(p.shape, s.ctx(m))) }];
      }
    } else {
      const i = Math.floor(s.rng() * steps.length);
      steps[i] = { ...steps[i], values: s.mutateArgs(steps[i].c, steps[i].values) };
      if (s.rng() < 0.2 && steps.length > 1) steps.splice(Math.floor(s.rng() * steps.length), 1);
    }
    if (!(await s.propose(ctorVals, steps))) stale++;
    stale = s.covered.size > before ? 0 : stale + 1;
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
