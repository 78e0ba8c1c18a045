/**
 * A barrel module (only `export { x } from './x'` lines) exports the functions of other files: `generate --record` on
 * it records tests for them, imported from the barrel as a user would, with the facts of the files they are written
 * in. A module that truly exports no function still says "no exported functions". Real CLI runs, real vitest.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, runCli } from '../helpers';
import { linkNodeModules, recordFile, runVitest } from './helpers';

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
    linkNodeModules(root);
    const { run, text } = recordFile(root, 'src/index.ts');
    expect(run.stderr).not.toContain('no exported functions');
    expect(run.stdout).toMatch(/src\/index\.generated\.test\.ts: \d+ tests for 2 functions/);
    expect(text).toMatch(/^import \{ clamp, shout \} from '\.\/index';$/m);
    expect(text).not.toMatch(/from '\.\/(math|text)'/);
    // The declared types of the other files reached the search: numbers for clamp, strings for shout, recorded.
    expect(text).toMatch(/expect\(clamp\(-?[\d.]+, -?[\d.]+, -?[\d.]+\)\)\.toBe\(-?[\d.]+\);/);
    expect(text).toMatch(/expect\(shout\('[^']*'\)\)\.toBe\('[^']*'\);/);
    expect(text).toContain('(silence)');
    const vitest = runVitest(root, { filters: ['src/index.generated.test.ts'] });
    expect(vitest.success, vitest.output).toBe(true);
  }, 240_000);

  it('a module that exports no function still says so, and writes no test', () => {
    const root = makeProject(FILES);
    linkNodeModules(root);
    const run = runCli(['generate', 'src/constants.ts', '--record'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('src/constants.ts: no exported functions');
    expect(fs.existsSync(path.join(root, 'src/constants.generated.test.ts'))).toBe(false);
  }, 240_000);

  it('without --record, a barrel is planned through what it re-exports: the other files\' facts, imported from the barrel', () => {
    const root = makeProject(FILES);
    const run = runCli(['generate', 'src/index.ts', 'src/constants.ts'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('src/index.ts: no exported functions');
    expect(run.stdout).toMatch(/src\/index\.generated\.test\.ts: \d+ tests for 2 functions/);
    expect(run.stderr).toContain('src/constants.ts: no exported functions');
    const text = fs.readFileSync(path.join(root, 'src/index.generated.test.ts'), 'utf8');
    expect(text).toMatch(/^import \{ clamp, shout \} from '\.\/index';$/m);
    // the parameter types of the files the functions are written in: numbers for clamp, strings for shout
    expect(text).toMatch(/clamp\(-?[\d.]+, -?[\d.]+, -?[\d.]+\)/);
    expect(text).toMatch(/shout\('[^']*'\)/);
  });
});

/** A CommonJS barrel in the shapes packages ship: a map of `require` calls, `exports.x = require`, a spread. */
const CJS: Record<string, string> = {
  'package.json': '{"name":"cjs-barrel","private":true}',
  'index.js': [
    "var Stack = require('./stack.js');",
    'module.exports = {',
    "  clamp: require('./clamp.js'),",
    '  Stack: Stack,',
    "  ...require('./words.js'),",
    '};',
    "exports.ignored = require('node:path');",
    '',
  ].join('\n'),
  'clamp.js': [
    '/** @param {number} value @param {number} low @param {number} high */',
    'module.exports = function clamp(value, low, high) {',
    "  if (low > high) throw new RangeError('low must not exceed high');",
    '  return Math.min(high, Math.max(low, value));',
    '};',
    '',
  ].join('\n'),
  'stack.js': [
    'function Stack() { this.items = []; }',
    'Stack.prototype.push = function (item) { this.items.push(item); return this.items.length; };',
    "Stack.prototype.pop = function () { if (this.items.length === 0) throw new Error('empty stack'); return this.items.pop(); };",
    'module.exports = Stack;',
    '',
  ].join('\n'),
  'words.js': ['/** @param {string} words */', "exports.shout = function shout(words) { return words.length === 0 ? '(silence)' : words.toUpperCase() + '!'; };", ''].join('\n'),
};

describe('generate on a CommonJS barrel (`module.exports = { a: require(...) }`)', () => {
  it('--record records the required files\' functions and classes through the barrel, and they pass under vitest', () => {
    const root = makeProject(CJS);
    linkNodeModules(root);
    const { run, text } = recordFile(root, 'index.js');
    expect(run.stderr).not.toContain('no exported functions');
    expect(text).not.toMatch(/from '\.\/(clamp|stack|words)\.js'/);
    // clamp with numbers (its JSDoc, in its own file), the Stack class by its methods, shout from the spread
    expect(text).toMatch(/clamp\(-?[\d.]+, -?[\d.]+, -?[\d.]+\)\)\.toBe\(-?[\d.]+\)/);
    expect(text).toMatch(/new [\w.]*Stack\(\)/);
    expect(text).toContain('empty stack');
    expect(text).toContain('(silence)');
    const vitest = runVitest(root, { filters: ['index.generated.test.js'] });
    expect(vitest.success, vitest.output).toBe(true);
    expect(vitest.numPassedTests).toBeGreaterThan(0);
  }, 240_000);

  it('without --record, the barrel is planned through the required files, their functions reached through it', () => {
    const root = makeProject(CJS);
    const run = runCli(['generate', 'index.js'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('index.js: no exported functions');
    const text = fs.readFileSync(path.join(root, 'index.generated.test.js'), 'utf8');
    expect(text).not.toMatch(/\.\/(clamp|stack|words)\.js/);
    // each function's JSDoc, in its own file: numbers for clamp, strings for shout
    expect(text).toMatch(/\.clamp\(-?[\d.]+, -?[\d.]+, -?[\d.]+\)/);
    expect(text).toMatch(/\.shout\('[^']*'\)/);
  });
});
