/**
 * The shop domain of ../../src/shop.ts on PostgreSQL: the same rules, async, over anything with `query(sql, params)`
 * (a `pg` Client, a PGlite instance). Multi-step operations run in `withTransaction`, which nests as a savepoint when
 * the test itself runs inside a transaction (the fixtures' transaction mode).
 */
import { withTransaction, type Queryable } from '../../../../ts/testing/index';

export interface Db extends Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export class ShopError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export async function rows<T = Record<string, unknown>>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)).rows as T[];
}
export async function one<T = Record<string, unknown>>(db: Db, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await rows<T>(db, sql, params))[0];
}
/** The first column of the first row. */
export async function value<T = unknown>(db: Db, sql: string, params: unknown[] = []): Promise<T> {
  const row = await one(db, sql, params);
  return (row ? Object.values(row)[0] : undefined) as T;
}
/** The first column of every row. */
export async function column<T = unknown>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await rows(db, sql, params)).map((r) => Object.values(r)[0] as T);
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export async function createCustomer(db: Db, input: { email: string; name: string }): Promise<number> {
  if (!EMAIL.test(input.email)) throw new ShopError('invalid-email', `invalid email: ${input.email}`);
  if (input.name.trim() === '') throw new ShopError('invalid-name', 'name is required');
  const existing = await one(db, 'SELECT id FROM customers WHERE lower(email) = lower($1)', [input.email]);
  if (existing) throw new ShopError('duplicate-email', `email already registered: ${input.email}`);
  return value<number>(db, 'INSERT INTO customers (email, name) VALUES ($1, $2) RETURNING id', [input.email, input.name.trim()]);
}

export async function addAddress(
  db: Db,
  customerId: number,
  address: { line1: string; city: string; country: string },
  options: { makeDefault?: boolean } = {},
): Promise<number> {
  if (!/^[A-Z]{2}$/.test(address.country)) throw new ShopError('invalid-country', `country must be ISO-2: ${address.country}`);
  return withTransaction(db, async () => {
    if (options.makeDefault) await db.query('UPDATE addresses SET is_default = false WHERE customer_id = $1', [customerId]);
    return value<number>(db, 'INSERT INTO addresses (customer_id, line1, city, country, is_default) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
      customerId,
      address.line1,
      address.city,
      address.country,
      options.makeDefault === true,
    ]);
  });
}

export async function defaultAddress(db: Db, customerId: number): Promise<{ city: string; country: string } | undefined> {
  return one(db, 'SELECT city, country FROM addresses WHERE customer_id = $1 AND is_default', [customerId]);
}

export async function searchProducts(db: Db, term: string, options: { maxPriceCents?: number; limit?: number } = {}) {
  return rows<{ id: number; sku: string; name: string; priceCents: number }>(
    db,
    `SELECT id, sku, name, price_cents AS "priceCents" FROM products
     WHERE active AND name LIKE '%' || $1 || '%' AND price_cents <= $2 ORDER BY price_cents, id LIMIT $3`,
    [term, options.maxPriceCents ?? 2_000_000_000, options.limit ?? 20],
  );
}

export async function productsInCategory(db: Db, categoryId: number): Promise<number[]> {
  return column<number>(
    db,
    `SELECT pc.product_id FROM product_categories pc JOIN products p ON p.id = pc.product_id
     WHERE pc.category_id = $1 AND p.active ORDER BY pc.product_id`,
    [categoryId],
  );
}

export async function stockOf(db: Db, productId: number): Promise<number> {
  return value<number>(db, 'SELECT COALESCE(SUM(quantity), 0)::int FROM inventory WHERE product_id = $1', [productId]);
}

export async function adjustStock(db: Db, productId: number, warehouseId: number, delta: number, reason: string): Promise<number> {
  return withTransaction(db, async () => {
    const row = await one<{ quantity: number }>(db, 'SELECT quantity FROM inventory WHERE product_id = $1 AND warehouse_id = $2 FOR UPDATE', [productId, warehouseId]);
    const next = (row?.quantity ?? 0) + delta;
    if (next < 0) throw new ShopError('insufficient-stock', `only ${row?.quantity ?? 0} left of product ${productId}`);
    await db.query(
      `INSERT INTO inventory (product_id, warehouse_id, quantity) VALUES ($1, $2, $3)
       ON CONFLICT (product_id, warehouse_id) DO UPDATE SET quantity = excluded.quantity`,
      [productId, warehouseId, next],
    );
    await db.query('INSERT INTO stock_movements (product_id, warehouse_id, delta, reason) VALUES ($1, $2, $3, $4)', [productId, warehouseId, delta, reason]);
    return next;
  });
}

export async function cartFor(db: Db, customerId: number): Promise<number> {
  const existing = await one<{ id: number }>(db, 'SELECT id FROM carts WHERE customer_id = $1 ORDER BY id DESC LIMIT 1', [customerId]);
  if (existing) return existing.id;
  return value<number>(db, 'INSERT INTO carts (customer_id) VALUES ($1) RETURNING id', [customerId]);
}

export async function addToCart(db: Db, customerId: number, productId: number, quantity: number): Promise<number> {
  if (!Number.isInteger(quantity) || quantity <= 0) throw new ShopError('invalid-quantity', 'quantity must be a positive integer');
  const product = await one<{ active: boolean }>(db, 'SELECT active FROM products WHERE id = $1', [productId]);
  if (!product) throw new ShopError('unknown-product', `no product ${productId}`);
  if (!product.active) throw new ShopError('inactive-product', `product ${productId} is not for sale`);
  const cartId = await cartFor(db, customerId);
  await db.query(
    `INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3)
     ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = cart_items.quantity + excluded.quantity`,
    [cartId, productId, quantity],
  );
  return cartId;
}

export async function cartTotal(db: Db, cartId: number): Promise<number> {
  return value<number>(
    db,
    'SELECT COALESCE(SUM(ci.quantity * p.price_cents), 0)::int FROM cart_items ci JOIN products p ON p.id = ci.product_id WHERE ci.cart_id = $1',
    [cartId],
  );
}

async function couponDiscount(db: Db, code: string, totalCents: number): Promise<number> {
  const coupon = await one<{ percent_off: number; max_redemptions: number; expired: boolean }>(
    db,
    'SELECT percent_off, max_redemptions, COALESCE(expires_at < current_date, false) AS expired FROM coupons WHERE code = $1',
    [code],
  );
  if (!coupon) throw new ShopError('unknown-coupon', `no coupon ${code}`);
  if (coupon.expired) throw new ShopError('expired-coupon', `coupon ${code} expired`);
  const used = await value<number>(db, 'SELECT COUNT(*)::int FROM coupon_redemptions WHERE code = $1', [code]);
  if (used >= coupon.max_redemptions) throw new ShopError('coupon-used-up', `coupon ${code} has no redemptions left`);
  return Math.floor((totalCents * coupon.percent_off) / 100);
}

/** Turns a cart into a pending order: reserves stock from the fullest warehouses, applies a coupon, empties the cart. */
export async function checkout(db: Db, cartId: number, options: { couponCode?: string } = {}): Promise<number> {
  return withTransaction(db, async () => {
    const cart = await one<{ customer_id: number }>(db, 'SELECT customer_id FROM carts WHERE id = $1', [cartId]);
    if (!cart) throw new ShopError('unknown-cart', `no cart ${cartId}`);
    const items = await rows<{ product_id: number; quantity: number; price_cents: number }>(
      db,
      'SELECT ci.product_id, ci.quantity, p.price_cents FROM cart_items ci JOIN products p ON p.id = ci.product_id WHERE cart_id = $1 ORDER BY ci.product_id',
      [cartId],
    );
    if (items.length === 0) throw new ShopError('empty-cart', 'cart is empty');
    const total = items.reduce((sum, i) => sum + i.quantity * i.price_cents, 0);
    const discount = options.couponCode ? await couponDiscount(db, options.couponCode, total) : 0;
    const orderId = await value<number>(db, "INSERT INTO orders (customer_id, status, total_cents, discount_cents) VALUES ($1, 'pending', $2, $3) RETURNING id", [
      cart.customer_id,
      total - discount,
      discount,
    ]);
    for (const item of items) {
      let needed = item.quantity;
      const warehouses = await rows<{ warehouse_id: number; quantity: number }>(
        db,
        'SELECT warehouse_id, quantity FROM inventory WHERE product_id = $1 AND quantity > 0 ORDER BY quantity DESC, warehouse_id',
        [item.product_id],
      );
      for (const w of warehouses) {
        if (needed === 0) break;
        const take = Math.min(needed, w.quantity);
        await adjustStock(db, item.product_id, w.warehouse_id, -take, `order ${orderId}`);
        needed -= take;
      }
      if (needed > 0) throw new ShopError('insufficient-stock', `not enough stock for product ${item.product_id}`);
      await db.query('INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES ($1, $2, $3, $4)', [orderId, item.product_id, item.quantity, item.price_cents]);
    }
    if (options.couponCode) {
      await db.query('INSERT INTO coupon_redemptions (code, order_id, customer_id) VALUES ($1, $2, $3)', [options.couponCode, orderId, cart.customer_id]);
    }
    await db.query('DELETE FROM cart_items WHERE cart_id = $1', [cartId]);
    return orderId;
  });
}

async function orderStatus(db: Db, orderId: number): Promise<string> {
  const row = await one<{ status: string }>(db, 'SELECT status FROM orders WHERE id = $1', [orderId]);
  if (!row) throw new ShopError('unknown-order', `no order ${orderId}`);
  return row.status;
}

export async function payOrder(db: Db, orderId: number, method: 'card' | 'paypal' | 'voucher'): Promise<void> {
  await withTransaction(db, async () => {
    const status = await orderStatus(db, orderId);
    if (status !== 'pending') throw new ShopError('not-payable', `order ${orderId} is ${status}`);
    const order = (await one<{ total_cents: number; customer_id: number }>(db, 'SELECT total_cents, customer_id FROM orders WHERE id = $1', [orderId]))!;
    await db.query('INSERT INTO payments (order_id, amount_cents, method, succeeded) VALUES ($1, $2, $3, true)', [orderId, order.total_cents, method]);
    await db.query("UPDATE orders SET status = 'paid' WHERE id = $1", [orderId]);
    await db.query('UPDATE customers SET loyalty_points = loyalty_points + $1 WHERE id = $2', [Math.floor(order.total_cents / 100), order.customer_id]);
  });
}

export async function shipOrder(db: Db, orderId: number, warehouseId: number): Promise<string> {
  return withTransaction(db, async () => {
    const status = await orderStatus(db, orderId);
    if (status !== 'paid') throw new ShopError('not-shippable', `order ${orderId} is ${status}`);
    const tracking = `TRK-${orderId}-${warehouseId}`;
    await db.query('INSERT INTO shipments (order_id, warehouse_id, tracking_code) VALUES ($1, $2, $3)', [orderId, warehouseId, tracking]);
    await db.query("UPDATE orders SET status = 'shipped' WHERE id = $1", [orderId]);
    return tracking;
  });
}

/** Cancels a pending or paid order and returns its items to the first warehouse. */
export async function cancelOrder(db: Db, orderId: number): Promise<void> {
  await withTransaction(db, async () => {
    const status = await orderStatus(db, orderId);
    if (status !== 'pending' && status !== 'paid') throw new ShopError('not-cancellable', `order ${orderId} is ${status}`);
    const items = await rows<{ product_id: number; quantity: number }>(db, 'SELECT product_id, quantity FROM order_items WHERE order_id = $1', [orderId]);
    for (const item of items) await adjustStock(db, item.product_id, 1, item.quantity, `cancel ${orderId}`);
    await db.query('UPDATE orders SET status = $1 WHERE id = $2', [status === 'paid' ? 'refunded' : 'cancelled', orderId]);
  });
}

export async function addReview(db: Db, productId: number, customerId: number, rating: number, body = ''): Promise<number> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new ShopError('invalid-rating', 'rating must be 1..5');
  const bought = await one(
    db,
    `SELECT 1 FROM orders o JOIN order_items oi ON oi.order_id = o.id
     WHERE o.customer_id = $1 AND oi.product_id = $2 AND o.status IN ('paid', 'shipped') LIMIT 1`,
    [customerId, productId],
  );
  if (!bought) throw new ShopError('not-a-buyer', `customer ${customerId} did not buy product ${productId}`);
  try {
    // A savepoint, so that a duplicate does not abort the caller's (or the test's) transaction.
    return await withTransaction(db, () => value<number>(db, 'INSERT INTO reviews (product_id, customer_id, rating, body) VALUES ($1, $2, $3, $4) RETURNING id', [productId, customerId, rating, body]));
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new ShopError('duplicate-review', 'already reviewed');
    throw error;
  }
}

export async function productRating(db: Db, productId: number): Promise<{ reviews: number; average: number | null }> {
  const row = await one<{ reviews: number; average: number }>(db, 'SELECT reviews, average FROM product_ratings WHERE product_id = $1', [productId]);
  return row ?? { reviews: 0, average: null };
}

export async function topProducts(db: Db, limit = 5): Promise<{ productId: number; unitsSold: number }[]> {
  return rows(
    db,
    `SELECT oi.product_id AS "productId", SUM(oi.quantity)::int AS "unitsSold" FROM order_items oi JOIN orders o ON o.id = oi.order_id
     WHERE o.status IN ('paid', 'shipped') GROUP BY oi.product_id ORDER BY "unitsSold" DESC, "productId" LIMIT $1`,
    [limit],
  );
}

export async function customerLifetimeValue(db: Db, customerId: number): Promise<number> {
  return value<number>(db, "SELECT COALESCE(SUM(total_cents), 0)::int FROM orders WHERE customer_id = $1 AND status IN ('paid', 'shipped')", [customerId]);
}

export async function auditTrail(db: Db, orderId: number): Promise<string[]> {
  return column<string>(db, "SELECT action FROM audit_log WHERE entity = 'order' AND entity_id = $1 ORDER BY id", [orderId]);
}
