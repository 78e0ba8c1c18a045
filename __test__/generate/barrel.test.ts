/**
 * A barrel module (only `export { x } from './x'` lines) exports the functions of other files: `generate --record` on
 * it records tests for them, imported from the barrel as a user would, with the facts of the files they are written
 * in. A module that truly exports no function still says "no exported functions". Real CLI runs, real vitest.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, repoRoot, runCli } from '../helpers';

const vitestBin = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');

const FILES: Record<string, string> = {
  'package.json': '{"name":"barrel","private":true,"type":"module"}',
  'tsconfig.json': '{"compilerOptions":{"strict":true,"module":"ESNext","moduleResolution":"Bundler","target":"ES2022","noEmit":true}}',
  'src/index.ts': ["export { clamp } from './math';", "export { shout } from './text';", "export { LIMIT } from './constants';", ''].join('\n'),
  'src/math.ts': [
    'export function clamp(value: number, low: number, high: number): number {',
    "  if (low > high) throw new RangeError('low must not exceed high');",
    '  return Math.min(high, Math.max(low, value));',
    '}',
    '',
  ].join('\n'),
  'src/text.ts': ['export function shout(words: string): string {', "  return words.length === 0 ? '(silence)' : `${words.toUpperCase()}!`;", '}', ''].join('\n'),
  'src/constants.ts': ['export const LIMIT = 10;', ''].join('\n'),
};

describe('generate --record on a barrel', () => {
  it('records tests for the re-exported functions, imported from the barrel, and they pass under vitest', () => {
    const root = makeProject(FILES);
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    const run = runCli(['generate', 'src/index.ts', '--record'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('no exported functions');
    expect(run.stdout).toMatch(/src\/index\.generated\.test\.ts: \d+ tests for 2 functions/);
    const text = fs.readFileSync(path.join(root, 'src/index.generated.test.ts'), 'utf8');
    expect(text).toMatch(/^import \{ clamp, shout \} from '\.\/index';$/m);
    expect(text).not.toMatch(/from '\.\/(math|text)'/);
    // The declared types of the other files reached the search: numbers for clamp, strings for shout, recorded.
    expect(text).toMatch(/expect\(clamp\(-?[\d.]+, -?[\d.]+, -?[\d.]+\)\)\.toBe\(-?[\d.]+\);/);
    expect(text).toMatch(/expect\(shout\('[^']*'\)\)\.toBe\('[^']*'\);/);
    expect(text).toContain('(silence)');
    const vitest = spawnSync(process.execPath, [vitestBin, 'run', 'src/index.generated.test.ts'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(vitest.status, vitest.stdout + vitest.stderr).toBe(0);
  }, 240_000);

  it('a module that exports no function still says so, and writes no test', () => {
    const root = makeProject(FILES);
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    const run = runCli(['generate', 'src/constants.ts', '--record'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('src/constants.ts: no exported functions');
    expect(fs.existsSync(path.join(root, 'src/constants.generated.test.ts'))).toBe(false);
  }, 240_000);

  it('without --record, a barrel says it only re-exports (not that it exports nothing)', () => {
    const root = makeProject(FILES);
    const run = runCli(['generate', 'src/index.ts', 'src/constants.ts'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('src/index.ts: only re-exports functions of other files (--record tests them through this module)');
    expect(run.stderr).not.toContain('src/index.ts: no exported functions');
    expect(run.stderr).toContain('src/constants.ts: no exported functions');
  });
});
