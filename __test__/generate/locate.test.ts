/**
 * V8's function location, as the search ties a runtime function to the core's facts (ts/generate/search-locate.ts):
 * real functions loaded by Node, one run inside the wrapper vitest's module evaluator puts on a module's first line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { describe, expect, it } from 'vitest';

import { repoRoot } from '../helpers';

const { FunctionLocator, factAt } = require(path.join(repoRoot, 'dist', 'generate', 'search-locate.js')) as typeof import('../../ts/generate/search-locate');

describe('FunctionLocator', () => {
  it("finds a function's file, line and parameter list, and the facts of the function that starts there", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-locate-'));
    const file = path.join(dir, 'mod.cjs');
    fs.writeFileSync(file, ['exports.first = function (x) {', '  return x;', '};', 'exports.second = (y) => [y].map((z) => z);', ''].join('\n'));
    const mod = require(file) as { first: unknown; second: unknown };
    const locator = new FunctionLocator();
    try {
      const first = locator.locate(mod.first);
      expect(first).toEqual({ file, line: 1, column: 26 });
      const second = locator.locate(mod.second);
      expect(second).toEqual({ file, line: 4, column: 18 });
      // The core reports a function at its start (1-based): the innermost one starting at or before V8's column.
      const facts = [
        { line: 1, column: 17, endLine: 3, name: 'first' },
        { line: 4, column: 18, endLine: 4, name: 'second' },
        { line: 4, column: 33, endLine: 4, name: 'inner' },
      ];
      expect(factAt(facts, first)?.name).toBe('first');
      expect(factAt(facts, second)?.name).toBe('second');
      expect(factAt(facts, { file, line: 2, column: 1 })).toBeNull();
      expect(locator.locate(Math.max)).toBeNull();
    } finally {
      locator.close();
    }
  });

  it("does not count the wrapper vitest's module evaluator puts before the code on its first line", () => {
    const filename = path.join(os.tmpdir(), 'tdd-fast-wrapped.js');
    const run = vm.runInThisContext("'use strict';async (exports)=>{{function add(a, b) { return a + b; }\nexports.add = add;}}", { filename }) as (e: object) => Promise<void>;
    const exports: { add?: unknown } = {};
    void run(exports);
    const locator = new FunctionLocator();
    try {
      expect(locator.locate(exports.add)).toEqual({ file: filename, line: 1, column: 13 });
    } finally {
      locator.close();
    }
  });
});
