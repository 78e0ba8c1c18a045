// PostgresTemplate micro-benchmarks: fresh() handout latency while the refill keeps up, the refill rate the machine
// sustains, what a test waits when it does not, and clone / drop times. The schema is the example shop's
// (19 tables, a trigger, a view) with a set-based seed of ~5,000 rows.
//   npm run build:ts && node bench/testing/pg-bench.js [--handouts 300] [--strategy auto|server|wal_log|file_copy]
//     [--concurrency n] [--settings name=value,...]   (TDD_FAST_PG_STORAGE=disk puts the throwaway server on disk)
// Uses TDD_FAST_PG_URL when set, else starts a throwaway server.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PostgresTemplate, startPostgres } = require('../../dist/testing');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const handouts = Number(arg('handouts', '300'));
const strategy = arg('strategy', undefined);
const concurrency = arg('concurrency', undefined) === undefined ? undefined : Number(arg('concurrency'));
// Extra server settings for the throwaway server, e.g. --settings wal_level=minimal,max_wal_senders=0
const settings = Object.fromEntries((arg('settings', '') || '').split(',').filter(Boolean).map((kv) => kv.split('=')));
const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const SEED = `
INSERT INTO customers (id, email, name) SELECT g, 'c' || g || '@x.io', 'Customer ' || g FROM generate_series(1, 200) g;
INSERT INTO addresses (customer_id, line1, city, country, is_default) SELECT g, g || ' Main St', 'Berlin', 'DE', true FROM generate_series(1, 200) g;
INSERT INTO suppliers (id, name, country) SELECT g, 'Supplier ' || g, 'DE' FROM generate_series(1, 12) g;
INSERT INTO categories (id, name) SELECT g, 'Category ' || g FROM generate_series(1, 24) g;
INSERT INTO products (id, sku, name, price_cents, supplier_id) SELECT g, 'SKU-' || g, 'Product ' || g, 100 + g, 1 + g % 12 FROM generate_series(1, 600) g;
INSERT INTO product_categories SELECT g, 1 + g % 24 FROM generate_series(1, 600) g;
INSERT INTO warehouses (id, code, city) SELECT g, 'W' || g, 'City' FROM generate_series(1, 4) g;
INSERT INTO inventory SELECT p, w, (p * w) % 30 FROM generate_series(1, 600) p, generate_series(1, 4) w;
INSERT INTO orders (id, customer_id, status, total_cents) SELECT g, 1 + g % 200, 'paid', 1000 FROM generate_series(1, 400) g;
INSERT INTO order_items SELECT g, 1 + g % 600, 1, 1000 FROM generate_series(1, 400) g;
INSERT INTO reviews (product_id, customer_id, rating) SELECT 1 + g % 600, 1 + g % 200, 1 + g % 5 FROM generate_series(1, 500) g ON CONFLICT DO NOTHING;`;

(async () => {
  let server = null;
  let url = process.env.TDD_FAST_PG_URL;
  if (!url) {
    server = await startPostgres({ settings });
    url = server.socketUrl;
    console.log(`server: PostgreSQL ${server.version}, data ${server.dataDir}`);
  }
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-pg-bench-'));
  const migrationsDir = path.join(__dirname, '..', '..', 'examples', 'shop', 'pg', 'migrations');
  const results = { load: os.loadavg()[0] };
  const make = (extra) =>
    PostgresTemplate.create({ connectionString: url, migrationsDir, ddl: undefined, name: 'bench', cacheDir, cacheKey: SEED, seed: (c) => c.query(SEED), strategy, ...extra });

  // 1. Refill rate: how many clones per second the background refill makes, from empty to full.
  {
    const template = await make({ poolSize: 40, refillConcurrency: concurrency, maxDatabases: 64 });
    const started = Date.now();
    await template.warm(40, 600_000);
    const seconds = (Date.now() - started) / 1000;
    results.refillPerSecond = 40 / seconds;
    const s = template.stats();
    results.cloneMs = s.cloneMs;
    const closing = Date.now();
    await template.close();
    results.closeMs = Date.now() - closing;
    results.dropMs = template.stats().dropMs;
    console.log(`refill: ${results.refillPerSecond.toFixed(1)} clones/s sustained (40 clones, ${concurrency ?? 'default'} at a time, strategy ${s.strategy})`);
    console.log(`clone (CREATE DATABASE ... TEMPLATE + COMMENT + connect): p50 ${fmt(s.cloneMs.p50)}  p99 ${fmt(s.cloneMs.p99)}`);
    console.log(`drop (DROP DATABASE ... WITH (FORCE)):                    p50 ${fmt(results.dropMs.p50)}  p99 ${fmt(results.dropMs.p99)}`);
    console.log(`close() of the 40: ${results.closeMs} ms`);
  }

  // 2. Handouts while the refill keeps up: tests arrive at 80% of the measured refill rate.
  {
    const template = await make({ poolSize: 8, refillConcurrency: concurrency });
    await template.warm(8, 600_000);
    const gap = 1000 / (results.refillPerSecond * 0.8);
    for (let i = 0; i < handouts; i++) {
      const db = await template.fresh();
      await db.client.query('SELECT 1');
      db.release();
      await sleep(gap);
    }
    const s = template.stats();
    results.keepsUp = { gapMs: gap, handoutMs: s.handoutMs, misses: s.poolMisses, handouts: s.handouts };
    console.log(
      `fresh() handout, refill keeping up (a test every ${gap.toFixed(0)} ms): p50 ${fmt(s.handoutMs.p50)}  p99 ${fmt(s.handoutMs.p99)}  ` +
        `(${s.poolMisses} misses in ${s.handouts})`,
    );
    await template.close();
  }

  // 3. Tests faster than the refill: back to back, the pool drains and each test waits for the next clone.
  {
    const template = await make({ poolSize: 8, refillConcurrency: concurrency });
    await template.warm(8, 600_000);
    const n = Math.min(handouts, 60);
    for (let i = 0; i < n; i++) {
      const db = await template.fresh();
      db.release();
    }
    const s = template.stats();
    results.outpaced = { handoutMs: s.handoutMs, missWaitMs: s.missWaitMs, misses: s.poolMisses, handouts: s.handouts };
    console.log(
      `fresh() back to back (refill outpaced): p50 ${fmt(s.handoutMs.p50)}  p99 ${fmt(s.handoutMs.p99)}; ` +
        `${s.poolMisses} of ${s.handouts} waited, wait p50 ${fmt(s.missWaitMs.p50)}  p99 ${fmt(s.missWaitMs.p99)}`,
    );
    await template.close();
  }
  console.log(`(load average at start ${results.load.toFixed(1)} on ${os.cpus().length} cores)`);
  if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
  fs.rmSync(cacheDir, { recursive: true, force: true });
  await server?.stop();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
