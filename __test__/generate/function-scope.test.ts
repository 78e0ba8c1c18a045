/**
 * `generate --function NAME` generates that function's tests only, in record mode too, where the loaded module's walk
 * finds functions the static plan does not know (search-scope.ts). Real CLI runs on a small fixture.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, runCli } from '../helpers';

const FILES: Record<string, string> = {
  'package.json': '{"name":"scope","private":true,"type":"module"}',
  'src/tools.js': [
    'function make(prefix) {',
    '  return { shout: (s) => prefix + String(s).toUpperCase(), whisper: (s) => String(s).toLowerCase() };',
    '}',
    "export const api = make('!');",
    '',
    'export function add(a, b) {',
    "  if (typeof a !== 'number') throw new TypeError('a must be a number');",
    '  return a + b;',
    '}',
    '',
    'export function sub(a, b) {',
    '  return a - b;',
    '}',
    '',
  ].join('\n'),
};

/** Names of the describe blocks of a generated file. */
function described(text: string): string[] {
  return [...text.matchAll(/^describe\('([^']+)'/gm)].map((m) => m[1]);
}

describe('--function NAME', () => {
  it('records only the named function, not the rest of the file the run-time walk finds', () => {
    const root = makeProject(FILES);
    const run = runCli(['generate', 'src/tools.js', '--record', '--function', 'add'], root);
    expect(run.code, run.stderr).toBe(0);
    const text = fs.readFileSync(path.join(root, 'src/tools.generated.test.js'), 'utf8');
    expect(described(text)).toEqual(['add']);
    expect(text).toMatch(/^\s+it\(/m);
    expect(run.stdout).toContain('for 1 functions');
  }, 120_000);

  it('records a function only the run-time walk finds (a factory-built API object), alone', () => {
    const root = makeProject(FILES);
    const run = runCli(['generate', 'src/tools.js', '--record', '--function', 'shout'], root);
    expect(run.code, run.stderr).toBe(0);
    const text = fs.readFileSync(path.join(root, 'src/tools.generated.test.js'), 'utf8');
    expect(described(text)).toHaveLength(1);
    expect(described(text)[0]).toMatch(/^(api\.)?shout$/);
    expect(text).not.toMatch(/whisper|\badd\(|\bsub\(/);
  }, 120_000);

  it('says when no file has a function of that name (exit 2), and the help says what the option does', () => {
    const root = makeProject(FILES);
    const run = runCli(['generate', 'src', '--function', 'nope'], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no function named 'nope'");
    expect(run.stderr).not.toContain('no exported functions');
    expect(fs.existsSync(path.join(root, 'src/tools.generated.test.js'))).toBe(false);
    const help = runCli(['generate', '--help'], root);
    expect(help.stdout).toMatch(/--function <name>\s+only this function \(name or Class\.method\): its tests/);
  }, 120_000);
});
