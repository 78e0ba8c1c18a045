/**
 * The recording phase of a target's suite (each chosen test run again, its instance observed) can hang where the
 * search's runs did not: iterating an instance whose iterator never ends. The run leaves out what hangs (first the
 * observations, then the test) and goes on; the functions after it still get their tests. A real CLI run.
 */
import { describe, expect, it } from 'vitest';

import { makeProject } from '../helpers';
import { recordFile } from './helpers';

const FILES: Record<string, string> = {
  'package.json': '{"name":"ring","private":true,"type":"module"}',
  'src/ring.js': [
    'export class Ring {',
    '  constructor() {',
    '    this.items = [];',
    '    this.stuck = false;',
    '  }',
    '  push(x) {',
    '    this.items.push(x);',
    '    return this.items.length;',
    '  }',
    '  jam() {',
    '    this.stuck = true;',
    '    return this.items.length;',
    '  }',
    '  *[Symbol.iterator]() {',
    '    // A jammed ring never finishes iterating.',
    '    while (this.stuck) {}',
    '    yield* this.items;',
    '  }',
    '}',
    '',
    'export function after(n) {',
    "  if (n < 0) throw new RangeError('n must not be negative');",
    '  return n + 1;',
    '}',
    '',
  ].join('\n'),
};

describe('a chosen test whose recording does not return', () => {
  it('is recorded without observing the instance, and the functions after it still get tests', () => {
    const root = makeProject(FILES);
    const { text } = recordFile(root, 'src/ring.js');
    expect(text).toMatch(/\.jam\(\)/);
    expect(text).toMatch(/describe\('after'[\s\S]*?\n\s+it\(/);
    expect(text).not.toContain('did not reach it');
  }, 180_000);
});
