/**
 * Callbacks built from their declared function types (child side). A reducer, a function type that returns the type
 * of one of its parameters (`(state: S | undefined, action: Action) => S`), gets a reducer that builds a new state of
 * that type from the action: a number counts, a string appends, an array collects the actions, an object takes the
 * action's fields of the same name (or, when the state's type is not known, keeps the last action). Comparators and
 * predicates come from the generic callbacks that fit the declared return type (search-inputs.ts).
 * Each callback is written in the test as the same source text it was made from.
 */
import { IDENT, tag } from './value-code';
import type { TypeShape } from './shapes';

type FunctionShape = Extract<TypeShape, { kind: 'function' }>;

/** A shape without its `undefined` / `null` members (`S | undefined` is `S`). */
function defined(shape: TypeShape): TypeShape {
  if (shape.kind !== 'union') return shape;
  const rest = shape.types.filter((t) => t.kind !== 'undefined' && t.kind !== 'null' && t.kind !== 'void');
  return rest.length === 1 ? rest[0] : { ...shape, types: rest };
}

function propertiesOf(shape: TypeShape): Array<{ name: string; shape: TypeShape }> {
  return shape.kind === 'object' && 'properties' in shape ? shape.properties.filter((p) => IDENT.test(p.name)) : [];
}

/** An object state: the action's fields of the same name and kind, else one number field counted up. */
function nextObject(state: TypeShape, fields: Array<{ name: string; shape: TypeShape }>, s: string, a: string | null): string {
  const own = propertiesOf(state);
  const shared = own.filter((p) => fields.some((f) => f.name === p.name && defined(f.shape).kind === defined(p.shape).kind));
  if (a && shared.length) return `({ ...${s}, ${shared.map((p) => `${p.name}: ${a}.${p.name}`).join(', ')} })`;
  const counter = own.find((p) => defined(p.shape).kind === 'number');
  if (counter) return `({ ...${s}, ${counter.name}: ((${s} && ${s}.${counter.name}) ?? 0) + 1 })`;
  return `({ ...${s} })`;
}

/** The new state's expression, of the state's type, from `state` and `action` (parameter names given). */
function nextState(state: TypeShape, action: TypeShape | null, s: string, a: string | null): string {
  const fields = action && a ? propertiesOf(action) : [];
  const field = (kind: string) => fields.find((f) => defined(f.shape).kind === kind)?.name;
  const n = field('number');
  const t = field('string');
  switch (state.kind) {
    case 'number':
      return `(${s} ?? 0) + ${n ? `(${a}.${n} ?? 1)` : '1'}`;
    case 'string':
      return `(${s} ?? '') + ${t ? `${a}.${t}` : "'.'"}`;
    case 'boolean':
      return `!${s}`;
    case 'array':
      return `[...(${s} ?? [])${a ? `, ${a}` : ''}]`;
    case 'object':
      return nextObject(state, fields, s, a);
    default:
      // The state's type is a type parameter or unknown: a state that records the last action it saw (a spread of a
      // value of an unconstrained type parameter does not type-check, so the old state is not spread in).
      return a ? `({ last: ${a} })` : `${s}`;
  }
}

/** Reducers for a function type that returns the type of one of its parameters; none for other types. */
export function reducerCallbacks(shape: TypeShape): Array<(...a: unknown[]) => unknown> {
  if (shape.kind !== 'function' || !shape.returns || shape.params.length === 0) return [];
  const fn = shape as FunctionShape;
  const returns = defined(fn.returns!);
  if (['void', 'undefined', 'never'].includes(returns.kind)) return [];
  const key = JSON.stringify(returns);
  const stateIndex = fn.params.findIndex((p) => !p.rest && JSON.stringify(defined(p.shape)) === key);
  if (stateIndex < 0) return [];
  const names = fn.params.map((p, i) => (IDENT.test(p.name) && fn.params.findIndex((q) => q.name === p.name) === i ? p.name : `arg${i}`));
  const actionIndex = fn.params.findIndex((p, i) => i !== stateIndex && !p.rest);
  // A state of any type (an unconstrained type parameter the core erased, `(state: S, action) => S`) is a reducer only
  // with an action to fold in; `(x: any) => any` alone is no reducer.
  if ((returns.kind === 'any' || returns.kind === 'unknown') && actionIndex < 0) return [];
  const body = nextState(returns, actionIndex >= 0 ? defined(fn.params[actionIndex].shape) : null, names[stateIndex], actionIndex >= 0 ? names[actionIndex] : null);
  // A parameter the body does not read is named as unused (`_state`), as lint and `noUnusedParameters` want.
  names.forEach((n, i) => {
    if (!new RegExp(`\\b${n.replace(/\$/g, '\\$')}\\b`).test(body)) names[i] = `_${n}`;
  });
  const code = `(${names.slice(0, Math.max(stateIndex, actionIndex) + 1).join(', ')}) => ${body}`;
  try {
    // The callback is the code the test file will hold, evaluated: the search runs exactly what the test runs.
    const made = new Function(`return (${code});`)() as (...a: unknown[]) => unknown;
    return [tag(made, code)];
  } catch {
    return [];
  }
}
