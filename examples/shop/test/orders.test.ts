import { addToCart, auditTrail, cancelOrder, cartFor, cartTotal, checkout, payOrder, shipOrder, stockOf, ShopError } from '../src/shop';
import { describe, expect, test } from './fixtures';

const inStock = (db: import('better-sqlite3').Database, n: number) =>
  db.prepare('SELECT product_id FROM inventory WHERE product_id IN (SELECT id FROM products WHERE active = 1) GROUP BY product_id HAVING SUM(quantity) >= 10 ORDER BY product_id LIMIT ?').pluck().all(n) as number[];

describe('cart', () => {
  test('a customer gets one cart that is reused', ({ db }) => {
    expect(cartFor(db, 5)).toBe(cartFor(db, 5));
  });
  test('adding the same product twice sums quantities', ({ db }) => {
    const [p] = inStock(db, 1);
    const cart = addToCart(db, 5, p, 1);
    addToCart(db, 5, p, 2);
    expect(db.prepare('SELECT quantity FROM cart_items WHERE cart_id = ? AND product_id = ?').pluck().get(cart, p)).toBe(3);
  });
  test.for([0, -1, 1.5, Number.NaN])('rejects quantity %s', (quantity, { db }) => {
    expect(() => addToCart(db, 5, 1, quantity)).toThrow(/positive integer/);
  });
  test('rejects an inactive product', ({ db }) => {
    expect(() => addToCart(db, 5, 50, 1)).toThrow(/not for sale/);
  });
  test('rejects an unknown product', ({ db }) => {
    expect(() => addToCart(db, 5, 99999, 1)).toThrow(/no product/);
  });
  test.for([1, 2, 3, 4, 5, 6, 7, 8])('cart total with %i distinct products is the sum of line totals', (count, { db }) => {
    const products = inStock(db, count);
    let cart = 0;
    for (const p of products) cart = addToCart(db, 9, p, 2);
    const expected = products.reduce((sum, p) => sum + 2 * (db.prepare('SELECT price_cents FROM products WHERE id = ?').pluck().get(p) as number), 0);
    expect(cartTotal(db, cart)).toBe(expected);
  });
});

describe('checkout', () => {
  test.for([1, 2, 3, 4, 5])('checking out %i product(s) reserves stock and empties the cart', (count, { db }) => {
    const products = inStock(db, count);
    const before = products.map((p) => stockOf(db, p));
    let cart = 0;
    for (const p of products) cart = addToCart(db, 11, p, 3);
    const orderId = checkout(db, cart);
    products.forEach((p, i) => expect(stockOf(db, p)).toBe(before[i] - 3));
    expect(db.prepare('SELECT COUNT(*) FROM cart_items WHERE cart_id = ?').pluck().get(cart)).toBe(0);
    expect(db.prepare('SELECT status FROM orders WHERE id = ?').pluck().get(orderId)).toBe('pending');
  });
  test('an empty cart cannot be checked out', ({ db }) => {
    expect(() => checkout(db, cartFor(db, 12))).toThrow(/empty/);
  });
  test('insufficient stock rolls the whole checkout back', ({ db }) => {
    const [p] = inStock(db, 1);
    const cart = addToCart(db, 13, p, 10_000);
    const ordersBefore = db.prepare('SELECT COUNT(*) FROM orders').pluck().get();
    expect(() => checkout(db, cart)).toThrow(/not enough stock/);
    expect(db.prepare('SELECT COUNT(*) FROM orders').pluck().get()).toBe(ordersBefore);
    expect(db.prepare('SELECT COUNT(*) FROM cart_items WHERE cart_id = ?').pluck().get(cart)).toBe(1);
  });
  test.for([
    ['WELCOME10', 10],
    ['HALFOFF', 50],
  ] as const)('coupon %s takes %i%% off', ([code, percent], { db }) => {
    const [p] = inStock(db, 1);
    const cart = addToCart(db, 14, p, 1);
    const total = cartTotal(db, cart);
    const orderId = checkout(db, cart, { couponCode: code });
    const discount = Math.floor((total * percent) / 100);
    expect(db.prepare('SELECT total_cents, discount_cents FROM orders WHERE id = ?').get(orderId)).toEqual({ total_cents: total - discount, discount_cents: discount });
  });
  test.for(['EXPIRED', 'NOPE'])('coupon %s is refused', (code, { db }) => {
    const [p] = inStock(db, 1);
    expect(() => checkout(db, addToCart(db, 15, p, 1), { couponCode: code })).toThrow(ShopError);
  });
  test('a single-use coupon cannot be used twice', ({ db }) => {
    const [p, q] = inStock(db, 2);
    checkout(db, addToCart(db, 16, p, 1), { couponCode: 'HALFOFF' });
    expect(() => checkout(db, addToCart(db, 17, q, 1), { couponCode: 'HALFOFF' })).toThrow(/no redemptions left/);
  });
});

describe('order lifecycle', () => {
  const placeOrder = (db: import('better-sqlite3').Database, customerId: number) => {
    const [p] = inStock(db, 1);
    return checkout(db, addToCart(db, customerId, p, 1));
  };
  test.for(['card', 'paypal', 'voucher'] as const)('paying by %s marks the order paid and awards loyalty points', (method, { db }) => {
    const orderId = placeOrder(db, 20);
    const pointsBefore = db.prepare('SELECT loyalty_points FROM customers WHERE id = 20').pluck().get() as number;
    payOrder(db, orderId, method);
    const total = db.prepare('SELECT total_cents FROM orders WHERE id = ?').pluck().get(orderId) as number;
    expect(db.prepare('SELECT status FROM orders WHERE id = ?').pluck().get(orderId)).toBe('paid');
    expect(db.prepare('SELECT loyalty_points FROM customers WHERE id = 20').pluck().get()).toBe(pointsBefore + Math.floor(total / 100));
  });
  test('a paid order ships with a tracking code and is audited', ({ db }) => {
    const orderId = placeOrder(db, 21);
    payOrder(db, orderId, 'card');
    expect(shipOrder(db, orderId, 2)).toBe(`TRK-${orderId}-2`);
    expect(auditTrail(db, orderId)).toEqual(['status:paid', 'status:shipped']);
  });
  test('a pending order cannot ship', ({ db }) => {
    expect(() => shipOrder(db, placeOrder(db, 22), 1)).toThrow(/is pending/);
  });
  test('paying twice is refused', ({ db }) => {
    const orderId = placeOrder(db, 23);
    payOrder(db, orderId, 'card');
    expect(() => payOrder(db, orderId, 'card')).toThrow(/is paid/);
  });
  test('cancelling a pending order restocks and marks it cancelled', ({ db }) => {
    const [p] = inStock(db, 1);
    const before = stockOf(db, p);
    const orderId = checkout(db, addToCart(db, 24, p, 2));
    cancelOrder(db, orderId);
    expect(stockOf(db, p)).toBe(before);
    expect(db.prepare('SELECT status FROM orders WHERE id = ?').pluck().get(orderId)).toBe('cancelled');
  });
  test('cancelling a paid order refunds it', ({ db }) => {
    const orderId = placeOrder(db, 25);
    payOrder(db, orderId, 'paypal');
    cancelOrder(db, orderId);
    expect(db.prepare('SELECT status FROM orders WHERE id = ?').pluck().get(orderId)).toBe('refunded');
  });
  test('a shipped order cannot be cancelled', ({ db }) => {
    const shipped = db.prepare("SELECT id FROM orders WHERE status = 'shipped' LIMIT 1").pluck().get() as number;
    expect(() => cancelOrder(db, shipped)).toThrow(/is shipped/);
  });
  test.for([999999, -1])('unknown order %i', (orderId, { db }) => {
    expect(() => payOrder(db, orderId, 'card')).toThrow(/no order/);
  });
});
