/**
 * How record mode loads the user's modules: through the project's own vitest (its config's aliases, tsconfig
 * `paths`, Vite's resolution), reporting a module that cannot load once, with the loader's error. Real runs of the
 * built CLI on small fixture projects, checked by the project's own `vitest run`; nothing of ours is mocked.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, runCli } from '../helpers';
import { runVitest } from './helpers';

/** A small application: a service importing its domain type through `@domain/money`. */
const APP: Record<string, string> = {
  'package.json': '{"name":"app","private":true,"type":"module"}',
  'src/domain/money.ts': [
    'export class Money {',
    '  constructor(readonly cents: number) {',
    "    if (!Number.isInteger(cents)) throw new RangeError('cents must be an integer');",
    '  }',
    '  add(other: Money): Money {',
    '    return new Money(this.cents + other.cents);',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/services/invoice.ts': [
    "import { Money } from '@domain/money';",
    '',
    'export interface Line { qty: number; cents: number }',
    '',
    'export function total(lines: Line[]): number {',
    '  let sum = new Money(0);',
    '  for (const line of lines) {',
    "    if (line.qty <= 0) throw new RangeError('quantity must be positive');",
    '    sum = sum.add(new Money(line.qty * line.cents));',
    '  }',
    '  return sum.cents;',
    '}',
    '',
  ].join('\n'),
};

/** `generate --record` through the CLI (vitest: this repository's, found from tdd-fast's own folder). */
function record(root: string, file: string) {
  return runCli(['generate', file, '--record'], root);
}

/** Kept `it(...)` blocks (TODOs excluded). */
function kept(text: string): number {
  return text.split('\n').filter((l) => /^\s{2}it\(/.test(l)).length;
}

describe('record mode loads modules as the project\'s vitest does', () => {
  it("resolves an alias of the project's vitest config (resolve.alias) and the tests pass under the user's own vitest run", () => {
    const root = makeProject({
      ...APP,
      // No import of vitest/config: the fixture has no node_modules (the runs use this repository's vitest).
      'vitest.config.mjs': "export default { resolve: { alias: { '@domain': new URL('./src/domain', import.meta.url).pathname } } };\n",
    });
    const run = record(root, 'src/services/invoice.ts');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/could not be loaded|cannot construct/);
    const text = fs.readFileSync(path.join(root, 'src/services/invoice.generated.test.ts'), 'utf8');
    expect(kept(text)).toBeGreaterThan(1);
    expect(text).toMatch(/toBeInstanceOf\(RangeError\)|RangeError/);
    expect(text).not.toContain('cannot construct');
    const report = runVitest(root);
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBe(kept(text));
  }, 180_000);

  it('resolves an alias only tsconfig `paths` declares (no vite/vitest config)', () => {
    const root = makeProject({
      ...APP,
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, baseUrl: '.', paths: { '@domain/*': ['src/domain/*'] } } }, null, 2),
    });
    const run = record(root, 'src/services/invoice.ts');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/could not be loaded/);
    const text = fs.readFileSync(path.join(root, 'src/services/invoice.generated.test.ts'), 'utf8');
    expect(kept(text)).toBeGreaterThan(1);
    // The project's own vitest does not read tsconfig paths: the user is told what to set, once.
    const advice = run.stderr.split('\n').filter((l) => l.includes('tsconfigPaths'));
    expect(advice).toHaveLength(1);
    expect(advice[0]).toContain("'@domain/money'");
    fs.writeFileSync(path.join(root, 'vitest.config.mjs'), 'export default { resolve: { tsconfigPaths: true } };\n');
    const report = runVitest(root);
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBe(kept(text));
  }, 180_000);

  it("applies the config's define and setup files in the search, as vitest does in its workers", () => {
    const root = makeProject({
      'package.json': '{"name":"app","private":true,"type":"module"}',
      'vitest.config.mjs': "export default { define: { __TAX_RATE__: '0.25' }, test: { setupFiles: ['./test/setup.ts'] } };\n",
      'test/setup.ts': "(globalThis as { currency?: string }).currency = 'EUR';\n",
      'src/price.ts': [
        'declare const __TAX_RATE__: number;',
        'export function gross(cents: number): string {',
        "  if (cents < 0) throw new RangeError('negative amount');",
        '  const currency = (globalThis as { currency?: string }).currency;',
        '  return `${Math.round(cents * (1 + __TAX_RATE__))} ${currency}`;',
        '}',
        '',
      ].join('\n'),
    });
    const run = record(root, 'src/price.ts');
    expect(run.code, run.stderr).toBe(0);
    const text = fs.readFileSync(path.join(root, 'src/price.generated.test.ts'), 'utf8');
    expect(text).not.toMatch(/is not defined/);
    expect(text).toMatch(/toBe\('\d+ EUR'\)/);
    const report = runVitest(root);
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBe(kept(text));
  }, 180_000);

  it("runs the search in the config's test environment (happy-dom)", () => {
    const root = makeProject({
      'package.json': '{"name":"ui","private":true,"type":"module"}',
      'vitest.config.mjs': "export default { test: { environment: 'happy-dom' } };\n",
      'src/badge.ts': [
        'export function badge(label: string): string {',
        "  if (label.length === 0) throw new RangeError('empty label');",
        "  const el = document.createElement('span');",
        "  el.className = 'badge';",
        '  el.textContent = label;',
        '  return el.outerHTML;',
        '}',
        '',
      ].join('\n'),
    });
    const run = record(root, 'src/badge.ts');
    expect(run.code, run.stderr).toBe(0);
    const text = fs.readFileSync(path.join(root, 'src/badge.generated.test.ts'), 'utf8');
    expect(text).not.toMatch(/document is not defined/);
    expect(text).toMatch(/toBe\('<span class="badge">/);
    const report = runVitest(root);
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBe(kept(text));
  }, 180_000);

  it("uses a monorepo package's nearest config, not the workspace's", () => {
    const root = makeProject({
      'package.json': '{"name":"mono","private":true,"workspaces":["packages/*"]}',
      // The workspace's config does not know the package's alias.
      'vitest.config.mjs': 'export default { test: {} };\n',
      'packages/billing/package.json': '{"name":"billing","private":true,"type":"module"}',
      'packages/billing/vitest.config.mjs': "export default { resolve: { alias: { '@domain': new URL('./src/domain', import.meta.url).pathname } } };\n",
      ...Object.fromEntries(Object.entries(APP).filter(([name]) => name.startsWith('src/')).map(([name, text]) => [`packages/billing/${name}`, text])),
    });
    const run = runCli(['generate', 'packages/billing/src/services/invoice.ts', '--record', '--root', root], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/could not be loaded/);
    const text = fs.readFileSync(path.join(root, 'packages/billing/src/services/invoice.generated.test.ts'), 'utf8');
    expect(kept(text)).toBeGreaterThan(1);
    const report = runVitest(path.join(root, 'packages/billing'));
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBe(kept(text));
  }, 180_000);

  it('skips a setup file that only works inside vitest\'s runner, says so once, and still records', () => {
    const root = makeProject({
      ...APP,
      'vitest.config.mjs': "export default { resolve: { alias: { '@domain': new URL('./src/domain', import.meta.url).pathname } }, test: { setupFiles: ['./test/setup.ts'] } };\n",
      // As a setup file calling beforeEach would: it needs the worker's state.
      'test/setup.ts': "if (!('__vitest_worker__' in globalThis)) throw new Error('needs the test runner');\n",
    });
    const run = record(root, 'src/services/invoice.ts');
    expect(run.code, run.stderr).toBe(0);
    const notes = run.stderr.split('\n').filter((l) => l.includes('test/setup.ts'));
    expect(notes).toEqual(["tdd-fast generate: src/services/invoice.ts: search: the setup file test/setup.ts failed outside vitest's runner and was skipped: needs the test runner"]);
    const text = fs.readFileSync(path.join(root, 'src/services/invoice.generated.test.ts'), 'utf8');
    expect(kept(text)).toBeGreaterThan(1);
    expect(runVitest(root).numFailedTests).toBe(0);
  }, 180_000);

  it('says once why a generated file did not load in the verify run', () => {
    const root = makeProject({
      ...APP,
      'vitest.config.mjs': "export default { resolve: { alias: { '@domain': new URL('./src/domain', import.meta.url).pathname } }, test: { setupFiles: ['./test/setup.ts'] } };\n",
      // Loads in the search, fails every test file of the project's run.
      'test/setup.ts': "if ('__vitest_worker__' in globalThis) throw new Error('broken setup');\n",
    });
    const run = record(root, 'src/services/invoice.ts');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => l.includes('broken setup'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("src/services/invoice.ts: the generated file did not load in the project's vitest");
    const text = fs.readFileSync(path.join(root, 'src/services/invoice.generated.test.ts'), 'utf8');
    expect(kept(text)).toBe(0);
    expect(text.match(/broken setup/g)).toHaveLength(1);
  }, 180_000);

  it('reports a module that cannot load once, naming the file and the specifier, with no per-parameter TODOs', () => {
    const root = makeProject({
      ...APP,
      'src/services/book.ts': [
        "import { Money } from '@domain/money';",
        'export class InvoiceBook {',
        '  private paid: Money[] = [];',
        '  pay(invoice: { id: string; cents: number }): number {',
        '    this.paid.push(new Money(invoice.cents));',
        '    return this.paid.length;',
        '  }',
        '}',
        'export function count(values: number[]): number {',
        '  return values.length;',
        '}',
        '',
      ].join('\n'),
    });
    const run = record(root, 'src/services/book.ts');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => l.includes('could not be loaded'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('src/services/book.ts');
    expect(lines[0]).toContain('@domain/money');
    const text = fs.readFileSync(path.join(root, 'src/services/book.generated.test.ts'), 'utf8');
    expect(text.match(/could not be loaded/g)).toHaveLength(1);
    expect(text).not.toMatch(/cannot construct|as never/);
    // The file itself stays loadable: one TODO in the user's run, nothing failing.
    const report = runVitest(root);
    expect(report.numFailedTests).toBe(0);
    expect(report.testResults.every((f) => f.status !== 'failed')).toBe(true);
  }, 180_000);

  it('reports a config that cannot load once, naming it, and writes one TODO', () => {
    const root = makeProject({
      ...APP,
      'vitest.config.mjs': "throw new Error('broken config');\n",
    });
    const run = record(root, 'src/domain/money.ts');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('tdd-fast generate:'));
    expect(lines).toEqual(["tdd-fast generate: src/domain/money.ts: the project's vitest could not start with vitest.config.mjs: broken config"]);
    const text = fs.readFileSync(path.join(root, 'src/domain/money.generated.test.ts'), 'utf8');
    expect(text.match(/it\.todo\(/g)).toHaveLength(1);
  }, 180_000);

  it('resolves a directory import of a package as Vite does (plain Node ESM refuses it)', () => {
    const root = makeProject({
      'package.json': '{"name":"app","private":true,"type":"module"}',
      // A package without an exports map whose subpath is a folder (date-fns/locale in older versions).
      'node_modules/dirpkg/package.json': '{"name":"dirpkg","version":"1.0.0","type":"module","main":"index.js"}',
      'node_modules/dirpkg/index.js': 'export const name = "dirpkg";\n',
      'node_modules/dirpkg/locale/index.js': "export const en = { code: 'en', plural: (n) => (n === 1 ? 'one' : 'other') };\n",
      'src/format.ts': [
        "import { en } from 'dirpkg/locale';",
        'export function label(count: number): string {',
        "  if (count < 0) throw new RangeError('negative count');",
        "  return `${count} ${en.plural(count) === 'one' ? 'item' : 'items'}`;",
        '}',
        '',
      ].join('\n'),
    });
    const plain = spawnSync(process.execPath, ['--input-type=module', '-e', "import('dirpkg/locale').then(() => console.log('loaded'), (e) => console.log(e.code))"], { cwd: root, encoding: 'utf8' });
    expect(plain.stdout.trim()).toBe('ERR_UNSUPPORTED_DIR_IMPORT');
    const run = record(root, 'src/format.ts');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/could not be loaded/);
    const text = fs.readFileSync(path.join(root, 'src/format.generated.test.ts'), 'utf8');
    expect(text).toMatch(/toBe\('1 item'\)/);
    const report = runVitest(root);
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBe(kept(text));
  }, 180_000);
});
