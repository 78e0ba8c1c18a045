// The first tests after create(): the time of each of the first 60 fresh() handouts (a test each: a few queries and
// a body of --body-ms), and how long create() took. Before create() waited for its first clones, the first tests
// paid for the initial fill. Each round is a new PostgresTemplate on a template already on the server (as in every
// run after the first).
//   npm run build:ts && node bench/testing/pg-first-handouts.js [--rounds 5] [--tests 60] [--body-ms 100] [--dist <dist/testing>]
// Uses TDD_FAST_PG_URL when set, else starts a throwaway server. Prints one line per round and a JSON summary.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const rounds = Number(arg('rounds', '5'));
const tests = Number(arg('tests', '60'));
const bodyMs = Number(arg('body-ms', '100'));
const dist = path.resolve(arg('dist', path.join(__dirname, '..', '..', 'dist', 'testing')));
const { PostgresTemplate, startPostgres } = require(dist);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const msSince = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const SCHEMA = `
CREATE TABLE customers (id serial PRIMARY KEY, email text UNIQUE NOT NULL, name text);
CREATE TABLE products (id serial PRIMARY KEY, sku text UNIQUE NOT NULL, price_cents int NOT NULL);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers(id), total_cents int NOT NULL DEFAULT 0);
CREATE TABLE order_items (order_id int REFERENCES orders(id), product_id int REFERENCES products(id), qty int NOT NULL);
INSERT INTO customers (email, name) SELECT 'c' || g || '@x.io', 'C' || g FROM generate_series(1, 200) g;
INSERT INTO products (sku, price_cents) SELECT 'SKU-' || g, 100 + g FROM generate_series(1, 600) g;`;

(async () => {
  let server = null;
  let url = process.env.TDD_FAST_PG_URL;
  if (!url) {
    server = await startPostgres();
    url = server.socketUrl;
  }
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-first-'));
  const options = { connectionString: url, ddl: SCHEMA, name: `first${process.pid % 10000}`, cacheDir };
  const results = [];
  try {
    await (await PostgresTemplate.create(options)).close(); // the template is built once, as by an earlier run
    for (let round = 0; round < rounds; round++) {
      const started = process.hrtime.bigint();
      const template = await PostgresTemplate.create(options);
      const createMs = msSince(started);
      const handouts = [];
      const cpuMs = [];
      // The same await with nothing to do, timed the same way: what the machine (other processes, GC) adds.
      const control = [];
      for (let i = 0; i < tests; i++) {
        const c = process.hrtime.bigint();
        await Promise.resolve(Buffer.alloc(64));
        control.push(msSince(c));
        const t = process.hrtime.bigint();
        const cpu = process.cpuUsage();
        const db = await template.fresh();
        handouts.push(msSince(t));
        // CPU this process spent in the handout: far below its wall time means the machine made it wait (preempted).
        const used = process.cpuUsage(cpu);
        cpuMs.push((used.user + used.system) / 1000);
        await db.client.query("INSERT INTO orders (customer_id, total_cents) VALUES (1, 100)");
        await db.client.query('SELECT count(*) FROM orders');
        await sleep(bodyMs);
        db.release();
      }
      const misses = template.stats().poolMisses;
      await template.close();
      const slowest = handouts.indexOf(Math.max(...handouts));
      const row = { slowestCpuMs: cpuMs[slowest], controlMaxMs: Math.max(...control), misses, createMs, maxMs: Math.max(...handouts), p50Ms: median(handouts), firstMs: handouts[0], slowest: handouts.indexOf(Math.max(...handouts)) };
      results.push(row);
      console.log(`round ${round + 1}: create ${createMs.toFixed(1)} ms, first handout ${row.firstMs.toFixed(2)} ms, slowest of ${tests} ${row.maxMs.toFixed(2)} ms (#${row.slowest + 1}, ${row.slowestCpuMs.toFixed(2)} ms of CPU), p50 ${row.p50Ms.toFixed(3)} ms, ${misses} waited for a clone; control: slowest empty await ${row.controlMaxMs.toFixed(2)} ms`);
    }
  } finally {
    await server?.stop();
  }
  console.log(JSON.stringify({ dist, tests, bodyMs, rounds, slowestMs: results.map((r) => +r.maxMs.toFixed(2)), misses: results.map((r) => r.misses), slowestCpuMs: results.map((r) => +r.slowestCpuMs.toFixed(2)), controlSlowestMs: results.map((r) => +r.controlMaxMs.toFixed(2)), createMs: results.map((r) => +r.createMs.toFixed(1)), load: os.loadavg() }));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
