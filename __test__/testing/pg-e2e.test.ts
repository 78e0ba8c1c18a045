/**
 * End to end: a real PostgreSQL server started here with startPostgres(), the example shop's Postgres suite run by
 * a real vitest with PostgresTemplate fixtures and with SERIALIZABLE transaction mode, the perf reporter's split,
 * and no database left behind. Also `tdd-fast testing pg start|status|stop` as a user runs it.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, requireBuiltPackage, tempDir, usePostgres } from './helpers';

const pg = usePostgres({ admin: false });

function runShop(mode: string, files: string[], extra: Record<string, string> = {}) {
  const vitest = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
  return spawnSync(process.execPath, [vitest, 'run', '--config', 'examples/shop/vitest.pg.config.ts', ...files], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, TDD_FAST_PG_URL: pg.url, SHOP_PG_MODE: mode, TDD_FAST_CACHE_DIR: cacheDir, NO_COLOR: '1', ...extra },
  });
}

let cacheDir = '';

async function shopDatabases(): Promise<string[]> {
  const client = new Client({ connectionString: pg.url });
  await client.connect();
  try {
    const rows = await client.query("SELECT datname FROM pg_database WHERE starts_with(datname, 'tdf_shop_') AND NOT datistemplate");
    return rows.rows.map((r) => r.datname as string);
  } finally {
    await client.end();
  }
}

describe('the shop suite on a real PostgreSQL server', () => {
  beforeAll(() => {
    cacheDir = tempDir('tdd-fast-pg-e2e-');
  });

  it('passes with a fresh cloned database per test, reports database vs body time, and leaves no database', async () => {
    const result = runShop('template', ['isolation', 'customers']);
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output.slice(-3000)).toBe(0);
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).toMatch(/database vs body \(\d+ tests, postgres fresh\): database \d+ ms \(\d+%\), body \d+ ms/);
    expect(await shopDatabases()).toEqual([]);
  }, 600_000);

  it("passes with recycle 'reset' (released databases reset in place), resets most of them, and leaves no database", async () => {
    const result = runShop('reset', ['isolation', 'orders'], { SHOP_PG_STATS: '1' });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output.slice(-3000)).toBe(0);
    const resets = [...output.matchAll(/"reset":\{"mode":"reset","reason":null,"resets":(\d+)/g)].map((m) => Number(m[1]));
    expect(resets).toHaveLength(2); // one stats line per file
    expect(resets.every((n) => n > 10)).toBe(true);
    expect(await shopDatabases()).toEqual([]);
  }, 600_000);

  it("runs the 1,000-test isolation stress twice with recycle 'reset' (every 25th test changes the schema: a clone), 0 failures", async () => {
    for (let repeat = 0; repeat < 2; repeat++) {
      const result = runShop('reset', [], { SHOP_STRESS: '1', SHOP_QUIET: '1', TDD_FAST_PERF_MONITOR: '0' });
      const output = `${result.stdout}\n${result.stderr}`;
      expect(result.status, output.slice(-3000)).toBe(0);
      expect(output).toMatch(/Tests\s+1000 passed/);
      expect(await shopDatabases()).toEqual([]);
    }
  }, 900_000);

  it('passes in SERIALIZABLE transaction mode, one database per file, and leaves no database', async () => {
    const result = runShop('transaction', ['isolation', 'orders'], { SHOP_PG_ISOLATION: 'serializable' });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output.slice(-3000)).toBe(0);
    expect(output).toMatch(/postgres transaction/);
    expect(await shopDatabases()).toEqual([]);
  }, 600_000);
});

describe('npx tdd-fast testing pg start | status | stop', () => {
  it('starts a server that accepts connections, reports it, and stops it', async () => {
    requireBuiltPackage();
    const parent = tempDir('tdd-fast-pg-cli-');
    fs.chmodSync(parent, 0o755); // as root the cluster belongs to the postgres user, who must be able to enter it
    const dataDir = path.join(parent, 'data');
    const bin = path.join(repoRoot, 'bin', 'tdd-fast.js');
    const cli = (...args: string[]) =>
      new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
        execFile(process.execPath, [bin, 'testing', 'pg', ...args, '--data-dir', dataDir], { timeout: 120_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
        ),
      );
    const started = await cli('start');
    const url = started.stdout.trim();
    expect(url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(started.stderr).toMatch(/PostgreSQL \d+(\.\d+)? started/);
    const client = new Client({ connectionString: url });
    await client.connect();
    expect((await client.query('SHOW fsync')).rows[0].fsync).toBe('off');
    await client.end();
    expect((await cli('status')).stdout.trim()).toBe(url);
    expect((await cli('start')).stderr).toMatch(/already running/);
    expect((await cli('stop')).stderr).toMatch(/stopped the server/);
    const after = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    await expect(after.connect()).rejects.toThrow();
    expect((await cli('stop')).stderr).toMatch(/no server running/);
  }, 180_000);
});
