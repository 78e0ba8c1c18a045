import { createRequire } from 'node:module';

import { describe, expect, it } from 'vitest';

import { makeProject, repoRoot, runCli } from './helpers';

// The built package, as users load it.
const { analyzeSource } = createRequire(__filename)(repoRoot) as typeof import('../ts/index');

// Line 2 holds a non-ASCII string before the number: columns are UTF-16 code units, like ESLint's.
const code = [
  'export function price(total: number, label = "é😀") {', //                      line 1
  '  const shown = "é😀 " + label; if (total > 100) return total * 0.9;', //      line 2
  '  return total;',
  '}',
  '',
].join('\n');

describe('smell positions', () => {
  it('a magic number points at the number, a function smell at the function head', () => {
    const report = analyzeSource(code, 'price.ts', {
      config: { preset: 'all', rules: { 'too-many-returns': 1, 'magic-number': 'warning' } },
    });
    const magic = report.smells.filter((s) => s.id === 'magic-number');
    const line2 = code.split('\n')[1]!;
    // 0-based UTF-16 index + 1 = ESLint's column; "😀" is two UTF-16 units.
    expect(magic.map((s) => [s.value, s.line, s.column, s.endColumn])).toEqual([
      [100, 2, line2.indexOf('100') + 1, line2.indexOf('100') + 4],
      [0.9, 2, line2.indexOf('0.9') + 1, line2.indexOf('0.9') + 4],
    ]);
    const returns = report.smells.find((s) => s.id === 'too-many-returns')!;
    expect([returns.line, returns.column, returns.endLine, returns.endColumn]).toEqual([1, 8, 4, 2]);
  });

  it('SARIF regions, GitHub annotations, stylish and JUnit use the column', () => {
    const dir = makeProject({ 'src/a.ts': 'export function f(a: number) {\n  return a * 1234;\n}\n' });
    const args = ['analyze', 'src', '--no-cache', '--fail-on', 'never', '--rule', 'magic-number=warning'];
    const sarif = JSON.parse(runCli([...args, '--format', 'sarif'], dir).stdout);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'magic-number');
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 2, endLine: 2, startColumn: 14, endColumn: 18 });
    const github = runCli([...args, '--format', 'github'], dir).stdout;
    expect(github).toContain('::warning file=src/a.ts,line=2,endLine=2,col=14,endColumn=18,title=tdd-fast(magic-number)::');
    const stylish = runCli([...args, '--format', 'stylish'], dir).stdout;
    expect(stylish).toMatch(/^ {2}2:14 +warning +magic number 1234/m);
    const junit = runCli([...args, '--format', 'junit'], dir).stdout;
    expect(junit).toContain('magic-number at src/a.ts:2:14');
  });
});

describe('parse-error and duplicate-code severities', () => {
  const broken = { 'src/bad.ts': 'export function (\n', 'src/ok.ts': 'export const x = 1;\n' };

  it('parse-error is an error by default and configurable with --rule', () => {
    const dir = makeProject(broken);
    const plain = runCli(['analyze', 'src', '--no-cache', '--format', 'json'], dir);
    expect(plain.code).toBe(1);
    const errors = JSON.parse(plain.stdout).files.find((f: { path: string }) => f.path === 'src/bad.ts').errors;
    expect(errors[0].severity).toBe('error');
    const warned = runCli(['analyze', 'src', '--no-cache', '--format', 'json', '--rule', 'parse-error=warning'], dir);
    expect(warned.code).toBe(0);
    expect(JSON.parse(warned.stdout).files.find((f: { path: string }) => f.path === 'src/bad.ts').errors[0].severity).toBe(
      'warning',
    );
    const sarif = JSON.parse(runCli(['analyze', 'src', '--no-cache', '--format', 'sarif', '--rule', 'parse-error=warning'], dir).stdout);
    expect(sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'parse-error').level).toBe('warning');
    const strict = runCli(['analyze', 'src', '--no-cache', '--max-warnings', '0', '--rule', 'parse-error=warning'], dir);
    expect(strict.code).toBe(1);
    const off = runCli(['analyze', 'src', '--no-cache', '--format', 'json', '--rule', 'parse-error=off'], dir);
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout).files.every((f: { errors: unknown[] }) => f.errors.length === 0)).toBe(true);
  });

  it('duplicate-code takes a severity, and off turns duplicate detection off', () => {
    const body = Array.from({ length: 12 }, (_, i) => `  total += items[${i}] * rate + offset - ${i};`).join('\n');
    const fn = (name: string) => `export function ${name}(items: number[], rate: number, offset: number) {\n  let total = 0;\n${body}\n  return total;\n}\n`;
    const dir = makeProject({ 'src/a.ts': fn('a'), 'src/b.ts': fn('b') });
    const base = ['analyze', 'src', '--no-cache', '--format', 'json', '--fail-on', 'never'];
    const plain = JSON.parse(runCli(base, dir).stdout);
    expect(plain.duplicates.length).toBeGreaterThan(0);
    expect(plain.duplicates[0].severity).toBe('warning');
    const errors = runCli(['analyze', 'src', '--no-cache', '--rule', 'duplicate-code=error'], dir);
    expect(errors.code).toBe(1);
    const off = JSON.parse(runCli([...base, '--rule', 'duplicate-code=off'], dir).stdout);
    expect(off.duplicates).toEqual([]);
  });
});
