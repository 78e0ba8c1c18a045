/**
 * A recorded value too large to write (msgpack's `CachedKeyDecoder` built with a large `maxKeyLength` holds that many
 * arrays): it is not written, and writing it does not throw. Spreading a million parts into a call once overflowed the
 * stack ("Maximum call stack size exceeded"), which ended the whole class's search: 0 tests for the file.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { repoRoot } from '../helpers';

const dist = (file: string) => require(path.join(repoRoot, 'dist', 'generate', file)) as unknown;
const { toCode } = dist('value-code.js') as typeof import('../../ts/generate/value-code');
const { stateCode } = dist('search-values.js') as typeof import('../../ts/generate/search-values');

describe('a value too large to write', () => {
  it('has no literal and no state, and writing it does not throw', () => {
    const caches = Array.from({ length: 500_000 }, () => [] as number[]);
    expect(toCode(caches)).toBeNull();
    expect(toCode(new Set(caches))).toBeNull();
    expect(toCode(new Map(caches.map((c, i) => [i, c])))).toBeNull();
    expect(toCode(Object.fromEntries(caches.map((c, i) => [`k${i}`, c])))).toBeNull();
    // the state of an instance holding it: its other fields
    const decoder = { hit: 0, maxKeyLength: 500_000, caches };
    expect(stateCode(decoder)).toBe('{ hit: 0, maxKeyLength: 500000 }');
    // a small one is still written
    expect(toCode([[], [1]])).toBe('[[], [1]]');
  });
});
