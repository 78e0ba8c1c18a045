/**
 * What calls return is explored too (child side): when a function's search saw a call return an object with methods
 * (`createStore(reducer)` -> `{ dispatch, getState, subscribe }`) or a function (`combineReducers(map)` -> a reducer),
 * that object becomes a target of its own. Its sequences start with the same call (`const instance =
 * createStore(...)`), then call its methods, or the returned function itself, one after another as a class's are
 * (Randoop's idea); zero-parameter methods (`getState()`) observe the state after the sequence. The methods get the
 * facts of the code they were written in, joined by their V8 location (search-locate.ts).
 */
import type { TargetSearch } from './search-candidates';
import { CALL_SELF, calledMethods, type Candidate } from './search-run';
import { callableOf, memberType, type Joiner } from './search-discover';
import { clone } from './value-shapes';
import type { Discovered, SpecTarget } from './search-runtime';

function functionArgs(cand: Candidate): number {
  return (cand.steps[0]?.values ?? []).filter((v) => typeof v === 'function').length;
}

/** The targets of what a function target's calls returned, each with how the parent names it. */
export function returnedTargets(s: TargetSearch, join: Joiner): Array<{ target: SpecTarget; discovered: Discovered }> {
  const out: Array<{ target: SpecTarget; discovered: Discovered }> = [];
  if (!s.result.access) return out;
  s.runner.returned.forEach(({ cand: first, kind, more }, k) => {
    // The calls that made it, those passing more callbacks first (a queue needs its worker function to run a task).
    const calls = [first, ...more].sort((a, b) => functionArgs(b) - functionArgs(a));
    const cand = calls[0];
    const step = cand.steps[0];
    let value: unknown;
    try {
      value = (s.runner.init.callee as (...a: unknown[]) => unknown)(...step.values.map((v) => clone(v)));
    } catch {
      return;
    }
    const methods =
      kind === 'function' && typeof value === 'function'
        ? [callableOf(CALL_SELF, value as (...a: unknown[]) => unknown, join, s.target.returns)]
        : value !== null && typeof value === 'object'
          ? calledMethods(value).map((m) => callableOf(m.name, m.fn, join, memberType(s.target.returns, m.name)))
          : [];
    if (methods.length === 0) return;
    const name = `what ${s.target.name} returns`;
    const target: SpecTarget = {
      id: `${s.target.id}.r${k}`,
      kind: 'class',
      construct: 'call',
      name,
      async: false,
      access: [{ code: s.result.access!, get: () => s.runner.init.callee }],
      params: s.target.params,
      seeds: calls.map((c) => ({ title: 'the call that returned it', boundary: false, args: c.steps[0].values.map((v, i) => ({ code: c.steps[0].codes[i], get: () => clone(v) })) })),
      constants: s.target.constants,
      methods,
    };
    out.push({ target, discovered: { name, access: s.result.access!, kind: 'class', construct: 'call' } });
  });
  return out;
}
