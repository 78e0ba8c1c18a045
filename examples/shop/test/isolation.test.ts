/** Tests that would fail if any state leaked between tests or files. */
import { createCustomer } from '../src/shop';
import { SEED_COUNTS } from '../src/seed';
import { describe, expect, test, template } from './fixtures';

describe('isolation', () => {
  test.for(Array.from({ length: 20 }, (_, i) => i))('write #%i sees none of the other writes', (n, { db }) => {
    expect(db.prepare('SELECT COUNT(*) FROM customers').pluck().get()).toBe(SEED_COUNTS.customers);
    createCustomer(db, { email: `isolation${n}@example.com`, name: `I${n}` });
    // Seeded prices are all above 100 cents, so exactly our n + 1 rows can be at 1 cent.
    db.prepare('UPDATE products SET price_cents = 1 WHERE id <= ?').run(n + 1);
    expect(db.prepare('SELECT COUNT(*) FROM products WHERE price_cents = 1').pluck().get()).toBe(n + 1);
  });
  test('the schema has every table of the migrations', ({ db }) => {
    const tables = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
    expect(tables).toBeGreaterThanOrEqual(15);
  });
  test('the template reports its clones', () => {
    expect(template.stats().clones).toBeGreaterThan(0);
  });
});
