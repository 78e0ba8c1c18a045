import { addToCart, auditTrail, cancelOrder, cartFor, cartTotal, checkout, column, one, payOrder, shipOrder, stockOf, value, ShopError, type Db } from '../src/shop';
import { describe, expect, test } from './fixtures';

const inStock = (db: Db, n: number) =>
  column<number>(
    db,
    'SELECT product_id FROM inventory WHERE product_id IN (SELECT id FROM products WHERE active) GROUP BY product_id HAVING SUM(quantity) >= 10 ORDER BY product_id LIMIT $1',
    [n],
  );
const statusOf = (db: Db, orderId: number) => value<string>(db, 'SELECT status FROM orders WHERE id = $1', [orderId]);

describe('cart', () => {
  test('a customer gets one cart that is reused', async ({ db }) => {
    expect(await cartFor(db, 5)).toBe(await cartFor(db, 5));
  });
  test('adding the same product twice sums quantities', async ({ db }) => {
    const [p] = await inStock(db, 1);
    const cart = await addToCart(db, 5, p, 1);
    await addToCart(db, 5, p, 2);
    expect(await value(db, 'SELECT quantity FROM cart_items WHERE cart_id = $1 AND product_id = $2', [cart, p])).toBe(3);
  });
  test.for([0, -1, 1.5, Number.NaN])('rejects quantity %s', async (quantity, { db }) => {
    await expect(addToCart(db, 5, 1, quantity)).rejects.toThrow(/positive integer/);
  });
  test('rejects an inactive product', async ({ db }) => {
    await expect(addToCart(db, 5, 50, 1)).rejects.toThrow(/not for sale/);
  });
  test('rejects an unknown product', async ({ db }) => {
    await expect(addToCart(db, 5, 99999, 1)).rejects.toThrow(/no product/);
  });
  test.for([1, 2, 3, 4, 5, 6, 7, 8])('cart total with %i distinct products is the sum of line totals', async (count, { db }) => {
    const products = await inStock(db, count);
    let cart = 0;
    for (const p of products) cart = await addToCart(db, 9, p, 2);
    let expected = 0;
    for (const p of products) expected += 2 * (await value<number>(db, 'SELECT price_cents FROM products WHERE id = $1', [p]));
    expect(await cartTotal(db, cart)).toBe(expected);
  });
});

describe('checkout', () => {
  test.for([1, 2, 3, 4, 5])('checking out %i product(s) reserves stock and empties the cart', async (count, { db }) => {
    const products = await inStock(db, count);
    const before: number[] = [];
    for (const p of products) before.push(await stockOf(db, p));
    let cart = 0;
    for (const p of products) cart = await addToCart(db, 11, p, 3);
    const orderId = await checkout(db, cart);
    for (const [i, p] of products.entries()) expect(await stockOf(db, p)).toBe(before[i] - 3);
    expect(await value(db, 'SELECT COUNT(*)::int FROM cart_items WHERE cart_id = $1', [cart])).toBe(0);
    expect(await statusOf(db, orderId)).toBe('pending');
  });
  test('an empty cart cannot be checked out', async ({ db }) => {
    await expect(checkout(db, await cartFor(db, 12))).rejects.toThrow(/empty/);
  });
  test('insufficient stock rolls the whole checkout back', async ({ db }) => {
    const [p] = await inStock(db, 1);
    const cart = await addToCart(db, 13, p, 10_000);
    const ordersBefore = await value(db, 'SELECT COUNT(*)::int FROM orders');
    await expect(checkout(db, cart)).rejects.toThrow(/not enough stock/);
    expect(await value(db, 'SELECT COUNT(*)::int FROM orders')).toBe(ordersBefore);
    expect(await value(db, 'SELECT COUNT(*)::int FROM cart_items WHERE cart_id = $1', [cart])).toBe(1);
  });
  test.for([
    ['WELCOME10', 10],
    ['HALFOFF', 50],
  ] as const)('coupon %s takes %i%% off', async ([code, percent], { db }) => {
    const [p] = await inStock(db, 1);
    const cart = await addToCart(db, 14, p, 1);
    const total = await cartTotal(db, cart);
    const orderId = await checkout(db, cart, { couponCode: code });
    const discount = Math.floor((total * percent) / 100);
    expect(await one(db, 'SELECT total_cents, discount_cents FROM orders WHERE id = $1', [orderId])).toEqual({ total_cents: total - discount, discount_cents: discount });
  });
  test.for(['EXPIRED', 'NOPE'])('coupon %s is refused', async (code, { db }) => {
    const [p] = await inStock(db, 1);
    await expect(checkout(db, await addToCart(db, 15, p, 1), { couponCode: code })).rejects.toThrow(ShopError);
  });
  test('a single-use coupon cannot be used twice', async ({ db }) => {
    const [p, q] = await inStock(db, 2);
    await checkout(db, await addToCart(db, 16, p, 1), { couponCode: 'HALFOFF' });
    await expect(checkout(db, await addToCart(db, 17, q, 1), { couponCode: 'HALFOFF' })).rejects.toThrow(/no redemptions left/);
  });
});

describe('order lifecycle', () => {
  const placeOrder = async (db: Db, customerId: number) => {
    const [p] = await inStock(db, 1);
    return checkout(db, await addToCart(db, customerId, p, 1));
  };
  test.for(['card', 'paypal', 'voucher'] as const)('paying by %s marks the order paid and awards loyalty points', async (method, { db }) => {
    const orderId = await placeOrder(db, 20);
    const pointsBefore = await value<number>(db, 'SELECT loyalty_points FROM customers WHERE id = 20');
    await payOrder(db, orderId, method);
    const total = await value<number>(db, 'SELECT total_cents FROM orders WHERE id = $1', [orderId]);
    expect(await statusOf(db, orderId)).toBe('paid');
    expect(await value(db, 'SELECT loyalty_points FROM customers WHERE id = 20')).toBe(pointsBefore + Math.floor(total / 100));
  });
  test('a paid order ships with a tracking code and is audited', async ({ db }) => {
    const orderId = await placeOrder(db, 21);
    await payOrder(db, orderId, 'card');
    expect(await shipOrder(db, orderId, 2)).toBe(`TRK-${orderId}-2`);
    expect(await auditTrail(db, orderId)).toEqual(['status:paid', 'status:shipped']);
  });
  test('a pending order cannot ship', async ({ db }) => {
    await expect(shipOrder(db, await placeOrder(db, 22), 1)).rejects.toThrow(/is pending/);
  });
  test('paying twice is refused', async ({ db }) => {
    const orderId = await placeOrder(db, 23);
    await payOrder(db, orderId, 'card');
    await expect(payOrder(db, orderId, 'card')).rejects.toThrow(/is paid/);
  });
  test('cancelling a pending order restocks and marks it cancelled', async ({ db }) => {
    const [p] = await inStock(db, 1);
    const before = await stockOf(db, p);
    const orderId = await checkout(db, await addToCart(db, 24, p, 2));
    await cancelOrder(db, orderId);
    expect(await stockOf(db, p)).toBe(before);
    expect(await statusOf(db, orderId)).toBe('cancelled');
  });
  test('cancelling a paid order refunds it', async ({ db }) => {
    const orderId = await placeOrder(db, 25);
    await payOrder(db, orderId, 'paypal');
    await cancelOrder(db, orderId);
    expect(await statusOf(db, orderId)).toBe('refunded');
  });
  test('a shipped order cannot be cancelled', async ({ db }) => {
    const shipped = await value<number>(db, "SELECT id FROM orders WHERE status = 'shipped' ORDER BY id LIMIT 1");
    await expect(cancelOrder(db, shipped)).rejects.toThrow(/is shipped/);
  });
  test.for([999999, -1])('unknown order %i', async (orderId, { db }) => {
    await expect(payOrder(db, orderId, 'card')).rejects.toThrow(/no order/);
  });
});
