/**
 * The coverage-guided search, child side. Loaded (plain `require`) by the temporary search file that record mode runs
 * through the project's vitest, so the module under test is loaded exactly as the final test will load it. Runs in
 * the vitest worker process: a call that hangs is handled by the parent (it kills this process and resumes after the
 * culprit, which it reads from the log written before each call).
 *
 * Coverage: V8 precise block coverage through `node:inspector` (same-thread session, synchronous). Every candidate's
 * coverage is the set of blocks of the project's files it executed. Candidates that reach new blocks are kept and
 * mutated (Randoop / EvoSuite / Pynguin style); the suite is a greedy set cover over the kept ones.
 *
 * Determinism: every choice comes from a seeded PRNG; the count budget bounds the search; the time budget is a cap
 * (documented: on a slow machine it can cut the search short).
 */
import { appendFileSync } from 'node:fs';
import * as inspector from 'node:inspector';

import type { TypeShape } from './shapes';

/* ------------------------------------------------------------------ spec (built by search.ts) */

export interface SpecParam {
  name: string;
  optional: boolean;
  rest: boolean;
  shape: TypeShape;
  inferred: boolean;
  hasDefault?: boolean;
  /** Typical value from the planner (domain knowledge from the name), as a thunk and its code. */
  typical?: { code: string; get: () => unknown };
}

export interface SpecSeed {
  title: string;
  /** Boundary case from a pattern or guard (kept in the suite even without new coverage). */
  boundary: boolean;
  args: Array<{ code: string; get: () => unknown }>;
}

export interface SpecAccess {
  code: string;
  get: () => unknown;
  /** Only when the function found there has this name (`module.exports = Stack` reached as `mod.default`). */
  name?: string;
}

export interface SpecCallable {
  name: string;
  async: boolean;
  params: SpecParam[];
  seeds: SpecSeed[];
  constants: unknown[];
}

export interface SpecTarget extends SpecCallable {
  id: string;
  kind: 'function' | 'class';
  access: SpecAccess[];
  /** Classes: instance methods exercised in sequences. */
  methods?: SpecCallable[];
}

export interface Spec {
  log: string;
  /** Absolute path of the module under test and the project root (coverage is counted in the project's files). */
  file: string;
  root: string;
  seed: number;
  budgetMs: number;
  budgetCount: number;
  settleMs: number;
  maxTests: number;
  skip: string[];
  startAt: number;
  targets: SpecTarget[];
}

/* ------------------------------------------------------------------ results (read by search.ts) */

export interface ErrorInfo {
  name: string;
  /** Expression of the error's class in the test file (a builtin, or an export of the module), or null. */
  ctor: string | null;
  message: string;
  /** A thrown non-Error value, as code. */
  code: string | null;
}

export type Outcome =
  | { kind: 'returns' | 'resolves'; code: string | null; type: string; plain: boolean; state?: string | null; builtin?: string | null; self?: boolean }
  | { kind: 'throws' | 'rejects'; error: ErrorInfo }
  | { kind: 'exit'; code: string }
  | { kind: 'timeout' };

export interface Step {
  method: string | null;
  args: string[];
  outcome: Outcome;
  /** Arguments the call changed: index -> their state after the call. */
  mutated: Array<{ index: number; code: string }>;
}

export interface FoundTest {
  title: string;
  ctor: string[] | null;
  steps: Step[];
  /** Observable state of the instance after the last step (classes). */
  state: string | null;
  /** Observations of the instance after the last step: sizes, iteration, observer methods (classes). */
  views?: View[];
  blocks: number;
  boundary: boolean;
}

export interface TargetResult {
  id: string;
  access: string | null;
  error?: string;
  tests: FoundTest[];
  candidates: number;
  covered: number;
  exits: string[];
  nondeterministic: number;
  rejectedThrows: number;
}

/* ------------------------------------------------------------------ PRNG */

function prng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/* ------------------------------------------------------------------ values as code */

const RealDate = Date;
/** Shifted clock for the second recording run: a result that depends on the current time differs there. */
const SHIFT_MS = 400 * 86_400_000 + 3 * 3_600_000 + 17 * 60_000;
function withShiftedClock<T>(run: () => Promise<T>): Promise<T> {
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + SHIFT_MS);
      else super(...(args as [string]));
    }
    static now(): number {
      return RealDate.now() + SHIFT_MS;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
  return run().finally(() => {
    globalThis.Date = RealDate;
  });
}

/** Values the serializer cannot see through (callbacks, promises) carry their source text here. */
const CODE = new WeakMap<object, string>();

function tag<T extends object>(value: T, code: string): T {
  CODE.set(value, code);
  return value;
}

/** Tagged values that a call may change (instances of the class under test): each use gets a fresh one. */
const FACTORY = new WeakMap<object, () => unknown>();

const IDENT = /^[A-Za-z_$][\w$]*$/;

function quote(s: string): string {
  return `'${s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

const MAX_CODE = 3000;

/** JavaScript source text that rebuilds `value`, or null when it cannot (class instances, symbols, cycles). */
export function toCode(value: unknown, depth = 0, seen: Set<object> = new Set()): string | null {
  if (depth > 8) return null;
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (value === Infinity) return 'Infinity';
      if (value === -Infinity) return '-Infinity';
      if (Object.is(value, -0)) return '-0';
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return value.length > MAX_CODE ? null : quote(value);
    case 'symbol':
      return null;
    case 'function': {
      const code = CODE.get(value);
      return code ?? null;
    }
  }
  if (value === null) return 'null';
  const obj = value as object;
  const tagged = CODE.get(obj);
  if (tagged) return tagged;
  if (seen.has(obj)) return null;
  seen.add(obj);
  try {
    let out: string | null = null;
    if (Array.isArray(obj)) {
      const parts: string[] = [];
      for (let i = 0; i < obj.length; i++) {
        if (!(i in obj)) return null;
        const c = toCode(obj[i], depth + 1, seen);
        if (c === null) return null;
        parts.push(c);
      }
      if (Object.keys(obj).length !== obj.length) return null;
      out = `[${parts.join(', ')}]`;
    } else if (obj instanceof RealDate) {
      out = Number.isNaN(obj.getTime()) ? 'new Date(NaN)' : `new Date(${quote(obj.toISOString())})`;
    } else if (obj instanceof RegExp) {
      out = `new RegExp(${quote(obj.source)}, ${quote(obj.flags)})`;
    } else if (obj instanceof Map) {
      const parts: string[] = [];
      for (const [k, v] of obj) {
        const kc = toCode(k, depth + 1, seen);
        const vc = toCode(v, depth + 1, seen);
        if (kc === null || vc === null) return null;
        parts.push(`[${kc}, ${vc}]`);
      }
      out = parts.length ? `new Map([${parts.join(', ')}])` : 'new Map()';
    } else if (obj instanceof Set) {
      const parts: string[] = [];
      for (const v of obj) {
        const c = toCode(v, depth + 1, seen);
        if (c === null) return null;
        parts.push(c);
      }
      out = parts.length ? `new Set([${parts.join(', ')}])` : 'new Set()';
    } else {
      const proto = Object.getPrototypeOf(obj);
      if (proto !== Object.prototype && proto !== null) return null;
      if (Object.getOwnPropertySymbols(obj).length) return null;
      const parts: string[] = [];
      for (const key of Object.keys(obj)) {
        const desc = Object.getOwnPropertyDescriptor(obj, key)!;
        if (desc.get || desc.set) return null;
        const c = toCode(desc.value, depth + 1, seen);
        if (c === null) return null;
        parts.push(`${IDENT.test(key) ? key : quote(key)}: ${c}`);
      }
      out = parts.length ? `{ ${parts.join(', ')} }` : '{}';
    }
    return out !== null && out.length > MAX_CODE ? null : out;
  } finally {
    seen.delete(obj);
  }
}

/**
 * What can be asserted of an object's own state, as code for `toMatchObject`: its own enumerable fields that are not
 * functions, where a nested class instance becomes its own fields in turn (`{ head: { value: 1, next: null } }`) and a
 * field that cannot be written (a symbol, a back-pointer to an enclosing object) is left out rather than dropping the
 * whole state. Null when nothing is left.
 */
export function partialCode(value: unknown, depth = 0, seen: Set<object> = new Set()): string | null {
  const exact = toCode(value);
  if (exact !== null) return exact;
  if (value === null || typeof value !== 'object' || depth > 3 || seen.has(value)) return null;
  if (value instanceof RealDate || value instanceof RegExp || value instanceof Map || value instanceof Set || value instanceof Promise) return null;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      if (value.length > 50) return null;
      const parts: string[] = [];
      for (const item of value) {
        const c = partialCode(item, depth + 1, seen);
        if (c === null) return null;
        parts.push(c);
      }
      return `[${parts.join(', ')}]`;
    }
    const parts: string[] = [];
    for (const key of Object.keys(value)) {
      const desc = Object.getOwnPropertyDescriptor(value, key);
      if (!desc || desc.get || desc.set || typeof desc.value === 'function') continue;
      const c = partialCode(desc.value, depth + 1, seen);
      if (c === null || (c === '{}' && desc.value !== null && typeof desc.value === 'object' && Object.getPrototypeOf(desc.value) !== Object.prototype)) continue;
      parts.push(`${IDENT.test(key) ? key : quote(key)}: ${c}`);
    }
    const out = parts.length ? `{ ${parts.join(', ')} }` : '{}';
    return out.length > MAX_CODE ? null : out;
  } finally {
    seen.delete(value);
  }
}

/** Own state of an object (a class instance included), as code; null when nothing of it can be written. */
function stateCode(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return null;
  return partialCode(value);
}

/** An observation of an instance after a sequence: an expression over `instance` and the code of its value. */
export interface View {
  expr: string;
  code: string;
}

const SIZE_NAMES = ['length', 'size', 'count'];

/** Own fields and what iterating yields: two equal snapshots mean a call left the instance as it was. */
function snapshot(instance: object): string {
  let items: string | null = null;
  try {
    const it = (instance as Record<symbol, unknown>)[Symbol.iterator];
    if (typeof it === 'function') items = toCode(Array.from(instance as Iterable<unknown>).slice(0, 100));
  } catch {
    items = null;
  }
  return `${stateCode(instance)}|${items}`;
}

/**
 * Observable state beyond the own fields (Randoop's observer methods): `length` / `size` getters, what iterating
 * yields, and the zero-argument methods of the class that leave the instance as it was. Each observer method is
 * tried on its own replica of the instance (`replay` rebuilds it by running the same sequence again), so a method
 * that changes the state (`pop()`, `clear()`) is recognised and left out without disturbing the others. Called only
 * when recording, never during the search.
 */
async function observe(instance: object, observers: string[], replay: () => Promise<object | undefined>): Promise<View[]> {
  const obj = instance as Record<string | symbol, unknown>;
  const views: View[] = [];
  const own = new Set(Object.keys(obj));
  for (const name of SIZE_NAMES) {
    if (own.has(name)) continue;
    try {
      const v = obj[name];
      if (typeof v === 'number') views.push({ expr: `instance.${name}`, code: toCode(v)! });
    } catch {
      // a getter that throws says nothing
    }
  }
  try {
    if (typeof obj[Symbol.iterator] === 'function') {
      const first = Array.from(obj as unknown as Iterable<unknown>);
      const again = Array.from(obj as unknown as Iterable<unknown>);
      const code = first.length <= 100 ? toCode(first) : null;
      if (code !== null && code === toCode(again)) views.push({ expr: '[...instance]', code });
    }
  } catch {
    // not iterable after all
  }
  for (const name of observers.slice(0, 8)) {
    const replica = await replay();
    if (!replica || typeof (replica as Record<string, unknown>)[name] !== 'function') continue;
    const before = snapshot(replica);
    let v: unknown;
    try {
      v = ((replica as Record<string, unknown>)[name] as () => unknown).call(replica);
    } catch {
      continue;
    }
    if (snapshot(replica) !== before || v === replica || (v !== null && typeof (v as { then?: unknown })?.then === 'function')) continue;
    const code = toCode(v);
    if (code !== null && code.length < 400) views.push({ expr: `instance.${name}()`, code });
  }
  return views;
}

/** A fresh copy of an argument (functions mutate their inputs; each run gets its own). */
function clone(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 10) return value;
  const fresh = FACTORY.get(value);
  if (fresh) return fresh();
  if (CODE.has(value)) return value;
  if (Array.isArray(value)) return value.map((v) => clone(v, depth + 1));
  if (value instanceof RealDate) return new RealDate(value.getTime());
  if (value instanceof RegExp) return new RegExp(value.source, value.flags);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [clone(k, depth + 1), clone(v, depth + 1)]));
  if (value instanceof Set) return new Set([...value].map((v) => clone(v, depth + 1)));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = clone((value as Record<string, unknown>)[key], depth + 1);
  return out;
}

/* ------------------------------------------------------------------ value generation from shapes */

const CALLBACKS: Array<[string, (...a: unknown[]) => unknown]> = [
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
function callbacksFor(shape: TypeShape): Array<(...a: unknown[]) => unknown> {
  const returns = shape.kind === 'function' ? shape.returns : undefined;
  const generic = () => CALLBACKS.map((_, i) => callback(i));
  if (!returns || vague(returns) || returns.kind === 'void' || returns.kind === 'undefined') {
    return returns && (returns.kind === 'void' || returns.kind === 'undefined') ? [callback(3), callback(0)] : generic();
  }
  const fitting = generic().filter((f) => {
    try {
      return fits(f(1, 2), returns);
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

function callback(i: number): (...a: unknown[]) => unknown {
  const [code, fn] = CALLBACKS[i % CALLBACKS.length];
  // A fresh function per use, so the serializer maps it to its code.
  const f = (...a: unknown[]) => fn(...a);
  return tag(f, code);
}

interface Ctx {
  numbers: number[];
  strings: string[];
  rng: () => number;
  /** Instances of the class under test, for its methods' parameters that take one (`a.equals(b)`, `a.add(b)`). */
  instances?: unknown[];
}

function pick<T>(rng: () => number, items: T[]): T {
  return items[Math.floor(rng() * items.length) % items.length];
}

function unionMembers(shape: TypeShape): TypeShape[] {
  return shape.kind === 'union' ? shape.types.flatMap(unionMembers) : [shape];
}

const BASE_NUMBERS = [0, 1, -1, 2, 3, 10, 100, 0.5, 1.5, -2.5, 1000, 1e6, NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER, 255, 60, 24, 7];
const BASE_STRINGS = ['', 'a', 'abc', 'Hello World', 'hello-world', 'foo_bar', 'FooBar', ' padded ', '123', '-1.5', '1e3', 'true', 'null', 'a,b,c', 'ünïcödé 🚀', 'x'.repeat(60), '\n', '0', 'A', 'first line\n  second line\n    third', '\tTabbed\r\nWindows line', '  leading', 'trailing  ', 'CONSTANT_CASE', 'camelCaseWord', 'a.b.c', 'user@example.com', 'https://example.com/a?b=1#c', '2024-01-15T12:00:00Z', '1.2.3', '#ff8800', '<b>&amp;</b>', '"quoted"', "it's", 'apple', 'boxes', 'person', 'children', 'city', 'mouse', 'status', 'leaf', 'analysis', 'Quiz'];

function typicalOf(shape: TypeShape, depth = 0): unknown {
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

function secondOf(shape: TypeShape, depth: number): unknown {
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

function objectOf(shape: Extract<TypeShape, { kind: 'object'; properties: unknown }>, value: (s: TypeShape) => unknown, withOptional: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of shape.properties) {
    if (p.optional && !withOptional) continue;
    out[p.name] = value(p.shape);
  }
  return out;
}

/** A spread of interesting values of a shape (deterministic order). */
function poolOf(shape: TypeShape, ctx: Ctx, depth = 0): unknown[] {
  if (depth > 4) return [typicalOf(shape)];
  switch (shape.kind) {
    case 'string': {
      const combos: string[] = [];
      for (const n of ctx.numbers.slice(0, 6)) for (const s of ctx.strings.slice(0, 6)) if (s.length <= 12 && /^[A-Za-z]+$/.test(s)) combos.push(`${n}${s}`, `${n} ${s}`);
      return [...ctx.strings, ...BASE_STRINGS, ...ctx.numbers.slice(0, 8).map(String), ...combos];
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
      return [...ctx.strings.slice(0, 4), ...ctx.numbers.slice(0, 4), 'Hello World', 3, true, null, undefined, [1, 2, 3], { a: 1 }, '', 0, -1, 'a', 'b', 1, 2, 'abc', false, ...(ctx.instances ?? [])];
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
      const elems = poolOf(shape.element, ctx, depth + 1).slice(0, 8);
      const t = typicalOf(shape.element);
      return [[], [t], typicalOf(shape), elems.slice(0, 5), [...elems].reverse().slice(0, 4), elems.slice(0, 1).concat(elems.slice(0, 1))];
    }
    case 'object': {
      if (!('properties' in shape)) return [{}, { a: 1 }];
      const out: unknown[] = [objectOf(shape, (s) => typicalOf(s), false), objectOf(shape, (s) => typicalOf(s), true)];
      for (const p of shape.properties) {
        for (const v of poolOf(p.shape, ctx, depth + 1).slice(0, 4)) {
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

function randomOf(shape: TypeShape, ctx: Ctx, depth = 0): unknown {
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
      const n = Math.floor(rng() * 5);
      return Array.from({ length: n }, () => randomOf(shape.element, ctx, depth + 1));
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

function randomKey(ctx: Ctx): string {
  return pick(ctx.rng, ['a', 'b', 'key', 'name', 'value', ...ctx.strings.filter((s) => IDENT.test(s)).slice(0, 6)]);
}

function randomString(ctx: Ctx): string {
  const alphabet = 'abcXYZ019 -_.,/:@#\n\t';
  const n = Math.floor(ctx.rng() * 8);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(ctx.rng() * alphabet.length)];
  return s;
}

function mutateValue(value: unknown, shape: TypeShape, ctx: Ctx, depth = 0): unknown {
  const rng = ctx.rng;
  if (rng() < 0.3 || depth > 3) return rng() < 0.5 ? randomOf(shape, ctx, depth) : pick(rng, poolOf(shape, ctx, depth));
  if (shape.kind === 'union') {
    const members = unionMembers(shape);
    const fitting = members.filter((m) => fits(value, m));
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

/** Whether a value fits a shape. Unknown shapes (unresolved names, classes) accept anything. */
export function fits(value: unknown, shape: TypeShape, depth = 0): boolean {
  if (depth > 6) return true;
  switch (shape.kind) {
    case 'any':
    case 'unknown':
    case 'unresolved':
    case 'ref':
    case 'class':
    case 'never':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'bigint':
      return typeof value === 'bigint';
    case 'symbol':
      return typeof value === 'symbol';
    case 'null':
      return value === null;
    case 'undefined':
    case 'void':
      return value === undefined;
    case 'literal':
      return value === shape.value;
    case 'enum':
      return shape.members.some((m) => m.value === value);
    case 'union':
      return shape.types.some((t) => fits(value, t, depth + 1));
    case 'intersection':
      return shape.types.every((t) => fits(value, t, depth + 1));
    case 'array':
      return Array.isArray(value) && value.every((v) => fits(v, shape.element, depth + 1));
    case 'tuple':
      return Array.isArray(value) && value.length <= shape.elements.length + (shape.elements.some((e) => e.rest) ? Infinity : 0);
    case 'object':
      if (value === null || typeof value !== 'object') return false;
      if (!('properties' in shape)) return true;
      return shape.properties.every((p) => {
        const v = (value as Record<string, unknown>)[p.name];
        return v === undefined ? p.optional || fits(undefined, p.shape, depth + 1) : fits(v, p.shape, depth + 1);
      });
    case 'record':
      return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => fits(v, shape.value, depth + 1));
    case 'function':
      return typeof value === 'function';
    case 'date':
      return value instanceof RealDate;
    case 'regexp':
      return value instanceof RegExp;
    case 'error':
      return value instanceof Error;
    case 'map':
      return value instanceof Map;
    case 'set':
      return value instanceof Set;
    case 'promise':
      return value instanceof Promise;
    default:
      return true;
  }
}

/** The shape says nothing certain about the value (a throw may be our argument's fault). */
function vague(shape: TypeShape): boolean {
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

/* ------------------------------------------------------------------ coverage */

interface Range {
  startOffset: number;
  endOffset: number;
  count: number;
}

class Coverage {
  private session = new inspector.Session();
  private prefix: string;
  /** Every block ever seen: key -> [url index, start]. */
  private known = new Map<string, { url: string; start: number }>();
  private sources = new Map<string, string>();
  private starts = new Map<string, { set: Set<number>; sorted: number[] }>();
  private scriptIds = new Map<string, string>();

  constructor(root: string) {
    this.prefix = `file://${root.replace(/\\/g, '/').replace(/\/$/, '')}/`;
    this.session.connect();
    this.post('Profiler.enable');
    this.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  }

  private post(method: string, params?: object): any {
    let result: unknown;
    let error: Error | null = null;
    this.session.post(method, params ?? {}, (e, r) => {
      error = e;
      result = r;
    });
    if (error) throw error;
    return result;
  }

  private relevant(url: string): boolean {
    return url.startsWith(this.prefix) && !url.includes('/node_modules/') && !/\.(test|spec)\.[cm]?[jt]sx?($|\?)/.test(url) && !url.includes('tdd-fast-search');
  }

  /** Blocks executed since the last call (counters reset on every take). */
  takes = 0;
  takeMs = 0;
  take(): Set<string> {
    const t0 = performance.now();
    this.takes++;
    try {
      return this.takeInner();
    } finally {
      this.takeMs += performance.now() - t0;
    }
  }

  private takeInner(): Set<string> {
    const out = new Set<string>();
    const result = this.post('Profiler.takePreciseCoverage') as { result: Array<{ scriptId: string; url: string; functions: Array<{ ranges: Range[] }> }> };
    for (const script of result.result) {
      if (script.url.startsWith('/')) script.url = `file://${script.url}`;
      if (!this.relevant(script.url)) continue;
      this.scriptIds.set(script.url, script.scriptId);
      const ranges: Range[] = [];
      for (const fn of script.functions) ranges.push(...fn.ranges);
      ranges.sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset);
      let starts = this.starts.get(script.url);
      if (!starts) this.starts.set(script.url, (starts = { set: new Set(), sorted: [] }));
      let added = false;
      for (const r of ranges) {
        if (!starts.set.has(r.startOffset)) {
          starts.set.add(r.startOffset);
          this.known.set(`${script.url}#${r.startOffset}`, { url: script.url, start: r.startOffset });
          added = true;
        }
      }
      if (added) starts.sorted = [...starts.set].sort((a, b) => a - b);
      // The innermost range containing a block's start decides its count: one sweep with a stack (ranges nest).
      const stack: Range[] = [];
      let j = 0;
      for (const start of starts.sorted) {
        while (j < ranges.length && ranges[j].startOffset <= start) {
          while (stack.length && stack[stack.length - 1].endOffset <= ranges[j].startOffset) stack.pop();
          stack.push(ranges[j++]);
        }
        while (stack.length && stack[stack.length - 1].endOffset <= start) stack.pop();
        const top = stack[stack.length - 1];
        if (top && top.count > 0) out.add(`${script.url}#${start}`);
      }
    }
    return out;
  }

  /** A short text of the code at a block (for test names). */
  snippet(key: string): string | null {
    const block = this.known.get(key);
    if (!block) return null;
    let source = this.sources.get(block.url);
    if (source === undefined) {
      try {
        this.post('Debugger.enable');
        const id = this.scriptIds.get(block.url);
        source = id ? ((this.post('Debugger.getScriptSource', { scriptId: id }) as { scriptSource: string }).scriptSource ?? '') : '';
      } catch {
        source = '';
      }
      this.sources.set(block.url, source);
    }
    if (!source) return null;
    const text = source
      .slice(block.start, block.start + 200)
      .replace(/__vite_ssr_import_\d+__\./g, '')
      .replace(/\(0,\s*([\w$.]+)\)/g, '$1')
      .replace(/^[\s{(]+/, '')
      .split('\n')[0]
      .trim();
    if (!text || text.length < 3) return null;
    return text.length > 50 ? `${text.slice(0, 47)}...` : text;
  }

  close(): void {
    try {
      this.post('Profiler.stopPreciseCoverage');
      this.session.disconnect();
    } catch {
      // already gone
    }
  }
}

/* ------------------------------------------------------------------ running one candidate */

class ExitCalled extends Error {
  constructor(readonly exitCode: unknown) {
    super(`process.exit(${String(exitCode ?? '')}) was called`);
  }
}

const BUILTIN_ERRORS = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'];

function errorInfo(e: unknown, classes: Map<unknown, string>): ErrorInfo {
  if (e instanceof Error) {
    const ctor = (e as { constructor?: unknown }).constructor;
    const name = typeof ctor === 'function' ? (ctor as { name: string }).name : e.name;
    const fromModule = classes.get(ctor);
    const builtin = BUILTIN_ERRORS.includes(name) && (globalThis as Record<string, unknown>)[name] === ctor ? name : null;
    return { name, ctor: fromModule ?? builtin, message: String(e.message), code: null };
  }
  return { name: typeof e, ctor: null, message: String(e), code: toCode(e) };
}

function outcomeOf(kind: 'returns' | 'resolves', value: unknown): Outcome {
  const code = toCode(value);
  const plain = code !== null;
  const state = code === null && value !== null && typeof value === 'object' ? stateCode(value) : null;
  const builtin =
    value instanceof RealDate ? 'Date' : value instanceof Map ? 'Map' : value instanceof Set ? 'Set' : value instanceof RegExp ? 'RegExp' : Array.isArray(value) ? 'Array' : value instanceof Error ? 'Error' : null;
  return { kind, code, type: value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value, plain, state, builtin };
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Candidate {
  ctor: unknown[] | null;
  ctorCodes: string[] | null;
  steps: Array<{ method: string | null; values: unknown[]; codes: string[] }>;
  valid: boolean;
  /** Some argument's shape is vague: a TypeError may be our argument's fault. */
  uncertain: boolean;
  title?: string;
  boundary: boolean;
}

interface Ran {
  cand: Candidate;
  blocks: Set<string>;
  steps: Step[];
  state: string | null;
  views?: View[];
  throws: boolean;
  exit: string | null;
  /** Primitive values the calls returned (for dynamic seeding). */
  values?: unknown[];
}

/* ------------------------------------------------------------------ the search */

/** Strings and numbers the code returned, shared by the file's targets (dynamic seeding). */
const SHARED: { strings: string[]; numbers: number[]; pairs: Array<[string, string]> } = { strings: [], numbers: [], pairs: [] };

/** Short strings and numbers inside a returned value (arrays, plain objects, Maps, a few levels deep). */
function primitives(value: unknown, out: unknown[], depth: number): void {
  if (out.length > 32 || depth > 2) return;
  if (typeof value === 'string' || typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) for (const v of value.slice(0, 16)) primitives(v, out, depth + 1);
  else if (value instanceof Map) for (const [k, v] of [...value].slice(0, 16)) (primitives(k, out, depth + 1), primitives(v, out, depth + 1));
  else if (value && typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    for (const v of Object.values(value).slice(0, 16)) primitives(v, out, depth + 1);
  }
}

const TYPE_ERROR_OF_OURS = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Cannot convert|undefined or null|Cannot destructure|Cannot use 'in' operator|Invalid array length|is not defined/;

export async function runSearch(spec: Spec): Promise<void> {
  const log = (entry: object) => appendFileSync(spec.log, `${JSON.stringify(entry)}\n`);
  const coverage = new Coverage(spec.root);
  const skip = new Set(spec.skip);
  const realExit = process.exit;
  const quiet = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = quiet.map((m) => console[m]);
  // Asynchronous errors of the code under test (timers, unawaited promises) must not end the search.
  process.on('unhandledRejection', () => undefined);
  process.on('uncaughtException', () => undefined);
  log({ t: 'ready' });
  try {
    for (let ti = spec.startAt; ti < spec.targets.length; ti++) {
      const target = spec.targets[ti];
      log({ t: 'target', f: target.id });
      let result: TargetResult;
      try {
        process.exit = ((code?: unknown) => {
          throw new ExitCalled(code);
        }) as typeof process.exit;
        for (const m of quiet) console[m] = () => undefined;
        result = await searchTarget(spec, target, coverage, skip, log);
      } catch (error) {
        result = { id: target.id, access: null, error: String((error as Error)?.message ?? error), tests: [], candidates: 0, covered: 0, exits: [], nondeterministic: 0, rejectedThrows: 0 };
      } finally {
        process.exit = realExit;
        quiet.forEach((m, i) => (console[m] = saved[i] as never));
      }
      log({ t: 'done', f: target.id, result });
    }
  } finally {
    coverage.close();
  }
  log({ t: 'end' });
}

async function settle(value: unknown, ms: number): Promise<{ kind: 'resolves' | 'rejects' | 'timeout'; value?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([
    Promise.resolve(value).then(
      (v) => ({ kind: 'resolves' as const, value: v }),
      (e) => ({ kind: 'rejects' as const, value: e }),
    ),
    new Promise<{ kind: 'timeout' }>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
    }),
  ]);
  clearTimeout(timer);
  return r;
}

async function searchTarget(spec: Spec, target: SpecTarget, coverage: Coverage, skip: Set<string>, log: (e: object) => void): Promise<TargetResult> {
  const result: TargetResult = { id: target.id, access: null, tests: [], candidates: 0, covered: 0, exits: [], nondeterministic: 0, rejectedThrows: 0 };
  let callee: unknown;
  for (const a of target.access) {
    try {
      const v = a.get();
      if (typeof v === 'function' && (a.name === undefined || (v as { name?: string }).name === a.name)) {
        callee = v;
        result.access = a.code;
        break;
      }
    } catch {
      // try the next way in
    }
  }
  if (!result.access) {
    result.error = `not reachable: none of ${target.access.map((a) => a.code).join(', ')} is a function`;
    return result;
  }
  const rng = prng(spec.seed ^ hashString(target.id + target.name));
  const classes = new Map<unknown, string>();
  for (const a of target.access) {
    try {
      const owner = a.get();
      if (typeof owner === 'function') classes.set(owner, a.code);
    } catch {
      // ignore
    }
  }
  // Own constants first, then what earlier functions of the file returned (a formatter's output, a mask table).
  const mkCtx = (c: SpecCallable): Ctx => ({
    rng,
    numbers: [...new Set([...c.constants.filter((x): x is number => typeof x === 'number'), ...SHARED.numbers.slice(0, 24)])],
    strings: [...new Set([...c.constants.filter((x): x is string => typeof x === 'string'), ...SHARED.strings.slice(0, 48)])],
  });
  const isClass = target.kind === 'class';
  const ctorSpec: SpecCallable = target;
  const methods = (target.methods ?? []).filter(Boolean);
  if (isClass && methods.length === 0) {
    result.error = 'no methods to exercise';
  }
  // Zero-parameter methods, candidates for observing an instance's state after a sequence (see observe()).
  const observers = methods.filter((m) => m.params.length === 0 && !m.async).map((m) => m.name);
  const ctxOf = new Map<SpecCallable, Ctx>();
  const ctx = (c: SpecCallable) => ctxOf.get(c) ?? (ctxOf.set(c, mkCtx(c)), ctxOf.get(c)!);

  const covered = new Set<string>();
  const kept: Ran[] = [];
  const seen = new Set<string>();
  const started = performance.now();
  let n = 0;

  const argsFor = (c: SpecCallable, values: unknown[]): { values: unknown[]; codes: string[]; valid: boolean; uncertain: boolean } | null => {
    const codes: string[] = [];
    let valid = true;
    let uncertain = false;
    const out: unknown[] = [];
    for (let i = 0; i < values.length; i++) {
      const p = c.params[Math.min(i, c.params.length - 1)];
      const v = values[i];
      if (p?.rest) {
        if (!Array.isArray(v)) return null;
        for (const item of v) {
          const code = toCode(item);
          if (code === null) return null;
          codes.push(code);
          out.push(item);
        }
        if (p.shape.kind === 'array' && !v.every((x) => fits(x, (p.shape as { element: TypeShape }).element))) valid = false;
        continue;
      }
      const code = toCode(v);
      if (code === null) return null;
      codes.push(code);
      out.push(v);
      if (p) {
        if (!(v === undefined && p.optional) && !fits(v, p.shape)) valid = false;
        if (vague(p.shape) || p.inferred) uncertain = true;
      }
    }
    // Trailing undefined for optional parameters: omit them (defaults apply).
    while (codes.length && codes[codes.length - 1] === 'undefined' && c.params[codes.length - 1]?.optional) {
      codes.pop();
      out.pop();
    }
    return { values: out, codes, valid, uncertain };
  };

  const typicalArgs = (c: SpecCallable): unknown[] =>
    c.params.map((p) => {
      if (p.hasDefault) return undefined;
      if (p.typical) {
        try {
          const v = p.typical.get();
          if (toCode(v) !== null && fits(v, p.shape)) return p.rest ? (Array.isArray(v) ? v : [v]) : v;
        } catch {
          // fall through
        }
      }
      const v = typicalOf(p.shape);
      if (p.rest) return Array.isArray(v) ? v : [v];
      return v;
    });

  const mutateArgs = (c: SpecCallable, values: unknown[]): unknown[] => {
    const next = values.map((v) => clone(v));
    while (next.length < c.params.length) next.push(undefined);
    if (c.params.length === 0) return next;
    const k = ctx(c).rng() < 0.8 ? 1 : 2;
    for (let j = 0; j < k; j++) {
      const i = Math.floor(ctx(c).rng() * c.params.length);
      const p = c.params[i];
      if (p.optional && ctx(c).rng() < 0.1) next[i] = undefined;
      else if (p.rest) next[i] = mutateValue(Array.isArray(next[i]) ? next[i] : [], p.shape, ctx(c));
      else next[i] = mutateValue(next[i] === undefined ? typicalOf(p.shape) : next[i], p.shape, ctx(c));
    }
    return next;
  };

  const NONE = new Set<string>();
  type Raw = { ok: true; value: unknown; async: boolean } | { ok: false; error: unknown; async: boolean } | { timeout: true };
  /** Calls with as little of our own code as possible between the coverage takes (a take's cost grows with it). */
  const invoke = async (run: () => unknown): Promise<Raw> => {
    try {
      const value = run();
      if (value && typeof (value as { then?: unknown }).then === 'function') {
        const r = await settle(value, spec.settleMs);
        if (r.kind === 'timeout') return { timeout: true };
        return r.kind === 'rejects' ? { ok: false, error: r.value, async: true } : { ok: true, value: r.value, async: true };
      }
      return { ok: true, value, async: false };
    } catch (error) {
      return { ok: false, error, async: false };
    }
  };
  const toOutcome = (raw: Raw): Outcome => {
    if ('timeout' in raw) return { kind: 'timeout' };
    if (!raw.ok) {
      if (raw.error instanceof ExitCalled) return { kind: 'exit', code: String(raw.error.exitCode ?? '') };
      return { kind: raw.async ? 'rejects' : 'throws', error: errorInfo(raw.error, classes) };
    }
    return outcomeOf(raw.async ? 'resolves' : 'returns', raw.value);
  };
  const stops = (o: Outcome) => o.kind !== 'returns' && o.kind !== 'resolves';
  /** The instance a candidate's sequence leaves behind, built again from fresh arguments (for observe()). */
  const replayInstance = async (cand: Candidate): Promise<object | undefined> => {
    const raw = await invoke(() => new (callee as new (...a: unknown[]) => unknown)(...(cand.ctor ?? []).map((v) => clone(v))));
    if (!('ok' in raw) || !raw.ok || raw.value === null || typeof raw.value !== 'object') return undefined;
    const instance = raw.value;
    for (const st of cand.steps) {
      const fn = (instance as Record<string, unknown>)[st.method!];
      const r = await invoke(() => (fn as (...a: unknown[]) => unknown).apply(instance, st.values.map((v) => clone(v))));
      if (!('ok' in r) || !r.ok) return undefined;
    }
    return instance;
  };
  const runOnce = async (cand: Candidate, record: boolean, measure = true): Promise<Ran> => {
    const steps: Step[] = [];
    let exit: string | null = null;
    let throws = false;
    const ctorValues = isClass ? (cand.ctor ?? []).map((v) => clone(v)) : [];
    const stepValues = cand.steps.map((st) => st.values.map((v) => clone(v)));
    const before = record ? stepValues.map((vs) => vs.map((v) => (v !== null && typeof v === 'object' ? toCode(v) : null))) : [];
    const raws: Raw[] = [];
    let instance: unknown;
    let ctorState: string | null = null;
    if (measure) coverage.take();
    if (isClass) {
      const raw = await invoke(() => new (callee as new (...a: unknown[]) => unknown)(...ctorValues));
      raws.push(raw);
      if ('ok' in raw && raw.ok) instance = raw.value;
      ctorState = instance !== undefined ? stateCode(instance) : null;
    }
    if (!isClass || instance !== undefined) {
      for (let i = 0; i < cand.steps.length; i++) {
        const fn = isClass ? (instance as Record<string, unknown>)[cand.steps[i].method!] : callee;
        const raw = await invoke(() => (fn as (...a: unknown[]) => unknown).apply(isClass ? instance : undefined, stepValues[i]));
        raws.push(raw);
        if (!('ok' in raw) || !raw.ok) break;
      }
    }
    const blocks = measure ? coverage.take() : NONE;
    let r = 0;
    if (isClass) {
      const o = toOutcome(raws[r++]);
      steps.push({ method: null, args: cand.ctorCodes ?? [], outcome: o.kind === 'returns' ? { ...o, code: null, state: null } : o, mutated: [] });
      if (stops(o)) {
        if (o.kind === 'throws' || o.kind === 'rejects') throws = true;
        if (o.kind === 'exit') exit = o.code;
        return { cand, blocks, steps, state: null, throws, exit };
      }
    }
    for (let i = 0; r < raws.length; i++, r++) {
      const raw = raws[r];
      // A method that returns its own instance (a fluent `return this`) is asserted as exactly that.
      const outcome: Outcome = isClass && 'ok' in raw && raw.ok && !raw.async && raw.value === instance && instance !== undefined ? { kind: 'returns', code: null, type: 'object', plain: false, self: true } : toOutcome(raw);
      const mutated: Step['mutated'] = [];
      if (record) {
        stepValues[i].forEach((v, k) => {
          if (before[i][k] === null) return;
          const after = toCode(v);
          if (after !== null && after !== before[i][k]) mutated.push({ index: k, code: after });
        });
      }
      steps.push({ method: cand.steps[i].method, args: cand.steps[i].codes, outcome, mutated });
      if (outcome.kind === 'throws' || outcome.kind === 'rejects') throws = true;
      if (outcome.kind === 'exit') exit = outcome.code;
    }
    const state = isClass && instance !== undefined ? stateCode(instance) : null;
    // Observations only when the sequence changed the instance (an untouched one says little, and often).
    const views =
      isClass && record && instance !== null && typeof instance === 'object' && !throws && exit === null && state !== ctorState
        ? await observe(instance, observers, () => replayInstance(cand))
        : undefined;
    const values: unknown[] = [];
    for (const raw of raws) if ('ok' in raw && raw.ok) primitives(raw.value, values, 0);
    return { cand, blocks, steps, state, views, throws, exit, values };
  };

  // Candidates run in batches with one coverage take per batch (a take costs milliseconds in a vitest worker); a
  // batch that reached something new is run again one candidate at a time to know which one did.
  const BATCH = 8;
  const queue: Array<{ cand: Candidate; index: number }> = [];
  // Values the code returned feed the pools (a formatter's output is a parser's input): dynamic seeding.
  const harvest = (ran: Ran): void => {
    // Round trips: a returned string with a string argument of the same call (format(date, mask) -> parse(text, mask)).
    for (let i = 0; i < ran.steps.length && SHARED.pairs.length < 48; i++) {
      const st = ran.steps[i];
      const o = st.outcome;
      if (o.kind !== 'returns' || o.type !== 'string' || o.code === null) continue;
      const out = (ran.values ?? []).find((v) => typeof v === 'string' && toCode(v) === o.code) as string | undefined;
      if (out === undefined || out.length > 60) continue;
      for (const a of ran.cand.steps[isClass ? i - 1 : i]?.values ?? []) {
        if (typeof a === 'string' && a !== out && !SHARED.pairs.some(([x, y]) => x === out && y === a)) SHARED.pairs.push([out, a]);
      }
    }
    const pools = [SHARED, ...(target.kind === 'class' ? methods.map((m) => ctx(m)) : [ctx(target)])];
    for (const v of ran.values ?? []) {
      for (const c of pools) {
        if (typeof v === 'string' && v.length < 40 && !c.strings.includes(v) && c.strings.length < 96) c.strings.push(v);
        else if (typeof v === 'number' && Number.isFinite(v) && !c.numbers.includes(v) && c.numbers.length < 96) c.numbers.push(v);
      }
    }
  };
  // Calls that reached no new block but returned a value no kept call returned (Stryker's survivors are mostly
  // mutants that covered code with too few distinct results: `>=` vs `>` at a constant, `+` vs `-` where the inputs
  // hide it). A few of them join the suite after the set cover, those at the code's constants first.
  const outputs = new Set<string>();
  const diverse: Ran[] = [];
  const noteOutput = (ran: Ran, fresh: boolean): void => {
    if (ran.throws || ran.exit !== null || ran.steps.some((st) => st.outcome.kind === 'timeout')) return;
    const sig = signature(ran);
    if (outputs.has(sig)) return;
    outputs.add(sig);
    if (!fresh && ran.cand.valid && diverse.length < 24) diverse.push(ran);
  };
  const consider = (cand: Candidate, ran: Ran): void => {
    harvest(ran);
    if (ran.exit !== null) {
      result.exits.push(`${describeCall(target, cand)} calls process.exit(${ran.exit})`);
      return;
    }
    if (ran.steps.some((st) => st.outcome.kind === 'timeout')) return;
    let fresh = false;
    for (const b of ran.blocks) {
      if (!covered.has(b)) {
        covered.add(b);
        fresh = true;
      }
    }
    if (fresh || cand.boundary) kept.push(ran);
    if (fresh) noteOutput(ran, true);
  };
  const flush = async (): Promise<void> => {
    if (queue.length === 0) return;
    const batch = queue.splice(0);
    let exits = false;
    coverage.take();
    for (const { cand, index } of batch) {
      log({ t: 'c', f: target.id, n: index });
      const ran = await runOnce(cand, false, false);
      if (ran.exit !== null) exits = true;
      noteOutput(ran, false);
    }
    const blocks = coverage.take();
    const wanted = new Set([...blocks].filter((b) => !covered.has(b)));
    if (!exits && wanted.size === 0 && !batch.some((b) => b.cand.boundary)) return;
    // Replay one at a time until the batch's new blocks are attributed (boundary cases and exits always).
    for (const { cand, index } of batch) {
      const done = !exits && [...wanted].every((b) => covered.has(b));
      if (done && !cand.boundary) continue;
      log({ t: 'c', f: target.id, n: index });
      consider(cand, await runOnce(cand, false, true));
    }
  };
  const tryCandidate = async (cand: Candidate): Promise<void> => {
    const key = JSON.stringify([cand.ctorCodes, cand.steps.map((st) => [st.method, st.codes])]);
    if (seen.has(key)) return;
    seen.add(key);
    const id = `${target.id}:${n}`;
    n++;
    if (skip.has(id)) {
      // The call that stopped the last run: replayed up to here, the search of this target ends (one hang is enough).
      await flush();
      result.exits.push(`${describeCall(target, cand)} did not return (or stopped the process): the search was stopped on it`);
      stopped = true;
      return;
    }
    queue.push({ cand, index: n - 1 });
    if (queue.length >= BATCH) await flush();
  };

  let stopped = false;
  // The budgets are per function: a class gets them once per few methods (its tests are sequences over all of them).
  const scale = isClass ? Math.max(1, Math.ceil(methods.length / 4)) : 1;
  const budgetCount = spec.budgetCount * scale;
  const maxTests = spec.maxTests * scale;
  const STALE = Math.min(budgetCount, 96 * scale);
  const budgetLeft = () => !stopped && n < budgetCount && performance.now() - started < spec.budgetMs * scale;

  const makeCandidate = (ctorVals: unknown[] | null, steps: Array<{ method: string | null; c: SpecCallable; values: unknown[] }>, extra?: Partial<Candidate>): Candidate | null => {
    let valid = true;
    let uncertain = false;
    let ctorCodes: string[] | null = null;
    let ctorValues: unknown[] | null = null;
    if (isClass) {
      const a = argsFor(ctorSpec, ctorVals ?? []);
      if (!a) return null;
      ctorCodes = a.codes;
      ctorValues = a.values;
      valid &&= a.valid;
      uncertain ||= a.uncertain;
    }
    const out: Candidate['steps'] = [];
    for (const s of steps) {
      const a = argsFor(s.c, s.values);
      if (!a) return null;
      out.push({ method: s.method, values: a.values, codes: a.codes });
      valid &&= a.valid;
      uncertain ||= a.uncertain;
    }
    return { ctor: ctorValues, ctorCodes, steps: out, valid, uncertain, boundary: false, ...extra };
  };

  // 1. Seeds: the planner's cases (patterns, guards, domain values), then the typical call, then one parameter at a time.
  const seedValues = (s: SpecSeed): unknown[] | null => {
    try {
      return s.args.map((a) => a.get());
    } catch {
      return null;
    }
  };
  if (!isClass) {
    const base = typicalArgs(target);
    const c0 = makeCandidate(null, [{ method: null, c: target, values: base }], { title: 'returns a result for typical inputs' });
    if (c0) await tryCandidate(c0);
    for (const s of target.seeds) {
      if (!budgetLeft()) break;
      const values = seedValues(s);
      if (!values) continue;
      const c = makeCandidate(null, [{ method: null, c: target, values: restGroup(target, values) }], { title: s.title, boundary: s.boundary });
      if (c) await tryCandidate(c);
    }
    // Round-trip pairs from earlier functions on two string parameters, both ways.
    const stringParams = target.params.map((p, i) => (fits('', p.shape) && !p.rest ? i : -1)).filter((i) => i >= 0);
    if (stringParams.length >= 2) {
      const [i, j] = stringParams;
      for (const [out, arg] of SHARED.pairs.slice(0, 24)) {
        if (!budgetLeft()) break;
        for (const [x, y] of [[out, arg], [arg, out]]) {
          const values = base.map((v) => clone(v));
          values[i] = x;
          values[j] = y;
          const c = makeCandidate(null, [{ method: null, c: target, values }]);
          if (c) await tryCandidate(c);
        }
      }
    }
    // One parameter at a time, round robin over the parameters' pools (each pool: constants first).
    const pools = target.params.map((p) => poolOf(p.shape, ctx(target)));
    const longest = Math.max(0, ...pools.map((p) => p.length));
    for (let k = 0; k <= longest && budgetLeft(); k++) {
      for (let i = 0; i < target.params.length && budgetLeft(); i++) {
        const p = target.params[i];
        if (k === longest) {
          if (!p.optional) continue;
          const c = makeCandidate(null, [{ method: null, c: target, values: base.slice(0, i) }]);
          if (c) await tryCandidate(c);
          continue;
        }
        if (k >= pools[i].length) continue;
        const values = base.map((x) => clone(x));
        values[i] = p.rest ? [pools[i][k]] : pools[i][k];
        const c = makeCandidate(null, [{ method: null, c: target, values }]);
        if (c) await tryCandidate(c);
      }
    }
    // 2. Mutation of what reached something new (and random restarts).
    let stale = 0;
    while (budgetLeft() && stale < STALE) {
      const before = covered.size;
      const parent = kept.length && rng() < 0.85 ? pick(rng, kept) : null;
      const values = parent ? mutateArgs(target, parent.cand.steps[0].values.length ? regroup(target, parent.cand.steps[0].values) : base) : target.params.map((p) => randomOf(p.shape, ctx(target)));
      const c = makeCandidate(null, [{ method: null, c: target, values }]);
      if (c) await tryCandidate(c);
      else stale++;
      stale = covered.size > before ? 0 : stale + 1;
    }
  } else if (methods.length) {
    const ctorBase = typicalArgs(ctorSpec);
    const instance = instanceFactory(callee, result.access, argsFor(ctorSpec, ctorBase));
    if (instance) for (const m of methods) ctx(m).instances = [instance];
    const ctorSeeds: unknown[][] = [ctorBase];
    for (const s of ctorSpec.seeds) {
      const v = seedValues(s);
      if (v) ctorSeeds.push(restGroup(ctorSpec, v));
    }
    for (const m of methods) {
      for (const ctorVals of ctorSeeds.slice(0, 3)) {
        if (!budgetLeft()) break;
        const c = makeCandidate(ctorVals, [{ method: m.name, c: m, values: typicalArgs(m) }], { title: undefined });
        if (c) await tryCandidate(c);
      }
      for (const s of m.seeds) {
        if (!budgetLeft()) break;
        const v = seedValues(s);
        if (!v) continue;
        const c = makeCandidate(ctorBase, [{ method: m.name, c: m, values: restGroup(m, v) }], { boundary: s.boundary });
        if (c) await tryCandidate(c);
      }
    }
    let stale = 0;
    while (budgetLeft() && stale < STALE) {
      const before = covered.size;
      const parent = kept.length && rng() < 0.8 ? pick(rng, kept) : null;
      let ctorVals = parent?.cand.ctor ?? ctorBase;
      let steps = parent ? parent.cand.steps.map((s) => ({ method: s.method, c: methods.find((m) => m.name === s.method)!, values: regroup(methods.find((m) => m.name === s.method)!, s.values) })) : [];
      const r = rng();
      if (r < 0.15 && ctorSpec.params.length) ctorVals = mutateArgs(ctorSpec, ctorVals);
      else if (r < 0.55 || steps.length === 0) {
        if (steps.length < 4) {
          const m = pick(rng, methods);
          steps = [...steps, { method: m.name, c: m, values: rng() < 0.5 ? typicalArgs(m) : m.params.map((p) => randomOf(p.shape, ctx(m))) }];
        }
      } else {
        const i = Math.floor(rng() * steps.length);
        steps[i] = { ...steps[i], values: mutateArgs(steps[i].c, steps[i].values) };
        if (rng() < 0.2 && steps.length > 1) steps.splice(Math.floor(rng() * steps.length), 1);
      }
      const c = makeCandidate(ctorVals, steps);
      if (c) await tryCandidate(c);
      else stale++;
      stale = covered.size > before ? 0 : stale + 1;
    }
  }
  await flush();
  (result as unknown as Record<string, unknown>).stats = { ms: Math.round(performance.now() - started), takes: coverage.takes, takeMs: Math.round(coverage.takeMs) };
  result.candidates = n;
  result.covered = covered.size;

  // 3. The suite: greedy set cover over the kept candidates. Throws only from type-valid inputs, and few of them.
  const eligible = kept.filter((r) => {
    if (!r.throws) return true;
    const last = r.steps[r.steps.length - 1].outcome;
    const error = last.kind === 'throws' || last.kind === 'rejects' ? last.error : null;
    const ours = !r.cand.valid || (r.cand.uncertain && error !== null && error.name === 'TypeError' && TYPE_ERROR_OF_OURS.test(error.message));
    if (ours) result.rejectedThrows++;
    return !ours;
  });
  const chosen: Ran[] = [];
  const got = new Set<string>();
  const gain = (r: Ran) => {
    let g = 0;
    for (const b of r.blocks) if (!got.has(b)) g++;
    return g;
  };
  const cost = (r: Ran) => r.steps.reduce((s, st) => s + st.args.join(',').length, 0) + (r.cand.ctorCodes ?? []).join(',').length;
  for (const pass of ['returns', 'throws'] as const) {
    let throwsLeft = Math.max(1, Math.floor(chosen.length / 4));
    for (;;) {
      let best: Ran | null = null;
      let bestGain = 0;
      for (const r of eligible) {
        if (chosen.includes(r) || (pass === 'returns' && r.throws)) continue;
        const g = gain(r);
        if (g > bestGain || (g === bestGain && g > 0 && best && cost(r) < cost(best))) {
          best = r;
          bestGain = g;
        }
      }
      if (!best || bestGain === 0 || chosen.length >= maxTests) break;
      if (pass === 'throws' && throwsLeft-- <= 0) break;
      chosen.push(best);
      for (const b of best.blocks) got.add(b);
    }
  }
  // Boundary cases from the patterns that returned normally (a few), even without new blocks.
  let extra = 0;
  for (const r of eligible) {
    if (extra >= 4 || chosen.length >= maxTests) break;
    if (r.cand.boundary && !r.throws && !chosen.includes(r)) {
      chosen.push(r);
      extra++;
    }
  }

  // Distinct results at no new coverage (see noteOutput), those whose arguments sit at the code's constants first.
  const constants = new Set<unknown>([target, ...methods].flatMap((c) => c.constants));
  const atConstant = (r: Ran) => r.cand.steps.some((st) => st.values.some((v) => constants.has(v) || (typeof v === 'number' && (constants.has(v - 1) || constants.has(v + 1)))));
  const extras = diverse.filter((d) => !chosen.some((c) => signature(c) === signature(d)));
  extras.sort((a, b) => Number(atConstant(b)) - Number(atConstant(a)));
  for (const d of extras.slice(0, 4 * scale)) {
    if (chosen.length >= maxTests) break;
    chosen.push(d);
  }

  // 4. Record: run each chosen test again with fresh inputs (the second run drops nondeterministic results).
  const titles = new Set<string>();
  for (const r of chosen) {
    const a = await runOnce(r.cand, true);
    const b = await withShiftedClock(() => runOnce(r.cand, true));
    const deterministic =
      a.steps.length === b.steps.length &&
      a.steps.every((s, i) => sameOutcome(s.outcome, b.steps[i].outcome) && JSON.stringify(s.mutated) === JSON.stringify(b.steps[i].mutated)) &&
      a.state === b.state &&
      JSON.stringify(a.views) === JSON.stringify(b.views);
    if (!deterministic) {
      result.nondeterministic++;
      // Keep the calls (coverage) but not the values that changed.
      for (let i = 0; i < a.steps.length; i++) {
        const other = b.steps[i];
        if (!other || !sameOutcome(a.steps[i].outcome, other.outcome)) a.steps[i].outcome = loosen(a.steps[i].outcome);
        if (!other || JSON.stringify(a.steps[i].mutated) !== JSON.stringify(other.mutated)) a.steps[i].mutated = [];
      }
      if (a.state !== b.state) a.state = null;
      // Only the observations both runs agree on.
      if (a.views) a.views = a.views.filter((v) => b.views?.some((w) => w.expr === v.expr && w.code === v.code));
    }
    const newBlocks = [...r.blocks].filter((k) => !chosen.slice(0, chosen.indexOf(r)).some((o) => o.blocks.has(k)));
    let title = r.cand.title ?? titleFor(target, a, newBlocks.map((k) => coverage.snippet(k)).find((s) => s !== null) ?? null);
    let unique = title;
    for (let i = 2; titles.has(unique); i++) unique = `${title} [${i}]`;
    titles.add(unique);
    title = unique;
    result.tests.push({ title, ctor: r.cand.ctorCodes, steps: a.steps, state: a.state, views: a.views, blocks: r.blocks.size, boundary: r.cand.boundary });
  }
  return result;
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

/** What a call sequence returned (outcomes and final state): two calls with the same signature assert the same. */
function signature(ran: Ran): string {
  return JSON.stringify([ran.steps.map((st) => st.outcome), ran.state]);
}

function loosen(o: Outcome): Outcome {
  if (o.kind === 'returns' || o.kind === 'resolves') return { ...o, code: null, plain: false, state: null };
  if (o.kind === 'throws' || o.kind === 'rejects') return { kind: o.kind, error: { ...o.error, message: '', code: null } };
  return o;
}

/** Groups a flat argument list (rest parameter spread) back into one value per parameter. */
function restGroup(c: SpecCallable, values: unknown[]): unknown[] {
  const last = c.params[c.params.length - 1];
  if (!last?.rest) return values;
  return [...values.slice(0, c.params.length - 1), values.slice(c.params.length - 1)];
}

function regroup(c: SpecCallable, flat: unknown[]): unknown[] {
  return restGroup(c, flat);
}

function describeCall(target: SpecTarget, cand: Candidate): string {
  const head = cand.ctorCodes ? `new ${target.name}(${cand.ctorCodes.join(', ')})` : '';
  const calls = cand.steps.map((s) => `${s.method ? `.${s.method}` : target.name}(${s.codes.join(', ')})`).join('');
  const text = head + calls;
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function short(code: string | null, max = 30): string {
  if (code === null) return 'a value';
  const one = code.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

function titleFor(target: SpecTarget, ran: Ran, reaches: string | null): string {
  const last = ran.steps[ran.steps.length - 1];
  const args = last.args.map((c) => short(c, 24)).join(', ');
  const o = last.outcome;
  const what =
    o.kind === 'returns' || o.kind === 'resolves'
      ? `${o.kind === 'resolves' ? 'resolves' : 'returns'} ${o.self ? 'this' : o.plain ? short(o.code) : o.type}`
      : o.kind === 'throws' || o.kind === 'rejects'
        ? `${o.kind === 'rejects' ? 'rejects' : 'throws'} ${o.error.name}`
        : 'runs';
  const methods = ran.steps.filter((s) => s.method !== null).map((s) => s.method);
  const head = target.kind === 'class' ? (methods.length ? `${methods.join(' then ')}: ` : 'constructor: ') : '';
  return `${head}${what} for (${args})${reaches ? ` (reaches \`${reaches}\`)` : ''}`;
}
