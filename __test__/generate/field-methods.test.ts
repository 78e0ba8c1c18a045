/**
 * Methods written as class fields (`add = (n: number) => ...`): each instance holds them and no prototype does, as in
 * classes that bind their methods that way (a virtualizer, an immutable-update engine). They are called in the class's
 * sequences like prototype methods; a `private` one is not planned (a test cannot call it). Real CLI run, then the
 * project's own vitest on the generated file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { runCli } from '../helpers';
import { linkNodeModules, runVitest } from './helpers';

const COUNTER = [
  'export class Counter {',
  '  private count = 0;',
  '  private step = (): number => 1;',
  '  add = (n: number): number => {',
  "    if (n < 0) throw new RangeError('a count only grows');",
  '    this.count += n * this.step();',
  '    return this.count;',
  '  };',
  '  reset = (): void => {',
  '    this.count = 0;',
  '  };',
  '  total(): number {',
  '    return this.count;',
  '  }',
  '}',
  '',
].join('\n');

describe('methods that are class fields', () => {
  it('are called in sequences beside the prototype methods; a private one is left out', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-field-methods-'));
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"field-methods","private":true,"type":"module"}');
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/counter.ts'), COUNTER);
    linkNodeModules(root);

    const plan = runCli(['generate', 'src/counter.ts', '--format', 'json'], root);
    expect(plan.code, plan.stderr).toBe(0);
    const skipped = (JSON.parse(plan.stdout) as { files: Array<{ plan: { skipped: Array<{ name: string; reason: string }> } }> }).files[0].plan.skipped;
    expect(skipped.find((s) => s.name === 'Counter.step')?.reason).toMatch(/private or protected/);

    const run = runCli(['generate', 'src/counter.ts', '--record'], root);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const text = fs.readFileSync(path.join(root, 'src/counter.generated.test.ts'), 'utf8');
    // The field methods run on an instance: the guard of `add` is reached, and `reset` is called.
    expect(text).toMatch(/thrown\(\(\) => instance\.add\(-[\d.]+\)\)/);
    expect(text).toContain("toBe('a count only grows')");
    expect(text).toMatch(/instance\.reset\(\)/);
    expect(text).not.toMatch(/instance\.step\(/);
    const report = runVitest(root);
    expect(report.numFailedTests, report.output).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(0);
  }, 240_000);
});
