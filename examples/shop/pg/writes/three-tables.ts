/**
 * The body of the three-table suite (SHOP_PG_SUITE=writes3): every test writes to customers, orders and order_items
 * (three of the largest seeded tables) and first checks it sees none of the other tests' writes, so a reset that
 * restored too little fails a test and one that restores the written tables shows its cost.
 */
import { value } from '../src/shop';
import { SEED_COUNTS } from '../src/seed';
import { expect, mode, test } from '../test/fixtures';

/** A rolled-back transaction does not give back the sequence values it took; a fresh or reset database does. */
const freshSequences = mode !== 'transaction' && mode !== 'pglite';

export function threeTableTests(file: number, count: number): void {
  test.for(Array.from({ length: count }, (_, i) => i))(`file ${file} test %i writes customers, orders and order_items`, async (n, { db }) => {
    expect(await value(db, 'SELECT COUNT(*)::int FROM customers')).toBe(SEED_COUNTS.customers);
    expect(await value(db, 'SELECT COUNT(*)::int FROM orders')).toBe(SEED_COUNTS.orders);
    const customer = await value<number>(db, "INSERT INTO customers (email, name) VALUES ($1, 'three') RETURNING id", [`three-${file}-${n}@example.com`]);
    // The identity sequences are back at the seed's values too: every test gets the same ids.
    if (freshSequences) expect(customer).toBe(SEED_COUNTS.customers + 1);
    const order = await value<number>(db, "INSERT INTO orders (customer_id, status, total_cents) VALUES ($1, 'pending', 0) RETURNING id", [customer]);
    if (freshSequences) expect(order).toBe(SEED_COUNTS.orders + 1);
    await db.query('INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES ($1, $2, 1, 100), ($1, $3, 2, 250)', [order, 1 + (n % 300), 301 + (n % 300)]);
    expect(await value(db, 'SELECT COUNT(*)::int FROM order_items WHERE order_id = $1', [order])).toBe(2);
  });
}
