#!/usr/bin/env node
/**
 * `npm run bench:generate`: what `tdd-fast generate --record` gives a user on code it was not tuned on.
 *
 *   npm run bench:generate -- --sample 24 --seed N [--corpus FILE] [--no-apps] [--no-stryker]
 *   npm run bench:generate -- --apps-only
 *   npm run bench:generate -- --set bench|heldout|fresh [--only a,b]
 *
 * A draw (`--sample`) takes packages from the shared corpus (../shared/corpus/packages.tsv), a third of them
 * several-file TypeScript, deterministic for the seed; installs each from the npm registry into a fresh folder (its
 * dependencies and peers with it) and measures it (measure.mjs), then the application-style projects of
 * bench/generate/apps/. One target at a time, each step under a time limit; a target that fails is reported in its
 * row and the run goes on. Prints the table (table.mjs) and writes it as markdown and JSON.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { listApps, prepareApp } from './apps.mjs';
import { drawSample, dropCompiledSiblings, dropSourceMaps, installPackage, readCorpus, removeShippedTests, sourceFiles } from './corpus.mjs';
import { measure, repo, run } from './measure.mjs';
import { FRESH, HELD_OUT, PACKAGES as BENCH } from './packages.mjs';
import { prepareListed } from './sets.mjs';
import { summarize, table } from './table.mjs';

const require = createRequire(import.meta.url);
const corpora = path.join(repo, 'bench', '.corpora', 'generate');
const runsRoot = path.join(corpora, 'runs');

const USAGE = `usage: npm run bench:generate -- [options]
  --sample N --seed S      draw N packages from the corpus (a third several-file TypeScript), then the apps
  --corpus FILE            the corpus list (default ../shared/corpus/packages.tsv from the repo)
  --set bench|heldout|fresh  a named set of bench/generate/packages.mjs instead of a draw
  --only a,b               only these packages (names) of the draw or set; apps by their folder name
  --apps-only | --no-apps  only the apps of bench/generate/apps/, or none of them
  --apps a,b               with a draw: only these apps (folder names)
  --reruns N               runs of the generated tests for the pass rate (default 5)
  --no-stryker             skip Stryker (it runs on single-file packages of a draw)
  --time-budget S          generate --record's --time-budget (the search's wall time, default 180)
  --record-timeout MS      time limit of generate --record per target (default: the time budget plus 60 s for
                           analysis and the type check plus 5 s a file for the verify run)
  --stryker-timeout MS     time limit of Stryker per package (default 900000)
  --out FILE               markdown output (default bench/results/generate-<what>.md; rows also as .json)
  --render A.json[,B.json] print the table of rows earlier runs saved (B's rows replace A's of the same package)
  --verbose                progress on stderr even when it is not a terminal`;

function parseArgs(argv) {
  const flags = new Set(['--no-apps', '--apps-only', '--no-stryker', '--verbose', '--help', '-h']);
  const valued = new Set(['--apps', '--sample', '--seed', '--corpus', '--set', '--only', '--reruns', '--time-budget', '--record-timeout', '--stryker-timeout', '--out', '--render']);
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (flags.has(a)) options[a] = true;
    else if (valued.has(a)) {
      if (argv[i + 1] === undefined || argv[i + 1].startsWith('--')) throw new Error(`${a} needs a value`);
      options[a] = argv[++i];
    } else throw new Error(`unknown argument '${a}'`);
  }
  return options;
}

const integer = (value, name, min = 0) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min} (got '${value}')`);
  return n;
};

let args;
try {
  args = parseArgs(process.argv.slice(2));
  if (args['--sample'] !== undefined && args['--seed'] === undefined) throw new Error('--sample needs --seed (choose it before looking at the draw)');
  if (args['--sample'] !== undefined && args['--set'] !== undefined) throw new Error('--sample and --set exclude each other');
} catch (error) {
  console.error(`bench:generate: ${error.message}\n${USAGE}`);
  process.exit(2);
}
if (args['--help'] || args['-h']) {
  console.log(USAGE);
  process.exit(0);
}

const verbose = args['--verbose'] || (process.stderr.isTTY && process.env.CI !== 'true');
const log = (...parts) => {
  if (verbose) console.error(`[bench:generate ${new Date().toISOString().slice(11, 19)}]`, ...parts);
};

const settings = {
  reruns: integer(args['--reruns'] ?? 5, '--reruns', 1),
  stryker: !args['--no-stryker'],
  timeBudgetS: integer(args['--time-budget'] ?? 180, '--time-budget', 1),
  recordTimeoutMs: args['--record-timeout'] === undefined ? undefined : integer(args['--record-timeout'], '--record-timeout', 1000),
  strykerTimeoutMs: integer(args['--stryker-timeout'] ?? 900_000, '--stryker-timeout', 1000),
  log,
};

if (args['--render']) {
  // several files (comma-separated): the rows of a later file replace those of the same package in an earlier one
  const files = args['--render'].split(',');
  const saved = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
  const byPackage = new Map();
  for (const run of saved) for (const row of run.rows) byPackage.set(row.package, row);
  const rows = [...byPackage.values()];
  const headers = saved.map((run, i) => `${files[i]}:\n${run.header ?? ''}`).join('\n');
  const text = `${headers}\n\n${table(rows, saved.at(-1))}\n`;
  console.log(text);
  if (args['--out']) {
    fs.writeFileSync(path.resolve(args['--out']), text);
    fs.writeFileSync(`${path.resolve(args['--out']).replace(/\.md$/, '')}.json`, `${JSON.stringify({ header: headers, reruns: saved.at(-1).reruns, stryker: saved.at(-1).stryker, summary: summarize(rows), rows }, null, 2)}\n`);
  }
  process.exit(0);
}
if (!fs.existsSync(path.join(repo, 'dist', 'index.js'))) {
  console.error('bench:generate: dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const only = args['--only'] ? args['--only'].split(',').map((s) => s.trim()) : null;
const wanted = (name) => !only || only.includes(name);

/** Preparers: each returns a target for measure(), or throws (the row then says why). */
const jobs = [];
let what;
if (args['--sample'] !== undefined) {
  const size = integer(args['--sample'], '--sample', 1);
  const seed = integer(args['--seed'], '--seed');
  const corpusFile = path.resolve(args['--corpus'] ?? path.join(repo, '..', 'shared', 'corpus', 'packages.tsv'));
  let corpus;
  try {
    corpus = readCorpus(corpusFile);
  } catch (error) {
    console.error(`bench:generate: ${error.message}`);
    process.exit(2);
  }
  what = `seed${seed}-n${size}`;
  for (const pkg of drawSample(corpus, size, seed)) {
    if (!wanted(pkg.name)) continue;
    jobs.push({
      id: `${pkg.name}@${pkg.version}`,
      kind: pkg.kind,
      prepare: () => {
        const pristine = installPackage(pkg, path.join(corpora, 'installed'));
        const dir = path.join(runsRoot, `${pkg.name.replace(/^@/, '').replace(/\//g, '+')}@${pkg.version}`);
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(runsRoot, { recursive: true });
        fs.cpSync(pristine, dir, { recursive: true });
        const removed = removeShippedTests(dir, pkg.source);
        const { files, total, capped } = sourceFiles(dir, pkg.source, seed);
        dropSourceMaps(dir, files);
        dropCompiledSiblings(dir, files);
        return {
          id: `${pkg.name}@${pkg.version}`,
          kind: pkg.kind,
          shape: pkg.note,
          dir,
          files,
          mutate: files.length === 1,
          extra: { totalFiles: total, capped, ...(removed.length ? { removedTests: removed.length } : {}) },
        };
      },
    });
  }
} else if (args['--set'] !== undefined || !args['--apps-only']) {
  const SETS = { bench: BENCH, heldout: HELD_OUT, fresh: FRESH };
  const setName = args['--set'] ?? 'bench';
  if (!SETS[setName]) {
    console.error(`bench:generate: unknown --set '${setName}' (expected ${Object.keys(SETS).join(', ')})\n${USAGE}`);
    process.exit(2);
  }
  what = setName;
  for (const pkg of SETS[setName]) {
    if (wanted(pkg.name)) jobs.push({ id: `${pkg.name}@${pkg.version}`, kind: pkg.shape, prepare: () => prepareListed(pkg, corpora) });
  }
} else {
  what = 'apps';
}
const withApps = args['--apps-only'] || (args['--sample'] !== undefined && !args['--no-apps']);
if (withApps) {
  const appNames = args['--apps'] ? args['--apps'].split(',').map((s) => s.trim()) : null;
  const unknown = (appNames ?? []).filter((n) => !listApps().includes(n));
  if (unknown.length) {
    console.error(`bench:generate: no app ${unknown.join(', ')} in bench/generate/apps (known: ${listApps().join(', ')})`);
    process.exit(2);
  }
  for (const name of listApps()) {
    if (appNames && !appNames.includes(name)) continue;
    if (args['--apps-only'] && only && !only.includes(name)) continue;
    jobs.push({ id: `app:${name}`, kind: 'app', prepare: () => prepareApp(name, runsRoot) });
  }
}
if (jobs.length === 0) {
  console.error(`bench:generate: nothing to measure${only ? ` (--only ${only.join(',')} matches nothing)` : ''}`);
  process.exit(2);
}

const outFile = path.resolve(args['--out'] ?? path.join(repo, 'bench', 'results', `generate-${what}.md`));
const jsonFile = `${outFile.replace(/\.md$/, '')}.json`;
const started = performance.now();
const commit = run('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo }).stdout?.trim() || 'unknown';
const load = () => os.loadavg().map((n) => n.toFixed(1)).join(' ');
const header = () =>
  [
    `Generator: tdd-fast ${require(path.join(repo, 'package.json')).version} at commit ${commit}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ` +
      `Node ${process.version}; ${os.cpus().length} cores; load average at the end ${load()}; took ${((performance.now() - started) / 60000).toFixed(1)} min.`,
    `Command: npm run bench:generate -- ${process.argv.slice(2).join(' ')}`,
  ].join('\n');

const rows = [];
const save = (file) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ header: header(), reruns: settings.reruns, stryker: settings.stryker, summary: summarize(rows), rows }, null, 2)}\n`);
};
log(`${jobs.length} target(s): ${jobs.map((j) => j.id).join(', ')}; load average ${load()}`);
for (const job of jobs) {
  const jobStarted = performance.now();
  let row;
  try {
    const target = job.prepare();
    row = { ...(await measure(target, settings)), kind: target.kind ?? job.kind, ...(target.extra ?? {}) };
  } catch (error) {
    // not installed or not prepared: a fault of the bench or the registry, not a number of the generator's (the
    // row shows it, the medians leave it out)
    row = { package: job.id, kind: job.kind, notMeasured: true, errors: [String(error?.message ?? error).split('\n')[0]] };
  }
  row.totalS = (performance.now() - jobStarted) / 1000;
  rows.push(row);
  save(`${outFile.replace(/\.md$/, '')}.partial.json`); // what is measured so far survives an interrupted run
  log(job.id, `done in ${row.totalS.toFixed(0)} s${row.errors.length ? ` with errors: ${row.errors.join('; ').slice(0, 300)}` : ''}`);
}
const text = `${header()}\n\n${table(rows, settings)}\n`;
console.log(text);
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, text);
save(jsonFile);
fs.rmSync(`${outFile.replace(/\.md$/, '')}.partial.json`, { force: true });
log(`written to ${path.relative(process.cwd(), outFile)} and ${path.basename(jsonFile)}`);
