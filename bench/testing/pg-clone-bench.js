// What one clone of the shop template costs under each CREATE DATABASE strategy and server configuration, measured
// interleaved (A, B, A, B, ...) so that a busy machine slows every variant alike; prints medians and p90s.
//   npm run build:ts && node bench/testing/pg-clone-bench.js [--rounds 40] [--parallel 1] [--profiles disk,ram]
// Variants: every server profile below x strategy wal_log / file_copy. A "round" is CREATE DATABASE ... TEMPLATE,
// connect + one query, DROP DATABASE ... WITH (FORCE); with --parallel n, n of them at once on n connections.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { PostgresTemplate, startPostgres, withDatabase } = require('../../dist/testing');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const rounds = Number(arg('rounds', '40'));
const parallel = Number(arg('parallel', '1'));
const only = arg('profiles', '');

// Server profiles: where the data directory lives and extra settings.
const PROFILES = {
  disk: { storage: 'disk', settings: {} },
  ram: { storage: 'ram', settings: {} },
  'ram-minimal': { storage: 'ram', settings: { wal_level: 'minimal', max_wal_senders: 0 } },
};
const STRATEGIES = ['wal_log', 'file_copy'];

const now = () => process.hrtime.bigint();
const ms = (start) => Number(now() - start) / 1e6;
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))];
};

async function connect(url) {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

async function oneRound(admin, url, template, strategy, name) {
  const t0 = now();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}" STRATEGY ${strategy}`);
  const create = ms(t0);
  const t1 = now();
  const client = await connect(withDatabase(url, name));
  await client.query('SELECT 1');
  const conn = ms(t1);
  await client.end();
  const t2 = now();
  await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
  return { create, conn, drop: ms(t2) };
}

(async () => {
  const migrationsDir = path.join(__dirname, '..', '..', 'examples', 'shop', 'pg', 'migrations');
  const { seedShopPg } = await loadSeed();
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-pg-clone-bench-'));
  const variants = [];
  const servers = [];
  for (const [profile, { storage, settings }] of Object.entries(PROFILES)) {
    if (only && !only.split(',').includes(profile)) continue;
    const server = await startPostgres({ storage, settings });
    servers.push(server);
    // Build the shop template (schema + seed) the way the suite does, then keep only the template.
    const t = await PostgresTemplate.create({ connectionString: server.socketUrl, migrationsDir, name: 'shop', seed: seedShopPg, cacheDir, poolSize: 0 });
    const template = t.template;
    await t.close();
    const admins = [];
    for (let i = 0; i < parallel; i++) admins.push(await connect(server.socketUrl));
    for (const strategy of STRATEGIES) variants.push({ label: `${profile}/${strategy}`, server, admins, template, strategy, samples: [] });
  }
  let n = 0;
  const load = [os.loadavg()[0]];
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      const results = await Promise.all(v.admins.map((admin) => oneRound(admin, v.server.socketUrl, v.template, v.strategy, `bench_${++n}`)));
      v.samples.push(...results);
    }
  }
  load.push(os.loadavg()[0]);
  console.log(`${rounds} rounds x ${parallel} at once; load average ${load.map((l) => l.toFixed(1)).join(' -> ')} on ${os.cpus().length} cores`);
  console.log('variant                 create p50/p90      connect p50/p90     drop p50/p90       round p50 (ms)');
  const f = (xs) => `${pct(xs, 0.5).toFixed(1).padStart(6)} /${pct(xs, 0.9).toFixed(1).padStart(6)}`;
  for (const v of variants) {
    const c = v.samples.map((s) => s.create);
    const k = v.samples.map((s) => s.conn);
    const d = v.samples.map((s) => s.drop);
    const all = v.samples.map((s) => s.create + s.conn + s.drop);
    console.log(`${v.label.padEnd(22)} ${f(c)}     ${f(k)}     ${f(d)}     ${pct(all, 0.5).toFixed(1).padStart(6)}`);
  }
  for (const v of variants) if (v.admins) for (const a of v.admins.splice(0)) await a.end();
  for (const s of servers) await s.stop();
  fs.rmSync(cacheDir, { recursive: true, force: true });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});

async function loadSeed() {
  // The shop's seed is TypeScript; the bench runs on the built package only, so use an equivalent set-based seed.
  return {
    seedShopPg: async (c) => {
      await c.query(`
INSERT INTO customers (id, email, name) SELECT g, 'c' || g || '@x.io', 'Customer ' || g FROM generate_series(1, 200) g;
INSERT INTO suppliers (id, name, country) SELECT g, 'Supplier ' || g, 'DE' FROM generate_series(1, 12) g;
INSERT INTO categories (id, name) SELECT g, 'Category ' || g FROM generate_series(1, 24) g;
INSERT INTO products (id, sku, name, price_cents, supplier_id) SELECT g, 'SKU-' || g, 'Product ' || g, 100 + g, 1 + g % 12 FROM generate_series(1, 600) g;
INSERT INTO warehouses (id, code, city) SELECT g, 'W' || g, 'City' FROM generate_series(1, 4) g;
INSERT INTO inventory SELECT p, w, (p * w) % 30 FROM generate_series(1, 600) p, generate_series(1, 4) w;
INSERT INTO orders (id, customer_id, status, total_cents) SELECT g, 1 + g % 200, 'paid', 1000 FROM generate_series(1, 400) g;`);
    },
  };
}
