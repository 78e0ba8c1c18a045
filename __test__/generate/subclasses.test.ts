/**
 * Recorded values that are instances of a built-in's subclass (issue 22: quick-lru, a `Map` subclass, ended with 0
 * tests: its state was written `new Map([...])`, which vitest never finds equal to the subclass instance, so the
 * verify run dropped every test). Fixtures: __test__/generate/fixtures/subclasses/ (plain JavaScript):
 * - lru.js: `Lru extends Map`, entries kept in a private Map (the Map it extends stays empty), its own tag;
 *   `recentWords(text, max)` returns one;
 * - tags.js: `TagSet extends Set`; `parseTags(list)` returns one.
 * A real `generate --record` run of the CLI, then the project's vitest on the generated files.
 */
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { repoRoot } from '../helpers';
import { copyFixture, describeBlock, recordFile, runVitest, type VitestReport } from './helpers';

const dist = (file: string) => require(path.join(repoRoot, 'dist', 'generate', file)) as unknown;
const { toCode, subclassContent, copyCode } = dist('value-code.js') as typeof import('../../ts/generate/value-code');

let lru = '';
let tags = '';
let report: VitestReport;

beforeAll(() => {
  const root = copyFixture('subclasses', { nodeModules: true });
  lru = recordFile(root, 'src/lru.js').text;
  tags = recordFile(root, 'src/tags.js').text;
  report = runVitest(root, { generatedOnly: { testTimeout: 5000 } });
}, 300_000);

/** The `it(...)` blocks that assert something (not `it.todo`). */
const kept = (text: string) => (text.match(/^ {2}it\(/gm) ?? []).length;

describe("a built-in's subclass instance, recorded", () => {
  it('is never written as its base class literal, which cannot equal it', () => {
    class Cache extends Map<string, number> {}
    class Tags extends Set<string> {}
    class Stamp extends Date {}
    class Row extends Array<number> {}
    expect(toCode(new Cache([['a', 1]]))).toBeNull();
    expect(toCode(new Tags(['x']))).toBeNull();
    expect(toCode(new Stamp(0))).toBeNull();
    expect(toCode(Row.from([1, 2]))).toBeNull();
    expect(toCode(Buffer.from([1, 2]))).toBeNull();
    // The built-ins themselves keep their literals.
    expect(toCode(new Map([['a', 1]]))).toBe("new Map([['a', 1]])");
    expect(toCode(new Uint8Array([1, 2]))).toBe('new Uint8Array([1, 2])');
    // What a test asserts instead: the base class's copy of it and that copy's literal.
    expect(subclassContent(new Cache([['a', 1]]))).toEqual({ base: 'Map', code: "new Map([['a', 1]])" });
    expect(subclassContent(new Tags(['x']))).toEqual({ base: 'Set', code: "new Set(['x'])" });
    expect(subclassContent(Buffer.from([1, 2]))).toEqual({ base: 'Uint8Array', code: 'new Uint8Array([1, 2])' });
    expect(copyCode('Array', 'result')).toBe('Array.from(result)');
    expect(subclassContent(new Map())).toBeNull();
  });

  it("a Map subclass's instance keeps its tests: its entries are asserted as they iterate", () => {
    expect(kept(lru)).toBeGreaterThan(3);
    expect(lru).not.toMatch(/toMatchObject\(new Map/);
    expect(lru).not.toMatch(/expect\(recentWords\([^\n]*\)\)\.toStrictEqual\(new Map/);
    // What recentWords returns: an Lru (the module's class), holding the words as its iterator yields them.
    const block = describeBlock(lru, 'recentWords');
    expect(block).toMatch(/const result = recentWords\([^\n]*\);\n {4}expect\(result\)\.toBeInstanceOf\(Lru\);\n {4}expect\(new Map\(result\)\)\.toStrictEqual\(new Map\(\[/);
    // A sequence on an Lru is asserted by its size and what iterating it yields.
    expect(describeBlock(lru, 'Lru')).toMatch(/expect\(\[\.\.\.instance\]\)\.toStrictEqual\(\[\[/);
  });

  it("a Set subclass's instance likewise", () => {
    expect(kept(tags)).toBeGreaterThan(2);
    const block = describeBlock(tags, 'parseTags');
    expect(block).toMatch(/const result = parseTags\([^\n]*\);\n {4}expect\(result\)\.toBeInstanceOf\(TagSet\);\n {4}expect\(new Set\(result\)\)\.toStrictEqual\(new Set\(\[/);
  });

  it('the tests written pass in the project', () => {
    expect(report.numFailedTests, report.output).toBe(0);
    expect(report.numPassedTests).toBe(kept(lru) + kept(tags));
  });
});
