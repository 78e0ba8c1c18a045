import { adjustStock, column, productRating, productsInCategory, searchProducts, stockOf, value, ShopError } from '../src/shop';
import { SEED_COUNTS } from '../src/seed';
import { describe, expect, test } from './fixtures';

describe('searchProducts', () => {
  test.for(['Mug', 'Lamp', 'Chair', 'Desk', 'Pen', 'Book'])('finds only active %s products, cheapest first', async (term, { db }) => {
    const found = await searchProducts(db, term, { limit: 50 });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.name.includes(term))).toBe(true);
    const prices = found.map((p) => p.priceCents);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });
  test.for([500, 1000, 5000, 10000])('respects maxPriceCents %i', async (max, { db }) => {
    expect((await searchProducts(db, '', { maxPriceCents: max, limit: 1000 })).every((p) => p.priceCents <= max)).toBe(true);
  });
  test('excludes inactive products', async ({ db }) => {
    expect((await searchProducts(db, 'Lamp 50', { limit: 1000 })).map((p) => p.id)).not.toContain(50);
  });
  test('a deactivated product disappears from search', async ({ db }) => {
    const [first] = await searchProducts(db, 'Red Mug');
    await db.query('UPDATE products SET active = false WHERE id = $1', [first.id]);
    expect((await searchProducts(db, 'Red Mug')).map((p) => p.id)).not.toContain(first.id);
  });
  test('no match returns an empty list', async ({ db }) => {
    expect(await searchProducts(db, 'Spaceship')).toEqual([]);
  });
});

describe('categories', () => {
  test.for(Array.from({ length: SEED_COUNTS.categories }, (_, i) => i + 1))('category %i lists active products only', async (categoryId, { db }) => {
    const ids = await productsInCategory(db, categoryId);
    const inactive = await column<number>(db, 'SELECT id FROM products WHERE NOT active');
    expect(ids.some((id) => inactive.includes(id))).toBe(false);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });
});

describe('stock', () => {
  test.for([97, 194, 291])('product %i is out of stock everywhere', async (productId, { db }) => {
    expect(await stockOf(db, productId)).toBe(0);
  });
  test.for(Array.from({ length: 12 }, (_, i) => i * 7 + 1))('receiving 5 units of product %i raises stock by 5', async (productId, { db }) => {
    const before = await stockOf(db, productId);
    await adjustStock(db, productId, 2, 5, 'delivery');
    expect(await stockOf(db, productId)).toBe(before + 5);
    expect(await value(db, 'SELECT COUNT(*)::int FROM stock_movements WHERE product_id = $1', [productId])).toBe(1);
  });
  test('cannot go below zero, and nothing is written', async ({ db }) => {
    await expect(adjustStock(db, 97, 1, -1, 'sale')).rejects.toThrow(ShopError);
    expect(await value(db, 'SELECT COUNT(*)::int FROM stock_movements')).toBe(0);
  });
  test('stock for an unknown product is zero', async ({ db }) => {
    expect(await stockOf(db, 123456)).toBe(0);
  });
});

describe('ratings', () => {
  test.for(Array.from({ length: 10 }, (_, i) => i * 13 + 2))('rating of product %i matches its reviews', async (productId, { db }) => {
    const ratings = await column<number>(db, 'SELECT rating FROM reviews WHERE product_id = $1', [productId]);
    const rating = await productRating(db, productId);
    expect(rating.reviews).toBe(ratings.length);
    if (ratings.length) expect(rating.average).toBeCloseTo(ratings.reduce((a, b) => a + b, 0) / ratings.length);
    else expect(rating.average).toBeNull();
  });
});
