/**
 * Typed arrays (`Uint8Array`, `Float64Array`, `BigInt64Array`, ...): the core leaves these built-in names unresolved
 * (`{ kind: 'unresolved', text: 'Uint8Array' }`, or `Uint8Array<ArrayBuffer>` under TypeScript 5.7's generic ones).
 * Here: which name is one, values of it for the search, whether a value is one (tsc accepts only that class, a
 * `Buffer` is a subclass a test would not write), and its code (`new Uint8Array([1, 2, 3])`).
 *
 * Imports nothing of the generator (value-code.ts, fits.ts and the pools use it).
 */

const NAMES = new Set(['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']);

/** Elements written at most (a longer typed array is not written as code). */
const MAX_ELEMENTS = 256;

type TypedArrayClass = new (items: Iterable<number | bigint>) => ArrayLike<number | bigint>;

/** The typed array class a type's text names (`Uint8Array`, `Uint8Array<ArrayBufferLike>`), or null. */
export function typedArrayClass(text: string): { name: string; ctor: TypedArrayClass } | null {
  const name = text.replace(/<.*>$/s, '').trim();
  if (!NAMES.has(name)) return null;
  const ctor = (globalThis as Record<string, unknown>)[name];
  return typeof ctor === 'function' ? { name, ctor: ctor as TypedArrayClass } : null;
}

/** Values of the typed array named by `text`: empty, one element, a few, bytes at the edges; [] when it names none. */
export function typedArrayValues(text: string): unknown[] {
  const found = typedArrayClass(text);
  if (!found) return [];
  const big = found.name.startsWith('Big');
  const lists: number[][] = [[1, 2, 3], [], [0], [255, 0, 128, 1], [104, 105], Array.from({ length: 32 }, (_, i) => i)];
  return lists.map((items) => new found.ctor(big ? items.map(BigInt) : items));
}

/** Whether `value` is exactly the typed array the text names (its own class, not a subclass such as Buffer). */
export function isTypedArrayOf(value: unknown, text: string): boolean {
  const found = typedArrayClass(text);
  return found !== null && value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === (found.ctor as unknown as { prototype: object }).prototype;
}

/** `new Uint8Array([1, 2, 3])` for a typed array of a built-in class; null for anything else or a long one. */
export function typedArrayCode(value: object, numberCode: (n: number) => string): string | null {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return null;
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (!isTypedArrayOf(value, tag)) return null;
  const items = value as unknown as ArrayLike<number | bigint>;
  if (items.length > MAX_ELEMENTS) return null;
  const codes = Array.from(items, (x) => (typeof x === 'bigint' ? `${x}n` : numberCode(x)));
  return `new ${tag}([${codes.join(', ')}])`;
}
