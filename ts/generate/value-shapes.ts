/**
 * What values a TypeShape takes: the one module both the planner (values.ts, which writes them as code) and the
 * search (search-inputs.ts, which pools and mutates them) ask. Union members, kinds, how vague a shape is, the
 * typical value and a second, different one, callbacks that fit a function type, and fresh copies of arguments.
 *
 * Loaded in the search child: imports nothing heavy.
 */
import type { TypeShape } from '../engine/types';
import { CALLBACK_RETURNS, fits } from './fits';
import { instancesOf } from './instance-registry';
import { reducerCallbacks } from './search-callbacks';
import { typedArrayValues } from './typed-arrays';
import { CODE, RealDate, tag, toCode } from './value-code';

/** Union members, flattened (a non-union is its own single member). */
export function members(shape: TypeShape): TypeShape[] {
  return shape.kind === 'union' ? shape.types.flatMap(members) : [shape];
}

/** Whether any member of the shape has this kind. */
export function hasKind(shape: TypeShape | null | undefined, kind: TypeShape['kind']): boolean {
  return Boolean(shape) && members(shape!).some((m) => m.kind === kind || (m.kind === 'literal' && typeof m.value === kind));
}

/** A declaration the core could not see into: an unresolved name or a cut recursion. */
export function isOpaque(shape: TypeShape | null | undefined): boolean {
  return shape?.kind === 'unresolved' || shape?.kind === 'ref';
}

/** A declaration that says little (`any`, `unknown`, bare `object` / JSDoc `{Object}`): the core refines it by usage. */
export function isVague(shape: TypeShape | null | undefined): boolean {
  if (!shape) return false;
  if (shape.kind === 'any' || shape.kind === 'unknown') return true;
  return shape.kind === 'object' && shape.properties.length === 0 && shape.index === null;
}

/** No type at all (not even a name): `any`, `unknown`, or a name the core could not resolve. */
export function untyped(shape: TypeShape): boolean {
  return shape.kind === 'any' || shape.kind === 'unknown' || shape.kind === 'unresolved';
}

/** The shape says nothing certain about the value (a throw may be our argument's fault). */
export function vague(shape: TypeShape): boolean {
  switch (shape.kind) {
    case 'any':
    case 'unknown':
    case 'unresolved':
    case 'ref':
    case 'class':
      return true;
    case 'union':
    case 'intersection':
      return shape.types.some(vague);
    case 'array':
      return vague(shape.element);
    case 'object':
      return 'properties' in shape ? shape.properties.some((p) => !p.optional && vague(p.shape)) : true;
    case 'record':
      return vague(shape.value);
    default:
      return false;
  }
}

/**
 * Whether a value can be written where a parameter of this declared type is, in a TypeScript test: it fits the
 * declaration, or the search built it for that place (an instance of the class under test, a typed callback).
 */
export function fitsDeclaration(value: unknown, shape: TypeShape, optional: boolean): boolean {
  // An instance of the class under test, built where the search found a parameter that takes one.
  if (value !== null && typeof value === 'object' && FACTORY.has(value)) return true;
  // A string enum's member is not assignable from its string (the enum would have to be imported).
  if (typeof value === 'string' && hasEnumMember(shape, value)) return false;
  // A callback taking more parameters than the declared function type gives is a type error.
  if (typeof value === 'function' && shape.kind === 'function' && !shape.params.some((p) => p.rest) && value.length > shape.params.length) return false;
  return fits(value, shape, 'declared', optional);
}

/** A parameter as `fitsDeclarations` reads it: `declared` is set when `shape` is an inference (null: nothing declared). */
interface DeclaredParam {
  shape: TypeShape;
  inferred: boolean;
  optional: boolean;
  rest: boolean;
  declared?: TypeShape | null;
}

/** Whether every argument fits its parameter's declaration as TypeScript checks it (a rest parameter: each item). */
export function fitsDeclarations(params: DeclaredParam[], values: unknown[]): boolean {
  return values.every((v, i) => {
    const p = params[Math.min(i, params.length - 1)];
    const declared = !p ? null : p.declared === undefined ? (p.inferred ? null : p.shape) : p.declared;
    if (!declared) return true;
    if (p.rest) return declared.kind !== 'array' || (Array.isArray(v) && v.every((x) => fitsDeclaration(x, declared.element, false)));
    return fitsDeclaration(v, declared, p.optional);
  });
}

/** Whether a member of the shape (or of its union members, arrays, object properties) is a string enum holding it. */
function hasEnumMember(shape: TypeShape, value: string, depth = 0): boolean {
  if (depth > 4) return false;
  if (shape.kind === 'enum') return shape.members.some((m) => m.value === value);
  if (shape.kind === 'union') return shape.types.some((t) => hasEnumMember(t, value, depth + 1));
  return false;
}

/* ------------------------------------------------------------------ callbacks */

/** Errors the failing callback of CALLBACKS threw: a call that ends with one ends with our error, not its own. */
export const CALLBACK_ERRORS = new WeakSet<object>();

export const CALLBACKS: Array<[string, (...a: unknown[]) => unknown]> = [
  ['(value) => value', (value) => value],
  ['() => true', () => true],
  ['() => false', () => false],
  ['() => undefined', () => undefined],
  ['(a, b) => (a < b ? -1 : a > b ? 1 : 0)', (a, b) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0)],
  ['(value) => String(value)', (value) => String(value)],
  // A callback that fails: the code's handling of its callbacks' errors (a retry, a catch that reports) is reached.
  ["() => { throw new Error('failed'); }", () => {
    const error = new Error('failed');
    CALLBACK_ERRORS.add(error);
    throw error;
  }],
  // A worker in the Node style: it hands its input on to the continuation it is given (`worker(task, done)`), so
  // the code that waits for it goes on.
  ["(value, next) => (typeof next === 'function' ? next(null, value) : value)", (value, next) => (typeof next === 'function' ? (next as (e: null, v: unknown) => unknown)(null, value) : value)],
];

/** The comparator of CALLBACKS (`(a, b) => (a < b ? -1 : ...)`). */
const COMPARATOR = CALLBACKS.findIndex(([code]) => code.startsWith('(a, b) => (a < b'));
/** The Node-style worker of CALLBACKS (it calls the continuation it is given). */
export const CONTINUATION = CALLBACKS.length - 1;
/** The callback of CALLBACKS that throws. */
const FAILING = CALLBACKS.length - 2;

export function callback(i: number): (...a: unknown[]) => unknown {
  const [code, fn] = CALLBACKS[i % CALLBACKS.length];
  // A fresh function per use, so the serializer maps it to its code; its arity is the code's (a TypeScript test
  // may not pass a two-parameter comparator where a one-parameter callback is declared).
  const f = (...a: unknown[]) => fn(...a);
  Object.defineProperty(f, 'length', { value: fn.length });
  // What it returns, for the declared-type check (the identity is typeable's; the failing one returns nothing).
  const index = i % CALLBACKS.length;
  if (index === CONTINUATION) CALLBACK_RETURNS.set(f, 'opaque');
  else if (index !== 0 && index !== FAILING) CALLBACK_RETURNS.set(f, { value: fn(1, 2) });
  return tag(f, code);
}

/**
 * Callbacks that fit a function type: when it declares what it returns (`() => Promise<T>`, a predicate, a
 * comparator), only callbacks returning that; a callback of the wrong kind would make the code under test fail on
 * our input, not on its own behaviour.
 */
export function callbacksFor(shape: TypeShape): Array<(...a: unknown[]) => unknown> {
  const reducers = reducerCallbacks(shape);
  if (reducers.length) return reducers;
  const returns = shape.kind === 'function' ? shape.returns : undefined;
  const generic = () => CALLBACKS.map((_, i) => callback(i)).filter((f) => typeable(f, shape));
  if (!returns || vague(returns) || returns.kind === 'void' || returns.kind === 'undefined') {
    const loose = returns && (returns.kind === 'void' || returns.kind === 'undefined') ? [callback(3), callback(0), callback(CONTINUATION)].filter((f) => typeable(f, shape)) : generic();
    return loose.length ? loose : [callback(3)];
  }
  const fitting = generic().filter((f) => {
    try {
      return fits(f(1, 2), returns, 'search');
    } catch {
      return false;
    }
  });
  // A callback that throws fits every declared return type (it never returns one), but alone it reaches only the
  // code's error handling: a callback returning a typical value of the type comes first then.
  const returning = fitting.filter((f) => CODE.get(f) !== CALLBACKS[FAILING][0]);
  if (returning.length) return [...returning, callback(FAILING)];
  const value = typicalOf(returns);
  const code = toCode(value);
  if (code === null) return generic();
  if (returns.kind === 'promise') {
    const inner = toCode(typicalOf(returns.value));
    if (inner !== null) return [tag(() => Promise.resolve(clone(typicalOf(returns.value))), `() => Promise.resolve(${inner})`)];
  }
  return [tag(() => clone(value), `() => (${code})`)];
}

/**
 * Whether TypeScript accepts callback `f` where the function type `shape` is declared: it takes no more parameters
 * than declared (`(value) => value` is no `() => number`), and the identity callback returns what it is given, so it
 * fits only where the first parameter's type is the declared return type (or either is unknown to us).
 */
function typeable(f: (...a: unknown[]) => unknown, shape: TypeShape): boolean {
  if (shape.kind !== 'function') return true;
  const rest = shape.params.some((p) => p.rest);
  if (!rest && f.length > shape.params.length) return false;
  if (CODE.get(f) === CALLBACKS[COMPARATOR][0]) return comparable(shape.params);
  // The Node-style worker returns its first argument when it is given no continuation, as the identity does (what a
  // `void` function type returns is never checked).
  if ((CODE.get(f) !== CALLBACKS[0][0] && CODE.get(f) !== CALLBACKS[CONTINUATION][0]) || shape.returns.kind === 'void') return true;
  const first = shape.params[0]?.shape;
  return !first || vague(first) || vague(shape.returns) || JSON.stringify(first) === JSON.stringify(shape.returns);
}

/** Whether a value of this parameter may be possibly undefined or null (tsc refuses `<` on it). */
function nullish(p: { shape: TypeShape; optional: boolean }): boolean {
  const kinds = p.shape.kind === 'union' ? p.shape.types.map((t) => t.kind) : [p.shape.kind];
  return p.optional || kinds.some((k) => k === 'undefined' || k === 'null' || k === 'void');
}

/**
 * Whether tsc takes the comparator's `a < b` on the first two declared parameters: both `any`, or both of one type
 * that is neither `unknown` nor possibly undefined (`(element: Element, entry: ResizeObserverEntry) => number` is
 * no comparator's type, nor `(a: number, b: string) => number`).
 */
function comparable(params: Array<{ shape: TypeShape; optional: boolean; rest: boolean }>): boolean {
  const two = params.length === 1 && params[0].rest && params[0].shape.kind === 'array' ? [{ ...params[0], shape: params[0].shape.element }, { ...params[0], shape: params[0].shape.element }] : params.slice(0, 2);
  if (two.length < 2) return false;
  const [a, b] = two.map((p) => (p.rest && p.shape.kind === 'array' ? { ...p, shape: p.shape.element, optional: false } : p));
  if (a.shape.kind === 'any' || b.shape.kind === 'any') return true;
  if (a.shape.kind === 'unknown' || nullish(a) || nullish(b)) return false;
  return JSON.stringify(a.shape) === JSON.stringify(b.shape);
}

/* ------------------------------------------------------------------ typical and second values */

/** The fixed date typical values use (a test must not depend on today). */
export const FIXED_DATE_ISO = '2024-01-15T12:00:00.000Z';

export function objectOf(shape: Extract<TypeShape, { kind: 'object'; properties: unknown }>, value: (s: TypeShape) => unknown, withOptional: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of shape.properties) {
    if (p.optional && !withOptional) continue;
    out[p.name] = value(p.shape);
  }
  return out;
}

type ShapeOf<K extends TypeShape['kind']> = Extract<TypeShape, { kind: K }>;

/**
 * An interface with methods (`Shape { area(): number }`) is what the package's factory returns (`square(3)`), when
 * one built it: a literal of stub callbacks says less than the real thing. Plain data stays a literal.
 */
function factoryBuilt(shape: ShapeOf<'object'>): unknown {
  if (!shape.name || !shape.properties.some((p) => !p.optional && p.shape.kind === 'function')) return undefined;
  return instancesOf(shape.name)[0];
}

type Typical = { [K in TypeShape['kind']]?: (shape: ShapeOf<K>, depth: number) => unknown };

/** Typical values by kind; kinds not here (symbol, never) give undefined, as do types nothing could build. */
const TYPICAL: Typical = {
  string: () => 'Hello World',
  number: () => 3,
  boolean: () => true,
  bigint: () => 10n,
  null: () => null,
  any: () => 'Hello World',
  unknown: () => 'Hello World',
  object: (shape, depth) => ('properties' in shape ? (factoryBuilt(shape) ?? objectOf(shape, (s) => typicalOf(s, depth + 1), false)) : {}),
  literal: (shape) => shape.value,
  union: (shape, depth) => {
    const ms = members(shape).filter((m) => m.kind !== 'undefined' && m.kind !== 'null' && m.kind !== 'void');
    const concrete = ms.filter((m) => !vague(m));
    return typicalOf(concrete[0] ?? ms[0] ?? shape.types[0], depth + 1);
  },
  intersection: (shape, depth) => {
    const out: Record<string, unknown> = {};
    for (const t of shape.types) {
      const v = typicalOf(t, depth + 1);
      if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, v);
    }
    return out;
  },
  array: (shape, depth) => {
    const e1 = typicalOf(shape.element, depth + 1);
    return [e1, secondOf(shape.element, depth + 1), clone(e1)];
  },
  tuple: (shape, depth) => shape.elements.filter((e) => !e.optional && !e.rest).map((e) => typicalOf(e.shape, depth + 1)),
  record: (shape, depth) => ({ a: typicalOf(shape.value, depth + 1), b: secondOf(shape.value, depth + 1) }),
  function: (shape) => callbacksFor(shape)[0],
  date: () => new RealDate(FIXED_DATE_ISO),
  regexp: () => /a+/,
  error: () => new Error('boom'),
  map: (shape, depth) => new Map([[typicalOf(shape.key, depth + 1), typicalOf(shape.value, depth + 1)]]),
  set: (shape, depth) => new Set([typicalOf(shape.element, depth + 1), secondOf(shape.element, depth + 1)]),
  promise: (shape, depth) => {
    const v = typicalOf(shape.value, depth + 1);
    const code = toCode(v);
    return code === null ? undefined : tag(Promise.resolve(v), `Promise.resolve(${code})`);
  },
  enum: (shape) => shape.members[0]?.value,
  // The package's own types: an instance its constructors or factories built (search-instances.ts), if any.
  class: (shape) => instancesOf(shape.name)[0],
  ref: (shape) => instancesOf(shape.name)[0],
  unresolved: (shape) => instancesOf(shape.text)[0] ?? typedArrayValues(shape.text)[0],
};

/** The value a shape takes when nothing else is known of it (the search's first call). */
export function typicalOf(shape: TypeShape, depth = 0): unknown {
  if (depth > 5) return undefined;
  const build = TYPICAL[shape.kind] as ((s: TypeShape, d: number) => unknown) | undefined;
  return build ? build(shape, depth) : undefined;
}

/** A second value of a shape, different from the typical one where the shape allows (arrays are not all one value). */
export function secondOf(shape: TypeShape, depth: number): unknown {
  switch (shape.kind) {
    case 'string':
      return 'foo';
    case 'number':
      return 7;
    case 'boolean':
      return false;
    case 'any':
    case 'unknown':
      return 2;
    case 'enum':
      return (shape.members[1] ?? shape.members[0])?.value;
    case 'union': {
      const ms = members(shape).filter((m) => m.kind !== 'undefined' && m.kind !== 'null');
      return typicalOf(ms[1] ?? ms[0] ?? shape, depth + 1);
    }
    default:
      return typicalOf(shape, depth + 1);
  }
}

/* ------------------------------------------------------------------ fresh copies */

/** Tagged values that a call may change (instances of the class under test): each use gets a fresh one. */
export const FACTORY = new WeakMap<object, () => unknown>();

/** A fresh copy of an argument (functions mutate their inputs; each run gets its own). */
export function clone(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 10) return value;
  const fresh = FACTORY.get(value);
  if (fresh) return fresh();
  if (CODE.has(value)) return value;
  if (Array.isArray(value)) return value.map((v) => clone(v, depth + 1));
  if (value instanceof RealDate) return new RealDate(value.getTime());
  if (value instanceof RegExp) return new RegExp(value.source, value.flags);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [clone(k, depth + 1), clone(v, depth + 1)]));
  if (value instanceof Set) return new Set([...value].map((v) => clone(v, depth + 1)));
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as unknown as { slice(): unknown }).slice();
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = clone((value as Record<string, unknown>)[key], depth + 1);
  return out;
}
