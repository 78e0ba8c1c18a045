#!/usr/bin/env node
/**
 * Evaluates `tdd-fast generate` on small real npm packages that ship plain JS sources (not written by us).
 *
 *   npm run build && node bench/generate/evaluate.mjs [--reruns 5] [--only ms,left-pad]
 *
 * Per package: `npm pack` into bench/.corpora (gitignored), unpack, then
 *   - time generation without --record (dry run, median of 5) -> ms per function
 *   - generate with --record (runs the package code in a child vitest)
 *   - rerun the generated tests 5 times: pass rate of the recorded (non-TODO) tests
 *   - statement and branch coverage of the package's source from the generated tests alone (vitest + v8)
 * and prints a markdown table (also written to bench/results/generate.md).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const api = require(path.join(repo, 'dist', 'index.js'));
const vitestBin = path.join(repo, 'node_modules', 'vitest', 'vitest.mjs');
const corpora = path.join(repo, 'bench', '.corpora', 'generate');

/** Packages and the source files to generate for (all zero-dependency, plain JS). */
const PACKAGES = [
  { name: 'is-number', version: '7.0.0', files: ['index.js'] },
  { name: 'ms', version: '2.1.3', files: ['index.js'] },
  { name: 'left-pad', version: '1.3.0', files: ['index.js'] },
  { name: 'escape-string-regexp', version: '5.0.0', files: ['index.js'] },
  { name: 'camelcase', version: '8.0.0', files: ['index.js'] },
  { name: 'decamelize', version: '6.0.0', files: ['index.js'] },
  { name: 'kind-of', version: '6.0.3', files: ['index.js'] },
];

const args = process.argv.slice(2);
const reruns = Number(args[args.indexOf('--reruns') + 1]) || 5;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;

function fetchPackage(pkg) {
  const dir = path.join(corpora, `${pkg.name}@${pkg.version}`);
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  const tarball = execFileSync('npm', ['pack', `${pkg.name}@${pkg.version}`, '--silent', '--pack-destination', corpora], { encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['xzf', path.join(corpora, tarball), '-C', dir, '--strip-components=1']);
  fs.rmSync(path.join(corpora, tarball));
  return dir;
}

function vitestConfig(dir) {
  const config = path.join(dir, 'vitest.eval.config.mjs');
  fs.writeFileSync(config, "export default { test: { include: ['**/*.generated.test.*'], exclude: ['node_modules/**'], testTimeout: 2000 } };\n");
  return config;
}

function runVitest(dir, extra) {
  const out = path.join(dir, '.vitest-report.json');
  fs.rmSync(out, { force: true });
  spawnSync(process.execPath, [vitestBin, 'run', '--config', vitestConfig(dir), '--root', dir, '--reporter=json', `--outputFile=${out}`, ...extra], {
    cwd: dir,
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : null;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const rows = [];
for (const pkg of PACKAGES) {
  if (only && !only.includes(pkg.name)) continue;
  const dir = fetchPackage(pkg);
  const files = pkg.files.map((f) => path.join(dir, f));
  for (const f of fs.readdirSync(dir)) if (f.includes('.generated.test.')) fs.rmSync(path.join(dir, f));

  // Generation speed without --record (nothing written).
  const times = [];
  let planned;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    planned = await api.generateTestsBatch(files, { root: dir, dryRun: true });
    times.push(performance.now() - started);
  }
  const functions = planned.reduce((n, r) => n + r.functions, 0);

  const recordStarted = performance.now();
  const recorded = await api.generateTestsBatch(files, { root: dir, record: true, recordOptions: { vitestBin } });
  const recordMs = performance.now() - recordStarted;
  const errors = recorded.flatMap((r) => r.errors);
  const tests = recorded.reduce((n, r) => n + r.tests, 0);
  const todo = recorded.reduce((n, r) => n + r.todo, 0);

  let passed = 0;
  let total = 0;
  for (let i = 0; i < reruns; i++) {
    const report = runVitest(dir, []);
    if (!report) continue;
    passed += report.numPassedTests;
    total += report.numPassedTests + report.numFailedTests;
  }
  const coverageDir = path.join(dir, '.coverage');
  fs.rmSync(coverageDir, { recursive: true, force: true });
  runVitest(dir, [
    '--coverage.enabled',
    '--coverage.provider=v8',
    '--coverage.reporter=json-summary',
    `--coverage.reportsDirectory=${coverageDir}`,
    ...pkg.files.map((f) => `--coverage.include=${f}`),
  ]);
  const summaryFile = path.join(coverageDir, 'coverage-summary.json');
  const summary = fs.existsSync(summaryFile) ? JSON.parse(fs.readFileSync(summaryFile, 'utf8')).total : null;
  rows.push({
    package: `${pkg.name}@${pkg.version}`,
    functions,
    tests,
    asserted: tests - todo,
    todo,
    passRate: total ? (100 * passed) / total : NaN,
    statements: summary ? summary.statements.pct : NaN,
    branches: summary ? summary.branches.pct : NaN,
    msPerFunction: functions ? median(times) / functions : NaN,
    recordS: recordMs / 1000,
    errors,
  });
  console.error(`${pkg.name}: done${errors.length ? ` (errors: ${errors.join('; ')})` : ''}`);
}

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const lines = [
  `| package | functions | tests | asserted | TODO | pass rate (${reruns} reruns) | statements % | branches % | generate ms/function (no --record) | record s |`,
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.package} | ${r.functions} | ${r.tests} | ${r.asserted} | ${r.todo} | ${fmt(r.passRate)}% | ${fmt(r.statements)} | ${fmt(r.branches)} | ${fmt(r.msPerFunction, 2)} | ${fmt(r.recordS)} |`),
];
const statements = rows.map((r) => r.statements).filter(Number.isFinite);
const branches = rows.map((r) => r.branches).filter(Number.isFinite);
const allPassed = rows.reduce((s, r) => s + (Number.isFinite(r.passRate) ? r.passRate * r.asserted : 0), 0) / Math.max(1, rows.reduce((s, r) => s + r.asserted, 0));
lines.push('', `median statements ${fmt(median(statements))}%, median branches ${fmt(median(branches))}%, weighted pass rate ${fmt(allPassed)}%`);
const table = lines.join('\n');
console.log(table);
fs.mkdirSync(path.join(repo, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(repo, 'bench', 'results', 'generate.md'), `${table}\n`);
