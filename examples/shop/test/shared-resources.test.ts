/** A file-backed database shared through a preheated pool, and a named lock around an "external" resource. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import { ConnectionPool, withLocks, workerDatabasePath } from '../../../ts/testing/index';
import { payOrder } from '../src/shop';
import { describe, expect, test, template } from './fixtures';

const file = workerDatabasePath(template, 'pool');
template.freshFile(file).close();
const pool = new ConnectionPool({ filename: file, min: 2, max: 4, acquireTimeoutMs: 2000 });
afterAll(() => {
  pool.close();
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
});

describe('pooled file database', () => {
  test.for(Array.from({ length: 8 }, (_, i) => i + 1))('concurrent reader %i sees the seeded orders', async (n) => {
    const count = await pool.use((db) => db.prepare('SELECT COUNT(*) FROM orders WHERE customer_id > ?').pluck().get(n));
    expect(count).toBeGreaterThan(0);
  });
  test('a write through one connection is visible through another', async () => {
    const orderId = await pool.use((db) => Number(db.prepare("INSERT INTO orders (customer_id, status, total_cents) VALUES (1, 'pending', 500)").run().lastInsertRowid));
    await pool.use((db) => payOrder(db, orderId, 'card'));
    expect(await pool.use((db) => db.prepare('SELECT status FROM orders WHERE id = ?').pluck().get(orderId))).toBe('paid');
  });
  test('the pool was preheated and never exceeded max', () => {
    const stats = pool.stats();
    expect(stats.created).toBeLessThanOrEqual(4);
    expect(stats.timeouts).toBe(0);
  });
});

describe('named lock around a shared external resource', () => {
  const ledger = path.join(os.tmpdir(), 'tdd-fast-shop-ledger.txt');
  test.for(Array.from({ length: 6 }, (_, i) => i))('append #%i is never interleaved', async (n) => {
    await withLocks(['shop-ledger'], async () => {
      const before = fs.existsSync(ledger) ? fs.readFileSync(ledger, 'utf8') : '';
      await new Promise((resolve) => setTimeout(resolve, 2));
      fs.writeFileSync(ledger, `${before}${process.pid}:${n}\n`);
      const lines = fs.readFileSync(ledger, 'utf8').trim().split('\n');
      expect(lines[lines.length - 1]).toBe(`${process.pid}:${n}`);
    });
  });
});
