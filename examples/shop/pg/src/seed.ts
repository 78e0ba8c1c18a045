/** The shop's deterministic seed (the same rows as ../../src/seed.ts) for PostgreSQL, in a few set-based inserts. */
import type { Queryable } from '../../../../ts/testing/index';

export { SEED_COUNTS } from '../../src/seed';
import { SEED_COUNTS } from '../../src/seed';

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export async function seedShopPg(db: Queryable): Promise<void> {
  const random = lcg(42);
  const pick = (n: number) => 1 + Math.floor(random() * n);
  const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  const customers = ids(SEED_COUNTS.customers);
  await db.query('INSERT INTO customers (id, email, name, loyalty_points) SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[])', [
    customers,
    customers.map((i) => `customer${i}@example.com`),
    customers.map((i) => `Customer ${i}`),
    customers.map((i) => (i % 7 === 0 ? 100 : 0)),
  ]);
  await db.query('INSERT INTO addresses (customer_id, line1, city, country, is_default) SELECT c, l, ci, co, true FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS u(c, l, ci, co)', [
    customers,
    customers.map((i) => `${i} Main Street`),
    customers.map((i) => ['Berlin', 'Paris', 'Lisbon', 'Oslo'][i % 4]),
    customers.map((i) => ['DE', 'FR', 'PT', 'NO'][i % 4]),
  ]);
  const suppliers = ids(SEED_COUNTS.suppliers);
  await db.query('INSERT INTO suppliers (id, name, country) SELECT * FROM unnest($1::int[], $2::text[], $3::text[])', [
    suppliers,
    suppliers.map((i) => `Supplier ${i}`),
    suppliers.map((i) => ['DE', 'FR', 'US'][i % 3]),
  ]);
  const categories = ids(SEED_COUNTS.categories);
  await db.query('INSERT INTO categories (id, name, parent_id) SELECT * FROM unnest($1::int[], $2::text[], $3::int[])', [
    categories,
    categories.map((i) => `Category ${i}`),
    categories.map((i) => (i > 6 ? 1 + (i % 6) : null)),
  ]);

  const product = { id: [] as number[], sku: [] as string[], name: [] as string[], description: [] as string[], price: [] as number[], supplier: [] as number[], active: [] as boolean[] };
  const productCategory = { product: [] as number[], category: [] as number[] };
  for (let i = 1; i <= SEED_COUNTS.products; i++) {
    const name = `${['Red', 'Blue', 'Green', 'Black'][i % 4]} ${['Mug', 'Lamp', 'Chair', 'Desk', 'Pen', 'Book'][i % 6]} ${i}`;
    product.id.push(i);
    product.sku.push(`SKU-${String(i).padStart(5, '0')}`);
    product.name.push(name);
    product.description.push(`A fine ${name.toLowerCase()}.`);
    product.price.push(100 + pick(20000));
    product.supplier.push(pick(SEED_COUNTS.suppliers));
    product.active.push(i % 50 !== 0);
    productCategory.product.push(i, i);
    productCategory.category.push(pick(SEED_COUNTS.categories), pick(SEED_COUNTS.categories));
  }
  await db.query(
    'INSERT INTO products (id, sku, name, description, price_cents, supplier_id, active) SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::bool[])',
    [product.id, product.sku, product.name, product.description, product.price, product.supplier, product.active],
  );
  await db.query('INSERT INTO product_categories (product_id, category_id) SELECT * FROM unnest($1::int[], $2::int[]) ON CONFLICT DO NOTHING', [
    productCategory.product,
    productCategory.category,
  ]);
  await db.query("INSERT INTO warehouses (id, code, city) VALUES (1, 'BER', 'BER'), (2, 'PAR', 'PAR'), (3, 'LIS', 'LIS'), (4, 'OSL', 'OSL')");
  const stock = { product: [] as number[], warehouse: [] as number[], quantity: [] as number[] };
  for (let p = 1; p <= SEED_COUNTS.products; p++) {
    for (let w = 1; w <= SEED_COUNTS.warehouses; w++) {
      stock.product.push(p);
      stock.warehouse.push(w);
      stock.quantity.push(p % 97 === 0 ? 0 : Math.floor(random() * 30));
    }
  }
  await db.query('INSERT INTO inventory (product_id, warehouse_id, quantity) SELECT * FROM unnest($1::int[], $2::int[], $3::int[])', [stock.product, stock.warehouse, stock.quantity]);

  const statuses = ['paid', 'shipped', 'pending', 'cancelled'];
  const order = { id: [] as number[], customer: [] as number[], status: [] as string[] };
  const item = { order: [] as number[], quantity: [] as number[], product: [] as number[] };
  for (let o = 1; o <= SEED_COUNTS.orders; o++) {
    order.id.push(o);
    order.customer.push(pick(SEED_COUNTS.customers));
    order.status.push(statuses[o % 4]);
    for (let k = 0; k < 3; k++) {
      item.order.push(o);
      item.quantity.push(pick(3));
      item.product.push(pick(SEED_COUNTS.products));
    }
  }
  await db.query('INSERT INTO orders (id, customer_id, status, total_cents) SELECT i, c, s, 0 FROM unnest($1::int[], $2::int[], $3::text[]) AS u(i, c, s)', [order.id, order.customer, order.status]);
  // Row by row in the SQLite seed, where the first of two equal (order, product) pairs wins: keep that order here.
  await db.query(
    `INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
     SELECT u.o, p.id, u.q, p.price_cents FROM unnest($1::int[], $2::int[], $3::int[]) WITH ORDINALITY AS u(o, q, pid, n)
     JOIN products p ON p.id = u.pid ORDER BY u.n ON CONFLICT DO NOTHING`,
    [item.order, item.quantity, item.product],
  );
  await db.query('UPDATE orders SET total_cents = (SELECT COALESCE(SUM(quantity * unit_price_cents), 0) FROM order_items WHERE order_id = orders.id)');
  await db.query("INSERT INTO payments (order_id, amount_cents, method, succeeded) SELECT id, total_cents, 'card', true FROM orders WHERE status IN ('paid', 'shipped') ORDER BY id");
  await db.query("INSERT INTO shipments (order_id, warehouse_id, tracking_code) SELECT id, 1 + id % 4, 'TRK' || id FROM orders WHERE status = 'shipped' ORDER BY id");
  const review = { product: [] as number[], customer: [] as number[], rating: [] as number[] };
  for (let r = 1; r <= SEED_COUNTS.reviews; r++) {
    review.product.push(pick(SEED_COUNTS.products));
    review.customer.push(pick(SEED_COUNTS.customers));
    review.rating.push(pick(5));
  }
  await db.query(
    `INSERT INTO reviews (product_id, customer_id, rating, body)
     SELECT p, c, r, 'Seeded review' FROM unnest($1::int[], $2::int[], $3::int[]) WITH ORDINALITY AS u(p, c, r, n) ORDER BY n ON CONFLICT DO NOTHING`,
    [review.product, review.customer, review.rating],
  );
  await db.query("INSERT INTO coupons (code, percent_off, max_redemptions, expires_at) VALUES ('WELCOME10', 10, 1000, NULL), ('HALFOFF', 50, 1, NULL), ('EXPIRED', 20, 100, '2000-01-01')");
  // Explicit ids were inserted: move every identity sequence past them.
  for (const table of ['customers', 'addresses', 'suppliers', 'categories', 'products', 'warehouses', 'orders', 'payments', 'shipments', 'reviews']) {
    await db.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM ${table}), false)`);
  }
}
