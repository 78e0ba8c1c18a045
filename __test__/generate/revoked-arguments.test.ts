/**
 * A callback the code calls with a value that cannot be read afterwards (a revoked proxy: a draft handed to a recipe
 * and revoked when the call ends, as immutable-update libraries do): the test's spy assertion on that argument is
 * left out, and the function still gets its tests (the search used to stop on the first such call, leaving the
 * function with none). Real CLI run on a JavaScript module, then the project's own vitest.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { runCli } from '../helpers';
import { describeBlock, linkNodeModules, runVitest } from './helpers';

const DRAFT = [
  'export function withDraft(base, recipe) {',
  "  if (base === null || typeof base !== 'object') throw new TypeError('base must be an object');",
  '  const { proxy, revoke } = Proxy.revocable({ ...base }, {});',
  '  const out = recipe(proxy);',
  '  const copy = { ...proxy };',
  '  revoke();',
  '  return out === proxy || out === undefined ? copy : out;',
  '}',
  '',
].join('\n');

describe('a callback called with a value revoked after the call', () => {
  it('leaves the function with its tests', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-revoked-'));
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"revoked","private":true,"type":"module"}');
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/draft.js'), DRAFT);
    linkNodeModules(root);

    const run = runCli(['generate', 'src/draft.js', '--record'], root);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const block = describeBlock(fs.readFileSync(path.join(root, 'src/draft.generated.test.js'), 'utf8'), 'withDraft');
    expect(block).toMatch(/expect\(withDraft\(\{[^\n]*, callback\)\)\.toStrictEqual\(/);
    expect(block).toMatch(/vi\.fn\(\(value\) => value\);\n    expect\(withDraft\(\{ a: 1 \}, callback\)\)\.toStrictEqual\(\{ a: 1 \}\);/);
    const report = runVitest(root);
    expect(report.numFailedTests, report.output).toBe(0);
  }, 240_000);
});
