import { addReview, productRating, topProducts, ShopError } from '../src/shop';
import { describe, expect, test } from './fixtures';

function buyerOf(db: import('better-sqlite3').Database, offset: number) {
  return db
    .prepare(
      `SELECT o.customer_id AS customerId, oi.product_id AS productId FROM orders o JOIN order_items oi ON oi.order_id = o.id
       WHERE o.status IN ('paid','shipped')
         AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.product_id = oi.product_id AND r.customer_id = o.customer_id)
       ORDER BY o.id, oi.product_id LIMIT 1 OFFSET ?`,
    )
    .get(offset) as { customerId: number; productId: number };
}

describe('reviews', () => {
  test.for(Array.from({ length: 25 }, (_, i) => i))('buyer #%i can review what they bought', (offset, { db }) => {
    const { customerId, productId } = buyerOf(db, offset);
    const before = productRating(db, productId).reviews;
    addReview(db, productId, customerId, 1 + (offset % 5), 'ok');
    expect(productRating(db, productId).reviews).toBe(before + 1);
  });
  test('a customer cannot review a product twice', ({ db }) => {
    const { customerId, productId } = buyerOf(db, 0);
    addReview(db, productId, customerId, 5);
    expect(() => addReview(db, productId, customerId, 4)).toThrow(/already reviewed/);
  });
  test('someone who did not buy cannot review', ({ db }) => {
    const customerId = db.prepare('SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM orders) LIMIT 1').pluck().get() as number;
    expect(() => addReview(db, 1, customerId, 5)).toThrow(ShopError);
  });
  test.for([0, 6, 2.5, -3])('rating %s is refused', (rating, { db }) => {
    const { customerId, productId } = buyerOf(db, 0);
    expect(() => addReview(db, productId, customerId, rating)).toThrow(/1..5/);
  });
});

describe('top products', () => {
  test.for([1, 3, 5, 10, 20])('top %i is sorted by units sold', (limit, { db }) => {
    const top = topProducts(db, limit);
    expect(top).toHaveLength(limit);
    for (let i = 1; i < top.length; i++) expect(top[i - 1].unitsSold).toBeGreaterThanOrEqual(top[i].unitsSold);
  });
  test('cancelled orders do not count', ({ db }) => {
    const before = topProducts(db, 1)[0];
    db.prepare("UPDATE orders SET status = 'cancelled' WHERE id IN (SELECT order_id FROM order_items WHERE product_id = ?)").run(before.productId);
    expect(topProducts(db, 50).map((t) => t.productId)).not.toContain(before.productId);
  });
});
