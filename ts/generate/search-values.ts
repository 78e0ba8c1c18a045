/**
 * What the search child records of a run (search-runtime.ts): what can be asserted of an object's state
 * (`partialCode`), observations of an instance after a method sequence (`observe`) and the shifted clock and working
 * directory of the second recording run. Values as code are value-code.ts's; values of a shape, value-shapes.ts's.
 */
import { tmpdir } from 'node:os';
import { MAX_CODE, propertyKey, RealDate, toCode, tooMany } from './value-code';

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

function partialFields(value: object, depth: number, seen: Set<object>): string | null {
  const keys = Object.keys(value);
  if (tooMany(keys.length)) return null;
  const parts: string[] = [];
  for (const key of keys) {
    const desc = Object.getOwnPropertyDescriptor(value, key);
    if (!desc || desc.get || desc.set || typeof desc.value === 'function') continue;
    const c = partialCode(desc.value, depth + 1, seen);
    if (c === null || (c === '{}' && isInstance(desc.value))) continue;
    parts.push(`${propertyKey(key)}: ${c}`);
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

/** An object's own observations beyond its fields (a database facade's changed tables, search-database.ts). */
export const EXTRA_VIEWS = Symbol('tdd-fast.views');

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
  const extra = (instance as Record<symbol, unknown>)[EXTRA_VIEWS];
  const views = [...(typeof extra === 'function' ? (extra as () => View[])() : []), ...sizeViews(instance)];
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

/**
 * `instance.<name>()` on a replica, kept only when it returns a value (not undefined: a command, `kill()`, says
 * nothing), leaves the replica's fields as they were and returns the same when called again (state kept in a closure
 * is not in the fields: `pop()` of a closure-based stack answers differently the second time).
 */
function observerView(replica: object | undefined, name: string): View | null {
  const fn = replica ? (replica as Record<string, unknown>)[name] : undefined;
  if (!replica || typeof fn !== 'function') return null;
  const before = snapshot(replica);
  let v: unknown;
  let again: unknown;
  try {
    v = (fn as () => unknown).call(replica);
    again = (fn as () => unknown).call(replica);
  } catch {
    return null;
  }
  if (v === undefined || snapshot(replica) !== before || v === replica || (v !== null && typeof (v as { then?: unknown })?.then === 'function')) return null;
  const code = toCode(v);
  return code !== null && code.length < 400 && code === toCode(again) ? { expr: `instance.${name}()`, code } : null;
}

