/**
 * Inputs for the coverage-guided search (search-runtime.ts): values that fit a parameter's TypeShape (typical, a
 * pool of interesting ones, random ones), their mutations, and whether a value fits a shape (the crash filter).
 */
import type { TypeShape } from '../engine/types';
import { fits } from './fits';
import { formattedStrings } from './format-strings';
import { builtType, instancesOf } from './instance-registry';
import { typedArrayValues } from './typed-arrays';
import { IDENT } from './value-code';
import { callback, callbacksFor, clone, CONTINUATION, members, objectOf, typicalOf, untyped } from './value-shapes';
import { vocabularyArrays, vocabularyObjects } from './search-vocabulary';

/* ------------------------------------------------------------------ PRNG */

export function prng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface Ctx {
  numbers: number[];
  strings: string[];
  rng: () => number;
  /** Instances of the class under test, for its methods' parameters that take one (`a.equals(b)`, `a.add(b)`). */
  instances?: unknown[];
}

export function pick<T>(rng: () => number, items: T[]): T {
  return items[Math.floor(rng() * items.length) % items.length];
}

export const BASE_NUMBERS = [0, 1, -1, 2, 3, 10, 100, 0.5, 1.5, -2.5, 1000, 1e6, NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER, 255, 60, 24, 7];
export const BASE_STRINGS = ['', 'a', 'abc', 'Hello World', 'hello-world', 'foo_bar', 'FooBar', ' padded ', '123', '-1.5', '1e3', 'true', 'null', 'a,b,c', 'ünïcödé 🚀', 'x'.repeat(60), '\n', '0', 'A', 'first line\n  second line\n    third', '\tTabbed\r\nWindows line', '  leading', 'trailing  ', 'CONSTANT_CASE', 'camelCaseWord', 'a.b.c', 'user@example.com', 'https://example.com/a?b=1#c', '2024-01-15T12:00:00Z', '1.2.3', '#ff8800', '<b>&amp;</b>', '"quoted"', "it's"];

/**
 * Values of no known type: the code's constants, then a spread of kinds; at the top level, the module's own object
 * shapes (search-vocabulary.ts: what its helpers read from such a value) and two callbacks (an untyped parameter may
 * be a function the code calls as `fn.call(ctx, x, done)`).
 */
function anyPool(ctx: Ctx, depth: number): unknown[] {
  return [...ctx.strings.slice(0, 8), ...ctx.numbers.slice(0, 4), 'Hello World', 3, true, null, undefined, [1, 2, 3], { a: 1 }, '', 0, -1, 'a', 'b', 1, 2, 'abc', false, ...(ctx.instances ?? []), ...(depth === 0 ? [...vocabularyObjects(), callback(0), callback(CONTINUATION)] : [])];
}

/** A spread of interesting values of a shape (deterministic order). */
export function poolOf(shape: TypeShape, ctx: Ctx, depth = 0): unknown[] {
  if (depth > 4) return [typicalOf(shape)];
  switch (shape.kind) {
    case 'string': {
      const combos: string[] = [];
      for (const n of ctx.numbers.slice(0, 6)) for (const s of ctx.strings.slice(0, 6)) if (s.length <= 12 && /^[A-Za-z]+$/.test(s)) combos.push(`${n}${s}`, `${n} ${s}`);
      // Two of the code's strings joined, in their order (a type and a parameter: 'a/a' + ';a=a'): parsers check
      // one piece, then the next.
      const short = ctx.strings.slice(0, 8).filter((x) => x.length > 0 && x.length <= 16);
      const joined = short.flatMap((a, i) => short.slice(i + 1).map((b) => a + b));
      return [...ctx.strings, ...formattedStrings(ctx.strings), ...BASE_STRINGS, ...ctx.numbers.slice(0, 8).map(String), ...joined, ...combos];
    }
    case 'number': {
      const near = ctx.numbers.flatMap((n) => [n, n - 1, n + 1]);
      return [...near, ...BASE_NUMBERS];
    }
    case 'boolean':
      return [true, false];
    case 'bigint':
      return [0n, 1n, -1n, 10n, 2n ** 64n];
    case 'null':
      return [null];
    case 'undefined':
    case 'void':
      return [undefined];
    case 'unresolved':
    case 'ref': {
      // A name the package's own constructors or factories build: those instances, else anything.
      const built = instancesOf(shape.kind === 'ref' ? shape.name : shape.text);
      if (built.length) return [...built, ...(ctx.instances ?? [])];
      const bytes = shape.kind === 'unresolved' ? typedArrayValues(shape.text) : [];
      if (bytes.length) return bytes;
      return anyPool(ctx, depth);
    }
    case 'any':
    case 'unknown':
      return anyPool(ctx, depth);
    case 'class':
      return [...new Set([...instancesOf(shape.name), ...(ctx.instances ?? []), typicalOf(shape)])];
    case 'literal':
      return [shape.value];
    case 'enum':
      return shape.members.map((m) => m.value);
    case 'union': {
      const pools = members(shape).map((m) => poolOf(m, ctx, depth + 1));
      const out: unknown[] = [];
      for (let i = 0; out.length < 60 && pools.some((p) => i < p.length); i++) for (const p of pools) if (i < p.length) out.push(p[i]);
      return out;
    }
    case 'array': {
      const t = typicalOf(shape.element);
      if (untyped(shape.element)) {
        // Nothing says what the elements are: arrays of one kind (what sorting, searching and heaps compare),
        // unsorted, with a repeat, one long enough for a third level of a heap or a binary search's both halves.
        return [[], [t], [3, 1, 2], ['b', 'a', 'c'], [5, 1, 4, 1, 3, 9, 2, 6], typicalOf(shape), [1, 'a', null], ...(depth === 0 ? vocabularyArrays() : [])];
      }
      const elems = poolOf(shape.element, ctx, depth + 1).slice(0, 8);
      const long = elems.length >= 6 ? [elems[3], elems[0], elems[5], elems[1], elems[4], elems[2], elems[0], ...elems.slice(6)] : null;
      const out = [[], [t], typicalOf(shape), elems.slice(0, 5), [...elems].reverse().slice(0, 4), elems.slice(0, 1).concat(elems.slice(0, 1))];
      return long ? [...out, long] : out;
    }
    case 'object': {
      if (!('properties' in shape)) return [{}, { a: 1 }];
      // What the package's own factories return for this interface first (search-instances.ts), then literals.
      const out: unknown[] = [...(shape.name ? instancesOf(shape.name) : []), objectOf(shape, (s) => typicalOf(s), false), objectOf(shape, (s) => typicalOf(s), true)];
      for (const p of shape.properties) {
        for (const v of poolOf(p.shape, ctx, depth + 1).slice(0, 8)) {
          const o = objectOf(shape, (s) => typicalOf(s), false);
          o[p.name] = v;
          out.push(o);
        }
      }
      return out;
    }
    case 'record':
      return [{}, typicalOf(shape)];
    case 'tuple':
      return [typicalOf(shape), shape.elements.filter((e) => !e.rest).map((e) => typicalOf(e.shape))];
    case 'function':
      return callbacksFor(shape);
    case 'date':
      return [new Date('2024-01-15T12:00:00.000Z'), new Date(0), new Date('1999-12-31T23:59:59.999Z'), new Date(NaN)];
    case 'regexp':
      return [/a+/, /^\d+$/g, /x/i];
    case 'map':
      return [new Map(), typicalOf(shape)];
    case 'set':
      return [new Set(), typicalOf(shape)];
    default:
      return [typicalOf(shape)];
  }
}

export function randomOf(shape: TypeShape, ctx: Ctx, depth = 0): unknown {
  const rng = ctx.rng;
  if (depth > 4) return typicalOf(shape);
  switch (shape.kind) {
    case 'number': {
      const r = rng();
      if (r < 0.4 && ctx.numbers.length) return pick(rng, ctx.numbers) + pick(rng, [-1, 0, 1]);
      if (r < 0.7) return Math.floor(rng() * 200) - 100;
      if (r < 0.85) return Math.round(rng() * 1e6) / 100;
      return pick(rng, BASE_NUMBERS);
    }
    case 'string': {
      const r = rng();
      if (r < 0.4 && ctx.strings.length) return pick(rng, ctx.strings);
      if (r < 0.7) return randomString(ctx);
      return pick(rng, poolOf(shape, ctx));
    }
    case 'union':
      return randomOf(pick(rng, members(shape)), ctx, depth + 1);
    case 'array': {
      const n = Math.floor(rng() * 9);
      // Untyped elements: one kind per array (numbers or strings), as real callers pass them.
      const element: TypeShape = untyped(shape.element) ? { kind: rng() < 0.6 ? 'number' : 'string' } : shape.element;
      return Array.from({ length: n }, () => randomOf(element, ctx, depth + 1));
    }
    case 'object': {
      if (!('properties' in shape)) return {};
      const out: Record<string, unknown> = {};
      for (const p of shape.properties) if (!p.optional || rng() < 0.5) out[p.name] = randomOf(p.shape, ctx, depth + 1);
      return out;
    }
    case 'record': {
      const out: Record<string, unknown> = {};
      const n = Math.floor(rng() * 3);
      for (let i = 0; i < n; i++) out[randomKey(ctx)] = randomOf(shape.value, ctx, depth + 1);
      return out;
    }
    case 'tuple':
      return shape.elements.filter((e) => !e.rest && (!e.optional || rng() < 0.5)).map((e) => randomOf(e.shape, ctx, depth + 1));
    case 'map': {
      const m = new Map();
      const n = Math.floor(rng() * 3);
      for (let i = 0; i < n; i++) m.set(randomOf(shape.key, ctx, depth + 1), randomOf(shape.value, ctx, depth + 1));
      return m;
    }
    case 'set':
      return new Set(Array.from({ length: Math.floor(rng() * 4) }, () => randomOf(shape.element, ctx, depth + 1)));
    default:
      return pick(rng, poolOf(shape, ctx, depth));
  }
}

export function randomKey(ctx: Ctx): string {
  return pick(ctx.rng, ['a', 'b', 'key', 'name', 'value', ...ctx.strings.filter((s) => IDENT.test(s)).slice(0, 6)]);
}

export function randomString(ctx: Ctx): string {
  const alphabet = 'abcXYZ019 -_.,/:@#\n\t';
  const n = Math.floor(ctx.rng() * 8);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(ctx.rng() * alphabet.length)];
  return s;
}

export function mutateValue(value: unknown, shape: TypeShape, ctx: Ctx, depth = 0): unknown {
  const rng = ctx.rng;
  // A built instance is written as the call that built it: changed in place, its code would no longer say what it is.
  if (builtType(value) !== undefined) return pick(rng, poolOf(shape, ctx, depth));
  if (rng() < 0.3 || depth > 3) return rng() < 0.5 ? randomOf(shape, ctx, depth) : pick(rng, poolOf(shape, ctx, depth));
  if (shape.kind === 'union') {
    const all = members(shape);
    const fitting = all.filter((m) => fits(value, m, 'search'));
    return mutateValue(value, fitting.length && rng() < 0.7 ? pick(rng, fitting) : pick(rng, all), ctx, depth + 1);
  }
  if (typeof value === 'number' && (shape.kind === 'number' || shape.kind === 'any' || shape.kind === 'unknown')) {
    return pick(rng, [value + 1, value - 1, value * 2, -value, value / 2, Math.floor(value / 10), value * 10, value + 0.5]);
  }
  if (typeof value === 'string' && (shape.kind === 'string' || shape.kind === 'any' || shape.kind === 'unknown')) {
    const i = Math.floor(rng() * (value.length + 1));
    const piece = ctx.strings.length && rng() < 0.5 ? pick(rng, ctx.strings) : randomString(ctx);
    switch (Math.floor(rng() * 7)) {
      case 0:
        return value.slice(0, i) + piece + value.slice(i);
      case 1:
        return value.slice(0, i) + value.slice(i + 1);
      case 2:
        return value.toUpperCase();
      case 3:
        return value + piece;
      case 4:
        return piece + value;
      case 5:
        return String(pick(rng, ctx.numbers.length ? ctx.numbers : BASE_NUMBERS)) + value;
      default:
        return value.slice(0, i);
    }
  }
  if (Array.isArray(value) && shape.kind === 'array') {
    const next = value.map((v) => clone(v));
    const r = Math.floor(rng() * 5);
    if (r === 0 || next.length === 0) next.push(randomOf(shape.element, ctx, depth + 1));
    else if (r === 1) next.splice(Math.floor(rng() * next.length), 1);
    else if (r === 2) next.reverse();
    else {
      const i = Math.floor(rng() * next.length);
      next[i] = mutateValue(next[i], shape.element, ctx, depth + 1);
    }
    return next;
  }
  if (value && typeof value === 'object' && shape.kind === 'object' && 'properties' in shape && shape.properties.length) {
    const next = clone(value) as Record<string, unknown>;
    const p = pick(rng, shape.properties);
    if (p.optional && p.name in next && rng() < 0.3) delete next[p.name];
    else next[p.name] = mutateValue(next[p.name], p.shape, ctx, depth + 1);
    return next;
  }
  if (typeof value === 'boolean') return !value;
  return randomOf(shape, ctx, depth);
}

const SHARED_PAIRS = new WeakMap<object, Array<[number, number]>>();

/**
 * Parameter pairs (i < j) worth calling with equal values: the same shape, or both without a type. Equality,
 * comparison and merge functions only go deep when their arguments match (`equal(a, b)` returns at its first
 * difference), and random values of two parameters almost never do.
 */
export function sharedPairs(params: Array<{ shape: TypeShape; rest?: boolean }>): Array<[number, number]> {
  const known = SHARED_PAIRS.get(params);
  if (known) return known;
  const pairs: Array<[number, number]> = [];
  const texts = params.map((p) => JSON.stringify(p.shape));
  for (let i = 0; i < params.length; i++) {
    for (let j = i + 1; j < params.length; j++) {
      if (params[i].rest || params[j].rest) continue;
      if ((untyped(params[i].shape) && untyped(params[j].shape)) || texts[i] === texts[j]) pairs.push([i, j]);
    }
  }
  const kept = pairs.slice(0, 4);
  SHARED_PAIRS.set(params, kept);
  return kept;
}
