/**
 * A run SIGKILLed while it holds databases (and while its refill is cloning more), followed by a normal run:
 * `create()` reaps the dead run's clones before its own refill starts, even those whose CREATE DATABASE was still
 * running on the server when the run died, and says how many in `stats().reaped`. Nothing is left after `close()`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresTemplate } from '../../ts/testing/index';
import { lockKey } from '../../ts/testing/pg/sql-text';
import { distTesting, requireBuiltPackage, tempDir, usePostgres } from './helpers';

const pg = usePostgres({ external: true, socket: true });

async function clonesOf(name: string): Promise<string[]> {
  const rows = await pg.admin.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND NOT datistemplate ORDER BY datname', [`tdf_${name}_`]);
  return rows.rows.map((r) => r.datname as string);
}

/** A child process that takes two fresh databases, says so, and is SIGKILLed at once (its refill still cloning). */
async function killedRun(options: { name: string; dir: string; cacheDir: string }): Promise<void> {
  const script = `
    const { PostgresTemplate } = require(${JSON.stringify(distTesting)});
    PostgresTemplate.create({ connectionString: process.env.URL, migrationsDir: ${JSON.stringify(options.dir)}, name: ${JSON.stringify(options.name)}, cacheDir: ${JSON.stringify(options.cacheDir)} })
      .then(async (t) => { await t.fresh(); await t.fresh(); process.stdout.write('holding\\n'); setInterval(() => {}, 1000); });`;
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, URL: pg.url, VITEST_POOL_ID: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the child did not take two databases in 60 s')), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('holding')) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve();
    });
    child.on('exit', (code, signal) => signal !== 'SIGKILL' && reject(new Error(`the child exited (${code}) before it was killed`)));
  });
  await new Promise((resolve) => child.once('exit', resolve));
}

describe('a SIGKILLed run followed by a normal one', () => {
  it('leaves no database behind, try after try; the normal run says how many it reaped', async () => {
    requireBuiltPackage();
    const dir = tempDir('tdd-fast-pg-reap-');
    fs.writeFileSync(path.join(dir, '001_users.sql'), 'CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE NOT NULL);');
    const cacheDir = tempDir();
    const name = `reap${process.pid % 1000}`;
    const tries = Number(process.env.TDD_FAST_REAP_TRIES ?? 5);
    const leftAfter: number[] = [];
    for (let attempt = 0; attempt < tries; attempt++) {
      await killedRun({ name, dir, cacheDir });
      // No waiting and no retry: the next create() has to deal with whatever the killed run had in flight.
      const next = await PostgresTemplate.create({ connectionString: pg.url, migrationsDir: dir, name, cacheDir });
      expect(next.stats().reaped).toBeGreaterThanOrEqual(2); // at least the two it held
      await next.close();
      leftAfter.push((await clonesOf(name)).length);
    }
    expect(leftAfter).toEqual(Array.from({ length: tries }, () => 0));
  }, 600_000);

  it('waits for the owner session of a killed process, which the server has not ended yet, and then reaps', async () => {
    const dir = tempDir('tdd-fast-pg-reap-');
    fs.writeFileSync(path.join(dir, '001_t.sql'), 'CREATE TABLE t (id int);');
    const name = `linger${process.pid % 1000}`;
    const owner = 'deadbeef';
    // The state right after a SIGKILL: the process is gone, its owner session still holds the lock for a moment.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    const clone = `tdf_${name}_w0_${owner}_1`;
    await pg.admin.query(`CREATE DATABASE ${clone}`);
    await pg.admin.query(`COMMENT ON DATABASE ${clone} IS '${JSON.stringify({ tddFast: 1, kind: 'clone', owner })}'`);
    const lingering = new Client({ connectionString: pg.url, application_name: `tdd-fast owner ${owner} pid ${gone.pid}` });
    await lingering.connect();
    await lingering.query('SELECT pg_advisory_lock($1::bigint)', [lockKey(`tdd-fast-owner:${owner}`)]);
    const ended = new Promise((resolve) => setTimeout(resolve, 300)).then(() => lingering.end());

    const next = await PostgresTemplate.create({ connectionString: pg.url, migrationsDir: dir, name, cacheDir: tempDir() });
    await ended;
    expect(next.stats().reaped).toBe(1);
    await next.close();
    expect(await clonesOf(name)).toEqual([]);
  }, 60_000);
});
