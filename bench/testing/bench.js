// tdd-fast/testing micro-benchmarks: template clone latency, pool acquire latency, reporter overhead per test.
// Run after `npm run build:ts`:  node --expose-gc bench/testing/bench.js
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { SqliteTemplate, ConnectionPool, PerfReporter, percentile } = require('../../dist/testing');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-bench-'));
const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(3)} ms`);
const results = {};

function measure(iterations, fn) {
  const times = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    times[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

// 1. fresh() at three template sizes: a realistic schema plus rows until the image reaches the target size.
const DDL = `
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL, name TEXT NOT NULL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), title TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX posts_by_user ON posts(user_id);`;
for (const [label, bytes] of [['100 KB', 100e3], ['1 MB', 1e6], ['5 MB', 5e6]]) {
  const rows = Math.round(bytes / 230);
  const template = SqliteTemplate.fromSchema(DDL, {
    cacheDir: tmp,
    name: `bench-${label.replace(' ', '')}`,
    cacheKey: String(rows),
    seed: new Function('db', `
      const u = db.prepare('INSERT INTO users (email, name) VALUES (?, ?)');
      const p = db.prepare('INSERT INTO posts (user_id, title, body) VALUES (?, ?, ?)');
      db.transaction(() => { for (let i = 1; i <= ${rows}; i++) { u.run('u' + i + '@x.io', 'User ' + i); p.run(i, 'Post ' + i, 'x'.repeat(120)); } })();`),
  });
  const iterations = bytes >= 5e6 ? 400 : 2000;
  for (let i = 0; i < 50; i++) template.fresh().close(); // warm-up
  const r = measure(iterations, () => template.fresh().close());
  const size = template.stats().imageBytes;
  results[`fresh ${label}`] = { imageBytes: size, ...r };
  console.log(`fresh() ${label.padEnd(6)} image ${(size / 1e6).toFixed(2)} MB  p50 ${fmt(r.p50)}  p99 ${fmt(r.p99)}  (${iterations} clones, incl. close)`);
}

// 2. Pool acquire + release on a file-backed database.
{
  const file = path.join(tmp, 'pool.sqlite');
  SqliteTemplate.fromSchema(DDL, { cacheDir: tmp, name: 'pool' }).freshFile(file).close();
  const pool = new ConnectionPool({ filename: file, min: 4, max: 4, healthCheckIdleMs: 1000 });
  const times = new Float64Array(20000);
  (async () => {
    for (let i = 0; i < times.length; i++) {
      const start = process.hrtime.bigint();
      const c = await pool.acquire();
      times[i] = Number(process.hrtime.bigint() - start) / 1e6;
      c.release();
    }
    const checked = new ConnectionPool({ filename: file, min: 1, max: 1 });
    const withCheck = new Float64Array(20000);
    for (let i = 0; i < withCheck.length; i++) {
      const start = process.hrtime.bigint();
      const c = await checked.acquire();
      withCheck[i] = Number(process.hrtime.bigint() - start) / 1e6;
      c.release();
    }
    pool.close();
    checked.close();
    results.poolAcquire = { p50: percentile(times, 50), p99: percentile(times, 99) };
    results.poolAcquireHealthChecked = { p50: percentile(withCheck, 50), p99: percentile(withCheck, 99) };
    console.log(`pool acquire (health check when idle >1 s)  p50 ${fmt(results.poolAcquire.p50)}  p99 ${fmt(results.poolAcquire.p99)}`);
    console.log(`pool acquire (health check every time)      p50 ${fmt(results.poolAcquireHealthChecked.p50)}  p99 ${fmt(results.poolAcquireHealthChecked.p99)}`);

    // 3. Reporter overhead per test: the per-test hook plus that test's share of the end-of-run write and analysis,
    //    with a history that already holds 20 runs of a 1,000-test suite.
    const historyPath = path.join(tmp, 'history.sqlite');
    const reporter = new PerfReporter({ historyPath, console: false, budgetMs: 100 });
    const tests = Array.from({ length: 1000 }, (_, i) => ({
      name: `t${i}`,
      fullName: `suite ${i % 20} > t${i}`,
      module: { moduleId: `/project/test/f${i % 40}.test.ts` },
      result: () => ({ state: 'passed' }),
      diagnostic: () => ({ duration: 5 + (i % 50), retryCount: 0, repeatCount: 0, heap: undefined }),
      meta: () => ({}),
    }));
    const perRun = [];
    const hookOnly = [];
    for (let run = 0; run < 25; run++) {
      reporter.onInit({ config: { root: '/project' }, logger: { log() {} } });
      reporter.onTestRunStart();
      const start = process.hrtime.bigint();
      for (const t of tests) reporter.onTestCaseResult(t);
      const afterHooks = process.hrtime.bigint();
      reporter.onTestRunEnd([], [], 'passed');
      const end = process.hrtime.bigint();
      if (run >= 20) {
        hookOnly.push(Number(afterHooks - start) / 1e6 / tests.length);
        perRun.push(Number(end - start) / 1e6 / tests.length);
      }
    }
    results.reporterPerTest = { hookMs: percentile(hookOnly, 50), totalMs: percentile(perRun, 50) };
    console.log(`reporter overhead per test: hook ${fmt(results.reporterPerTest.hookMs)}, hook + share of run-end ${fmt(results.reporterPerTest.totalMs)} (1,000-test suite, 20 runs of history)`);
    fs.rmSync(tmp, { recursive: true, force: true });
    if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
  })();
}
