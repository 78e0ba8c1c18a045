/**
 * Whether a runtime value fits a TypeShape: one check for the planner and for the search.
 *
 * - `declared` (the planner, values.ts): a pattern value becomes a case only when it fits what the code declares, so
 *   a name the core could not see into (`unresolved`, `ref`, a class) fits only an instance built as that type
 *   (instance-registry.ts) and objects must be plain ones.
 * - `search` (the crash filter, search-runtime.ts): a throw is blamed on the generated argument only when the
 *   argument provably does not fit, so such names fit anything and any object can stand for an object type.
 */
import type { TypeShape } from '../engine/types';
import { builtType } from './instance-registry';
import { isTypedArrayOf } from './typed-arrays';
import { RealDate } from './value-code';

export type FitMode = 'declared' | 'search';

/** What a callback of the search returns, when it always returns the same kind (`() => true`: true), for `declared`. */
export const CALLBACK_RETURNS = new WeakMap<object, { value: unknown } | 'opaque'>();

/**
 * Whether a callback's return fits the declared return type, as tsc checks it: `() => true` is no `() => Money`.
 * A callback the search did not tag (a reducer built from the type, an instance's factory) is taken as typed.
 */
function returnFits(value: object, returns: TypeShape): boolean {
  const known = CALLBACK_RETURNS.get(value);
  if (known === undefined || returns.kind === 'any' || returns.kind === 'unknown' || returns.kind === 'void') return true;
  return known !== 'opaque' && fits(known.value, returns, 'declared');
}

const MAX_DEPTH = 6;

/** Shapes of built-in classes: a value fits when it is an instance (the real Date, whatever the search's clock). */
const BUILTIN_CLASSES: Partial<Record<TypeShape['kind'], abstract new (...args: never[]) => unknown>> = {
  date: RealDate,
  regexp: RegExp,
  error: Error,
  map: Map,
  set: Set,
  promise: Promise,
};

export function fits(value: unknown, shape: TypeShape, mode: FitMode, optional = false, depth = 0): boolean {
  if (value === undefined && optional) return true;
  if (depth > MAX_DEPTH) return true;
  const strict = mode === 'declared';
  const inner = (v: unknown, s: TypeShape, opt = false) => fits(v, s, mode, opt, depth + 1);
  switch (shape.kind) {
    case 'any':
    case 'unknown':
      return true;
    case 'never':
      return !strict;
    // A named type fits, when declared, what the package's own constructors or factories built as it.
    case 'unresolved':
      return !strict || builtType(value) === shape.text || isTypedArrayOf(value, shape.text);
    case 'ref':
    case 'class':
      return !strict || builtType(value) === shape.name;
    case 'undefined':
    case 'void':
      return value === undefined;
    case 'null':
      return value === null;
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'symbol':
      return typeof value === shape.kind;
    case 'literal':
      return Object.is(value, shape.value);
    case 'enum':
      return shape.members.some((m) => Object.is(m.value, value));
    case 'union':
      return shape.types.some((t) => inner(value, t));
    case 'intersection':
      return shape.types.every((t) => inner(value, t));
    case 'array':
      return Array.isArray(value) && value.every((v) => inner(v, shape.element));
    case 'tuple':
      return (
        Array.isArray(value) &&
        value.length <= (shape.elements.some((e) => e.rest) ? Infinity : shape.elements.length) &&
        shape.elements.every((e, i) => e.rest || (i < value.length ? inner(value[i], e.shape, e.optional) : e.optional))
      );
    case 'object': {
      if (strict && shape.name && builtType(value) === shape.name) return true;
      if (!(strict ? isPlainObject(value) : value !== null && typeof value === 'object')) return false;
      const record = value as Record<string, unknown>;
      if (!('properties' in shape)) return true;
      const known = new Set(shape.properties.map((p) => p.name));
      if (!shape.properties.every((p) => (record[p.name] !== undefined ? inner(record[p.name], p.shape, p.optional) : p.optional || inner(undefined, p.shape)))) return false;
      const index = shape.index?.value ?? null;
      return index === null || Object.entries(record).every(([k, v]) => known.has(k) || inner(v, index));
    }
    case 'record':
      return (strict ? isPlainObject(value) : value !== null && typeof value === 'object' && !Array.isArray(value)) && Object.values(value as object).every((v) => inner(v, shape.value));
    case 'function':
      // Declared: a callback needing more parameters than the type gives is not assignable to it.
      if (typeof value !== 'function') return false;
      return !strict || ((shape.params.some((p) => p.rest) || value.length <= shape.params.length) && returnFits(value, shape.returns));
    default: {
      const builtin = BUILTIN_CLASSES[shape.kind];
      return builtin ? value instanceof builtin : !strict;
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
