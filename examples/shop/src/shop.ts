/** A small shop domain on SQLite: the code under test in the example suite. */
import type Database from 'better-sqlite3';

type Db = Database.Database;

export class ShopError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function createCustomer(db: Db, input: { email: string; name: string }): number {
  if (!EMAIL.test(input.email)) throw new ShopError('invalid-email', `invalid email: ${input.email}`);
  if (input.name.trim() === '') throw new ShopError('invalid-name', 'name is required');
  const existing = db.prepare('SELECT id FROM customers WHERE email = ?').get(input.email);
  if (existing) throw new ShopError('duplicate-email', `email already registered: ${input.email}`);
  return Number(db.prepare('INSERT INTO customers (email, name) VALUES (?, ?)').run(input.email, input.name.trim()).lastInsertRowid);
}

export function addAddress(
  db: Db,
  customerId: number,
  address: { line1: string; city: string; country: string },
  options: { makeDefault?: boolean } = {},
): number {
  if (!/^[A-Z]{2}$/.test(address.country)) throw new ShopError('invalid-country', `country must be ISO-2: ${address.country}`);
  return db.transaction(() => {
    if (options.makeDefault) db.prepare('UPDATE addresses SET is_default = 0 WHERE customer_id = ?').run(customerId);
    return Number(
      db
        .prepare('INSERT INTO addresses (customer_id, line1, city, country, is_default) VALUES (?, ?, ?, ?, ?)')
        .run(customerId, address.line1, address.city, address.country, options.makeDefault ? 1 : 0).lastInsertRowid,
    );
  })();
}

export function defaultAddress(db: Db, customerId: number): { city: string; country: string } | undefined {
  return db.prepare('SELECT city, country FROM addresses WHERE customer_id = ? AND is_default = 1').get(customerId) as
    | { city: string; country: string }
    | undefined;
}

export function searchProducts(db: Db, term: string, options: { maxPriceCents?: number; limit?: number } = {}) {
  return db
    .prepare(
      `SELECT id, sku, name, price_cents AS priceCents FROM products
       WHERE active = 1 AND name LIKE '%' || ? || '%' AND price_cents <= ? ORDER BY price_cents, id LIMIT ?`,
    )
    .all(term, options.maxPriceCents ?? Number.MAX_SAFE_INTEGER, options.limit ?? 20) as { id: number; sku: string; name: string; priceCents: number }[];
}

export function productsInCategory(db: Db, categoryId: number): number[] {
  return (
    db
      .prepare(
        `SELECT pc.product_id AS id FROM product_categories pc JOIN products p ON p.id = pc.product_id
         WHERE pc.category_id = ? AND p.active = 1 ORDER BY pc.product_id`,
      )
      .all(categoryId) as { id: number }[]
  ).map((r) => r.id);
}

export function stockOf(db: Db, productId: number): number {
  return (db.prepare('SELECT COALESCE(SUM(quantity), 0) AS q FROM inventory WHERE product_id = ?').get(productId) as { q: number }).q;
}

export function adjustStock(db: Db, productId: number, warehouseId: number, delta: number, reason: string): number {
  return db.transaction(() => {
    const row = db.prepare('SELECT quantity FROM inventory WHERE product_id = ? AND warehouse_id = ?').get(productId, warehouseId) as
      | { quantity: number }
      | undefined;
    const next = (row?.quantity ?? 0) + delta;
    if (next < 0) throw new ShopError('insufficient-stock', `only ${row?.quantity ?? 0} left of product ${productId}`);
    db.prepare(
      `INSERT INTO inventory (product_id, warehouse_id, quantity) VALUES (?, ?, ?)
       ON CONFLICT (product_id, warehouse_id) DO UPDATE SET quantity = excluded.quantity`,
    ).run(productId, warehouseId, next);
    db.prepare('INSERT INTO stock_movements (product_id, warehouse_id, delta, reason) VALUES (?, ?, ?, ?)').run(productId, warehouseId, delta, reason);
    return next;
  })();
}

export function cartFor(db: Db, customerId: number): number {
  const existing = db.prepare('SELECT id FROM carts WHERE customer_id = ? ORDER BY id DESC LIMIT 1').get(customerId) as { id: number } | undefined;
  if (existing) return existing.id;
  return Number(db.prepare('INSERT INTO carts (customer_id) VALUES (?)').run(customerId).lastInsertRowid);
}

export function addToCart(db: Db, customerId: number, productId: number, quantity: number): number {
  if (!Number.isInteger(quantity) || quantity <= 0) throw new ShopError('invalid-quantity', `quantity must be a positive integer`);
  const product = db.prepare('SELECT active FROM products WHERE id = ?').get(productId) as { active: number } | undefined;
  if (!product) throw new ShopError('unknown-product', `no product ${productId}`);
  if (!product.active) throw new ShopError('inactive-product', `product ${productId} is not for sale`);
  const cartId = cartFor(db, customerId);
  db.prepare(
    `INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (?, ?, ?)
     ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = quantity + excluded.quantity`,
  ).run(cartId, productId, quantity);
  return cartId;
}

export function cartTotal(db: Db, cartId: number): number {
  return (
    db
      .prepare('SELECT COALESCE(SUM(ci.quantity * p.price_cents), 0) AS total FROM cart_items ci JOIN products p ON p.id = ci.product_id WHERE ci.cart_id = ?')
      .get(cartId) as { total: number }
  ).total;
}

function couponDiscount(db: Db, code: string, totalCents: number): number {
  const coupon = db.prepare('SELECT percent_off, max_redemptions, expires_at FROM coupons WHERE code = ?').get(code) as
    | { percent_off: number; max_redemptions: number; expires_at: string | null }
    | undefined;
  if (!coupon) throw new ShopError('unknown-coupon', `no coupon ${code}`);
  if (coupon.expires_at !== null && coupon.expires_at < new Date().toISOString().slice(0, 10)) {
    throw new ShopError('expired-coupon', `coupon ${code} expired`);
  }
  const used = (db.prepare('SELECT COUNT(*) AS n FROM coupon_redemptions WHERE code = ?').get(code) as { n: number }).n;
  if (used >= coupon.max_redemptions) throw new ShopError('coupon-used-up', `coupon ${code} has no redemptions left`);
  return Math.floor((totalCents * coupon.percent_off) / 100);
}

/** Turns a cart into a pending order: reserves stock from the fullest warehouses, applies a coupon, empties the cart. */
export function checkout(db: Db, cartId: number, options: { couponCode?: string } = {}): number {
  return db.transaction(() => {
    const cart = db.prepare('SELECT customer_id FROM carts WHERE id = ?').get(cartId) as { customer_id: number } | undefined;
    if (!cart) throw new ShopError('unknown-cart', `no cart ${cartId}`);
    const items = db
      .prepare('SELECT ci.product_id, ci.quantity, p.price_cents FROM cart_items ci JOIN products p ON p.id = ci.product_id WHERE cart_id = ?')
      .all(cartId) as { product_id: number; quantity: number; price_cents: number }[];
    if (items.length === 0) throw new ShopError('empty-cart', 'cart is empty');
    const total = items.reduce((sum, i) => sum + i.quantity * i.price_cents, 0);
    const discount = options.couponCode ? couponDiscount(db, options.couponCode, total) : 0;
    const orderId = Number(
      db.prepare("INSERT INTO orders (customer_id, status, total_cents, discount_cents) VALUES (?, 'pending', ?, ?)").run(cart.customer_id, total - discount, discount).lastInsertRowid,
    );
    for (const item of items) {
      let needed = item.quantity;
      const warehouses = db.prepare('SELECT warehouse_id, quantity FROM inventory WHERE product_id = ? AND quantity > 0 ORDER BY quantity DESC').all(item.product_id) as {
        warehouse_id: number;
        quantity: number;
      }[];
      for (const w of warehouses) {
        if (needed === 0) break;
        const take = Math.min(needed, w.quantity);
        adjustStock(db, item.product_id, w.warehouse_id, -take, `order ${orderId}`);
        needed -= take;
      }
      if (needed > 0) throw new ShopError('insufficient-stock', `not enough stock for product ${item.product_id}`);
      db.prepare('INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?)').run(orderId, item.product_id, item.quantity, item.price_cents);
    }
    if (options.couponCode) {
      db.prepare('INSERT INTO coupon_redemptions (code, order_id, customer_id) VALUES (?, ?, ?)').run(options.couponCode, orderId, cart.customer_id);
    }
    db.prepare('DELETE FROM cart_items WHERE cart_id = ?').run(cartId);
    return orderId;
  })();
}

function orderStatus(db: Db, orderId: number): string {
  const row = db.prepare('SELECT status FROM orders WHERE id = ?').get(orderId) as { status: string } | undefined;
  if (!row) throw new ShopError('unknown-order', `no order ${orderId}`);
  return row.status;
}

export function payOrder(db: Db, orderId: number, method: 'card' | 'paypal' | 'voucher'): void {
  db.transaction(() => {
    const status = orderStatus(db, orderId);
    if (status !== 'pending') throw new ShopError('not-payable', `order ${orderId} is ${status}`);
    const { total_cents: amount, customer_id: customerId } = db.prepare('SELECT total_cents, customer_id FROM orders WHERE id = ?').get(orderId) as {
      total_cents: number;
      customer_id: number;
    };
    db.prepare('INSERT INTO payments (order_id, amount_cents, method, succeeded) VALUES (?, ?, ?, 1)').run(orderId, amount, method);
    db.prepare("UPDATE orders SET status = 'paid' WHERE id = ?").run(orderId);
    db.prepare('UPDATE customers SET loyalty_points = loyalty_points + ? WHERE id = ?').run(Math.floor(amount / 100), customerId);
  })();
}

export function shipOrder(db: Db, orderId: number, warehouseId: number): string {
  return db.transaction(() => {
    const status = orderStatus(db, orderId);
    if (status !== 'paid') throw new ShopError('not-shippable', `order ${orderId} is ${status}`);
    const tracking = `TRK-${orderId}-${warehouseId}`;
    db.prepare('INSERT INTO shipments (order_id, warehouse_id, tracking_code) VALUES (?, ?, ?)').run(orderId, warehouseId, tracking);
    db.prepare("UPDATE orders SET status = 'shipped' WHERE id = ?").run(orderId);
    return tracking;
  })();
}

/** Cancels a pending or paid order and returns its items to the first warehouse. */
export function cancelOrder(db: Db, orderId: number): void {
  db.transaction(() => {
    const status = orderStatus(db, orderId);
    if (status !== 'pending' && status !== 'paid') throw new ShopError('not-cancellable', `order ${orderId} is ${status}`);
    const items = db.prepare('SELECT product_id, quantity FROM order_items WHERE order_id = ?').all(orderId) as { product_id: number; quantity: number }[];
    for (const item of items) adjustStock(db, item.product_id, 1, item.quantity, `cancel ${orderId}`);
    db.prepare(`UPDATE orders SET status = ? WHERE id = ?`).run(status === 'paid' ? 'refunded' : 'cancelled', orderId);
  })();
}

export function addReview(db: Db, productId: number, customerId: number, rating: number, body = ''): number {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new ShopError('invalid-rating', 'rating must be 1..5');
  const bought = db
    .prepare(
      `SELECT 1 FROM orders o JOIN order_items oi ON oi.order_id = o.id
       WHERE o.customer_id = ? AND oi.product_id = ? AND o.status IN ('paid', 'shipped') LIMIT 1`,
    )
    .get(customerId, productId);
  if (!bought) throw new ShopError('not-a-buyer', `customer ${customerId} did not buy product ${productId}`);
  try {
    return Number(db.prepare('INSERT INTO reviews (product_id, customer_id, rating, body) VALUES (?, ?, ?, ?)').run(productId, customerId, rating, body).lastInsertRowid);
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new ShopError('duplicate-review', 'already reviewed');
    throw error;
  }
}

export function productRating(db: Db, productId: number): { reviews: number; average: number | null } {
  const row = db.prepare('SELECT reviews, average FROM product_ratings WHERE product_id = ?').get(productId) as { reviews: number; average: number } | undefined;
  return row ?? { reviews: 0, average: null };
}

export function topProducts(db: Db, limit = 5): { productId: number; unitsSold: number }[] {
  return db
    .prepare(
      `SELECT oi.product_id AS productId, SUM(oi.quantity) AS unitsSold FROM order_items oi JOIN orders o ON o.id = oi.order_id
       WHERE o.status IN ('paid', 'shipped') GROUP BY oi.product_id ORDER BY unitsSold DESC, productId LIMIT ?`,
    )
    .all(limit) as { productId: number; unitsSold: number }[];
}

export function customerLifetimeValue(db: Db, customerId: number): number {
  return (
    db.prepare("SELECT COALESCE(SUM(total_cents), 0) AS v FROM orders WHERE customer_id = ? AND status IN ('paid', 'shipped')").get(customerId) as { v: number }
  ).v;
}

export function auditTrail(db: Db, orderId: number): string[] {
  return (db.prepare("SELECT action FROM audit_log WHERE entity = 'order' AND entity_id = ? ORDER BY id").all(orderId) as { action: string }[]).map((r) => r.action);
}
