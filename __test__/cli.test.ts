import { describe, expect, it } from 'vitest';

// The compiled CLI: its commands load with require, which works on dist/ (CommonJS), not on the TypeScript sources.
import { buildProgram, needsOtherCommands, OTHER_COMMANDS } from '../dist/cli/main';
import { makeProject, repoRoot, runCli } from './helpers';

const sample = {
  '.gitignore': 'generated/\n',
  'src/cart.ts': [
    'export class Cart {',
    '  private items: number[] = [];',
    '  total(discount = 0): number {',
    '    return this.items.reduce((sum, x) => sum + x, 0) - discount;',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/util.js': 'module.exports.slug = function (s) { return s.toLowerCase(); };\n',
  'generated/skip.ts': 'export function ignoredByGitignore() {}\n',
  'node_modules/dep/index.js': 'function dependency() {}\n',
  '.hidden/secret.ts': 'function hidden() {}\n',
};

describe('tdd-fast analyze (CLI)', () => {
  it('prints the contract as JSON, respecting .gitignore and skipping node_modules and hidden folders', () => {
    const dir = makeProject(sample);
    const run = runCli(['analyze', '--format', 'json'], dir);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.version).toBe(1);
    expect(result.files.map((f: { path: string }) => f.path)).toEqual(['src/cart.ts', 'src/util.js']);
    const cart = result.files[0];
    expect(cart.language).toBe('ts');
    expect(cart.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(cart.functions.map((f: { name: string }) => f.name)).toEqual(['Cart.total', '<anonymous>']);
    expect(cart.functions[0]).toMatchObject({ kind: 'method', line: 3, endLine: 5, exported: true, async: false });
    expect(cart.functions[0].params[0]).toMatchObject({ name: 'discount', defaultValue: '0', optional: true });
    expect(result.files[1].functions[0]).toMatchObject({ name: 'module.exports.slug', exported: true });
  });

  it('honours a .tdd-fastignore file like a .gitignore', () => {
    const dir = makeProject({ ...sample, '.tdd-fastignore': 'legacy/\n', 'legacy/old.js': 'function old() {}\n' });
    const run = runCli(['analyze', '--format', 'json'], dir);
    const paths = JSON.parse(run.stdout).files.map((f: { path: string }) => f.path);
    expect(paths).toEqual(['src/cart.ts', 'src/util.js']);
  });

  it('prints readable stylish output grouped by file with a summary (--functions: with every function)', () => {
    const dir = makeProject(sample);
    const run = runCli(['analyze', '--functions'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('src/cart.ts');
    expect(run.stdout).toMatch(/3:3\s+method\s+Cart\.total\(discount\?\)/);
    expect(run.stdout).toMatch(/2 files, 3 functions: no findings/);
    expect(run.stdout).not.toMatch(/\u001b\[/); // NO_COLOR
  });

  it('analyses explicit files even when ignored, and keeps going past a broken and a binary file (exit 1)', () => {
    const dir = makeProject({
      ...sample,
      'src/broken.ts': 'export function fine() { return 1 }\nexport function broken( {\n',
      'src/logo.js': Buffer.from([0x00, 0x01, 0x02, 0x03]),
    });
    const run = runCli(['analyze', 'src', 'generated/skip.ts', '--format', 'json'], dir);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    const paths = result.files.map((f: { path: string }) => f.path);
    expect(paths).toEqual(['generated/skip.ts', 'src/broken.ts', 'src/cart.ts', 'src/logo.js', 'src/util.js']);
    const broken = result.files[1];
    expect(broken.errors[0]).toMatchObject({ line: 3 }); // unexpected end of file
    expect(broken.functions.map((f: { name: string }) => f.name)).toEqual(['fine']);
    expect(result.files[3].errors[0].message).toMatch(/binary/);
    expect(result.summary.errors).toBe(2);
  });

  it('exits 2 with a clear message on a usage error, and prints help and version', () => {
    const dir = makeProject(sample);
    const bad = runCli(['analyze', '--format', 'yaml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/yaml/);
    const help = runCli(['--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/analyze/);
    // The other commands are registered only when a run names one or asks for help: the help lists them all.
    for (const name of OTHER_COMMANDS.flatMap((c) => c.names)) expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    const generateHelp = runCli(['generate', '--help'], dir);
    expect(generateHelp.code).toBe(0);
    expect(generateHelp.stdout).toMatch(/--record/);
    const version = runCli(['--version'], dir);
    expect(version.stdout.trim()).toBe(require(`${repoRoot}/package.json`).version);
  });

  it('keeps the exit code a subcommand reports (testing pg status with no server running exits 1)', () => {
    const dir = makeProject(sample);
    const status = runCli(['testing', 'pg', 'status', '--data-dir', 'no-cluster-here'], dir);
    expect(status.stderr).toMatch(/no server running/);
    expect(status.code).toBe(1);
  });

  it('writes the report to --output-file', () => {
    const dir = makeProject(sample);
    const run = runCli(['analyze', '--format', 'json', '--output-file', 'out/report.json'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const fs = require('node:fs');
    expect(JSON.parse(fs.readFileSync(`${dir}/out/report.json`, 'utf8')).files).toHaveLength(2);
  });
});

describe('the commands a run registers', () => {
  const io = { cwd: repoRoot, stdout: () => {}, stderr: () => {} };
  it('lists under OTHER_COMMANDS exactly the top-level commands besides analyze that the registrations create', () => {
    const all = buildProgram(io, () => {}, true).commands.map((c) => c.name());
    expect(all.filter((name) => name !== 'analyze').sort()).toEqual(OTHER_COMMANDS.flatMap((c) => c.names).sort());
    expect(buildProgram(io, () => {}, false).commands.map((c) => c.name())).toEqual(['analyze']);
  });

  it('registers them all when an argument names one or asks for help, and only analyze otherwise', () => {
    const argv = (...args: string[]) => ['node', 'tdd-fast', ...args];
    for (const args of [['generate', 'src'], ['--help'], ['help', 'session'], ['analyze', '-h'], ['testing', 'pg', 'status'], ['watch'], ['src', 'lsp']]) {
      expect(needsOtherCommands(argv(...args)), args.join(' ')).toBe(true);
    }
    for (const args of [[], ['src'], ['analyze', '.', '--format', 'json'], ['--version'], ['-f', 'sarif', 'lib']]) {
      expect(needsOtherCommands(argv(...args)), args.join(' ')).toBe(false);
    }
  });
});
