/** Isolation stress: 250 tests per file, 1,000 over all workers; any leaked write (or index) fails a test. */
import { value } from '../src/shop';
import { SEED_COUNTS } from '../src/seed';
import { expect, test } from '../test/fixtures';

const FILE = 4;

test.for(Array.from({ length: 250 }, (_, i) => i))('file 4 test %i sees only its own writes', async (n, { db }) => {
  // Every 25th test changes the schema too: a reset cannot put that back, so its database is replaced by a clone.
  if (n % 25 === 0) await db.query('CREATE INDEX stress_marker_by_n ON stress_marker (n)');
  expect(await value(db, 'SELECT COUNT(*)::int FROM stress_marker')).toBe(0);
  expect(await value(db, 'SELECT COUNT(*)::int FROM customers')).toBe(SEED_COUNTS.customers);
  await db.query('INSERT INTO stress_marker VALUES ($1, $2, $3)', [FILE, n, process.pid]);
  await db.query('DELETE FROM inventory WHERE product_id = $1', [1 + (n % 600)]);
  await db.query("INSERT INTO customers (email, name) VALUES ($1, 'stress')", [`stress-${FILE}-${n}@example.com`]);
  expect((await db.query('SELECT file, n FROM stress_marker')).rows).toEqual([{ file: FILE, n }]);
  expect(await value(db, 'SELECT COUNT(*)::int FROM customers')).toBe(SEED_COUNTS.customers + 1);
});
