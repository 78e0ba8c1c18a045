/** Tests that would fail if any state leaked between tests or files, plus what only Postgres has. */
import { Client } from 'pg';
import { withTransaction } from '../../../../ts/testing/index';
import { createCustomer, value } from '../src/shop';
import { SEED_COUNTS } from '../src/seed';
import { describe, expect, mode, template, test } from './fixtures';

describe('isolation', () => {
  test.for(Array.from({ length: 20 }, (_, i) => i))('write #%i sees none of the other writes', async (n, { db }) => {
    expect(await value(db, 'SELECT COUNT(*)::int FROM customers')).toBe(SEED_COUNTS.customers);
    await createCustomer(db, { email: `isolation${n}@example.com`, name: `I${n}` });
    // Seeded prices are all above 100 cents, so exactly our n + 1 rows can be at 1 cent.
    await db.query('UPDATE products SET price_cents = 1 WHERE id <= $1', [n + 1]);
    expect(await value(db, 'SELECT COUNT(*)::int FROM products WHERE price_cents = 1')).toBe(n + 1);
  });
  test('the schema has every table of the migrations', async ({ db }) => {
    const tables = await value<number>(db, "SELECT COUNT(*)::int FROM pg_tables WHERE schemaname = 'public'");
    expect(tables).toBeGreaterThanOrEqual(19);
  });
  test('the template reports its handouts', () => {
    expect(template.stats().handouts).toBeGreaterThan(0);
  });
});

describe('postgres specifics', () => {
  test('a nested transaction that fails rolls back only its savepoint', async ({ db }) => {
    await withTransaction(db, async () => {
      await createCustomer(db, { email: 'outer@example.com', name: 'Outer' });
      await expect(
        withTransaction(db, async () => {
          await createCustomer(db, { email: 'inner@example.com', name: 'Inner' });
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    expect(await value(db, "SELECT COUNT(*)::int FROM customers WHERE email IN ('outer@example.com', 'inner@example.com')")).toBe(1);
  });
  test('the trigger audits every status change', async ({ db }) => {
    await db.query("UPDATE orders SET status = 'refunded' WHERE id = 1");
    expect(await value(db, "SELECT action FROM audit_log WHERE entity_id = 1 ORDER BY id DESC LIMIT 1")).toBe('status:refunded');
  });
  test('the isolation level of the test transaction is the configured one', async ({ db }) => {
    const level = await value<string>(db, 'SHOW transaction_isolation');
    const expected = (mode === 'transaction' || mode === 'pglite') && process.env.SHOP_PG_ISOLATION ? process.env.SHOP_PG_ISOLATION : 'read committed';
    expect(level).toBe(expected);
  });
  test.runIf(mode === 'template' || mode === 'reset' || mode === 'clone' || mode === 'replay')('another client connects with the connection string and sees committed data', async ({ pg }) => {
    await createCustomer(pg.client as never, { email: 'seen@example.com', name: 'Seen' });
    const other = new Client({ connectionString: pg.connectionString ?? undefined });
    await other.connect();
    try {
      expect((await other.query("SELECT COUNT(*)::int AS n FROM customers WHERE email = 'seen@example.com'")).rows[0].n).toBe(1);
    } finally {
      await other.end();
    }
  });
});
