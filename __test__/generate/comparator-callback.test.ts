/**
 * The search's comparator callback, `(a, b) => (a < b ? -1 : a > b ? 1 : 0)`, is passed only where tsc takes `a < b`:
 * a function type whose first two parameters are of one type. A callback typed `(row: Row, hint: string | undefined)
 * => number` gets another callback, so the cases that pass it type-check and are kept (they were dropped to TODOs
 * with "Operator '<' cannot be applied to types 'Row' and 'string'"). Real CLI run and the project's own vitest.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { runCli } from '../helpers';
import { linkNodeModules, runVitest } from './helpers';

const LAYOUT = [
  'export interface Row {',
  '  id: number;',
  '}',
  '',
  'export function total(rows: Row[], measure: (row: Row, hint: string | undefined) => number): number {',
  '  let sum = 0;',
  '  for (const row of rows) {',
  '    const size = measure(row, undefined);',
  '    if (size > 10) sum += size;',
  '    else sum += 1;',
  '  }',
  '  return sum;',
  '}',
  '',
  'export function sorted(values: string[], compare: (a: string, b: string) => number): string[] {',
  '  return [...values].sort(compare);',
  '}',
  '',
].join('\n');

describe('the comparator callback', () => {
  it('is passed only where both compared parameters are of one type, so the cases type-check and are kept', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-comparator-'));
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"comparator","private":true,"type":"module"}');
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/layout.ts'), LAYOUT);
    linkNodeModules(root);

    const run = runCli(['generate', 'src/layout.ts', '--record'], root);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const text = fs.readFileSync(path.join(root, 'src/layout.generated.test.ts'), 'utf8');
    expect(text).not.toContain('TS2365');
    const total = text.slice(text.indexOf("describe('total'"), text.indexOf("describe('sorted'"));
    expect(total).not.toContain('it.todo');
    expect(total).not.toContain('a < b');
    // Where the type is a comparator's, the comparator is still passed.
    expect(text.slice(text.indexOf("describe('sorted'"))).toContain('(a, b) => (a < b ? -1 : a > b ? 1 : 0)');
    const report = runVitest(root);
    expect(report.numFailedTests, report.output).toBe(0);
  }, 240_000);
});
