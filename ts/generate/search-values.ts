/**
 * Values as test code, for the coverage-guided search (search-runtime.ts): the source text that rebuilds a value
 * (`toCode`), what can be asserted of an object's state (`partialCode`), observations of an instance after a method
 * sequence (`observe`), fresh copies of arguments (`clone`) and the shifted clock of the second recording run.
 */
import { tmpdir } from 'node:os';
import type { TypeShape } from './shapes';

export const RealDate = Date;
/** Shifted clock for the second recording run: a result that depends on the current time differs there. */
export const SHIFT_MS = 400 * 86_400_000 + 3 * 3_600_000 + 17 * 60_000;
/**
 * Runs `run` as on another machine: the clock shifted by SHIFT_MS and another working directory (os.tmpdir()), so a
 * recorded value that holds today's date or this checkout's path differs between the two runs and is not asserted.
 */
export function asOnAnotherMachine<T>(run: () => Promise<T>): Promise<T> {
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
  const cwd = process.cwd();
  try {
    process.chdir(tmpdir());
  } catch {
    // no other directory to go to: the clock alone differs
  }
  return run().finally(() => {
    globalThis.Date = RealDate;
    process.chdir(cwd);
  });
}

/** Values the serializer cannot see through (callbacks, promises) carry their source text here. */
export const CODE = new WeakMap<object, string>();

export function tag<T extends object>(value: T, code: string): T {
  CODE.set(value, code);
  return value;
}

/** Tagged values that a call may change (instances of the class under test): each use gets a fresh one. */
export const FACTORY = new WeakMap<object, () => unknown>();

export const IDENT = /^[A-Za-z_$][\w$]*$/;

export function quote(s: string): string {
  return `'${s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

export const MAX_CODE = 3000;

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
  if (value === null || typeof value !== 'object' || depth > 3 || seen.has(value) || opaque(value)) return null;
  seen.add(value);
  try {
    const out = Array.isArray(value) ? partialArray(value, depth, seen) : partialFields(value, depth, seen);
    return out !== null && out.length > MAX_CODE ? null : out;
  } finally {
    seen.delete(value);
  }
}

/** Builtins whose state is not in their fields (a Map's entries): written exactly by toCode or not at all. */
function opaque(value: object): boolean {
  return value instanceof RealDate || value instanceof RegExp || value instanceof Map || value instanceof Set || value instanceof Promise;
}

/** An array's elements must all be writable: `toMatchObject` compares arrays element by element, length included. */
function partialArray(value: unknown[], depth: number, seen: Set<object>): string | null {
  if (value.length > 50) return null;
  const parts: string[] = [];
  for (const item of value) {
    const c = partialCode(item, depth + 1, seen);
    if (c === null) return null;
    parts.push(c);
  }
  return `[${parts.join(', ')}]`;
}

function partialFields(value: object, depth: number, seen: Set<object>): string {
  const parts: string[] = [];
  for (const key of Object.keys(value)) {
    const desc = Object.getOwnPropertyDescriptor(value, key);
    if (!desc || desc.get || desc.set || typeof desc.value === 'function') continue;
    const c = partialCode(desc.value, depth + 1, seen);
    if (c === null || (c === '{}' && isInstance(desc.value))) continue;
    parts.push(`${IDENT.test(key) ? key : quote(key)}: ${c}`);
  }
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

function isInstance(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) !== Object.prototype;
}

/** Own state of an object (a class instance included), as code; null when nothing of it can be written. */
export function stateCode(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return null;
  return partialCode(value);
}

/** An observation of an instance after a sequence: an expression over `instance` and the code of its value. */
export interface View {
  expr: string;
  code: string;
}

export const SIZE_NAMES = ['length', 'size', 'count'];

/** Own fields and what iterating yields: two equal snapshots mean a call left the instance as it was. */
export function snapshot(instance: object): string {
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
export async function observe(instance: object, observers: string[], replay: () => Promise<object | undefined>): Promise<View[]> {
  const views = [...sizeViews(instance)];
  const items = iterationView(instance);
  if (items) views.push(items);
  for (const name of observers.slice(0, 8)) {
    const view = observerView(await replay(), name);
    if (view) views.push(view);
  }
  return views;
}

/** `length` / `size` / `count` that are not own fields (getters, prototype properties). */
function sizeViews(instance: object): View[] {
  const own = new Set(Object.keys(instance));
  const views: View[] = [];
  for (const name of SIZE_NAMES.filter((n) => !own.has(n))) {
    try {
      const v = (instance as Record<string, unknown>)[name];
      if (typeof v === 'number') views.push({ expr: `instance.${name}`, code: toCode(v)! });
    } catch {
      // a getter that throws says nothing
    }
  }
  return views;
}

/** What iterating the instance yields, when iterating twice yields the same (an iterator that consumes is left out). */
function iterationView(instance: object): View | null {
  try {
    if (typeof (instance as Record<symbol, unknown>)[Symbol.iterator] !== 'function') return null;
    const first = Array.from(instance as Iterable<unknown>);
    const code = first.length <= 100 ? toCode(first) : null;
    return code !== null && code === toCode(Array.from(instance as Iterable<unknown>)) ? { expr: '[...instance]', code } : null;
  } catch {
    return null;
  }
}

/** `instance.<name>()` on a replica, kept only when the call leaves the replica as it was and returns a value. */
function observerView(replica: object | undefined, name: string): View | null {
  const fn = replica ? (replica as Record<string, unknown>)[name] : undefined;
  if (!replica || typeof fn !== 'function') return null;
  const before = snapshot(replica);
  let v: unknown;
  try {
    v = (fn as () => unknown).call(replica);
  } catch {
    return null;
  }
  if (snapshot(replica) !== before || v === replica || (v !== null && typeof (v as { then?: unknown })?.then === 'function')) return null;
  const code = toCode(v);
  return code !== null && code.length < 400 ? { expr: `instance.${name}()`, code } : null;
}

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
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = clone((value as Record<string, unknown>)[key], depth + 1);
  return out;
}
