import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { makeProject, repoRoot, runCli } from './helpers';

// The built package, as users load it.
const { analyzeSource } = createRequire(__filename)(repoRoot) as typeof import('../ts/index');

interface Smell {
  id: string;
  line: number;
  severity: string;
  function: string | null;
  value: number;
  threshold: number;
}
interface EdgeCase {
  id: string;
  line: number;
  confidence: number;
  subject: string;
  values: string[];
}
interface Fn {
  name: string;
  metrics: Record<string, number>;
  patterns: EdgeCase[];
}
interface File {
  path: string;
  functions: Fn[];
  smells: Smell[];
  classes: { name: string; members: number }[];
}
interface Result {
  files: File[];
  duplicates: { lines: number; tokens: number; locations: { path: string; line: number; endLine: number }[] }[];
}

const block = [
  'export function total(items: { price: number; qty: number }[]): number {',
  '  let sum = 0;',
  '  for (const item of items) {',
  '    if (item.price > 0 && item.qty > 0) {',
  '      sum += item.price * item.qty;',
  '    } else if (item.price < 0) {',
  '      throw new RangeError("negative price");',
  '    }',
  '  }',
  '  const average = sum / items.length;',
  '  return Math.round(average * 100) / 100 + sum;',
  '}',
  '',
].join('\n');

const project = {
  'src/cart.ts': block,
  'src/copy.ts': `// the same block, renamed\n${block.replace(/sum/g, 'acc').replace('total', 'sumAll')}`,
  'src/smelly.ts': [
    'export function configure(name: string, verbose: boolean, a: number, b: number, c: number) {',
    '  try {',
    '    return JSON.parse(name);',
    '  } catch (e) {}',
    '  const label = a > 10 ? "big" : a > 5 ? "medium" : "small";',
    '  return label + verbose + b * 42 + c;',
    '}',
    '',
  ].join('\n'),
};

function analyze(dir: string, args: string[] = []) {
  const run = runCli(['analyze', '--format', 'json', '--no-cache', ...args], dir);
  return { ...run, result: run.code === 2 ? undefined : (JSON.parse(run.stdout) as Result) };
}

describe('the analysis engine end to end (built CLI)', () => {
  it('fills metrics, smells, patterns and duplicates (every rule: --preset all)', () => {
    const dir = makeProject(project);
    const { result, code } = analyze(dir, ['--preset', 'all']);
    expect(code).toBe(0);
    const byPath = Object.fromEntries(result!.files.map((f) => [f.path, f]));

    const total = byPath['src/cart.ts'].functions[0];
    // cyclomatic: 1 + for + if + && + else-if; cognitive: for +1, if +2 (nested), && +1, else-if +1
    expect(total.metrics).toMatchObject({ cyclomatic: 5, cognitive: 5, maxDepth: 2, params: 1, lines: 12 });
    const ids = new Set(total.patterns.map((p) => p.id));
    for (const id of ['numeric-boundary', 'zero-divisor', 'throw', 'loop-iterations']) {
      expect(ids, id).toContain(id);
    }
    const divisor = total.patterns.find((p) => p.id === 'zero-divisor')!;
    expect(divisor).toMatchObject({ line: 10, subject: 'items.length', confidence: 0.9 });

    const smelly = byPath['src/smelly.ts'];
    const smellIds = smelly.smells.map((s) => s.id);
    expect(smellIds).toEqual(
      expect.arrayContaining(['long-parameter-list', 'empty-catch', 'nested-ternary', 'boolean-parameter', 'magic-number']),
    );
    expect(smelly.smells.find((s) => s.id === 'long-parameter-list')).toMatchObject({
      value: 5,
      threshold: 4,
      severity: 'warning',
      function: 'configure',
    });
    const parse = smelly.functions[0].patterns.find((p) => p.id === 'parse-input')!;
    expect(parse.subject).toBe('name');
    expect(parse.values).toContain('""');

    expect(result!.duplicates).toHaveLength(1);
    const dup = result!.duplicates[0];
    expect(dup.tokens).toBeGreaterThanOrEqual(50);
    expect(dup.locations.map((l) => [l.path, l.line, l.endLine])).toEqual([
      ['src/cart.ts', 1, 12],
      ['src/copy.ts', 2, 13],
    ]);
  });

  it('applies tdd-fast.config.json, package.json "tdd-fast" and CLI flags, and --max-warnings gates', () => {
    const dir = makeProject({
      ...project,
      'tdd-fast.config.json': JSON.stringify({
        rules: { 'empty-catch': 'error', 'magic-number': 'off', 'long-parameter-list': { threshold: 6 } },
        exclude: ['src/copy.ts'],
        duplicates: { minTokens: 20 },
      }),
    });
    const { result, code } = analyze(dir);
    expect(code).toBe(1); // an error-severity smell
    expect(result!.files.map((f) => f.path)).not.toContain('src/copy.ts');
    const smells = result!.files.flatMap((f) => f.smells);
    expect(smells.find((s) => s.id === 'empty-catch')?.severity).toBe('error');
    expect(smells.some((s) => s.id === 'magic-number' || s.id === 'long-parameter-list')).toBe(false);

    const flagged = analyze(dir, ['--rule', 'empty-catch=off', '--threshold', 'long-parameter-list=3']);
    expect(flagged.code).toBe(0);
    const flaggedSmells = flagged.result!.files.flatMap((f) => f.smells);
    expect(flaggedSmells.some((s) => s.id === 'empty-catch')).toBe(false);
    expect(flaggedSmells.find((s) => s.id === 'long-parameter-list')?.threshold).toBe(3);

    const gated = runCli(['analyze', '--no-cache', '--rule', 'empty-catch=warning', '--max-warnings', '0'], dir);
    expect(gated.code).toBe(1);

    const pkgDir = makeProject({
      ...project,
      'package.json': JSON.stringify({ name: 'x', 'tdd-fast': { rules: { 'nested-ternary': 'off' }, patterns: false } }),
    });
    const fromPkg = analyze(path.join(pkgDir, 'src'));
    const files = fromPkg.result!.files;
    expect(files.flatMap((f) => f.smells).some((s) => s.id === 'nested-ternary')).toBe(false);
    expect(files.flatMap((f) => f.functions).every((f) => f.patterns.length === 0)).toBe(true);
  });

  it('rejects invalid configuration with exit code 2 and a message naming the key', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ rulez: {} }, '"rulez"'],
      [{ rules: { 'long-function': { threshold: 'many' } } }, 'rules.long-function.threshold'],
      [{ rules: { 'no-such-rule': 'off' } }, 'rules.no-such-rule'],
      [{ duplicates: { minToken: 3 } }, 'duplicates.minToken'],
    ];
    for (const [config, key] of cases) {
      const dir = makeProject({ ...project, 'tdd-fast.config.json': JSON.stringify(config) });
      const run = runCli(['analyze', '--no-cache'], dir);
      expect(run.code, key).toBe(2);
      expect(run.stderr).toContain(key);
      expect(run.stderr).toContain('tdd-fast.config.json');
    }
    const dir = makeProject(project);
    const bad = runCli(['analyze', '--no-cache', '--rule', 'long-function=loud'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('rules.long-function');
  });

  it('stylish output lists smells per file and a summary', () => {
    const dir = makeProject(project);
    const run = runCli(['analyze', '--no-cache', '--no-functions'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('src/smelly.ts');
    expect(run.stdout).toMatch(/empty catch block/);
    expect(run.stdout).toMatch(/3 files, \d+ functions: \d+ warnings \(1 duplicate block among the warnings\)/);
  });

  it('analyzeSource takes the same configuration and rejects a bad one naming the key', () => {
    const code = 'export function f(a, b, c) { try { return a / b; } catch (e) {} }\n';
    const plain = analyzeSource(code, 'f.ts');
    expect(plain.smells.map((s) => s.id)).toContain('empty-catch');
    expect(plain.functions[0].patterns.some((p) => p.id === 'zero-divisor' && p.subject === 'b')).toBe(true);
    const quiet = analyzeSource(code, 'f.ts', { config: { rules: { 'empty-catch': 'off' }, patterns: false } });
    expect(quiet.smells.map((s) => s.id)).not.toContain('empty-catch');
    expect(quiet.functions[0].patterns).toEqual([]);
    expect(() => analyzeSource(code, 'f.ts', { config: { rules: { 'empty-catch': { max: 1 } } } })).toThrow(
      /rules\.empty-catch\.max/,
    );
  });

  it('docs/rules.md is generated from the rules and up to date', () => {
    const check = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'gen-rules-doc.js'), '--check'], {
      encoding: 'utf8',
    });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'rules.md'), 'utf8');
    for (const id of ['long-function', 'duplicate-string-literal', 'null-check', 'domain']) {
      expect(doc).toContain(`## ${id}`);
    }
  });
});
