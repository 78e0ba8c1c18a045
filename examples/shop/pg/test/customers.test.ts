import { addAddress, createCustomer, customerLifetimeValue, defaultAddress, one, value, ShopError } from '../src/shop';
import { SEED_COUNTS } from '../src/seed';
import { describe, expect, test } from './fixtures';

describe('createCustomer', () => {
  test('inserts a customer with zero loyalty points', async ({ db }) => {
    const id = await createCustomer(db, { email: 'new@example.com', name: 'New' });
    expect(await one(db, 'SELECT email, loyalty_points FROM customers WHERE id = $1', [id])).toEqual({ email: 'new@example.com', loyalty_points: 0 });
  });
  test('every test starts from the seeded customers only', async ({ db }) => {
    expect(await one(db, 'SELECT COUNT(*)::int AS n FROM customers')).toEqual({ n: SEED_COUNTS.customers });
  });
  test('trims the name', async ({ db }) => {
    const id = await createCustomer(db, { email: 'trim@example.com', name: '  Ann  ' });
    expect(await value(db, 'SELECT name FROM customers WHERE id = $1', [id])).toBe('Ann');
  });
  test('rejects a duplicate email regardless of case', async ({ db }) => {
    await expect(createCustomer(db, { email: 'CUSTOMER1@example.com', name: 'Dup' })).rejects.toThrow(/already registered/);
  });
  test('rejects an empty name', async ({ db }) => {
    await expect(createCustomer(db, { email: 'x@example.com', name: '   ' })).rejects.toThrow(ShopError);
  });
  test.each(['plain', 'no-at.example.com', 'a@b', '@example.com', 'sp ace@example.com', 'two@@example.com'])('rejects invalid email %s', async (email) => {
    // A plain test.each callback gets the row, not the context: validation fails before the db is touched.
    await expect(createCustomer(undefined as never, { email, name: 'X' })).rejects.toThrow(/invalid email/);
  });
  test.for(Array.from({ length: 20 }, (_, i) => `batch${i}@example.com`))('registers %s', async (email, { db }) => {
    const id = await createCustomer(db, { email, name: email });
    expect(await value(db, 'SELECT COUNT(*)::int FROM customers')).toBe(SEED_COUNTS.customers + 1);
    // Sequences are not transactional: in transaction mode a rolled-back test still used up its id.
    expect(id).toBeGreaterThan(SEED_COUNTS.customers);
    expect(await value(db, 'SELECT MAX(id) FROM customers')).toBe(id);
  });
});

describe('addresses', () => {
  test('seeded customers have one default address', async ({ db }) => {
    expect(await defaultAddress(db, 1)).toEqual({ city: 'Paris', country: 'FR' });
  });
  test('a new default address replaces the old default', async ({ db }) => {
    await addAddress(db, 1, { line1: '9 Side St', city: 'Rome', country: 'IT' }, { makeDefault: true });
    expect(await defaultAddress(db, 1)).toEqual({ city: 'Rome', country: 'IT' });
    expect(await value(db, 'SELECT COUNT(*)::int FROM addresses WHERE customer_id = 1')).toBe(2);
  });
  test('a non-default address keeps the old default', async ({ db }) => {
    await addAddress(db, 2, { line1: '1 Way', city: 'Oslo', country: 'NO' });
    expect((await defaultAddress(db, 2))?.city).toBe('Lisbon');
  });
  test.for(['de', 'DEU', 'D', '12', ''])('rejects country %j', async (country, { db }) => {
    await expect(addAddress(db, 1, { line1: 'x', city: 'y', country })).rejects.toThrow(/ISO-2/);
  });
  test('deleting a customer cascades to addresses', async ({ db }) => {
    const id = await createCustomer(db, { email: 'gone@example.com', name: 'Gone' });
    await addAddress(db, id, { line1: '1 Gone St', city: 'Rome', country: 'IT' }, { makeDefault: true });
    await db.query('DELETE FROM customers WHERE id = $1', [id]);
    expect(await value(db, 'SELECT COUNT(*)::int FROM addresses WHERE customer_id = $1', [id])).toBe(0);
  });
});

describe('lifetime value', () => {
  test.for(Array.from({ length: 15 }, (_, i) => i + 1))('customer %i LTV equals their paid+shipped totals', async (customerId, { db }) => {
    const expected = await value(db, "SELECT COALESCE(SUM(total_cents), 0)::int FROM orders WHERE customer_id = $1 AND status IN ('paid','shipped')", [customerId]);
    expect(await customerLifetimeValue(db, customerId)).toBe(expected);
  });
  test('unknown customer has zero LTV', async ({ db }) => {
    expect(await customerLifetimeValue(db, 99999)).toBe(0);
  });
});
