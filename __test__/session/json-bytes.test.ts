import { describe, expect, it } from 'vitest';
import { JsonBytes } from '../../dist/session/json-bytes';

/** What the store must write for a value: the UTF-8 of JSON.stringify, or nothing where it gives undefined. */
function expected(value: unknown): string | undefined {
  const json = JSON.stringify(value);
  return json === undefined ? undefined : Buffer.from(json, 'utf8').toString('utf8');
}

function encoded(encoder: JsonBytes, value: unknown): string | undefined {
  return encoder.encode(value)?.toString('utf8');
}

/** A context like a watcher's working state: many small entries, with the values JSON.stringify drops or changes. */
function workingState(entries: number): unknown[] {
  const state: unknown[] = Array.from({ length: entries }, (_, i) => ({
    path: `src/m${i}.ts`,
    text: 'é😀\ud800'.repeat(i % 3), // two-byte, four-byte and a lone surrogate (escaped by JSON.stringify)
    when: i % 5 ? undefined : new Date(i),
    callback: () => i,
    ratio: i % 7 ? i / 3 : Number.NaN,
  }));
  state[10] = undefined;
  state[11] = () => 0;
  state[12] = Symbol('s');
  delete state[13];
  return state;
}

describe('JsonBytes: JSON.stringify straight into bytes', () => {
  const encoder = new JsonBytes();

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a symbol', Symbol('x')],
    ['null', null],
    ['a number', 1.5],
    ['a string with quotes and unicode', 'a"b\\c\n😀'],
    ['an empty object', {}],
    ['an empty array', []],
    ['an array of undefined', [undefined, () => 1]],
    ['an object dropping undefined and functions', { a: undefined, b: 1, c: () => 2, d: Symbol('d') }],
    ['toJSON with its property key', { nested: { toJSON: (key: string) => `key=${key}` } }],
    ['toJSON with its array index', [0, { toJSON: (key: string) => `index=${key}` }]],
    ['toJSON at a long array index', Array.from({ length: 130 }, (_, i) => (i === 100 ? { toJSON: (k: string) => k } : i))],
    ['integer keys first, as JSON.stringify orders them', Object.assign(Object.create(null), { z: 1, 2: 'two', 1: 'one' })],
    ['boxed primitives', [new String('boxed'), new Number(3), new Boolean(false)]],
    ['a Map and an Error', { map: new Map([[1, 2]]), error: new Error('x') }],
    ['deeper than the levels walked', { a: { b: { c: { d: { e: { f: [1, { g: 2 }] } } } } } }],
    ['holes in arrays', [, , 3]], // eslint-disable-line no-sparse-arrays
    ['an array with an extra property', Object.assign([1, 2], { extra: 3 })],
    ['a large string', 'x'.repeat(100_000)],
    ['a large string beside small values', { s: 'y'.repeat(70_000), t: [1, 2] }],
    ['many small entries', { ctx: { files: workingState(5_000) } }],
  ])('%s gives the bytes of JSON.stringify', (_name, value) => {
    expect(encoded(encoder, value)).toBe(expected(value));
  });

  it('throws where JSON.stringify throws: BigInt and cycles', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const arrayCycle: unknown[] = [{}];
    (arrayCycle[0] as Record<string, unknown>).back = arrayCycle;
    for (const value of [1n, { a: [2n] }, cycle, arrayCycle]) {
      expect(() => JSON.stringify(value)).toThrow(TypeError);
      expect(() => encoder.encode(value)).toThrow(TypeError);
    }
  });

  it('a short value after a long one carries none of its bytes', () => {
    const long = encoded(encoder, { padding: 'ü'.repeat(200_000) });
    expect(long).toBe(expected({ padding: 'ü'.repeat(200_000) }));
    expect(encoded(encoder, { short: true })).toBe('{"short":true}');
  });

  it('a value larger than the reused buffer comes back whole, and the next small one still encodes', () => {
    const huge = { blob: 'z'.repeat(9 * 1024 * 1024), list: workingState(200) };
    expect(encoded(encoder, huge)).toBe(expected(huge));
    expect(encoded(encoder, [1, 'two'])).toBe('[1,"two"]');
  });

  it('encodeText gives the UTF-8 of a JSON text as it is', () => {
    const text = '{"a":"😀","b":[1,2]}';
    expect(encoder.encodeText(text).toString('utf8')).toBe(text);
  });
});
