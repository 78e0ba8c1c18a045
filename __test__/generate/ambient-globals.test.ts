/**
 * A build-time flag the project declares (`declare const __DEV__: boolean` in a `.d.ts`) and only its bundler defines:
 * record mode defines it before the module loads, the test file does the same before its imports, and the project's
 * own vitest runs the tests. A declared global that is not such a flag (`window`) is never faked. Real CLI runs.
 */
import { describe, expect, it } from 'vitest';

import { makeProject } from '../helpers';
import { recordFile, runVitest } from './helpers';

const FILES: Record<string, string> = {
  'package.json': '{"name":"flags","private":true,"type":"module"}',
  'src/global.d.ts': 'declare const __DEV__: boolean\ndeclare const __BUILD__: string\ndeclare var window: { name: string }\n',
  'src/label.ts': [
    '// Read while the module loads, as a library checks its build mode.',
    "const PREFIX = __DEV__ ? 'dev' : 'prod';",
    '',
    'export function label(n: number): string {',
    "  if (__DEV__ && n < 0) throw new RangeError('n must not be negative');",
    '  return `${PREFIX}:${__BUILD__}:${n}`;',
    '}',
    '',
  ].join('\n'),
};

describe('build-time flags declared in a .d.ts', () => {
  it('are defined in the search and in the test file, whose tests pass under the project\'s own vitest', () => {
    const root = makeProject(FILES);
    const { run, text } = recordFile(root, 'src/label.ts');
    expect(run.stderr).not.toContain('could not be loaded');
    expect(text).toContain("vi.hoisted(() => Object.assign(globalThis, { __DEV__: true, __BUILD__: '' }));");
    expect(text).not.toMatch(/window/);
    expect(text).toContain("'dev::");
    expect(text).toContain('n must not be negative');
    const report = runVitest(root);
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(1);
  }, 180_000);

  it('are left alone when the project config defines them', () => {
    const root = makeProject({ ...FILES, 'vitest.config.mjs': "export default { define: { __DEV__: 'false', __BUILD__: '\"x\"' } };\n" });
    const { text } = recordFile(root, 'src/label.ts');
    expect(text).not.toContain('vi.hoisted');
    expect(text).toContain("'prod:x:");
  }, 180_000);
});
