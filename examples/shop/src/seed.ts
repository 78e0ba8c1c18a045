/** Deterministic seed data for the shop example: every test starts from exactly these rows. */
import type Database from 'better-sqlite3';

/** A tiny deterministic PRNG so the seed is the same on every machine. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const SEED_COUNTS = { customers: 200, suppliers: 12, categories: 24, products: 600, warehouses: 4, orders: 400, reviews: 500 };

export function seedShop(db: Database.Database): void {
  const random = lcg(42);
  const pick = (n: number) => 1 + Math.floor(random() * n);
  const seed = db.transaction(() => {
    const customer = db.prepare('INSERT INTO customers (id, email, name, loyalty_points) VALUES (?, ?, ?, ?)');
    const address = db.prepare('INSERT INTO addresses (customer_id, line1, city, country, is_default) VALUES (?, ?, ?, ?, 1)');
    for (let i = 1; i <= SEED_COUNTS.customers; i++) {
      customer.run(i, `customer${i}@example.com`, `Customer ${i}`, i % 7 === 0 ? 100 : 0);
      address.run(i, `${i} Main Street`, ['Berlin', 'Paris', 'Lisbon', 'Oslo'][i % 4], ['DE', 'FR', 'PT', 'NO'][i % 4]);
    }
    const supplier = db.prepare('INSERT INTO suppliers (id, name, country) VALUES (?, ?, ?)');
    for (let i = 1; i <= SEED_COUNTS.suppliers; i++) supplier.run(i, `Supplier ${i}`, ['DE', 'FR', 'US'][i % 3]);
    const category = db.prepare('INSERT INTO categories (id, name, parent_id) VALUES (?, ?, ?)');
    for (let i = 1; i <= SEED_COUNTS.categories; i++) category.run(i, `Category ${i}`, i > 6 ? 1 + (i % 6) : null);
    const product = db.prepare(
      'INSERT INTO products (id, sku, name, description, price_cents, supplier_id, active) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const productCategory = db.prepare('INSERT OR IGNORE INTO product_categories (product_id, category_id) VALUES (?, ?)');
    for (let i = 1; i <= SEED_COUNTS.products; i++) {
      const name = `${['Red', 'Blue', 'Green', 'Black'][i % 4]} ${['Mug', 'Lamp', 'Chair', 'Desk', 'Pen', 'Book'][i % 6]} ${i}`;
      product.run(i, `SKU-${String(i).padStart(5, '0')}`, name, `A fine ${name.toLowerCase()}.`, 100 + pick(20000), pick(SEED_COUNTS.suppliers), i % 50 === 0 ? 0 : 1);
      productCategory.run(i, pick(SEED_COUNTS.categories));
      productCategory.run(i, pick(SEED_COUNTS.categories));
    }
    const warehouse = db.prepare('INSERT INTO warehouses (id, code, city) VALUES (?, ?, ?)');
    ['BER', 'PAR', 'LIS', 'OSL'].forEach((code, i) => warehouse.run(i + 1, code, code));
    const stock = db.prepare('INSERT INTO inventory (product_id, warehouse_id, quantity) VALUES (?, ?, ?)');
    for (let p = 1; p <= SEED_COUNTS.products; p++) {
      for (let w = 1; w <= SEED_COUNTS.warehouses; w++) stock.run(p, w, p % 97 === 0 ? 0 : Math.floor(random() * 30));
    }
    const order = db.prepare('INSERT INTO orders (id, customer_id, status, total_cents) VALUES (?, ?, ?, 0)');
    const item = db.prepare(
      'INSERT OR IGNORE INTO order_items (order_id, product_id, quantity, unit_price_cents) SELECT ?, id, ?, price_cents FROM products WHERE id = ?',
    );
    const statuses = ['paid', 'shipped', 'pending', 'cancelled'];
    for (let o = 1; o <= SEED_COUNTS.orders; o++) {
      order.run(o, pick(SEED_COUNTS.customers), statuses[o % 4]);
      for (let k = 0; k < 3; k++) item.run(o, pick(3), pick(SEED_COUNTS.products));
    }
    db.exec(`UPDATE orders SET total_cents = (SELECT COALESCE(SUM(quantity * unit_price_cents), 0) FROM order_items WHERE order_id = orders.id)`);
    db.exec(`INSERT INTO payments (order_id, amount_cents, method, succeeded) SELECT id, total_cents, 'card', 1 FROM orders WHERE status IN ('paid', 'shipped')`);
    db.exec(`INSERT INTO shipments (order_id, warehouse_id, tracking_code) SELECT id, 1 + id % 4, 'TRK' || id FROM orders WHERE status = 'shipped'`);
    const review = db.prepare('INSERT OR IGNORE INTO reviews (product_id, customer_id, rating, body) VALUES (?, ?, ?, ?)');
    for (let r = 1; r <= SEED_COUNTS.reviews; r++) review.run(pick(SEED_COUNTS.products), pick(SEED_COUNTS.customers), pick(5), 'Seeded review');
    const coupon = db.prepare('INSERT INTO coupons (code, percent_off, max_redemptions, expires_at) VALUES (?, ?, ?, ?)');
    coupon.run('WELCOME10', 10, 1000, null);
    coupon.run('HALFOFF', 50, 1, null);
    coupon.run('EXPIRED', 20, 100, '2000-01-01');
  });
  seed();
}
