/**
 * A module whose functions only the run-time walk finds (exports assigned in a loop, as barrels and generated APIs
 * do): when a call of one of them does not return, the search process is stopped, and the next round runs the module
 * again without that call; the targets that finished are not searched again and the ones after it still get their
 * tests (before, the rest of the module's discoveries were dropped). A real CLI run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, runCli } from '../helpers';

const FILES: Record<string, string> = {
  'package.json': '{"name":"looped","private":true}',
  'api.js': [
    'var impl = {',
    '  spin: function (n) {',
    '    if (n === 3) { for (;;) {} }',
    '    return n;',
    '  },',
    '  half: function (n) {',
    "    if (n < 0) throw new RangeError('n must not be negative');",
    '    return n / 2;',
    '  },',
    '};',
    "['spin', 'half'].forEach(function (name) { exports[name] = impl[name]; });",
    '',
  ].join('\n'),
};

describe('a target found at run time whose call does not return', () => {
  it('costs only that call: the module runs again and the targets after it get tests', () => {
    const root = makeProject(FILES);
    const run = runCli(['generate', 'api.js', '--record'], root);
    expect(run.code, run.stderr).toBe(0);
    const text = fs.readFileSync(path.join(root, 'api.generated.test.js'), 'utf8');
    // spin, walked first, hangs on 3; half, found after it, is still searched and recorded
    expect(text).toMatch(/describe\('half'[\s\S]*?\n\s+it\(/);
    expect(text).toContain('n must not be negative');
  }, 240_000);
});
