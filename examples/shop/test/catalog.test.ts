import { productRating, productsInCategory, searchProducts, stockOf, adjustStock, ShopError } from '../src/shop';
import { SEED_COUNTS } from '../src/seed';
import { describe, expect, test } from './fixtures';

describe('searchProducts', () => {
  test.for(['Mug', 'Lamp', 'Chair', 'Desk', 'Pen', 'Book'])('finds only active %s products, cheapest first', (term, { db }) => {
    const found = searchProducts(db, term, { limit: 50 });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.name.includes(term))).toBe(true);
    const prices = found.map((p) => p.priceCents);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });
  test.for([500, 1000, 5000, 10000])('respects maxPriceCents %i', (max, { db }) => {
    expect(searchProducts(db, '', { maxPriceCents: max, limit: 1000 }).every((p) => p.priceCents <= max)).toBe(true);
  });
  test('excludes inactive products', ({ db }) => {
    expect(searchProducts(db, 'Lamp 50', { limit: 1000 }).map((p) => p.id)).not.toContain(50);
  });
  test('a deactivated product disappears from search', ({ db }) => {
    const [first] = searchProducts(db, 'Red Mug');
    db.prepare('UPDATE products SET active = 0 WHERE id = ?').run(first.id);
    expect(searchProducts(db, 'Red Mug').map((p) => p.id)).not.toContain(first.id);
  });
  test('no match returns an empty list', ({ db }) => {
    expect(searchProducts(db, 'Spaceship')).toEqual([]);
  });
});

describe('categories', () => {
  test.for(Array.from({ length: SEED_COUNTS.categories }, (_, i) => i + 1))('category %i lists active products only', (categoryId, { db }) => {
    const ids = productsInCategory(db, categoryId);
    const inactive = db.prepare('SELECT id FROM products WHERE active = 0').pluck().all() as number[];
    expect(ids.some((id) => inactive.includes(id))).toBe(false);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });
});

describe('stock', () => {
  test.for([97, 194, 291])('product %i is out of stock everywhere', (productId, { db }) => {
    expect(stockOf(db, productId)).toBe(0);
  });
  test.for(Array.from({ length: 12 }, (_, i) => i * 7 + 1))('receiving 5 units of product %i raises stock by 5', (productId, { db }) => {
    const before = stockOf(db, productId);
    adjustStock(db, productId, 2, 5, 'delivery');
    expect(stockOf(db, productId)).toBe(before + 5);
    expect(db.prepare('SELECT COUNT(*) FROM stock_movements WHERE product_id = ?').pluck().get(productId)).toBe(1);
  });
  test('cannot go below zero, and nothing is written', ({ db }) => {
    expect(() => adjustStock(db, 97, 1, -1, 'sale')).toThrow(ShopError);
    expect(db.prepare('SELECT COUNT(*) FROM stock_movements').pluck().get()).toBe(0);
  });
  test('stock for an unknown product is zero', ({ db }) => {
    expect(stockOf(db, 123456)).toBe(0);
  });
});

describe('ratings', () => {
  test.for(Array.from({ length: 10 }, (_, i) => i * 13 + 2))('rating of product %i matches its reviews', (productId, { db }) => {
    const rows = db.prepare('SELECT rating FROM reviews WHERE product_id = ?').pluck().all(productId) as number[];
    const rating = productRating(db, productId);
    expect(rating.reviews).toBe(rows.length);
    if (rows.length) expect(rating.average).toBeCloseTo(rows.reduce((a, b) => a + b, 0) / rows.length);
    else expect(rating.average).toBeNull();
  });
});
