#!/usr/bin/env node
/**
 * The CI guard of `tdd-fast generate` (run by .ci/run): a FIXED draw (the 4 packages of guard-packages.tsv, at exact
 * versions, installed from npm) and one app, measured by the bench without Stryker and with one run of the tests.
 * Fails (exit 1) when their median statements or branches fall more than TOLERANCE points below the figures in
 * guard-baseline.json, committed with the bench. `--update` rewrites the baseline from this run (do it in the commit
 * that changes the generator on purpose, and say why).
 *
 * `--result FILE.json` compares a saved run instead of running the bench; `--baseline FILE` reads another baseline.
 * Exit codes: 0 within the baseline, 1 below it, 2 the bench itself could not run (registry down, build missing).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const baselineFile = path.resolve(option('--baseline') ?? path.join(here, 'guard-baseline.json'));
const TOLERANCE = 5;
const GUARD_APP = 'store';
const update = process.argv.includes('--update');
const known = new Set(['--update', '--result', '--baseline']);
const stray = process.argv.slice(2).filter((a, i, all) => a.startsWith('--') ? !known.has(a) : !['--result', '--baseline'].includes(all[i - 1]));
if (stray.length) {
  console.error(`generate guard: unknown argument(s) ${stray.join(' ')}\nusage: node bench/generate/guard.mjs [--update] [--result FILE.json] [--baseline FILE.json]`);
  process.exit(2);
}
const out = path.join(repo, 'bench', 'results', 'generate-guard.md');
const saved = option('--result');
const jsonFile = saved ? path.resolve(saved) : out.replace(/\.md$/, '.json');

const started = performance.now();
const benchArgs = ['--corpus', path.join(here, 'guard-packages.tsv'), '--sample', '4', '--seed', '1', '--apps', GUARD_APP, '--reruns', '1', '--no-stryker', '--out', out];
// a saved run (--result) is compared as it is; otherwise the bench runs now, its table on stdout
const bench = saved ? { status: 0 } : spawnSync(process.execPath, [path.join(here, 'index.mjs'), ...benchArgs], { stdio: ['ignore', 'inherit', 'inherit'] });
const seconds = (performance.now() - started) / 1000;
if (bench.status !== 0 || !fs.existsSync(jsonFile)) {
  console.error(`generate guard: the bench did not finish (exit ${bench.status}); see its output above`);
  process.exit(2);
}
const { rows, summary } = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
const unmeasured = rows.filter((r) => r.notMeasured);
if (unmeasured.length) {
  console.error(`generate guard: not measured: ${unmeasured.map((r) => `${r.package} (${r.errors.join('; ')})`).join(', ')}`);
  process.exit(2);
}
const now = { statements: summary.statements, branches: summary.branches };
if (update) {
  const perTarget = Object.fromEntries(rows.map((r) => [r.package, { statements: r.statements, branches: r.branches }]));
  fs.writeFileSync(baselineFile, `${JSON.stringify({ median: now, perTarget, measured: new Date().toISOString().slice(0, 10) }, null, 2)}\n`);
  console.log(`generate guard: baseline written (${now.statements.toFixed(1)}% statements, ${now.branches.toFixed(1)}% branches) in ${seconds.toFixed(0)} s`);
  process.exit(0);
}
const baseline = JSON.parse(fs.readFileSync(baselineFile, 'utf8'));
const failures = ['statements', 'branches']
  .filter((k) => !(now[k] >= baseline.median[k] - TOLERANCE))
  .map((k) => `median ${k} ${now[k].toFixed(1)}% is more than ${TOLERANCE} points below the baseline's ${baseline.median[k].toFixed(1)}%`);
const line = `median statements ${now.statements.toFixed(1)}% (baseline ${baseline.median.statements.toFixed(1)}%), branches ${now.branches.toFixed(1)}% (baseline ${baseline.median.branches.toFixed(1)}%), ${seconds.toFixed(0)} s`;
if (failures.length) {
  console.error(`generate guard FAILED: ${failures.join('; ')}`);
  for (const r of rows) {
    const was = baseline.perTarget?.[r.package];
    if (was) console.error(`  ${r.package}: statements ${r.statements}% (was ${was.statements}%), branches ${r.branches}% (was ${was.branches}%)`);
  }
  process.exit(1);
}
console.log(`generate guard: ok: ${line}`);
