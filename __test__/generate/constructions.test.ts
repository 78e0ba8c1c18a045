/**
 * A class without methods (a tree node, a record, a message: msgpack's `ExtData`, splaytree's `Node`) is tested by its
 * constructions: each asserts the state the constructor leaves, its branches reached as a function's are. Such
 * a class once got no test at all ("no methods to exercise"). A real `generate --record` run of the CLI, then the
 * project's vitest on the generated files.
 */
import { describe, expect, it } from 'vitest';

import { makeProject } from '../helpers';
import { describeBlock, linkNodeModules, recordFile, runVitest } from './helpers';

const RANGE = `export class Range {
  readonly lo: number;
  readonly hi: number;
  readonly empty: boolean;

  constructor(lo: number, hi: number) {
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError('bounds must be finite');
    this.lo = Math.min(lo, hi);
    this.hi = Math.max(lo, hi);
    this.empty = lo === hi;
  }
}
`;

describe('a class without methods', () => {
  it('gets tests that construct it and assert the state it leaves', () => {
    const root = makeProject({ 'package.json': '{"name":"ctor-fx","private":true,"type":"module"}', 'src/range.ts': RANGE });
    linkNodeModules(root);
    const { text } = recordFile(root, 'src/range.ts');
    const block = describeBlock(text, 'Range');
    expect(block).toMatch(/const instance = new Range\(-?[\d.]+, -?[\d.]+\);\n\s+expect\(instance\)\.toMatchObject\(\{ lo: -?[\d.]+, hi: -?[\d.]+, empty: (true|false) \}\);/);
    // the branch that orders the bounds: a construction with lo above hi
    expect(block).toMatch(/const instance = new Range\((-?[\d.]+), (-?[\d.]+)\);\n\s+expect\(instance\)\.toMatchObject\(\{ lo: \2, hi: \1, empty: false \}\);/);
    const report = runVitest(root, { generatedOnly: { testTimeout: 5000 } });
    expect(report.numFailedTests, report.output).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(1);
  }, 120_000);
});
