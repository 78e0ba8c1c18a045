// The example shop suite on PostgreSQL, side by side in one run: PostgresTemplate (clones made ahead), its reset
// mode (released databases reset in place), transaction mode, one DDL replay per test, and one plain clone per test
// (pgtestdb's way); optionally PGlite.
//   node bench/testing/pg-suite.mjs [--modes template,transaction,replay,clone,reset] [--rounds 1] [--suite shop|writes3]
// --suite writes3: 200 tests that each write to three seeded tables (examples/shop/pg/writes) instead of the shop's.
// The reset's cost over the transaction floor, (wall - transaction wall) / tests, is printed when both ran.
// Uses TDD_FAST_PG_URL when set, else starts a throwaway server (needs `npm run build:ts` first).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { startPostgres } = require(path.join(repo, 'dist', 'testing'));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const modes = arg('modes', 'template,transaction,replay,clone').split(',');
const rounds = Number(arg('rounds', '1'));
const suite = arg('suite', 'shop');
if (suite !== 'shop' && suite !== 'writes3') throw new Error(`--suite shop|writes3, not ${suite}`);

let server = null;
let url = process.env.TDD_FAST_PG_URL;
if (!url) {
  server = await startPostgres();
  url = server.url;
}
console.log(`server ${url}${server ? ` (started, PostgreSQL ${server.version}, data ${server.dataDir})` : ''}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

// Build the template once before timing, so every mode starts from a warm cache like a second run would.
const vitest = path.join(repo, 'node_modules', 'vitest', 'vitest.mjs');
const config = path.join(repo, 'examples', 'shop', 'vitest.pg.config.ts');
function run(mode, files = []) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [vitest, 'run', '--config', config, '--reporter=json', `--outputFile=${path.join(os.tmpdir(), `tdd-fast-pg-suite-${mode}.json`)}`, ...files], {
    cwd: repo,
    env: { ...process.env, TDD_FAST_PG_URL: url, SHOP_PG_MODE: mode, SHOP_PG_SUITE: suite, SHOP_QUIET: '1', TDD_FAST_PERF_MONITOR: '0' },
    encoding: 'utf8',
    timeout: 3_600_000,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  let tests = 0;
  let failed = 0;
  let testMs = 0;
  try {
    const report = JSON.parse(fs.readFileSync(path.join(os.tmpdir(), `tdd-fast-pg-suite-${mode}.json`), 'utf8'));
    tests = report.numTotalTests;
    failed = report.numFailedTests;
    for (const file of report.testResults) for (const t of file.assertionResults) testMs += t.duration ?? 0;
  } catch {
    failed = -1;
  }
  if (result.status !== 0) console.log(`  ${mode}: vitest exited ${result.status}\n${(result.stderr || '').slice(-2000)}`);
  return { mode, wallMs, tests, failed, testMs };
}

// Warm-up: one file per mode builds its template if needed (the reset mode's template carries its tracking, so it is
// another template).
for (const mode of modes) run(mode, [suite === 'shop' ? 'isolation' : 'writes-1']);
const results = [];
for (let round = 0; round < rounds; round++) for (const mode of modes) results.push(run(mode));
const byMode = new Map();
for (const r of results) byMode.set(r.mode, [...(byMode.get(r.mode) ?? []), r]);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = {};
console.log('\nmode          tests  failed   wall (s, median)   sum of test durations (s)   walls of each round (s)');
for (const [mode, rs] of byMode) {
  const wall = median(rs.map((r) => r.wallMs));
  const testMs = median(rs.map((r) => r.testMs));
  summary[mode] = { wallMs: wall, testMs, tests: rs[0].tests, failed: rs.reduce((a, r) => a + r.failed, 0), walls: rs.map((r) => Math.round(r.wallMs)) };
  const walls = rs.map((r) => (r.wallMs / 1000).toFixed(1)).join(' / ');
  console.log(`${mode.padEnd(12)} ${String(rs[0].tests).padStart(6)} ${String(summary[mode].failed).padStart(7)} ${(wall / 1000).toFixed(1).padStart(10)} ${(testMs / 1000).toFixed(1).padStart(20)}   ${walls}`);
}
const ratio = (a, b) => (summary[a] && summary[b] ? (summary[b].wallMs / summary[a].wallMs).toFixed(1) : 'n/a');
console.log(`\nPostgresTemplate vs DDL replay per test: ${ratio('template', 'replay')}x faster (wall); vs clone per test: ${ratio('template', 'clone')}x`);
console.log(`transaction mode vs DDL replay per test: ${ratio('transaction', 'replay')}x faster (wall); vs clone per test: ${ratio('transaction', 'clone')}x`);
if (summary.reset && summary.transaction) {
  const perTest = (summary.reset.wallMs - summary.transaction.wallMs) / summary.reset.tests;
  console.log(`reset over the transaction floor: ${perTest.toFixed(1)} ms a test ((reset wall - transaction wall) / tests, suite ${suite})`);
}
if (summary.template && summary.transaction) {
  const perTest = (summary.template.wallMs - summary.transaction.wallMs) / summary.template.tests;
  console.log(`clone per test (template) over the transaction floor: ${perTest.toFixed(1)} ms a test`);
}
console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(summary, null, 2));
await server?.stop();
