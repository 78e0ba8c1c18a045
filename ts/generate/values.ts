/**
 * Argument values for generated tests, built only from what the Rust core sends: the parameter's resolved type
 * (`ParamInfo.shape`), or the shape its usage, default or name implies (`ParamInfo.inferred`), the typical value of
 * its name's domain (`ParamInfo.domain`) and structured values (`CaseValue`). Nothing here parses type text, source
 * text or literals: a value's runtime form is the core's JSON `literal`.
 *
 * A value is source text (`code`) plus, when the core knows it, its runtime value (`runtime`), which the planner uses
 * to evaluate guard conditions and to check a value against the declared type.
 */
import type { CaseValue, ParamInfo, ParamUsage, PropertyShape, TypeShape } from '../engine/types';
import { fits } from './fits';
import { typedArrayValues } from './typed-arrays';
import { literalCode, propertyKey, quote } from './value-code';
import { FIXED_DATE_ISO, hasKind, isOpaque, isVague, members, secondOf, typicalOf } from './value-shapes';

const ANY: TypeShape = { kind: 'any' };

export interface Value {
  /** JavaScript source text of the argument. */
  code: string;
  /** Short description for test names ("empty string", "-1"). */
  label: string;
  /** The runtime value when `known`. */
  runtime?: unknown;
  known: boolean;
  /** The value does not fit the declared type and needs a cast in TypeScript (`as never`). */
  cast?: boolean;
}

export function lit(value: unknown, label?: string): Value {
  return { code: literalCode(value), label: label ?? describeValue(value), runtime: value, known: true };
}

export function describeValue(value: unknown): string {
  if (value === '') return 'an empty string';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : value.length === 1 ? 'a one-element array' : `a ${value.length}-element array`;
  if (value && typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty object' : literalCode(value);
  if (typeof value === 'string' && value.length > 24) return quote(`${value.slice(0, 21)}...`);
  return literalCode(value);
}

/**
 * The core's CaseValue as a Value. `literal` is the JSON value; it is null for JSON null and for values JSON cannot
 * hold, which the core's `code` then names exactly (the contract, crates/tdd_fast_core/src/testgen/pattern_values.rs).
 */
const NON_JSON = new Map<string, unknown>([
  ['null', null],
  ['undefined', undefined],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
]);

export function fromCase(c: CaseValue, label?: string): Value {
  if (c.literal !== null) return { code: c.code, label: label ?? c.description, runtime: c.literal, known: true };
  if (NON_JSON.has(c.code)) return { code: c.code, label: label ?? c.description, runtime: NON_JSON.get(c.code), known: true };
  return { code: c.code, label: label ?? c.description, known: false };
}

export interface ParamModel {
  param: ParamInfo;
  /** The shape values are built from: the declared one, else the inferred one; null when nothing is known. */
  shape: TypeShape | null;
  /** `shape` is the declaration (values must fit it), not an inference from usage. */
  declared: boolean;
  usage?: ParamUsage;
  /** The value every case uses for this parameter unless the case is about it. */
  typical: Value;
  /** Edge values that fit the parameter. */
  edges: Value[];
  /** Why no fitting value could be built (an opaque type without usage facts). */
  unsupported?: string;
}

/** The shape a parameter's values are built from, and whether it is the declaration. */
export function effectiveShape(param: ParamInfo): { shape: TypeShape | null; declared: boolean } {
  if (param.shape && !isOpaque(param.shape) && !(isVague(param.shape) && param.inferred)) return { shape: param.shape, declared: true };
  if (param.inferred) return { shape: param.inferred, declared: false };
  return { shape: param.shape ?? null, declared: Boolean(param.shape) };
}

const FIXED_DATE = `new Date('${FIXED_DATE_ISO}')`;

/** What the values of one parameter are built with. */
interface Context {
  ts: boolean;
  /** The typical value of the parameter's name's domain, with its kind. */
  domain?: ParamInfo['domain'];
}

function domainValue(ctx: Context, kind: string): Value | undefined {
  const d = ctx.domain;
  return d && d.kind === kind ? fromCase(d.typical) : undefined;
}

type ShapeOf<K extends TypeShape['kind']> = Extract<TypeShape, { kind: K }>;
type Builder<K extends TypeShape['kind']> = (shape: ShapeOf<K>, ctx: Context) => Value | undefined;

/**
 * A callback for a function type: in TypeScript one that returns a typical value of the declared return type
 * (`() => 'Hello World'` fits `(x: number) => string`; fewer parameters are always allowed), in JavaScript the
 * identity. None when TypeScript needs a return value that cannot be built.
 */
function callbackValue(shape: ShapeOf<'function'>, ctx: Context): Value | undefined {
  if (!ctx.ts) return { code: '(value) => value', label: 'an identity callback', known: false };
  const returns = shape.returns;
  if (!returns || ['void', 'undefined', 'any', 'unknown'].includes(returns.kind)) return { code: '() => undefined', label: 'a callback', known: false };
  const v = typicalFor(returns, { ts: true });
  return v && !v.cast ? { code: `() => (${v.code})`, label: 'a callback', known: false } : undefined;
}

/**
 * An enum member as its value. TypeScript accepts a number for a numeric enum, but not a string for a string enum:
 * that needs the enum itself in scope, which the planner cannot import (its module is not known), so in TypeScript
 * a string member gives no value (the case becomes a TODO rather than a cast that hides the type).
 */
function enumValue(shape: ShapeOf<'enum'>, member: ShapeOf<'enum'>['members'][number], ctx: Context): Value | undefined {
  if (ctx.ts && typeof member.value === 'string') return undefined;
  return { code: member.code, label: `${shape.name}.${member.name}`, runtime: member.value, known: true };
}

/** Typical values by kind. Kinds not here (never, class instances, opaque names) cannot be built. */
const TYPICAL: { [K in TypeShape['kind']]?: Builder<K> } = {
  literal: (shape) => ({ ...lit(shape.value), code: shape.code }),
  // Primitives: value-shapes.ts's typical values (the search starts from the same ones).
  string: (shape, ctx) => domainValue(ctx, 'string') ?? lit(typicalOf(shape)),
  number: (shape, ctx) => domainValue(ctx, 'number') ?? lit(typicalOf(shape)),
  boolean: (shape) => lit(typicalOf(shape)),
  bigint: (shape) => lit(typicalOf(shape)),
  null: () => lit(null),
  undefined: () => lit(undefined),
  void: () => lit(undefined),
  any: (_, ctx) => anyValue(ctx),
  unknown: (_, ctx) => anyValue(ctx),
  symbol: () => ({ code: "Symbol('tdd-fast')", label: 'a symbol', known: false }),
  union: (shape, ctx) => unionTypical(shape.types, ctx),
  intersection: (shape, ctx) => intersectionTypical(shape.types, ctx),
  enum: (shape, ctx) => (shape.members[0] ? enumValue(shape, shape.members[0], ctx) : undefined),
  array: (shape, ctx) => arrayTypical(shape.element, ctx),
  tuple: (shape, ctx) =>
    composite(
      shape.elements.filter((e) => !e.optional && !e.rest).map((e) => typicalFor(e.shape, { ts: ctx.ts })),
      (codes) => `[${codes.join(', ')}]`,
      (values) => values,
      'a tuple',
    ),
  object: (shape, ctx) => objectTypical(shape.properties.filter((p) => !p.optional), shape.index?.value ?? null, ctx),
  record: (shape, ctx) => recordTypical(shape.key, shape.value, ctx),
  function: (shape, ctx) => callbackValue(shape, ctx),
  date: (_, ctx) => domainValue(ctx, 'date') ?? { code: FIXED_DATE, label: 'a fixed date', known: false },
  regexp: () => ({ code: '/a+/', label: 'a regex', known: false }),
  error: () => ({ code: "new Error('boom')", label: 'an error', known: false }),
  map: (shape, ctx) => built([shape.key, shape.value], ctx, ([k, v]) => `new Map([[${k}, ${v}]])`, 'a one-entry map'),
  set: (shape, ctx) => built([shape.element], ctx, ([e]) => `new Set([${e}])`, 'a one-element set'),
  promise: (shape, ctx) => built([shape.value], ctx, ([v]) => `Promise.resolve(${v})`, 'a resolved promise'),
};

/** Without a type: the name's domain value, else a string. */
function anyValue(ctx: Context): Value {
  return (ctx.domain && ctx.domain.kind !== 'date' ? fromCase(ctx.domain.typical) : undefined) ?? lit(typicalOf(ANY));
}

/** A value built by code from typical values of its parts (`new Map(...)`), unknown at plan time. */
function built(parts: TypeShape[], ctx: Context, code: (codes: string[]) => string, label: string): Value | undefined {
  const values = parts.map((p) => typicalFor(p, { ts: ctx.ts }));
  if (values.some((v) => !v)) return undefined;
  return { code: code(values.map((v) => v!.code)), label, known: false };
}

/** Typical values of nested shapes (no domain), per output language: a big interface is built once per parameter. */
const MEMO = { ts: new WeakMap<TypeShape, Value | undefined>(), js: new WeakMap<TypeShape, Value | undefined>() };

/** A typical value of a shape, or undefined when none can be built. */
export function typicalFor(shape: TypeShape, ctx: Context): Value | undefined {
  const build = TYPICAL[shape.kind] as Builder<typeof shape.kind> | undefined;
  if (!build) return undefined;
  if (ctx.domain) return build(shape as never, ctx);
  const memo = ctx.ts ? MEMO.ts : MEMO.js;
  if (!memo.has(shape)) memo.set(shape, build(shape as never, ctx));
  return memo.get(shape);
}

/** The first member that gives a value, preferring anything over null/undefined. */
function unionTypical(types: TypeShape[], ctx: Context): Value | undefined {
  const nullish = (t: TypeShape) => t.kind === 'null' || t.kind === 'undefined' || t.kind === 'void';
  for (const t of [...types.filter((t) => !nullish(t)), ...types.filter(nullish)]) {
    const v = typicalFor(t, ctx);
    if (v) return v;
  }
  return undefined;
}

function intersectionTypical(types: TypeShape[], ctx: Context): Value | undefined {
  const objects = types.filter((t): t is Extract<TypeShape, { kind: 'object' }> => t.kind === 'object');
  if (objects.length === types.length) return objectTypical(objects.flatMap((o) => o.properties.filter((p) => !p.optional)), null, ctx);
  return types.map((t) => typicalFor(t, ctx)).find(Boolean);
}

/** Builds a composite value: a known runtime when every part is known, else source text only. */
function composite(parts: Array<Value | undefined>, code: (codes: string[]) => string, runtime: (values: unknown[]) => unknown, label: string): Value | undefined {
  if (parts.some((p) => !p)) return undefined;
  const values = parts as Value[];
  if (values.every((v) => v.known && !v.cast)) {
    // The code is the parts' code joined; the label is short (describing a big object would print it whole).
    const r = runtime(values.map((v) => v.runtime));
    const text = code(values.map((v) => v.code));
    return { code: text, label: text.length <= 40 ? describeValue(r) : label, runtime: r, known: true };
  }
  return { code: code(values.map((v) => v.code)), label, known: false, cast: values.some((v) => v.cast) };
}

function arrayTypical(element: TypeShape, ctx: Context): Value | undefined {
  const first = typicalFor(element, { ts: ctx.ts });
  if (!first) return undefined;
  const second = secondValue(element, ctx.ts) ?? first;
  return composite([first, second, first], (codes) => `[${codes.join(', ')}]`, (values) => values, 'a three-element array');
}

/** A second, different value of a shape (so arrays are not all one value). */
function secondValue(shape: TypeShape, ts: boolean): Value | undefined {
  const ms = members(shape);
  const literals = ms.filter((m) => m.kind === 'literal');
  if (literals.length > 1) return typicalFor(literals[1], { ts });
  if (hasKind(shape, 'string')) return lit(secondOf({ kind: 'string' }, 0));
  if (hasKind(shape, 'number')) return lit(secondOf({ kind: 'number' }, 0));
  return undefined;
}

function objectTypical(properties: PropertyShape[], index: TypeShape | null, ctx: Context): Value | undefined {
  const parts = properties.map((p) => typicalFor(p.shape, { ts: ctx.ts }));
  const names = properties.map((p) => p.name);
  if (index && properties.length === 0) {
    const v = typicalFor(index, { ts: ctx.ts });
    if (v) {
      parts.push(v);
      names.push('key');
    }
  }
  return composite(
    parts,
    (codes) => (codes.length ? `{ ${codes.map((c, i) => `${propertyKey(names[i])}: ${c}`).join(', ')} }` : '{}'),
    (values) => Object.fromEntries(values.map((v, i) => [names[i], v])),
    'an object',
  );
}

/** `Record<'a' | 'b', V>` needs every key; `Record<string, V>` gets one. */
function recordTypical(key: TypeShape, value: TypeShape, ctx: Context): Value | undefined {
  const literalKeys = members(key).flatMap((k) => (k.kind === 'literal' ? [String(k.value)] : k.kind === 'enum' ? k.members.map((m) => String(m.value)) : []));
  const keys = literalKeys.length ? literalKeys : ['key'];
  const v = typicalFor(value, { ts: ctx.ts });
  if (!v) return undefined;
  return objectTypical(
    keys.map((name) => ({ name, shape: value, optional: false, readonly: false })),
    null,
    ctx,
  );
}

/** Edge values of a shape: empty / one for collections, boundaries for numbers, every literal and enum member. */
function edgesFor(shape: TypeShape, ctx: Context, typical: Value): Value[] {
  const out: Value[] = [];
  for (const m of members(shape)) {
    switch (m.kind) {
      case 'string':
        out.push(lit(''), lit(' '), lit('a'));
        break;
      case 'number':
        // Zero, a negative, a fraction, NaN, and one (the smallest count).
        out.push(lit(0), lit(-1), lit(1.5), lit(NaN), lit(1));
        break;
      case 'boolean':
        out.push(lit(false), lit(true));
        break;
      case 'literal':
        out.push({ ...lit(m.value), code: m.code });
        break;
      case 'enum':
        for (const e of m.members) {
          const v = enumValue(m, e, ctx);
          if (v) out.push(v);
        }
        break;
      case 'array': {
        out.push(lit([]));
        const first = typicalFor(m.element, { ts: ctx.ts });
        if (first) out.push(composite([first], (codes) => `[${codes[0]}]`, (values) => values, 'a one-element array')!);
        break;
      }
      case 'object':
        out.push(...optionalPropertyEdges(m.properties, ctx));
        break;
      case 'null':
        out.push(lit(null));
        break;
      case 'undefined':
      case 'void':
        out.push(lit(undefined));
        break;
      case 'any':
      case 'unknown':
        out.push(lit(undefined), lit(null));
        break;
    }
  }
  void typical;
  return out;
}

/** `{ pascalCase?: boolean }`: the object without optional properties, then each optional one set on its own. */
function optionalPropertyEdges(properties: PropertyShape[], ctx: Context): Value[] {
  const required = properties.filter((p) => !p.optional);
  const optional = properties.filter((p) => p.optional).slice(0, 8);
  if (optional.length === 0) return [];
  const base = objectTypical(required, null, ctx);
  if (!base) return [];
  const out: Value[] = [base];
  for (const p of optional) out.push(...withProperty(base, p, ctx));
  return out;
}

/** The object with one optional property set: to its typical value, and to `false` as well for a boolean. */
function withProperty(base: Value, p: PropertyShape, ctx: Context): Value[] {
  const v = typicalFor(p.shape, { ts: ctx.ts });
  if (!v) return [];
  const values = hasKind(p.shape, 'boolean') ? [v, lit(false)] : [v];
  const key = propertyKey(p.name);
  return values.map((one) => {
    const code = base.code === '{}' ? `{ ${key}: ${one.code} }` : `${base.code.slice(0, -2)}, ${key}: ${one.code} }`;
    if (!base.known || !one.known || one.cast) return { code, label: `an object with ${p.name}`, known: false, cast: one.cast };
    return { code, label: code.length <= 40 ? code : `an object with ${p.name}`, runtime: { ...(base.runtime as object), [p.name]: one.runtime }, known: true };
  });
}

/** Builds the value model of one parameter. `ts`: the generated file is TypeScript. */
export function modelParam(param: ParamInfo, usage: ParamUsage | undefined, ts: boolean): ParamModel {
  const { shape, declared } = effectiveShape(param);
  const ctx: Context = { ts, domain: param.domain };
  let typical: Value | undefined;
  let unsupported: string | undefined;
  // TypeScript: a declaration the core cannot see into takes no value inferred from usage (it would not type-check).
  const hidden = ts && !declared && isOpaque(param.shape) ? param.shape : null;
  if (shape && !isOpaque(shape) && !hidden) typical = typicalFor(shape, ctx);
  // A typed array (a built-in name the core leaves unresolved): its first value, `new Uint8Array([1, 2, 3])`.
  const bytes = param.shape?.kind === 'unresolved' ? typedArrayValues(param.shape.text)[0] : undefined;
  if (!typical && bytes !== undefined) typical = lit(bytes, 'bytes');
  if (!typical) {
    const named = hidden ?? shape;
    if (named && (ts || !isOpaque(named))) {
      const what = named.kind === 'unresolved' ? named.text : named.kind === 'ref' || named.kind === 'class' ? named.name : named.kind === 'enum' ? `${named.name} (a string enum: a TypeScript test needs the enum itself)` : named.kind;
      unsupported = `parameter '${param.name}' has type ${what}, which tdd-fast cannot construct`;
    } else {
      typical = typicalFor(ANY, ctx);
    }
  }
  // Only a case that is a TODO (the parameter cannot be built) holds this value; its call is written as a comment.
  const fallback: Value = typical ?? { code: 'undefined', label: 'undefined', known: false, cast: true };

  const edges: Value[] = [];
  const add = (v: Value) => {
    if (v.known && declared && shape && !fits(v.runtime, shape, 'declared', param.optional)) return;
    if (v.code === fallback.code) return;
    if (!edges.some((e) => e.code === v.code)) edges.push(v);
  };
  if (bytes !== undefined && param.shape?.kind === 'unresolved') typedArrayValues(param.shape.text).slice(1, 3).forEach((v) => add(lit(v, (v as Uint8Array).length === 0 ? 'empty bytes' : 'bytes')));
  else if (shape && !isOpaque(shape)) for (const v of edgesFor(shape, ctx, fallback)) add(v);
  else if (!shape) for (const v of edgesFor(ANY, ctx, fallback)) add(v);
  if (param.optional) add(lit(undefined));
  return { param, shape, declared, usage, typical: fallback, edges, unsupported };
}
