/**
 * Inputs for the coverage-guided search (search-runtime.ts): values that fit a parameter's TypeShape (typical, a
 * pool of interesting ones, random ones), their mutations, and whether a value fits a shape (the crash filter).
 */
import type { TypeShape } from './shapes';
import { fits } from './fits';
import { clone, IDENT, tag, toCode } from './search-values';
import { reducerCallbacks } from './search-callbacks';

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

export const CALLBACKS: Array<[string, (...a: unknown[]) => unknown]> = [
  ['(value) => value', (value) => value],
  ['() => true', () => true],
  ['() => false', () => false],
  ['() => undefined', () => undefined],
  ['(a, b) => (a < b ? -1 : a > b ? 1 : 0)', (a, b) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0)],
  ['(value) => String(value)', (value) => String(value)],
];

/**
 * Callbacks that fit a function type: when it declares what it returns (`() => Promise<T>`, a predicate, a
 * comparator), only callbacks returning that; a callback of the wrong kind would make the code under test fail on
 * our input, not on its own behaviour.
 */
export function callbacksFor(shape: TypeShape): Array<(...a: unknown[]) => unknown> {
  const reducers = reducerCallbacks(shape);
  if (reducers.length) return reducers;
  const returns = shape.kind === 'function' ? shape.returns : undefined;
  const generic = () => CALLBACKS.map((_, i) => callback(i));
  if (!returns || vague(returns) || returns.kind === 'void' || returns.kind === 'undefined') {
    return returns && (returns.kind === 'void' || returns.kind === 'undefined') ? [callback(3), callback(0)] : generic();
  }
  const fitting = generic().filter((f) => {
    try {
      return fits(f(1, 2), returns, 'search');
    } catch {
      return false;
    }
  });
  if (fitting.length) return fitting;
  const value = typicalOf(returns);
  const code = toCode(value);
  if (code === null) return generic();
  if (returns.kind === 'promise') {
    const inner = toCode(typicalOf(returns.value));
    if (inner !== null) return [tag(() => Promise.resolve(clone(typicalOf(returns.value))), `() => Promise.resolve(${inner})`)];
  }
  return [tag(() => clone(value), `() => (${code})`)];
}

export function callback(i: number): (...a: unknown[]) => unknown {
  const [code, fn] = CALLBACKS[i % CALLBACKS.length];
  // A fresh function per use, so the serializer maps it to its code.
  const f = (...a: unknown[]) => fn(...a);
  return tag(f, code);
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

export function unionMembers(shape: TypeShape): TypeShape[] {
  return shape.kind === 'union' ? shape.types.flatMap(unionMembers) : [shape];
}

export const BASE_NUMBERS = [0, 1, -1, 2, 3, 10, 100, 0.5, 1.5, -2.5, 1000, 1e6, NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER, 255, 60, 24, 7];
export const BASE_STRINGS = ['', 'a', 'abc', 'Hello World', 'hello-world', 'foo_bar', 'FooBar', ' padded ', '123', '-1.5', '1e3', 'true', 'null', 'a,b,c', 'ünïcödé 🚀', 'x'.repeat(60), '\n', '0', 'A', 'first line\n  second line\n    third', '\tTabbed\r\nWindows line', '  leading', 'trailing  ', 'CONSTANT_CASE', 'camelCaseWord', 'a.b.c', 'user@example.com', 'https://example.com/a?b=1#c', '2024-01-15T12:00:00Z', '1.2.3', '#ff8800', '<b>&amp;</b>', '"quoted"', "it's", 'apple', 'boxes', 'person', 'children', 'city', 'mouse', 'status', 'leaf', 'analysis', 'Quiz'];

export function typicalOf(shape: TypeShape, depth = 0): unknown {
  if (depth > 5) return undefined;
  switch (shape.kind) {
    case 'string':
      return 'Hello World';
    case 'number':
      return 3;
    case 'boolean':
      return true;
    case 'bigint':
      return 10n;
    case 'symbol':
      return undefined;
    case 'null':
      return null;
    case 'undefined':
    case 'void':
    case 'never':
      return undefined;
    case 'any':
    case 'unknown':
      return 'Hello World';
    case 'object':
      if (!('properties' in shape)) return {};
      return objectOf(shape, (s) => typicalOf(s, depth + 1), false);
    case 'literal':
      return shape.value;
    case 'union': {
      const members = unionMembers(shape).filter((m) => m.kind !== 'undefined' && m.kind !== 'null' && m.kind !== 'void');
      const concrete = members.filter((m) => !vague(m));
      return typicalOf(concrete[0] ?? members[0] ?? shape.types[0], depth + 1);
    }
    case 'intersection': {
      const out: Record<string, unknown> = {};
      for (const t of shape.types) {
        const v = typicalOf(t, depth + 1);
        if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, v);
      }
      return out;
    }
    case 'array': {
      const e1 = typicalOf(shape.element, depth + 1);
      const e2 = secondOf(shape.element, depth + 1);
      return [e1, e2, clone(e1)];
    }
    case 'tuple':
      return shape.elements.filter((e) => !e.optional && !e.rest).map((e) => typicalOf(e.shape, depth + 1));
    case 'record':
      return { a: typicalOf(shape.value, depth + 1), b: secondOf(shape.value, depth + 1) };
    case 'function':
      return callbacksFor(shape)[0];
    case 'date':
      return new Date('2024-01-15T12:00:00.000Z');
    case 'regexp':
      return /a+/;
    case 'error':
      return new Error('boom');
    case 'map':
      return new Map([[typicalOf(shape.key, depth + 1), typicalOf(shape.value, depth + 1)]]);
    case 'set':
      return new Set([typicalOf(shape.element, depth + 1), secondOf(shape.element, depth + 1)]);
    case 'promise': {
      const v = typicalOf(shape.value, depth + 1);
      const code = toCode(v);
      return code === null ? undefined : tag(Promise.resolve(v), `Promise.resolve(${code})`);
    }
    case 'enum':
      return shape.members[0]?.value;
    default:
      return undefined;
  }
}

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
      const members = unionMembers(shape).filter((m) => m.kind !== 'undefined' && m.kind !== 'null');
      return typicalOf(members[1] ?? members[0] ?? shape, depth + 1);
    }
    default:
      return typicalOf(shape, depth + 1);
  }
}

export function objectOf(shape: Extract<TypeShape, { kind: 'object'; properties: unknown }>, value: (s: TypeShape) => unknown, withOptional: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of shape.properties) {
    if (p.optional && !withOptional) continue;
    out[p.name] = value(p.shape);
  }
  return out;
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
      return [...ctx.strings, ...BASE_STRINGS, ...ctx.numbers.slice(0, 8).map(String), ...joined, ...combos];
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
    case 'any':
    case 'unknown':
    case 'unresolved':
    case 'ref':
      return [...ctx.strings.slice(0, 8), ...ctx.numbers.slice(0, 4), 'Hello World', 3, true, null, undefined, [1, 2, 3], { a: 1 }, '', 0, -1, 'a', 'b', 1, 2, 'abc', false, ...(ctx.instances ?? [])];
    case 'class':
      return [...(ctx.instances ?? []), typicalOf(shape)];
    case 'literal':
      return [shape.value];
    case 'enum':
      return shape.members.map((m) => m.value);
    case 'union': {
      const pools = unionMembers(shape).map((m) => poolOf(m, ctx, depth + 1));
      const out: unknown[] = [];
      for (let i = 0; out.length < 60 && pools.some((p) => i < p.length); i++) for (const p of pools) if (i < p.length) out.push(p[i]);
      return out;
    }
    case 'array': {
      const t = typicalOf(shape.element);
      if (untyped(shape.element)) {
        // Nothing says what the elements are: arrays of one kind (what sorting, searching and heaps compare),
        // unsorted, with a repeat, one long enough for a third level of a heap or a binary search's both halves.
        return [[], [t], [3, 1, 2], ['b', 'a', 'c'], [5, 1, 4, 1, 3, 9, 2, 6], typicalOf(shape), [1, 'a', null]];
      }
      const elems = poolOf(shape.element, ctx, depth + 1).slice(0, 8);
      const long = elems.length >= 6 ? [elems[3], elems[0], elems[5], elems[1], elems[4], elems[2], elems[0], ...elems.slice(6)] : null;
      const out = [[], [t], typicalOf(shape), elems.slice(0, 5), [...elems].reverse().slice(0, 4), elems.slice(0, 1).concat(elems.slice(0, 1))];
      return long ? [...out, long] : out;
    }
    case 'object': {
      if (!('properties' in shape)) return [{}, { a: 1 }];
      const out: unknown[] = [objectOf(shape, (s) => typicalOf(s), false), objectOf(shape, (s) => typicalOf(s), true)];
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
      return randomOf(pick(rng, unionMembers(shape)), ctx, depth + 1);
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
  if (rng() < 0.3 || depth > 3) return rng() < 0.5 ? randomOf(shape, ctx, depth) : pick(rng, poolOf(shape, ctx, depth));
  if (shape.kind === 'union') {
    const members = unionMembers(shape);
    const fitting = members.filter((m) => fits(value, m, 'search'));
    return mutateValue(value, fitting.length && rng() < 0.7 ? pick(rng, fitting) : pick(rng, members), ctx, depth + 1);
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

/** No type at all (not even a name): `any`, `unknown`, or a name the core could not resolve. */
function untyped(shape: TypeShape): boolean {
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
