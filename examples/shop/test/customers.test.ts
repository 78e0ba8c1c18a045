import { addAddress, createCustomer, customerLifetimeValue, defaultAddress, ShopError } from '../src/shop';
import { SEED_COUNTS } from '../src/seed';
import { describe, expect, test } from './fixtures';

describe('createCustomer', () => {
  test('inserts a customer with zero loyalty points', ({ db }) => {
    const id = createCustomer(db, { email: 'new@example.com', name: 'New' });
    expect(db.prepare('SELECT email, loyalty_points FROM customers WHERE id = ?').get(id)).toEqual({ email: 'new@example.com', loyalty_points: 0 });
  });
  test('every test starts from the seeded customers only', ({ db }) => {
    expect(db.prepare('SELECT COUNT(*) AS n FROM customers').get()).toEqual({ n: SEED_COUNTS.customers });
  });
  test('trims the name', ({ db }) => {
    const id = createCustomer(db, { email: 'trim@example.com', name: '  Ann  ' });
    expect(db.prepare('SELECT name FROM customers WHERE id = ?').pluck().get(id)).toBe('Ann');
  });
  test('rejects a duplicate email regardless of case', ({ db }) => {
    expect(() => createCustomer(db, { email: 'CUSTOMER1@example.com', name: 'Dup' })).toThrow(/already registered/);
  });
  test('rejects an empty name', ({ db }) => {
    expect(() => createCustomer(db, { email: 'x@example.com', name: '   ' })).toThrow(ShopError);
  });
  test.each(['plain', 'no-at.example.com', 'a@b', '@example.com', 'sp ace@example.com', 'two@@example.com'])(
    'rejects invalid email %s',
    (email) => {
      // A plain test.each callback gets the row, not the context: validation fails before the db is touched.
      expect(() => createCustomer(undefined as never, { email, name: 'X' })).toThrow(/invalid email/);
    },
  );
  test.for(Array.from({ length: 20 }, (_, i) => `batch${i}@example.com`))('registers %s', (email, { db }) => {
    const id = createCustomer(db, { email, name: email });
    expect(db.prepare('SELECT COUNT(*) AS n FROM customers').pluck().get()).toBe(SEED_COUNTS.customers + 1);
    expect(id).toBe(SEED_COUNTS.customers + 1);
  });
});

describe('addresses', () => {
  test('seeded customers have one default address', ({ db }) => {
    expect(defaultAddress(db, 1)).toEqual({ city: 'Paris', country: 'FR' });
  });
  test('a new default address replaces the old default', ({ db }) => {
    addAddress(db, 1, { line1: '9 Side St', city: 'Rome', country: 'IT' }, { makeDefault: true });
    expect(defaultAddress(db, 1)).toEqual({ city: 'Rome', country: 'IT' });
    expect(db.prepare('SELECT COUNT(*) FROM addresses WHERE customer_id = 1').pluck().get()).toBe(2);
  });
  test('a non-default address keeps the old default', ({ db }) => {
    addAddress(db, 2, { line1: '1 Way', city: 'Oslo', country: 'NO' });
    expect(defaultAddress(db, 2)?.city).toBe('Lisbon');
  });
  test.for(['de', 'DEU', 'D', '12', ''])('rejects country %j', (country, { db }) => {
    expect(() => addAddress(db, 1, { line1: 'x', city: 'y', country })).toThrow(/ISO-2/);
  });
  test('deleting a customer cascades to addresses', ({ db }) => {
    const id = createCustomer(db, { email: 'gone@example.com', name: 'Gone' });
    addAddress(db, id, { line1: '1 Gone St', city: 'Rome', country: 'IT' }, { makeDefault: true });
    db.prepare('DELETE FROM customers WHERE id = ?').run(id);
    expect(db.prepare('SELECT COUNT(*) FROM addresses WHERE customer_id = ?').pluck().get(id)).toBe(0);
  });
});

describe('lifetime value', () => {
  test.for(Array.from({ length: 15 }, (_, i) => i + 1))('customer %i LTV equals their paid+shipped totals', (customerId, { db }) => {
    const expected = db
      .prepare("SELECT COALESCE(SUM(total_cents), 0) FROM orders WHERE customer_id = ? AND status IN ('paid','shipped')")
      .pluck()
      .get(customerId);
    expect(customerLifetimeValue(db, customerId)).toBe(expected);
  });
  test('unknown customer has zero LTV', ({ db }) => {
    expect(customerLifetimeValue(db, 99999)).toBe(0);
  });
});
