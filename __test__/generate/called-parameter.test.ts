/**
 * A parameter nothing declares that the code calls (`recipe(draft)`): the core knows it is a function, not what it
 * is called with, so the search passes callbacks of any arity, and the branch taken when the callback gives back
 * what it was given (`out === draft`) is reached and recorded. Real CLI run on a JavaScript module, then the
 * project's own vitest.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { runCli } from '../helpers';
import { linkNodeModules, runVitest } from './helpers';

const UPDATE = [
  'export function update(base, recipe) {',
  "  if (base === null || typeof base !== 'object') return recipe(base);",
  '  const draft = { ...base };',
  '  const out = recipe(draft);',
  '  if (out === undefined) return draft;',
  '  if (out === draft) return { same: true, ...draft };',
  '  return out;',
  '}',
  '',
].join('\n');

describe('a parameter the code calls, of no declared type', () => {
  it('gets callbacks that take arguments, so the branch on what the callback gave back is reached', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-called-'));
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"called","private":true,"type":"module"}');
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/update.js'), UPDATE);
    linkNodeModules(root);

    const run = runCli(['generate', 'src/update.js', '--record'], root);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const text = fs.readFileSync(path.join(root, 'src/update.generated.test.js'), 'utf8');
    expect(text).toMatch(/\)\)\.toStrictEqual\(\{ same: true, [^\n]*\}\);/);
    const report = runVitest(root);
    expect(report.numFailedTests, report.output).toBe(0);
  }, 240_000);
});
