/**
 * A TypeScript method declared `private` or `protected` (or `#name`) cannot be called by a test (tsc refuses it):
 * it is not planned, its class's public methods reach it. Real CLI run on a small class.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, runCli } from '../helpers';

describe('private and protected methods', () => {
  it('are left out of the plan, the public ones are planned', () => {
    const root = makeProject({
      'package.json': '{"name":"hidden","private":true,"type":"module"}',
      'src/formatter.ts': [
        'export class Formatter {',
        '  format(n: number): string {',
        '    return this.digits(n) + this.suffix();',
        '  }',
        '  protected digits(n: number): string {',
        '    return n.toFixed(2);',
        '  }',
        '  private suffix(): string {',
        "    return '!';",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const run = runCli(['generate', 'src/formatter.ts', '--format', 'json'], root);
    expect(run.code, run.stderr).toBe(0);
    const planned = (JSON.parse(run.stdout) as { files: Array<{ plan: { functions: Array<{ name: string }>; skipped: Array<{ name: string; reason: string }> } }> }).files[0].plan;
    expect(planned.functions.map((f) => f.name)).toEqual(['Formatter.format']);
    expect(planned.skipped.map((s) => s.name).sort()).toEqual(['Formatter.digits', 'Formatter.suffix']);
    expect(planned.skipped[0].reason).toMatch(/private or protected/);
    expect(fs.existsSync(path.join(root, 'src/formatter.generated.test.ts'))).toBe(false);
  });
});
