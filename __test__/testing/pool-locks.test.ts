import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConnectionPool, PoolClosedError, PoolExhaustedError } from '../../ts/testing/sqlite/pool';
import { acquireLocks, LockTimeoutError, withLocks } from '../../ts/testing/locks';
import { distTesting, requireBuiltPackage, tempDir } from './helpers';

function fileDb(): string {
  const file = path.join(tempDir(), 'pool.sqlite');
  const db = new Database(file);
  db.exec('CREATE TABLE t (x INTEGER)');
  db.close();
  return file;
}

describe('ConnectionPool', () => {
  it('preheats min connections and never opens more than max', async () => {
    const pool = new ConnectionPool({ filename: fileDb(), min: 2, max: 3 });
    expect(pool.stats()).toMatchObject({ size: 2, idle: 2, created: 2 });
    const held = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    expect(pool.stats()).toMatchObject({ size: 3, inUse: 3, created: 3 });
    held.forEach((c) => c.release());
    expect(pool.stats()).toMatchObject({ idle: 3, inUse: 0, acquires: 3 });
    pool.close();
  });

  it('fails with a clear error on exhaustion instead of hanging, and serves waiters in order on release', async () => {
    const pool = new ConnectionPool({ filename: fileDb(), min: 0, max: 1, acquireTimeoutMs: 50 });
    const only = await pool.acquire();
    await expect(pool.acquire()).rejects.toThrow(PoolExhaustedError);
    await expect(pool.acquire()).rejects.toThrow(/all 1 in use/);
    expect(pool.stats().timeouts).toBe(2);

    const order: string[] = [];
    const slow = new ConnectionPool({ filename: fileDb(), min: 1, max: 1, acquireTimeoutMs: 5000 });
    const first = await slow.acquire();
    const second = slow.acquire().then((c) => (order.push('second'), c));
    const third = slow.acquire().then((c) => (order.push('third'), c));
    first.release();
    (await second).release();
    (await third).release();
    expect(order).toEqual(['second', 'third']);
    only.release();
    pool.close();
    slow.close();
  });

  it('replaces a connection that fails its health check', async () => {
    const pool = new ConnectionPool({ filename: fileDb(), min: 1, max: 1 });
    const connection = await pool.acquire();
    connection.db.close(); // e.g. a test closed it by mistake
    connection.release();
    const next = await pool.acquire();
    expect(next.db.open).toBe(true);
    expect(next.db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(0);
    expect(pool.stats().destroyed).toBeGreaterThanOrEqual(1);
    next.release();
    pool.close();
  });

  it('rolls back a transaction left open, releases in use() even on throw, and rejects double release', async () => {
    const pool = new ConnectionPool({ filename: fileDb(), min: 1, max: 1 });
    await expect(
      pool.use((db) => {
        db.exec('BEGIN; INSERT INTO t VALUES (1);');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await pool.use((db) => db.prepare('SELECT COUNT(*) FROM t').pluck().get())).toBe(0);
    const connection = await pool.acquire();
    connection.release();
    expect(() => connection.release()).toThrow(/released twice/);
    pool.close();
  });

  it('rejects pending waiters when closed', async () => {
    const pool = new ConnectionPool({ filename: fileDb(), min: 1, max: 1 });
    const held = await pool.acquire();
    const waiting = pool.acquire();
    pool.close();
    await expect(waiting).rejects.toThrow(PoolClosedError);
    held.release();
    expect(held.db.open).toBe(false);
  });
});

describe('named locks', () => {
  it('gives exclusive access: concurrent holders never overlap', async () => {
    const dir = tempDir();
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withLocks('db-port', async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 1));
          inside--;
        }, { dir }),
      ),
    );
    expect(maxInside).toBe(1);
  });

  it('takes several locks in sorted order, so opposite request orders do not deadlock', async () => {
    const dir = tempDir();
    const runs = Array.from({ length: 30 }, (_, i) =>
      withLocks(i % 2 ? ['a', 'b', 'c'] : ['c', 'b', 'a'], () => new Promise((r) => setTimeout(r, 1)), { dir, timeoutMs: 10_000 }),
    );
    await expect(Promise.all(runs)).resolves.toHaveLength(30);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('times out with the holder named and releases what it had taken', async () => {
    const dir = tempDir();
    const held = await acquireLocks('b', { dir });
    const error = await acquireLocks(['a', 'b'], { dir, timeoutMs: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as Error).message).toMatch(new RegExp(`lock "b" not acquired within 30 ms \\(held by pid ${process.pid}`));
    expect(fs.existsSync(path.join(dir, 'a.lock'))).toBe(false);
    held.release();
  });

  it('takes over a lock left behind by a dead process', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'stale.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, threadId: 0, createdAt: Date.now() }));
    const locks = await acquireLocks('stale', { dir, timeoutMs: 200 });
    expect(locks.names).toEqual(['stale']);
    locks.release();
  });

  it('serializes separate processes around a shared file', async () => {
    requireBuiltPackage();
    const dir = tempDir();
    const counter = path.join(dir, 'counter.txt');
    fs.writeFileSync(counter, '0');
    const script = `
      const fs = require('fs');
      const { withLocks } = require(${JSON.stringify(distTesting)});
      (async () => {
        for (let i = 0; i < 25; i++) {
          await withLocks(['counter'], async () => {
            const n = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8'));
            await new Promise((r) => setImmediate(r));
            fs.writeFileSync(${JSON.stringify(counter)}, String(n + 1));
          }, { dir: ${JSON.stringify(path.join(dir, 'locks'))} });
        }
      })().catch((e) => { console.error(e); process.exit(1); });`;
    await Promise.all(
      Array.from({ length: 4 }, () =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited ${code}`))));
        }),
      ),
    );
    expect(fs.readFileSync(counter, 'utf8')).toBe('100');
  });
});
