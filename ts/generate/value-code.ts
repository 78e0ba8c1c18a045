/**
 * Values as source text: the one place that writes a runtime value as the JavaScript that rebuilds it. The planner
 * (values.ts), the search child (search-runtime.ts) and the emitters (emit.ts, render.ts) all write literals with
 * these, so a string is quoted one way everywhere and what the search records is what the test file says.
 *
 * Loaded in the search child: imports nothing heavy.
 */
import { typedArrayCode } from './typed-arrays';

/** The real Date, saved before the second recording run replaces the global with a shifted clock. */
export const RealDate = Date;

export const IDENT = /^[A-Za-z_$][\w$]*$/;

/** Longest literal written into a test (a bigger value is not asserted). */
export const MAX_CODE = 3000;

/** Values the serializer cannot see through (callbacks, promises, instances) carry their source text here. */
export const CODE = new WeakMap<object, string>();

export function tag<T extends object>(value: T, code: string): T {
  CODE.set(value, code);
  return value;
}

/**
 * A single-quoted string literal. Control characters, lone surrogates and the two line separators JavaScript source
 * cannot hold raw are written as `\u` escapes, so the literal survives any file encoding and every parser.
 */
export function quote(text: string): string {
  return `'${text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/[\u0000-\u001f\u2028\u2029\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

/**
 * An object key as written in a literal: bare when it is an identifier, quoted otherwise, and computed for
 * `__proto__` (in a literal, `__proto__: v` and `'__proto__': v` set the prototype instead of an own property).
 */
export function propertyKey(key: string): string {
  if (key === '__proto__') return "['__proto__']";
  return IDENT.test(key) ? key : quote(key);
}

/** A member access: `.name`, or `['a-b']` when the name is not an identifier. */
export function memberAccess(key: string): string {
  return IDENT.test(key) ? `.${key}` : `[${quote(key)}]`;
}

function numberCode(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/**
 * JavaScript source text that rebuilds `value`, or null when it cannot (class instances, symbols, cycles, and values
 * that cannot be read any more: a revoked proxy, such as a draft a callback was given, throws on every look).
 */
export function toCode(value: unknown, depth = 0, seen: Set<object> = new Set()): string | null {
  try {
    return codeOf(value, depth, seen);
  } catch {
    return null;
  }
}

function codeOf(value: unknown, depth: number, seen: Set<object>): string | null {
  if (depth > 8) return null;
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
    case 'number':
      return numberCode(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return value.length > MAX_CODE ? null : quote(value);
    case 'symbol':
      return null;
    case 'function':
      return CODE.get(value) ?? null;
  }
  if (value === null) return 'null';
  const obj = value as object;
  const tagged = CODE.get(obj);
  if (tagged) return tagged;
  if (seen.has(obj)) return null;
  seen.add(obj);
  try {
    const out = objectCode(obj, depth, seen);
    return out !== null && out.length > MAX_CODE ? null : out;
  } finally {
    seen.delete(obj);
  }
}

function objectCode(obj: object, depth: number, seen: Set<object>): string | null {
  const inner = (v: unknown) => toCode(v, depth + 1, seen);
  // A subclass instance (a `Map` subclass such as an LRU cache) is not its base's literal: `toStrictEqual` compares
  // classes, so `new Map([...])` could never equal it. subclassContent() says what a test asserts of one instead.
  if (builtinBase(obj) === null) return null;
  if (obj instanceof RealDate) return Number.isNaN(obj.getTime()) ? 'new Date(NaN)' : `new Date(${quote(obj.toISOString())})`;
  if (obj instanceof RegExp) return `new RegExp(${quote(obj.source)}, ${quote(obj.flags)})`;
  // Too many items for a literal: not written, and not walked (getOwnPropertyNames of a million-element array).
  if ((obj instanceof Map || obj instanceof Set) && tooMany(obj.size)) return null;
  if (Array.isArray(obj) && tooMany(obj.length)) return null;
  // A hidden own property (`Object.defineProperty(o, 'constructor', { value: Thing })`, a non-enumerable id) is not
  // in the literal, and `toStrictEqual` would tell the two apart: such a value is not written.
  if (hasHiddenOwn(obj)) return null;
  if (Array.isArray(obj)) return arrayCode(obj, inner);
  if (obj instanceof Map) return collectionCode('Map', [...obj].map(([k, v]) => joined([inner(k), inner(v)], ([kc, vc]) => `[${kc}, ${vc}]`)));
  if (obj instanceof Set) return collectionCode('Set', [...obj].map(inner));
  if (ArrayBuffer.isView(obj)) return typedArrayCode(obj, numberCode);
  return plainObjectCode(obj, inner);
}

/** A non-enumerable own property other than an array's `length`. */
function hasHiddenOwn(obj: object): boolean {
  return Object.getOwnPropertyNames(obj).some((k) => !Object.prototype.propertyIsEnumerable.call(obj, k) && !(k === 'length' && Array.isArray(obj)));
}

/** Built-ins whose subclasses' instances are asserted by a copy of the base class (`new Map(value)`). */
const COPIES: Array<{ base: string; is: (v: object) => boolean; copy: (v: object) => object }> = [
  { base: 'Map', is: (v) => v instanceof Map, copy: (v) => new Map(v as Map<unknown, unknown>) },
  { base: 'Set', is: (v) => v instanceof Set, copy: (v) => new Set(v as Set<unknown>) },
  { base: 'Array', is: (v) => Array.isArray(v), copy: (v) => Array.from(v as unknown[]) },
  { base: 'Date', is: (v) => v instanceof RealDate, copy: (v) => new RealDate((v as Date).getTime()) },
  { base: 'RegExp', is: (v) => v instanceof RegExp, copy: (v) => new RegExp(v as RegExp) },
];

/** The test's expression of the base class's copy of `subject` (the copy subclassContent() made in the search). */
export function copyCode(base: string, subject: string): string {
  return base === 'Array' ? `Array.from(${subject})` : `new ${base}(${subject})`;
}

/**
 * The built-in an object is a plain instance of ('Map' for a Map itself), 'Object' for a plain object or one without
 * a prototype, or null for an instance of a subclass of a built-in (a class extending Map, Set, Array, Date, RegExp, a
 * typed array: Node's Buffer) or of any other class. A Date made while the clock is shifted (the second recording
 * run's `Date`, search-values.ts) counts as a Date.
 */
export function builtinBase(obj: object): string | null {
  const proto = Object.getPrototypeOf(obj) as object | null;
  if (proto === null || proto === Object.prototype) return 'Object';
  if (proto === Map.prototype) return 'Map';
  if (proto === Set.prototype) return 'Set';
  if (proto === Array.prototype) return 'Array';
  if (proto === RegExp.prototype) return 'RegExp';
  if (proto === RealDate.prototype || (obj instanceof RealDate && proto === (globalThis.Date as { prototype: object }).prototype)) return 'Date';
  if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
    const tag = Object.prototype.toString.call(obj).slice(8, -1);
    const ctor = (globalThis as Record<string, unknown>)[tag] as { prototype?: object } | undefined;
    return ctor?.prototype === proto ? tag : null;
  }
  return null;
}

/**
 * What a test asserts of an instance of a built-in's subclass: the base class's copy of it (`new Map(value)`, which
 * iterates it as its users do; copyCode() writes it) and that copy's literal. Null for anything else, or when the
 * copy cannot be written.
 */
export function subclassContent(value: unknown): { base: string; code: string } | null {
  if (value === null || typeof value !== 'object' || builtinBase(value) !== null) return null;
  let base: string | null = null;
  let code: string | null = null;
  try {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      base = Object.prototype.toString.call(value).slice(8, -1);
      const ctor = (globalThis as Record<string, unknown>)[base];
      code = typeof ctor === 'function' ? toCode(new (ctor as new (v: unknown) => object)(value)) : null;
    } else {
      const kind = COPIES.find((c) => c.is(value));
      base = kind?.base ?? null;
      code = kind ? toCode(kind.copy(value)) : null;
    }
  } catch {
    return null;
  }
  return base === null || code === null ? null : { base, code };
}
/** Every part written, or null when one cannot be. */
function joined(parts: Array<string | null>, join: (codes: string[]) => string): string | null {
  return parts.some((p) => p === null) ? null : join(parts as string[]);
}

/**
 * More items than a literal of MAX_CODE characters can hold (each takes at least `0, `): such a collection is never
 * written, and is not walked (a cache of a million entries is not turned into a million parts first).
 */
export const tooMany = (count: number) => count > MAX_CODE / 3 + 1;

/**
 * A dense array (a hole cannot be written); named properties beside the elements (a regex match's `index`, a
 * parser's `vars`) are written too: `Object.assign([1, 2], { vars: [] })`.
 */
function arrayCode(items: unknown[], inner: (v: unknown) => string | null): string | null {
  if (Object.getPrototypeOf(items) !== Array.prototype || tooMany(items.length)) return null;
  const parts: Array<string | null> = [];
  for (let i = 0; i < items.length; i++) parts.push(i in items ? inner(items[i]) : null);
  const list = joined(parts, (codes) => `[${codes.join(', ')}]`);
  const named = Object.keys(items).filter((k) => !/^(0|[1-9]\d*)$/.test(k));
  if (list === null || named.length === 0) return list;
  if (Object.getOwnPropertySymbols(items).length) return null;
  const extra = plainObjectCode(Object.fromEntries(named.map((k) => [k, (items as unknown as Record<string, unknown>)[k]])), inner);
  return extra === null ? null : `Object.assign(${list}, ${extra})`;
}

function collectionCode(kind: 'Map' | 'Set', parts: Array<string | null>): string | null {
  return joined(parts, (codes) => (codes.length ? `new ${kind}([${codes.join(', ')}])` : `new ${kind}()`));
}

/**
 * A plain object (own enumerable data properties only; no symbols, accessors or hidden properties), or one without a prototype
 * (`Object.create(null)`, written `{ __proto__: null, ... }`: a test comparing it strictly checks the prototype).
 */
function plainObjectCode(obj: object, inner: (v: unknown) => string | null): string | null {
  const proto = Object.getPrototypeOf(obj);
  if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(obj).length) return null;
  const keys = Object.keys(obj);
  if (tooMany(keys.length)) return null;
  const parts: Array<string | null> = proto === null ? ['__proto__: null'] : [];
  for (const key of keys) {
    const desc = Object.getOwnPropertyDescriptor(obj, key)!;
    const c = desc.get || desc.set ? null : inner(desc.value);
    parts.push(c === null ? null : `${propertyKey(key)}: ${c}`);
  }
  return joined(parts, (codes) => (codes.length ? `{ ${codes.join(', ')} }` : '{}'));
}

/** A literal for the planner's values (JSON values and the few non-JSON ones the core names): never null. */
export function literalCode(value: unknown): string {
  return toCode(value) ?? String(value);
}
