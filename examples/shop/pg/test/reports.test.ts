import { addReview, one, productRating, topProducts, value, ShopError, type Db } from '../src/shop';
import { describe, expect, test } from './fixtures';

async function buyerOf(db: Db, offset: number) {
  return (await one<{ customerId: number; productId: number }>(
    db,
    `SELECT o.customer_id AS "customerId", oi.product_id AS "productId" FROM orders o JOIN order_items oi ON oi.order_id = o.id
     WHERE o.status IN ('paid','shipped')
       AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.product_id = oi.product_id AND r.customer_id = o.customer_id)
     ORDER BY o.id, oi.product_id LIMIT 1 OFFSET $1`,
    [offset],
  ))!;
}

describe('reviews', () => {
  test.for(Array.from({ length: 25 }, (_, i) => i))('buyer #%i can review what they bought', async (offset, { db }) => {
    const { customerId, productId } = await buyerOf(db, offset);
    const before = (await productRating(db, productId)).reviews;
    await addReview(db, productId, customerId, 1 + (offset % 5), 'ok');
    expect((await productRating(db, productId)).reviews).toBe(before + 1);
  });
  test('a customer cannot review a product twice', async ({ db }) => {
    const { customerId, productId } = await buyerOf(db, 0);
    await addReview(db, productId, customerId, 5);
    await expect(addReview(db, productId, customerId, 4)).rejects.toThrow(/already reviewed/);
  });
  test('someone who did not buy cannot review', async ({ db }) => {
    const customerId = await value<number>(db, 'SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM orders) ORDER BY id LIMIT 1');
    await expect(addReview(db, 1, customerId, 5)).rejects.toThrow(ShopError);
  });
  test.for([0, 6, 2.5, -3])('rating %s is refused', async (rating, { db }) => {
    const { customerId, productId } = await buyerOf(db, 0);
    await expect(addReview(db, productId, customerId, rating)).rejects.toThrow(/1..5/);
  });
});

describe('top products', () => {
  test.for([1, 3, 5, 10, 20])('top %i is sorted by units sold', async (limit, { db }) => {
    const top = await topProducts(db, limit);
    expect(top).toHaveLength(limit);
    for (let i = 1; i < top.length; i++) expect(top[i - 1].unitsSold).toBeGreaterThanOrEqual(top[i].unitsSold);
  });
  test('cancelled orders do not count', async ({ db }) => {
    const [before] = await topProducts(db, 1);
    await db.query("UPDATE orders SET status = 'cancelled' WHERE id IN (SELECT order_id FROM order_items WHERE product_id = $1)", [before.productId]);
    expect((await topProducts(db, 50)).map((t) => t.productId)).not.toContain(before.productId);
  });
});
