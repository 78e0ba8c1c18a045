/**
 * What calls return is explored too (child side): when a function's search saw a call return an object with methods
 * (`createStore(reducer)` -> `{ dispatch, getState, subscribe }`) or a function (`combineReducers(map)` -> a reducer),
 * that object becomes a target of its own. Its sequences start with the same call (`const instance =
 * createStore(...)`), then call its methods, or the returned function itself, one after another as a class's are
 * (Randoop's idea); zero-parameter methods (`getState()`) observe the state after the sequence. The methods get the
 * facts of the code they were written in, joined by their V8 location (search-locate.ts).
 *
 * Chains: the first call on such an object (or on a class's instance) that returns another object with methods or a
 * function makes that one a target too, built by the chain of calls written as one expression (`const instance =
 * v8n().string();`, `Joi.object({}).keys(...)`, `pThrottle({ limit: 1, interval: 0 })(fn)`), a few calls deep
 * (MAX_DEPTH). A chain keeps only the calls that reach blocks the target it came from did not reach, so a fluent
 * builder's next object is explored where it behaves differently, and nowhere else.
 */
import { MAX_DEPTH, type TargetSearch } from './search-candidates';
import { CALL_SELF, calledMethods, type Candidate, type Returned } from './search-run';
import { callableOf, memberType, settersOf, type Joiner } from './search-discover';
import { clone } from './value-shapes';
import type { Discovered, SpecCallable, SpecTarget } from './search-runtime';
import type { TypeShape } from './shapes';

/** Chained targets one module explores at most (each has its own search and suite). */
export const MAX_CHAINS_PER_MODULE = 16;

function functionArgs(cand: Candidate): number {
  return (cand.steps[0]?.values ?? []).filter((v) => typeof v === 'function').length;
}

/** The `what X returns` name of a chain: `v8n` -> `v8n()` -> `v8n().string()`. */
function chainName(s: TargetSearch, method: string | undefined): string {
  if (method === undefined) return `what ${s.target.name} returns`;
  // What `v8n` returns is `v8n()`; what `v8n().string()` returns is that; a class's instance is `new List()`.
  const inner = /^what (.+) returns$/.exec(s.target.name)?.[1];
  const made = inner ? (inner.endsWith(')') ? inner : `${inner}()`) : `${s.target.construct === 'call' ? '' : 'new '}${s.target.name}()`;
  return `what ${made}${method === CALL_SELF ? '()' : `.${method}()`} returns`;
}

/** How one call that made the object is written and run: the callee, its `this`, and the expression's code. */
interface Maker {
  /** The access code of the new target (the object is what calling it returns). */
  code: string;
  /** A fresh callee that makes the object (a sequence's object is built again for each call). */
  callee: (...a: unknown[]) => unknown;
  self?: () => unknown;
  /** The callable whose parameters the calls that made it take. */
  takes: SpecCallable;
  returns: TypeShape | null | undefined;
}

/** The maker of what the function target itself returned: its own callee. */
function functionMaker(s: TargetSearch): Maker {
  return { code: s.result.access!, callee: s.runner.init.callee as (...a: unknown[]) => unknown, self: s.target.self, takes: s.target, returns: s.target.returns };
}

/**
 * The maker of what a method of a sequence's object returned: the object built again as the candidate built it, then
 * that method (or, for a returned function, the object itself) called; written as the chain `new C(1).m` / `f(1)`.
 */
function methodMaker(s: TargetSearch, cand: Candidate, method: string): Maker | null {
  const m = s.methods.find((x) => x.name === method);
  if (!m || !cand.ctor || !cand.ctorCodes) return null;
  const ctor = cand.ctor;
  const callee = s.runner.init.callee as (...a: unknown[]) => unknown;
  const self = s.target.self;
  const construct = s.target.construct ?? 'new';
  const build = (): unknown => {
    const args = ctor.map((v) => clone(v));
    return construct === 'new' ? new (callee as unknown as new (...a: unknown[]) => unknown)(...args) : callee.apply(self?.(), args);
  };
  const made = `${construct === 'new' ? 'new ' : ''}${s.result.access}(${cand.ctorCodes.join(', ')})`;
  const code = method === CALL_SELF ? made : `${made}.${method}`;
  const chained =
    method === CALL_SELF
      ? (...a: unknown[]) => (build() as (...b: unknown[]) => unknown)(...a)
      : (...a: unknown[]) => {
          const object = build() as Record<string, (...b: unknown[]) => unknown>;
          return object[method](...a);
        };
  return { code, callee: chained, takes: m, returns: m.returns };
}

/**
 * Whether a TypeScript test may call the member on what the call returned: the declared return type names it as a
 * required member (a method the object has at run time but its declared interface does not, or an optional one, is a
 * type error there). A return type the core could not see into (none, a name) says nothing: every method is kept.
 */
function declaredMember(returns: TypeShape | null | undefined, name: string): boolean {
  if (!returns || returns.kind !== 'object' || !('properties' in returns) || returns.index) return true;
  const member = returns.properties.find((p) => p.name === name);
  return member !== undefined && !member.optional;
}

/** The target of one noted kind of returned value, with how the parent names it (null when it has nothing to call). */
function returnedTarget(s: TargetSearch, join: Joiner, noted: Returned, k: number): { target: SpecTarget; discovered: Discovered } | null {
  const { cand: first, kind, more, method } = noted;
  const maker = method === undefined ? functionMaker(s) : methodMaker(s, first, method);
  if (!maker) return null;
  // Declared as `unknown` (a type parameter's result): a TypeScript test can call nothing on it.
  if (s.target.typed && maker.returns?.kind === 'unknown') return null;
  // The calls that made it, those passing more callbacks first (a queue needs its worker function to run a task).
  const calls = [first, ...more].sort((a, b) => functionArgs(b) - functionArgs(a));
  const step = calls[0].steps[0];
  let value: unknown;
  try {
    value = maker.callee.apply(maker.self?.(), step.values.map((v) => clone(v)));
  } catch {
    return null;
  }
  // Its methods (or the function itself), and the properties it lets its user set (`throttled.isEnabled = false`).
  const methods =
    kind === 'function' && typeof value === 'function'
      ? [callableOf(CALL_SELF, value as (...a: unknown[]) => unknown, join, maker.returns), ...settersOf(value, join)]
      : value !== null && typeof value === 'object'
        ? [
            ...calledMethods(value)
              .filter((m) => !s.target.typed || declaredMember(maker.returns, m.name))
              .map((m) => callableOf(m.name, m.fn, join, memberType(maker.returns, m.name))),
            ...settersOf(value, join),
          ]
        : [];
  if (methods.length === 0) return null;
  const name = chainName(s, method);
  const depth = (s.target.depth ?? 0) + 1;
  const target: SpecTarget = {
    id: `${s.target.id}.r${k}`,
    kind: 'class',
    construct: 'call',
    name,
    async: false,
    access: [{ code: maker.code, get: () => maker.callee }],
    ...(maker.self ? { self: maker.self } : {}),
    params: maker.takes.params,
    seeds: calls.map((c) => ({ title: 'the call that returned it', boundary: false, args: c.steps[0].values.map((v, i) => ({ code: c.steps[0].codes[i], get: () => clone(v) })) })),
    constants: maker.takes.constants,
    methods,
    depth,
    ...(s.target.typed ? { typed: true } : {}),
    // A chain off a sequence keeps only what its parent did not reach; what a function returns starts afresh.
    ...(method === undefined ? {} : { known: new Set(s.covered) }),
  };
  return { target, discovered: { name, access: maker.code, kind: 'class', construct: 'call' } };
}

/**
 * The targets of what a target's calls returned, each with how the parent names it. `chainsLeft`: how many more
 * chains off a sequence the module may explore.
 */
export function returnedTargets(s: TargetSearch, join: Joiner, chainsLeft = MAX_CHAINS_PER_MODULE): Array<{ target: SpecTarget; discovered: Discovered }> {
  const out: Array<{ target: SpecTarget; discovered: Discovered }> = [];
  if (!s.result.access || (s.target.depth ?? 0) >= MAX_DEPTH) return out;
  // A chain whose own calls reached nothing new goes no further.
  if (s.target.known && s.kept.length === 0) return out;
  let chains = chainsLeft;
  s.runner.returned.forEach((noted, k) => {
    if (noted.method !== undefined && chains <= 0) return;
    const made = returnedTarget(s, join, noted, k);
    if (!made) return;
    if (noted.method !== undefined) chains--;
    out.push(made);
  });
  return out;
}
