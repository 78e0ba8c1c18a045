#!/usr/bin/env node
/**
 * `npm run bench:generate`: what `tdd-fast generate --record` gives a user on real npm packages it was not tuned on.
 *
 *   npm run build && npm run bench:generate -- [--only fecha,yallist] [--reruns 5] [--no-stryker] [--out FILE]
 *
 * Per package (bench/generate/packages.mjs): `npm pack` at the exact version into bench/.corpora/generate (gitignored,
 * fetched once), then in a FRESH copy of it:
 *   1. static generation (no --record, nothing written), in-process, median of 5 -> ms per function
 *   2. `tdd-fast generate <files> --record` through the CLI -> wall time
 *   3. the generated tests alone, N reruns (default 5) -> tests kept (non-todo), share passing every rerun
 *   4. vitest + @vitest/coverage-v8 -> statement and branch coverage of the package's own source files
 *   5. the share of kept tests whose expectation is a thrown error (`toThrow…`, `.rejects`)
 *   6. Stryker (core + vitest-runner 9.5.x) mutating the package's source files, running only the generated tests
 *      -> mutation score = (killed + timed out) / (killed + timed out + survived + no coverage)
 * A package whose generation fails shows its error in the table and the run goes on. Prints a markdown table with the
 * medians and writes it to bench/results/generate.md (or --out).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FRESH, HELD_OUT, PACKAGES as BENCH } from './packages.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const cliBin = path.join(repo, 'bin', 'tdd-fast.js');
const vitestBin = path.join(repo, 'node_modules', 'vitest', 'vitest.mjs');
const strykerBin = path.join(repo, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
// Stryker loads plugins by import specifier; the bench's packages have no node_modules, so name the file itself
const strykerVitestRunner = path.join(repo, 'node_modules', '@stryker-mutator', 'vitest-runner', 'dist', 'src', 'index.js');
const corpora = path.join(repo, 'bench', '.corpora', 'generate');
const pristineRoot = path.join(corpora, 'packages');
const runsRoot = path.join(corpora, 'runs');

// ---------------------------------------------------------------------------------------------------------------- args
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
let reruns = Number(option('--reruns')) || 5;
const only = option('--only') ? option('--only').split(',').map((s) => s.trim()) : null;
let withStryker = !args.includes('--no-stryker');
const merge = args.includes('--merge');
// --set heldout: the held-out packages (the kinds issue 13 names), never used to tune the generator;
// --set fresh: a third set, first run after the generator's targets were met, as a check of how it generalises
const SETS = { bench: BENCH, heldout: HELD_OUT, fresh: FRESH };
const setName = option('--set') ?? 'bench';
if (!SETS[setName]) {
  console.error(`bench:generate: unknown --set '${setName}' (expected ${Object.keys(SETS).join(', ')})`);
  process.exit(2);
}
const heldOut = setName !== 'bench';
const PACKAGES = SETS[setName];
const outFile = path.resolve(option('--out') ?? path.join(repo, 'bench', 'results', heldOut ? `generate-${setName}.md` : 'generate.md'));
const recordTimeoutMs = Number(option('--record-timeout')) || 600_000;
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: npm run bench:generate -- [--set heldout|fresh] [--only a,b] [--reruns N] [--no-stryker] [--out FILE] [--record-timeout MS] [--merge]');
  console.log('  --render FILE.json: print (and with --out write) the table of rows an earlier run saved');
  console.log('  --merge: keep the rows of the previous run (FILE with .json) for the packages not measured now');
  process.exit(0);
}

const log = (...parts) => console.error(`[bench:generate ${new Date().toISOString().slice(11, 19)}]`, ...parts);
const slug = (pkg) => `${pkg.name.replace(/^@/, '').replace(/\//g, '-')}@${pkg.version}`;

function run(command, argv, options = {}) {
  const started = performance.now();
  const result = spawnSync(command, argv, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...options,
    env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...(options.env ?? {}) },
  });
  return { ...result, ms: performance.now() - started };
}

function lastLines(text, n = 3) {
  return String(text ?? '')
    .trim()
    .split('\n')
    .filter(Boolean)
    .slice(-n)
    .join(' / ');
}

// ------------------------------------------------------------------------------------------------------------- corpora
/** The package as published, unpacked once into bench/.corpora/generate/packages (never modified afterwards). */
function fetchPackage(pkg) {
  const dir = path.join(pristineRoot, slug(pkg));
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  fs.mkdirSync(pristineRoot, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-bench-pack-'));
  const packed = run('npm', ['pack', `${pkg.name}@${pkg.version}`, '--silent', '--pack-destination', tmp]);
  if (packed.status !== 0) throw new Error(`npm pack ${pkg.name}@${pkg.version} failed: ${lastLines(packed.stderr)}`);
  const tarball = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  const staging = `${dir}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const untar = run('tar', ['xzf', path.join(tmp, tarball), '-C', staging, '--strip-components=1']);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (untar.status !== 0) throw new Error(`unpacking ${tarball} failed: ${lastLines(untar.stderr)}`);
  if (pkg.install) {
    // runtime dependencies the sources import (npm's ordinary client, production dependencies only, no scripts); a
    // list names the packages instead: what the sources import that the package only bundles into its build
    const extra = Array.isArray(pkg.install) ? pkg.install : [];
    // A list is installed beside the package, not in it: npm would resolve its devDependencies (git URLs among them).
    const where = extra.length ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-generate-deps-')) : staging;
    if (extra.length) fs.writeFileSync(path.join(where, 'package.json'), '{"private":true}\n');
    const installed = run('npm', ['install', ...extra, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--silent'], { cwd: where });
    if (installed.status !== 0) throw new Error(`npm install in ${pkg.name}@${pkg.version} failed: ${lastLines(installed.stderr + installed.stdout)}`);
    if (extra.length) {
      fs.cpSync(path.join(where, 'node_modules'), path.join(staging, 'node_modules'), { recursive: true });
      fs.rmSync(where, { recursive: true, force: true });
    }
  }
  fs.renameSync(staging, dir);
  return dir;
}

/** A fresh copy for this run: nothing generated by an earlier run, nothing left by Stryker. */
function freshCopy(pkg, pristine) {
  const dir = path.join(runsRoot, slug(pkg));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(runsRoot, { recursive: true });
  fs.cpSync(pristine, dir, { recursive: true });
  for (const rel of pkg.remove ?? []) fs.rmSync(path.join(dir, rel), { recursive: true, force: true });
  for (const rel of pkg.files) {
    if (!rel.includes('*') && !fs.existsSync(path.join(dir, rel))) throw new Error(`${rel} is not in ${pkg.name}@${pkg.version}`);
  }
  return dir;
}

/** `dir/*.ext` entries of a package's files, expanded in its copy (sorted; `.d.ts` files are not sources). */
function expandFiles(dir, files) {
  return files.flatMap((rel) => {
    const m = /^(.*)\/\*(\.[\w.]+)$/.exec(rel);
    if (!m) return [rel];
    return fs
      .readdirSync(path.join(dir, m[1]))
      .filter((f) => f.endsWith(m[2]) && !f.endsWith('.d.ts'))
      .sort()
      .map((f) => `${m[1]}/${f}`);
  });
}

function generatedTestFiles(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.generated\.test\.[cm]?[jt]sx?$/.test(entry.name)) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

// -------------------------------------------------------------------------------------------------------------- vitest
const VITEST_CONFIG = 'vitest.bench.config.mjs';

/** Only the generated tests run; locations let a result be matched to its source text. */
function writeVitestConfig(dir) {
  const config = `// written by bench/generate: runs only the tests tdd-fast generated
export default {
  test: {
    include: ['**/*.generated.test.{js,mjs,cjs,ts,mts,cts,jsx,tsx}'],
    exclude: ['**/node_modules/**', '**/.stryker-tmp/**'],
    includeTaskLocation: true,
    testTimeout: 5000,
    hookTimeout: 5000,
    pool: 'forks',
    maxWorkers: 2,
  },
};
`;
  fs.writeFileSync(path.join(dir, VITEST_CONFIG), config);
}

function runVitest(dir, extra = []) {
  const out = path.join(dir, '.bench-vitest-report.json');
  fs.rmSync(out, { force: true });
  const result = run(process.execPath, [vitestBin, 'run', '--config', VITEST_CONFIG, '--reporter=json', `--outputFile=${out}`, ...extra], {
    cwd: dir,
    timeout: 600_000,
  });
  const report = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : null;
  return { report, result };
}

const KEPT = new Set(['passed', 'failed']);

/** One entry per non-todo, non-skipped test: key -> { passed, file, line, title }. Also files that failed to load. */
function testOutcomes(report) {
  const tests = new Map();
  const loadErrors = [];
  for (const file of report?.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
      loadErrors.push(`${path.basename(file.name)}: ${lastLines(file.message, 1).slice(0, 160)}`);
    }
    for (const t of file.assertionResults ?? []) {
      if (!KEPT.has(t.status)) continue;
      let key = `${file.name}\u0000${t.fullName}`;
      while (tests.has(key)) key += '\u0000'; // same title twice in a file: keep both
      tests.set(key, { passed: t.status === 'passed', file: file.name, line: t.location?.line, title: t.fullName });
    }
  }
  return { tests, loadErrors };
}

// ------------------------------------------------------------------------------------------------------ throw analysis
let oxc;
function parseTestFile(file) {
  oxc ??= require('oxc-parser');
  const source = fs.readFileSync(file, 'utf8');
  const { program } = oxc.parseSync(file, source, { sourceType: 'module' });
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  // Every `it(...)` / `test(...)` / `it.each(...)(...)` / `it.concurrent(...)` call: its line and its text.
  const calls = [];
  const rootName = (node) => {
    while (node) {
      if (node.type === 'Identifier') return node.name;
      if (node.type === 'MemberExpression') node = node.object;
      else if (node.type === 'CallExpression' || node.type === 'TaggedTemplateExpression') node = node.callee ?? node.tag;
      else return null;
    }
    return null;
  };
  const visit = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node.type === 'CallExpression' && ['it', 'test'].includes(rootName(node.callee))) {
      calls.push({ line: lineOf(node.start), text: source.slice(node.start, node.end) });
    }
    for (const key of Object.keys(node)) {
      if (key !== 'type' && key !== 'start' && key !== 'end') visit(node[key]);
    }
  };
  visit(program);
  return calls;
}

const THROWS = /\.toThrow\w*\s*\(|\.rejects\b|\bthrown\s*\(|\brejected\s*\(/; // vitest matchers, and the generator's own helpers

/** Share of kept tests whose expectation is a thrown error or a rejected promise. */
function throwShare(tests) {
  const byFile = new Map();
  let throwing = 0;
  let matched = 0;
  for (const t of tests.values()) {
    if (!byFile.has(t.file)) {
      try {
        byFile.set(t.file, parseTestFile(t.file));
      } catch {
        byFile.set(t.file, []);
      }
    }
    // vitest reports the line of the test's own call; of the calls on that line, the innermost (last) is the test
    const call = byFile
      .get(t.file)
      .filter((c) => c.line === t.line)
      .pop();
    if (!call) continue;
    matched++;
    if (THROWS.test(call.text)) throwing++;
  }
  return matched ? (100 * throwing) / matched : NaN;
}

// ------------------------------------------------------------------------------------------------------------- stryker
function runStryker(pkg, dir) {
  const reportFile = path.join('reports', 'bench-mutation.json');
  const config = {
    $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    testRunner: 'vitest',
    plugins: [strykerVitestRunner],
    vitest: { configFile: VITEST_CONFIG, related: false },
    mutate: pkg.files,
    coverageAnalysis: 'perTest',
    concurrency: 2,
    timeoutMS: 5000,
    timeoutFactor: 2,
    dryRunTimeoutMinutes: 5,
    reporters: ['json', 'progress-append-only'],
    jsonReporter: { fileName: reportFile },
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    disableTypeChecks: true,
    logLevel: 'warn',
    fileLogLevel: 'off',
    allowConsoleColors: false,
  };
  fs.writeFileSync(path.join(dir, 'stryker.bench.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  fs.rmSync(path.join(dir, reportFile), { force: true });
  // progress goes to a log in the package's run folder (`tail -f` it during a long run)
  const logFd = fs.openSync(path.join(dir, 'stryker.bench.log'), 'w');
  const result = run('nice', ['-n', '10', process.execPath, strykerBin, 'run', 'stryker.bench.config.json'], {
    cwd: dir,
    timeout: 3_600_000,
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  if (!result.stderr) result.stderr = fs.readFileSync(path.join(dir, 'stryker.bench.log'), 'utf8');
  const file = path.join(dir, reportFile);
  if (!fs.existsSync(file)) {
    return { error: `stryker: ${lastLines(result.stderr || result.stdout || result.error?.message, 2).slice(0, 200)}`, ms: result.ms };
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const counts = {};
  for (const f of Object.values(report.files ?? {})) for (const m of f.mutants ?? []) counts[m.status] = (counts[m.status] ?? 0) + 1;
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  return { score: valid ? (100 * detected) / valid : NaN, mutants: valid, counts, ms: result.ms };
}

// ------------------------------------------------------------------------------------------------------------ measures
const median = (values) => {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};

let api;
async function staticGeneration(dir, files) {
  api ??= require(path.join(repo, 'dist', 'index.js'));
  const times = [];
  let functions = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const planned = await api.generateTestsBatch(files, { root: dir, dryRun: true });
    times.push(performance.now() - started);
    functions = planned.reduce((n, r) => n + (r.functions ?? 0), 0);
  }
  return { functions, msPerFunction: functions ? median(times) / functions : NaN };
}

async function measure(listed) {
  const row = { package: `${listed.name}@${listed.version}`, shape: listed.shape, errors: [] };
  const dir = freshCopy(listed, fetchPackage(listed));
  const pkg = { ...listed, files: expandFiles(dir, listed.files) };
  const files = pkg.files.map((f) => path.join(dir, f));

  try {
    Object.assign(row, await staticGeneration(dir, files));
  } catch (error) {
    row.errors.push(`static generation: ${String(error?.message ?? error).split('\n')[0]}`);
  }

  log(pkg.name, 'generate --record');
  const recorded = run(process.execPath, [cliBin, 'generate', ...pkg.files, '--record'], { cwd: dir, timeout: recordTimeoutMs });
  row.recordS = recorded.ms / 1000;
  const testFiles = generatedTestFiles(dir);
  if (recorded.status !== 0 || testFiles.length === 0) {
    const why = recorded.error?.code === 'ETIMEDOUT' ? `timed out after ${recordTimeoutMs / 1000} s` : `exit ${recorded.status}`;
    row.errors.push(`generate --record: ${why}: ${lastLines(recorded.stderr || recorded.stdout, 2).slice(0, 240)}`);
    if (testFiles.length === 0) {
      // nothing generated: no test covers or kills anything (counted as 0, not left out of the medians)
      Object.assign(row, { kept: 0, todo: 0, statements: 0, branches: 0 });
      if (withStryker) row.mutation = 0;
      return row;
    }
  }

  writeVitestConfig(dir);
  log(pkg.name, `${reruns} reruns of ${testFiles.length} generated file(s)`);
  const passesEveryRun = new Map();
  const loadErrors = new Set();
  let first;
  for (let i = 0; i < reruns; i++) {
    const { report, result } = runVitest(dir);
    if (!report) {
      row.errors.push(`vitest run ${i + 1}: no report: ${lastLines(result.stderr, 2).slice(0, 200)}`);
      continue;
    }
    const outcome = testOutcomes(report);
    first ??= outcome;
    for (const e of outcome.loadErrors) loadErrors.add(e);
    for (const [key, t] of outcome.tests) passesEveryRun.set(key, (passesEveryRun.get(key) ?? true) && t.passed);
    // a test missing from a run (its file failed to load) did not pass that run
    for (const key of passesEveryRun.keys()) if (!outcome.tests.has(key)) passesEveryRun.set(key, false);
  }
  for (const e of loadErrors) row.errors.push(`load: ${e}`);
  row.kept = passesEveryRun.size;
  row.todo = first ? countTodo(dir) : NaN;
  row.passRate = row.kept ? (100 * [...passesEveryRun.values()].filter(Boolean).length) / row.kept : NaN;
  row.throwShare = first ? throwShare(first.tests) : NaN;

  log(pkg.name, 'coverage');
  const coverageDir = path.join(dir, '.bench-coverage');
  runVitest(dir, [
    '--coverage.enabled',
    '--coverage.provider=v8',
    '--coverage.reporter=json-summary',
    // a generated file that cannot load (its error is in the row) must not hide the coverage of the others
    '--coverage.reportOnFailure',
    `--coverage.reportsDirectory=${coverageDir}`,
    ...pkg.files.map((f) => `--coverage.include=${f}`),
  ]);
  const summaryFile = path.join(coverageDir, 'coverage-summary.json');
  if (fs.existsSync(summaryFile)) {
    const total = JSON.parse(fs.readFileSync(summaryFile, 'utf8')).total;
    row.statements = total.statements.pct;
    row.branches = total.branches.total === 0 ? 100 : total.branches.pct;
  } else {
    row.errors.push('coverage: no summary written');
  }

  if (withStryker) {
    if (row.kept === 0) {
      row.mutation = 0; // no test kills a mutant
    } else {
      log(pkg.name, 'stryker');
      const s = runStryker(pkg, dir);
      row.strykerS = s.ms / 1000;
      if (s.error) row.errors.push(s.error);
      else {
        row.mutation = s.score;
        row.mutants = s.mutants;
      }
    }
  }
  return row;
}

/** `it.todo` / `test.todo` cases in the generated files (vitest's JSON report counts them only in its totals). */
function countTodo(dir) {
  let n = 0;
  for (const file of generatedTestFiles(dir)) n += (fs.readFileSync(file, 'utf8').match(/\b(?:it|test)\.todo\s*\(/g) ?? []).length;
  return n;
}

// --------------------------------------------------------------------------------------------------------------- table
const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const pct = (n) => (Number.isFinite(n) ? `${n.toFixed(1)}%` : '—');

function table(rows) {
  const head = [
    'package',
    'shape',
    'functions',
    '`--record` s',
    'tests kept',
    'TODO',
    `pass ${reruns}/${reruns} reruns`,
    'statements',
    'branches',
    'expect a throw',
    withStryker ? 'mutation score (mutants)' : 'mutation score',
    'static ms/function',
    'errors',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 || i === head.length - 1 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const mutation = withStryker ? (Number.isFinite(r.mutation) ? `${pct(r.mutation)}${r.mutants ? ` (${r.mutants})` : ''}` : '—') : 'not run';
    const errors = r.errors.length ? r.errors.join('; ').replace(/\|/g, '\\|').replace(/\s+/g, ' ') : '';
    lines.push(
      `| ${[r.package, r.shape, r.functions ?? '—', fmt(r.recordS), r.kept ?? 0, Number.isFinite(r.todo) ? r.todo : '—', pct(r.passRate), pct(r.statements), pct(r.branches), pct(r.throwShare), mutation, fmt(r.msPerFunction, 2), errors].join(' | ')} |`,
    );
  }
  const m = (key) => median(rows.map((r) => r[key]));
  lines.push(
    `| **median** (${rows.length} packages) | | ${fmt(m('functions'), 0)} | ${fmt(m('recordS'))} | ${fmt(m('kept'), 0)} | | ${pct(m('passRate'))} | ${pct(m('statements'))} | ${pct(m('branches'))} | ${pct(m('throwShare'))} | ${withStryker ? pct(m('mutation')) : 'not run'} | ${fmt(m('msPerFunction'), 2)} | |`,
  );
  const keptAll = rows.reduce((n, r) => n + (r.kept ?? 0), 0);
  const passedAll = rows.reduce((n, r) => n + (Number.isFinite(r.passRate) ? (r.passRate * r.kept) / 100 : 0), 0);
  lines.push(
    '',
    `All packages together: ${keptAll} kept tests, ${pct(keptAll ? (100 * passedAll) / keptAll : NaN)} of them passed all ${reruns} reruns.`,
    'A package with no kept test counts 0% statements/branches as vitest reports them and a 0% mutation score; ' +
      'pass rate and throw share are medians over the packages that kept tests.',
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------- main
// --render FILE.json: the table of rows saved by an earlier run (e.g. the .partial.json of an interrupted one)
if (option('--render')) {
  const saved = JSON.parse(fs.readFileSync(option('--render'), 'utf8'));
  const savedRows = saved.rows;
  const from = [...new Set(savedRows.map((r) => `commit ${r.commit ?? '?'}${r.date ? `, ${r.date} UTC` : ''}`))];
  // the table's columns follow the saved run's settings
  reruns = saved.reruns;
  withStryker = saved.stryker;
  const text = `Rows saved in ${path.basename(option('--render'))} (${savedRows.length} packages; ${from.join('; ') || 'no date'}).\n\n${table(savedRows)}\n`;
  console.log(text);
  if (option('--out')) fs.writeFileSync(outFile, text);
  process.exit(0);
}
const selected = PACKAGES.filter((p) => !only || only.includes(p.name));
if (selected.length === 0) {
  console.error(`no package matches --only ${only.join(',')}; known: ${PACKAGES.map((p) => p.name).join(', ')}`);
  process.exit(1);
}
if (!fs.existsSync(path.join(repo, 'dist', 'index.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const started = performance.now();
const headCommit = run('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo }).stdout?.trim();
const rows = [];
for (const pkg of selected) {
  let row;
  try {
    row = await measure(pkg);
  } catch (error) {
    row = { package: `${pkg.name}@${pkg.version}`, shape: pkg.shape, errors: [String(error?.message ?? error).split('\n')[0]] };
  }
  row.commit = headCommit;
  row.date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  rows.push(row);
  // what is measured so far survives an interrupted run
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(`${outFile.replace(/\.md$/, '')}.partial.json`, `${JSON.stringify({ reruns, stryker: withStryker, rows }, null, 2)}\n`);
  log(pkg.name, row.errors.length ? `done with errors: ${row.errors.join('; ')}` : 'done');
}
const commit = headCommit;
const now = new Date().toISOString().slice(0, 16).replace('T', ' ');
const jsonFile = outFile.replace(/\.md$/, '') + '.json';
let allRows = rows;
const merged = [];
if (merge && fs.existsSync(jsonFile)) {
  const previous = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  if (previous.reruns !== reruns || previous.stryker !== withStryker) {
    log(`--merge: the previous run used --reruns ${previous.reruns}${previous.stryker ? '' : ' --no-stryker'}; not merging`);
  } else {
    allRows = PACKAGES.map((p) => {
      const id = `${p.name}@${p.version}`;
      const fresh = rows.find((r) => r.package === id);
      if (fresh) return fresh;
      const old = previous.rows.find((r) => r.package === id);
      if (old) merged.push(`${id} (commit ${old.commit}, ${old.date} UTC)`);
      return old;
    }).filter(Boolean);
  }
}
const header = [
  `Generator: tdd-fast ${require(path.join(repo, 'package.json')).version} at commit ${commit || 'unknown'}; ` +
    `${now} UTC; Node ${process.version}; ${os.cpus().length} cores; ` +
    `bench took ${((performance.now() - started) / 60000).toFixed(1)} min.`,
  `Command: npm run bench:generate${args.length ? ` -- ${args.join(' ')}` : ''}`,
  ...(merged.length ? [`Rows kept from the previous run (--merge): ${merged.join(', ')}.`] : []),
  '',
].join('\n');
const text = `${header}\n${table(allRows)}\n`;
console.log(text);
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, text);
fs.writeFileSync(jsonFile, `${JSON.stringify({ reruns, stryker: withStryker, rows: allRows }, null, 2)}\n`);
log(`written to ${path.relative(process.cwd(), outFile)} and ${path.basename(jsonFile)}`);
