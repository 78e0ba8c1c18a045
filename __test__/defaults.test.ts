import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { makeProject, runCli } from './helpers';

// Code a user would write: a few magic numbers, a boolean flag, guard clauses, a chained conditional (noisy rules,
// off in `recommended`), and one function that is really too complex (reported by every preset).
const tangled = [
  'export function route(kind: string, size: number, retry: boolean, user?: { admin: boolean; age: number }) {',
  '  let out = 0;',
  '  for (let i = 0; i < size; i++) {',
  '    if (kind === "a") {',
  '      if (retry) {',
  '        for (const c of kind) {',
  '          if (c === "x" || c === "y") out += 3;',
  '          else if (c === "z" && user) out += user.age > 18 ? 7 : 11;',
  '        }',
  '      } else if (user && user.admin) {',
  '        out += 42;',
  '      }',
  '    } else if (kind === "b" || kind === "c") {',
  '      out -= size > 100 ? 5 : size > 10 ? 3 : 1;',
  '    }',
  '  }',
  '  return out;',
  '}',
  '',
].join('\n');

const simple = [
  'export function timeout(ms: number, strict: boolean): number {',
  '  if (ms < 0) return 0;',
  '  if (strict) return ms;',
  '  if (ms > 60000) return 60000;',
  '  return ms > 1000 ? ms : ms < 10 ? 10 : 1000;',
  '}',
  '',
].join('\n');

function smellIds(stdout: string): string[] {
  const result = JSON.parse(stdout) as { files: Array<{ smells: Array<{ id: string }> }> };
  return [...new Set(result.files.flatMap((f) => f.smells.map((s) => s.id)))].sort();
}

describe('presets', () => {
  it('recommended (the default) leaves the noisy rules out; --preset all and "preset": "all" bring them back', () => {
    const dir = makeProject({ 'src/route.ts': tangled, 'src/timeout.ts': simple });
    const recommended = smellIds(runCli(['analyze', '--format', 'json'], dir).stdout);
    expect(recommended).toContain('high-cognitive-complexity');
    for (const noisy of ['magic-number', 'boolean-parameter', 'too-many-returns', 'nested-ternary']) expect(recommended).not.toContain(noisy);

    const all = smellIds(runCli(['analyze', '--format', 'json', '--preset', 'all'], dir).stdout);
    expect(all).toEqual(expect.arrayContaining(['high-cognitive-complexity', 'magic-number', 'boolean-parameter', 'too-many-returns', 'nested-ternary']));

    fs.writeFileSync(path.join(dir, 'tdd-fast.config.json'), JSON.stringify({ preset: 'all' }));
    expect(smellIds(runCli(['analyze', '--format', 'json'], dir).stdout)).toEqual(all);
    // --preset on the command line wins over the file's, and the file's rules apply on top of the preset.
    fs.writeFileSync(path.join(dir, 'tdd-fast.config.json'), JSON.stringify({ preset: 'all', rules: { 'magic-number': 'off' } }));
    const flagged = smellIds(runCli(['analyze', '--format', 'json', '--preset', 'recommended'], dir).stdout);
    expect(flagged).not.toContain('magic-number');
    expect(flagged).not.toContain('boolean-parameter');
  });

  it('the API without a configuration gets the default preset too', () => {
    const dir = makeProject({ 'src/timeout.ts': simple });
    const script = `require(${JSON.stringify(path.resolve(__dirname, '..', 'dist', 'index.js'))}).analyzeFiles(['src'], { root: ${JSON.stringify(dir)} })
      .then((r) => console.log(JSON.stringify({ files: r.files })))`;
    const run = require('node:child_process').spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(smellIds(run.stdout)).not.toContain('magic-number');
  });

  it('an unknown preset is a usage error (exit 2) that names the key and the presets', () => {
    const dir = makeProject({ 'src/timeout.ts': simple });
    const run = runCli(['analyze', '--preset', 'strict'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/preset/);
    expect(run.stderr).toMatch(/"recommended", "all"/);
  });
});

describe('default output', () => {
  it('is findings first: no function inventory, files without findings left out, hotspots, then the totals', () => {
    const dir = makeProject({ 'src/route.ts': tangled, 'src/other.ts': tangled.replace('route', 'route2'), 'src/timeout.ts': simple });
    const run = runCli(['analyze', '--no-cache'], dir);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^src\/other\.ts\n( {2}1:\d+\s+warning\s+.*\n)*? {2}1:\d+\s+warning\s+route2 has a cognitive complexity of \d+ \(maximum 15\)\s+high-cognitive-complexity$/m);
    // Duplicate blocks are findings too, at their first location.
    expect(out).toMatch(/^ {2}1:\d+\s+warning\s+18 duplicated lines \(\d+ tokens\), also at src\/route\.ts:1-18\s+duplicate-code$/m);
    expect(out).not.toContain('src/timeout.ts'); // nothing to act on there under `recommended`
    expect(out).not.toMatch(/function\s+route\(/); // no inventory line
    expect(out).toMatch(/Files with the most findings\n {2}src\/other\.ts\s+\d+ warnings?\n {2}src\/route\.ts\s+\d+ warnings?/);
    expect(out).toMatch(/Most complex functions with findings\n {2}route2?\s+src\/\w+\.ts:1\s+cognitive \d+, cyclomatic \d+, 18 lines/);
    expect(out).toMatch(/⚠ 3 files, 3 functions: \d+ warnings \(1 duplicate block among the warnings\) in \d+ ms( \(cache 0\/3 hits\))?\n$/);
  });

  it('--functions adds every function with its metrics; --no-functions (the old opt-out) still works', () => {
    const dir = makeProject({ 'src/route.ts': tangled, 'src/timeout.ts': simple });
    const inventory = runCli(['analyze', '--functions'], dir).stdout;
    expect(inventory).toMatch(/src\/timeout\.ts {2}1 function, 6 lines\n {2}1:8\s+function\s+timeout\(ms, strict\)\s+exported/);
    expect(inventory).toMatch(/1:8\s+function\s+route\(kind, size, retry, user\?\)/);
    const plain = runCli(['analyze', '--no-functions'], dir);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toMatch(/function\s+route\(/);
    const untimed = (text: string) => text.replace(/ in \d+ ms.*/, '');
    expect(untimed(plain.stdout)).toBe(untimed(runCli(['analyze'], dir).stdout));
  });

  it('says so when there is nothing to act on', () => {
    const dir = makeProject({ 'src/timeout.ts': simple });
    const run = runCli(['analyze', '--no-cache'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✔ 1 file, 1 function: no findings in \d+ ms( \(cache 0\/1 hits\))?\n$/);
  });
});

describe('a path that does not exist', () => {
  it('is a usage error like ESLint\'s for analyze, generate and watch (exit 2, nothing analysed)', () => {
    const dir = makeProject({ 'src/timeout.ts': simple });
    for (const command of [['analyze'], ['generate', '--dry-run'], ['watch']]) {
      const run = runCli([...command, 'src', 'srcc'], dir);
      expect(run.code, `${command[0]}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toBe('No files matching the pattern "srcc" were found.\n');
      expect(run.stdout).toBe('');
    }
    expect(fs.existsSync(path.join(dir, '.tdd-fast'))).toBe(false); // watch did not even open a session
  });
});

describe('baseline file', () => {
  it('.tdd-fast-baseline.json at the root applies without a flag; --no-baseline reports everything', () => {
    const dir = makeProject({ 'src/route.ts': tangled });
    expect(runCli(['analyze', '--update-baseline'], dir).code).toBe(0);
    const quiet = runCli(['analyze', '--fail-on', 'warning'], dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/^✔ 1 file, 1 function: no findings/);
    expect(quiet.stderr).toMatch(/findings already in the baseline are not reported/);
    const all = runCli(['analyze', '--fail-on', 'warning', '--no-baseline'], dir);
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/high-cognitive-complexity/);
  });
});
