/**
 * A function whose result the search cannot look at (a proxy whose `get` trap throws, as a library's internal
 * drafts and guards do): those calls are no tests, and the function keeps the tests of its other calls (the search
 * used to stop on the first such result, leaving the function with none). Real CLI run on a JavaScript module, then
 * the project's own vitest.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { runCli } from '../helpers';
import { describeBlock, linkNodeModules, runVitest } from './helpers';

const GUARD = [
  'export function sealed(name) {',
  "  if (name.length > 20) throw new RangeError('name is too long');",
  "  if (name === '') return null;",
  '  return new Proxy({ name }, {',
  '    get(target, key) {',
  "      if (typeof key === 'string' && key in target) throw new Error('sealed: ' + key);",
  '      return undefined;',
  '    },',
  '  });',
  '}',
  '',
].join('\n');

describe('a result the search cannot look at', () => {
  it('is no test, and the function keeps the tests of its other calls', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-unreadable-'));
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"unreadable","private":true,"type":"module"}');
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/sealed.js'), GUARD);
    linkNodeModules(root);

    const run = runCli(['generate', 'src/sealed.js', '--record'], root);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const block = describeBlock(fs.readFileSync(path.join(root, 'src/sealed.generated.test.js'), 'utf8'), 'sealed');
    expect(block).toContain("toBe('name is too long')");
    expect(block).toMatch(/expect\(sealed\(''\)\)\.toBe\(null\);/);
    const report = runVitest(root);
    expect(report.numFailedTests, report.output).toBe(0);
  }, 240_000);
});
