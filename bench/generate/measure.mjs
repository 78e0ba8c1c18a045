/**
 * One target measured: `tdd-fast generate --record` on its source files in a fresh copy, then what a user would check
 * of the result. A target is { id, shape, dir, files, appConfig? }: `dir` a fresh copy nobody generated into yet,
 * `files` its source files relative to `dir`, `appConfig` the project's own vitest config (the generated tests then
 * run under it, aliases and all).
 *
 * `mutate`: Stryker runs on it (single-file packages of a draw; every package of a named set). Each step has a time limit; a step that fails is written into the row's `errors` and the next step still runs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { filesExportingCode } from './exports-code.mjs';
import { measuredFiles } from './measured-files.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const cliBin = path.join(repo, 'bin', 'tdd-fast.js');
const vitestBin = path.join(repo, 'node_modules', 'vitest', 'vitest.mjs');
const tscBin = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const strykerBin = path.join(repo, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
// Stryker loads plugins by import specifier; the measured copies have no vitest-runner of their own
const strykerVitestRunner = path.join(repo, 'node_modules', '@stryker-mutator', 'vitest-runner', 'dist', 'src', 'index.js');

export function run(command, argv, options = {}) {
  const started = performance.now();
  const result = spawnSync(command, argv, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    killSignal: 'SIGKILL',
    ...options,
    env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...(options.env ?? {}) },
  });
  return { ...result, ms: performance.now() - started };
}

export function lastLines(text, n = 3) {
  return String(text ?? '')
    .trim()
    .split('\n')
    .filter(Boolean)
    .slice(-n)
    .join(' / ');
}

const firstLine = (error) => String(error?.message ?? error).split('\n')[0];
const timedOut = (result) => result.error?.code === 'ETIMEDOUT';

export const median = (values) => {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};

export function generatedTestFiles(dir) {
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

/** Files the generator's search writes beside a source while it runs (`x.tdd-fast-search.mts`); none may remain. */
function leftoverFiles(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tdd-fast-search\./.test(entry.name)) found.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return found;
}

// -------------------------------------------------------------------------------------------------------------- vitest
/** Only the generated tests run; an application's own config (aliases, plugins, environment) applies underneath. */
function writeVitestConfig(dir, appConfig) {
  const test = `{
    include: ['**/*.generated.test.{js,mjs,cjs,ts,mts,cts,jsx,tsx}'],
    exclude: ['**/node_modules/**', '**/.stryker-tmp/**'],
    includeTaskLocation: true,
    testTimeout: 5000,
    hookTimeout: 5000,
    pool: 'forks',
    maxWorkers: 2,
  }`;
  if (appConfig) {
    const file = 'vitest.bench.config.mts';
    fs.writeFileSync(
      path.join(dir, file),
      `// written by bench/generate: the project's own config, running only the tests tdd-fast generated
import { mergeConfig } from 'vitest/config';
import project from './${appConfig}';
export default mergeConfig(project, { test: ${test} }, false);
`,
    );
    return file;
  }
  const file = 'vitest.bench.config.mjs';
  fs.writeFileSync(path.join(dir, file), `// written by bench/generate: runs only the tests tdd-fast generated\nexport default { test: ${test} };\n`);
  return file;
}

function runVitest(dir, config, extra = [], timeout = 180_000) {
  const out = path.join(dir, '.bench-vitest-report.json');
  fs.rmSync(out, { force: true });
  const result = run(process.execPath, [vitestBin, 'run', '--config', config, '--reporter=json', `--outputFile=${out}`, ...extra], { cwd: dir, timeout });
  let report = null;
  try {
    report = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : null;
  } catch {
    report = null;
  }
  return { report, result };
}

const KEPT = new Set(['passed', 'failed']);

/** One entry per non-todo, non-skipped test: key -> { passed, file, line, title }. Also files that failed to load. */
function testOutcomes(report) {
  const tests = new Map();
  const loadErrors = [];
  for (const file of report?.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
      // the first line says what failed; vitest's last lines are a location
      const reason = String(file.message ?? '').split('\n').find((l) => l.trim()) ?? 'failed to load';
      loadErrors.push(`${path.basename(file.name)}: ${reason.trim().slice(0, 200)}`);
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

// ---------------------------------------------------------------------------------------------------- emitted files
let oxc;
/** The file's syntax errors when parsed as the language of its extension (oxc, as the core parses). */
function parseErrors(file) {
  oxc ??= require('oxc-parser');
  const { errors } = oxc.parseSync(file, fs.readFileSync(file, 'utf8'), { sourceType: 'module' });
  return errors.map((e) => e.message);
}

/** Every `it(...)` / `test(...)` call of a test file: its line and its text. */
function testCalls(file) {
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
    for (const key of Object.keys(node)) if (key !== 'type' && key !== 'start' && key !== 'end') visit(node[key]);
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
  const calls = [];
  for (const t of tests.values()) {
    if (!byFile.has(t.file)) {
      try {
        byFile.set(t.file, testCalls(t.file));
      } catch {
        byFile.set(t.file, []);
      }
    }
    // vitest reports the line of the test's own call; of the calls on that line, the innermost (last) is the test
    const call = byFile.get(t.file).filter((c) => c.line === t.line).pop();
    if (!call) continue;
    matched++;
    if (THROWS.test(call.text)) {
      throwing++;
      calls.push({ file: t.file, line: call.line, endLine: call.line + count(call.text, /\n/g), text: call.text });
    }
  }
  return { share: matched ? (100 * throwing) / matched : NaN, count: throwing, calls };
}

const count = (text, re) => (text.match(re) ?? []).length;

/** A TODO's reason without the names in it, so reasons of one kind count together. */
const reasonClass = (reason) =>
  reason
    .replace(/(?:\/[\w.@+-]+)+/g, '<path>')
    .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "'…'")
    .replace(/\b\d+(?:\.\d+)?\b/g, 'N')
    .slice(0, 140);

/** What a reviewer sees in the emitted files: TODOs and their reasons, `as never`, files that do not parse. */
function inspectEmitted(dir, testFiles) {
  const out = { todo: 0, asNever: 0, unparsable: 0, unparsableExamples: [], todoReasons: [] };
  const reasons = new Map();
  for (const file of testFiles) {
    const text = fs.readFileSync(file, 'utf8');
    out.todo += count(text, /\b(?:it|test)\.todo\s*\(/g);
    for (const m of text.matchAll(/TODO\(tdd-fast\): (.*)/g)) {
      const key = reasonClass(m[1]);
      const seen = reasons.get(key) ?? { reason: key, count: 0, example: m[1].replaceAll(dir + path.sep, '').slice(0, 220) };
      seen.count++;
      reasons.set(key, seen);
    }
    out.asNever += count(text, /\bas never\b/g);
    const errors = parseErrors(file);
    if (errors.length) {
      out.unparsable++;
      out.unparsableExamples.push(`${path.relative(dir, file)}: ${errors[0]}`);
    }
  }
  out.todoReasons = [...reasons.values()].sort((a, b) => b.count - a.count).slice(0, 5);
  return out;
}

/**
 * `tsc --noEmit --strict` over the generated TypeScript files: under the project's tsconfig when it has one (an
 * application; its declaration files come along, as `tsc -p` has them), else the standalone options the generator's
 * own type check uses (ts/generate/typecheck-config.ts, so the two cannot drift apart). Only errors inside generated
 * files are counted.
 */
function typecheck(dir, testFiles, useProjectTsconfig) {
  const tsFiles = testFiles.filter((f) => /\.[cm]?tsx?$/.test(f));
  if (tsFiles.length === 0) return { tsFiles: 0, tsErrors: 0, tsErrorFiles: 0, tsExamples: [], errorLines: [] };
  const include = tsFiles.map((f) => path.relative(dir, f));
  const { STANDALONE_OPTIONS, FORCED_OPTIONS, standaloneTypes, loadTypescript, configFor, ambientFiles } = require(path.join(repo, 'dist', 'generate', 'typecheck-config.js'));
  // skipLibCheck: errors inside libraries' declarations are not counted anyway, and checking them costs minutes
  const strict = { ...FORCED_OPTIONS, skipLibCheck: true };
  const ambient = () => {
    const ts = loadTypescript(dir);
    const config = ts && configFor(ts, path.join(dir, 'tsconfig.json'));
    return config ? ambientFiles(config).map((f) => path.relative(dir, f)) : [];
  };
  const config = useProjectTsconfig
    ? { extends: './tsconfig.json', compilerOptions: strict, include, files: ambient() }
    : { compilerOptions: { ...STANDALONE_OPTIONS, ...strict, types: standaloneTypes(dir) }, include };
  fs.writeFileSync(path.join(dir, 'tsconfig.bench.json'), `${JSON.stringify(config, null, 2)}\n`);
  const result = run(process.execPath, [tscBin, '-p', 'tsconfig.bench.json', '--pretty', 'false'], { cwd: dir, timeout: 300_000 });
  if (timedOut(result)) return { tsFiles: tsFiles.length, tsErrors: NaN, tsErrorFiles: NaN, tsExamples: ['tsc timed out'], errorLines: [] };
  const generated = new Set(include.map((f) => f.replace(/\\/g, '/')));
  const errors = [];
  for (const line of result.stdout.split('\n')) {
    const m = /^(.+?)\((\d+),\d+\): error (TS\d+: .*)$/.exec(line);
    if (m && generated.has(m[1].replace(/\\/g, '/'))) errors.push({ file: path.resolve(dir, m[1]), line: Number(m[2]), text: m[3] });
  }
  const configError = /^error TS\d+/m.test(result.stdout) ? lastLines(result.stdout.match(/^error TS.*$/m)?.[0], 1) : null;
  // a config tsc cannot use checks nothing: no count rather than a false 0
  if (configError) return { tsFiles: tsFiles.length, tsErrors: NaN, tsErrorFiles: NaN, tsExamples: [`tsc: ${configError}`], errorLines: [] };
  return {
    tsFiles: tsFiles.length,
    tsErrors: errors.length,
    tsErrorFiles: new Set(errors.map((e) => e.file)).size,
    tsExamples: [...errors.slice(0, 3).map((e) => `${path.relative(dir, e.file)}: ${e.text.slice(0, 160)}`)],
    errorLines: errors.map((e) => ({ file: e.file, line: e.line })),
  };
}

// ------------------------------------------------------------------------------------------------------------- stryker
function runStryker(target, dir, config, timeout) {
  const reportFile = path.join('reports', 'bench-mutation.json');
  const strykerConfig = {
    testRunner: 'vitest',
    plugins: [strykerVitestRunner],
    vitest: { configFile: config, related: false },
    mutate: target.files,
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
  fs.writeFileSync(path.join(dir, 'stryker.bench.config.json'), `${JSON.stringify(strykerConfig, null, 2)}\n`);
  // progress goes to a log in the copy (`tail -f` it during a long run)
  const logFd = fs.openSync(path.join(dir, 'stryker.bench.log'), 'w');
  const result = run('nice', ['-n', '10', process.execPath, strykerBin, 'run', 'stryker.bench.config.json'], { cwd: dir, timeout, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const file = path.join(dir, reportFile);
  if (!fs.existsSync(file)) {
    const why = timedOut(result) ? `timed out after ${timeout / 1000} s` : lastLines(fs.readFileSync(path.join(dir, 'stryker.bench.log'), 'utf8'), 2).slice(0, 200);
    return { error: `stryker: ${why}`, ms: result.ms };
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const counts = {};
  for (const f of Object.values(report.files ?? {})) for (const m of f.mutants ?? []) counts[m.status] = (counts[m.status] ?? 0) + 1;
  const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  return { score: valid ? (100 * detected) / valid : NaN, mutants: valid, ms: result.ms };
}

// ------------------------------------------------------------------------------------------------------------ measure
let api;
/** Static generation (nothing run, nothing written): functions planned per file, and ms per function. */
async function staticGeneration(dir, files, runs) {
  api ??= require(path.join(repo, 'dist', 'index.js'));
  const times = [];
  let planned = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    planned = await api.generateTestsBatch(files, { root: dir, dryRun: true });
    times.push(performance.now() - started);
  }
  const functions = planned.reduce((n, r) => n + (r.functions ?? 0), 0);
  const perFile = new Map(planned.map((r) => [path.resolve(dir, r.file), r.functions ?? 0]));
  return { functions, msPerFunction: functions ? median(times) / functions : NaN, perFile };
}

/**
 * The time limit of one target's `generate --record`: the search's own wall-clock backstop (its `--time-budget`
 * counts CPU time, and the generator ends the search after 4 budgets of wall time whatever the load) plus what comes
 * after it, the analysis and the type check (60 s) and the verify run (5 s a file), so a target is cut only when the
 * generator overran its own limits, never because the machine was loaded.
 */
export function recordLimitMs(budgetS, files) {
  return (4 * budgetS + 60 + 5 * files) * 1000;
}

/**
 * Measures one target. options: { reruns, stryker (boolean), timeBudgetS, recordTimeoutMs, strykerTimeoutMs, staticRuns,
 * log }.
 * Never throws for a step that fails: the row's `errors` says which step and why.
 */
export async function measure(target, options) {
  const { reruns, log } = options;
  const row = { package: target.id, shape: target.shape, files: target.files.length, errors: [] };
  if (target.note) row.note = target.note;
  const dir = target.dir;
  const files = target.files.map((f) => path.join(dir, f));
  let perFile = new Map();
  let exporting = new Map();
  let measured = files;

  try {
    const s = await staticGeneration(dir, files, options.staticRuns ?? 3);
    Object.assign(row, { functions: s.functions, msPerFunction: s.msPerFunction });
    perFile = s.perFile;
    exporting = await filesExportingCode(api, files, dir);
    measured = await measuredFiles(api, files, dir);
    row.measuredFiles = measured.length;
  } catch (error) {
    row.errors.push(`static generation: ${firstLine(error)}`);
  }
  // a file counts unless the core saw it export only types and constants (see exports-code.mjs)
  const exportsCode = (f, generated) => (perFile.get(f) ?? 0) > 0 || Boolean(generated) || exporting.get(f) !== false;
  row.typesOnlyFiles = files.filter((f) => !exportsCode(f, null)).length;

  log(target.id, `generate --record (${target.files.length} file(s))`);
  const budgetS = options.timeBudgetS ?? 180;
  const recordTimeoutMs = options.recordTimeoutMs ?? recordLimitMs(budgetS, target.files.length);
  const recorded = run(process.execPath, [cliBin, 'generate', ...target.files, '--record', '--time-budget', String(budgetS)], { cwd: dir, timeout: recordTimeoutMs });
  row.recordS = recorded.ms / 1000;
  const testFiles = generatedTestFiles(dir);
  row.emitted = testFiles.length;
  const leftovers = leftoverFiles(dir);
  if (leftovers.length) row.errors.push(`generate left ${leftovers.length} temporary file(s) in the project: ${leftovers.slice(0, 2).join(', ')}`);
  if (recorded.status !== 0 || testFiles.length === 0) {
    const why = timedOut(recorded) ? `timed out after ${recordTimeoutMs / 1000} s` : `exit ${recorded.status}`;
    row.errors.push(`generate --record: ${why}: ${lastLines(recorded.stderr || recorded.stdout, 2).slice(0, 240)}`);
  }
  Object.assign(row, inspectEmitted(dir, testFiles));
  if (testFiles.length === 0) {
    // nothing generated: no test covers or kills anything (counted as 0, not left out of the medians)
    const zero = files.filter((f) => exportsCode(f, null));
    Object.assign(row, { kept: 0, statements: 0, branches: 0, zeroTestFiles: zero.length });
    if (zero.length) row.zeroTestExamples = zero.slice(0, 5).map((f) => path.relative(dir, f));
    if (options.stryker && target.mutate) row.mutation = 0;
    return row;
  }

  const config = writeVitestConfig(dir, target.appConfig);
  log(target.id, `${reruns} run(s) of ${testFiles.length} generated file(s), the first with coverage`);
  const passesEveryRun = new Map();
  const loadErrors = new Set();
  let first;
  // the first run also measures coverage (one vitest start less per target)
  const coverageDir = path.join(dir, '.bench-coverage');
  const coverageArgs = [
    '--coverage.enabled',
    '--coverage.provider=v8',
    '--coverage.reporter=json-summary',
    // a generated file that cannot load (its error is in the row) must not hide the coverage of the others
    '--coverage.reportOnFailure',
    `--coverage.reportsDirectory=${coverageDir}`,
    // absolute paths: vitest matches an include as a substring (`index.js` would take in `inverted-index.js` too)
    ...measured.map((f) => `--coverage.include=${f}`),
  ];
  let covered;
  for (let i = 0; i < reruns; i++) {
    const { report, result } = runVitest(dir, config, i === 0 ? coverageArgs : []);
    if (i === 0) covered = { report, result };
    if (!report) {
      row.errors.push(`vitest run ${i + 1}: ${timedOut(result) ? 'timed out' : `no report: ${lastLines(result.stderr, 2).slice(0, 200)}`}`);
      if (timedOut(result)) break;
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
  row.passRate = row.kept ? (100 * [...passesEveryRun.values()].filter(Boolean).length) / row.kept : NaN;
  const throws = first ? throwShare(first.tests) : { share: NaN, count: NaN, calls: [] };
  row.throwShare = throws.share;
  row.throws = throws.count;
  // source files that export code (the generator planned functions for them, wrote a file for them, or the core saw
  // them export a function, a class or a barrel of them) and ended with no kept test
  const keptPerGenerated = new Map();
  for (const t of first?.tests.values() ?? []) keptPerGenerated.set(t.file, (keptPerGenerated.get(t.file) ?? 0) + 1);
  const zero = [];
  for (const f of files) {
    const generated = testFiles.find((g) => g.replace(/\.generated\.test\.[^.]+$/, '') === f.replace(/\.[^./]+$/, ''));
    if (exportsCode(f, generated) && !(generated && keptPerGenerated.get(generated))) zero.push(path.relative(dir, f));
  }
  row.zeroTestFiles = zero.length;
  if (zero.length) row.zeroTestExamples = zero;

  const summaryFile = path.join(coverageDir, 'coverage-summary.json');
  if (fs.existsSync(summaryFile)) {
    const total = JSON.parse(fs.readFileSync(summaryFile, 'utf8')).total;
    if (total.statements.total === 0) {
      // nothing of the measured files reached the report (e.g. coverage mapped elsewhere): a fault of the bench
      row.errors.push('coverage: the report holds no statement of the measured files');
    } else {
      row.statements = total.statements.pct;
      row.branches = total.branches.total === 0 ? 100 : total.branches.pct;
    }
  } else {
    row.errors.push(`coverage: ${timedOut(covered.result) ? 'timed out' : 'no summary written'}`);
  }

  log(target.id, 'tsc --noEmit --strict');
  const { errorLines, ...checked } = typecheck(dir, testFiles, Boolean(target.appConfig));
  Object.assign(row, checked);
  // a test expecting a throw whose call does not type-check (or hides that with `as never`) provoked the throw with
  // an argument of the wrong type; plain JavaScript files have no tsc, only the `as never` sign
  const illTyped = throws.calls.filter(
    (c) => /\bas never\b/.test(c.text) || errorLines.some((e) => e.file === path.resolve(c.file) && e.line >= c.line && e.line <= c.endLine),
  );
  row.illTypedThrows = illTyped.length;
  if (illTyped.length) row.illTypedThrowExamples = illTyped.slice(0, 3).map((c) => `${path.relative(dir, c.file)}:${c.line}`);

  if (options.stryker && target.mutate) {
    if (row.kept === 0) row.mutation = 0;
    else {
      log(target.id, 'stryker');
      const s = runStryker(target, dir, config, options.strykerTimeoutMs);
      row.strykerS = s.ms / 1000;
      if (s.error) row.errors.push(s.error);
      else Object.assign(row, { mutation: s.score, mutants: s.mutants });
    }
  }
  return row;
}
