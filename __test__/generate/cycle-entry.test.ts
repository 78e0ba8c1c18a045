/**
 * A module in an import cycle that loads only when the cycle is entered at the package's entry (a barrel that orders
 * the modules, as mobx's `internal.ts`): record mode imports the entry first, in the search and in the test file, and
 * the project's own vitest runs the tests. A module in no cycle is imported alone. Real CLI runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, runCli } from '../helpers';
import { runVitest } from './helpers';

const FILES: Record<string, string> = {
  'package.json': '{"name":"cyc","private":true,"type":"module"}',
  'src/index.js': "export * from './internal.js';\n",
  // The barrel: utils first, then what uses utils while it loads.
  'src/internal.js': "export * from './utils.js';\nexport * from './registry.js';\n",
  'src/utils.js': [
    "import { registry } from './internal.js';",
    '',
    'export const assign = (target, source) => Object.assign(target, source);',
    '',
    'export function describeKey(key) {',
    "  if (typeof key !== 'string') throw new TypeError('key must be a string');",
    "  return key in registry ? `known ${key}` : `unknown ${key}`;",
    '}',
    '',
  ].join('\n'),
  'src/registry.js': "import { assign } from './internal.js';\n\nexport const registry = assign({}, { a: 1 });\n",
  'src/plain.js': 'export function twice(n) {\n  return n * 2;\n}\n',
};

describe('a module in an import cycle', () => {
  it("is loaded after the package's entry, in the search and in the test, and its tests pass under vitest", () => {
    const root = makeProject(FILES);
    const run = runCli(['generate', 'src/utils.js', 'src/plain.js', '--record'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('could not be loaded');
    const text = fs.readFileSync(path.join(root, 'src/utils.generated.test.js'), 'utf8');
    const lines = text.split('\n');
    expect(lines.indexOf("import './index.js';")).toBeGreaterThan(-1);
    expect(lines.indexOf("import './index.js';")).toBeLessThan(lines.findIndex((l) => l.includes("from './utils.js'")));
    expect(text).toContain("'known a'");
    expect(fs.readFileSync(path.join(root, 'src/plain.generated.test.js'), 'utf8')).not.toContain('index.js');
    const report = runVitest(root);
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(1);
  }, 180_000);
});
