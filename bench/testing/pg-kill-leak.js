// Databases left behind by a SIGKILLed run followed by a normal one (create() then close()), over N tries: the child
// takes two fresh() databases and is SIGKILLed at once, its refill still cloning; the next run starts without waiting.
//   npm run build:ts && node bench/testing/pg-kill-leak.js [--tries 20] [--dist <path of a built dist/testing>]
// --dist compares another build (e.g. /work/main/dist/testing) on the same server. Uses TDD_FAST_PG_URL when set,
// else starts a throwaway server. Prints one line per try and a JSON summary.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const tries = Number(arg('tries', '20'));
const dist = path.resolve(arg('dist', path.join(__dirname, '..', '..', 'dist', 'testing')));
const { PostgresTemplate, startPostgres } = require(dist);
const { Client } = require('pg');

function killedRun(url, name, dir, cacheDir) {
  const script = `
    const { PostgresTemplate } = require(${JSON.stringify(dist)});
    PostgresTemplate.create({ connectionString: process.env.URL, migrationsDir: ${JSON.stringify(dir)}, name: ${JSON.stringify(name)}, cacheDir: ${JSON.stringify(cacheDir)} })
      .then(async (t) => { await t.fresh(); await t.fresh(); process.stdout.write('holding\\n'); setInterval(() => {}, 1000); });`;
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, URL: url, VITEST_POOL_ID: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => chunk.toString().includes('holding') && child.kill('SIGKILL'));
    child.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}`))));
  });
}

(async () => {
  let server = null;
  let url = process.env.TDD_FAST_PG_URL;
  if (!url) {
    server = await startPostgres();
    url = server.socketUrl;
  }
  const admin = new Client({ connectionString: url });
  await admin.connect();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-kill-'));
  fs.writeFileSync(path.join(dir, '001_users.sql'), 'CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE NOT NULL);');
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-kill-cache-'));
  const name = `kill${process.pid % 10000}`;
  const leaks = [];
  try {
    for (let i = 0; i < tries; i++) {
      await killedRun(url, name, dir, cacheDir);
      const next = await PostgresTemplate.create({ connectionString: url, migrationsDir: dir, name, cacheDir });
      const reaped = next.stats().reaped;
      await next.close();
      const left = (await admin.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND NOT datistemplate', [`tdf_${name}_`])).rows.map((r) => r.datname);
      leaks.push(left.length);
      console.log(`try ${i + 1}: reaped ${reaped}, left ${left.length}${left.length ? ` (${left.join(', ')})` : ''}`);
      // Leftovers are cleaned so each try starts from zero.
      for (const db of left) await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
    await server?.stop();
  }
  const summary = { dist, tries, triesWithLeaks: leaks.filter((n) => n > 0).length, databasesLeft: leaks.reduce((a, b) => a + b, 0), load: os.loadavg() };
  console.log(JSON.stringify(summary));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
