/** Isolation stress: 250 tests per file, 1,000 over all workers; any leaked write fails a test. */
import { SEED_COUNTS } from '../src/seed';
import { expect, test } from '../test/fixtures';

const FILE = 2;

test.for(Array.from({ length: 250 }, (_, i) => i))('file 2 test %i sees only its own writes', (n, { db }) => {
  db.exec('CREATE TABLE IF NOT EXISTS stress_marker (file INTEGER, n INTEGER, pid INTEGER)');
  expect(db.prepare('SELECT COUNT(*) FROM stress_marker').pluck().get()).toBe(0);
  expect(db.prepare('SELECT COUNT(*) FROM customers').pluck().get()).toBe(SEED_COUNTS.customers);
  db.prepare('INSERT INTO stress_marker VALUES (?, ?, ?)').run(FILE, n, process.pid);
  db.prepare('DELETE FROM inventory WHERE product_id = ?').run(1 + (n % 600));
  db.prepare("INSERT INTO customers (email, name) VALUES (?, 'stress')").run(`stress-${FILE}-${n}@example.com`);
  expect(db.prepare('SELECT file, n FROM stress_marker').all()).toEqual([{ file: FILE, n }]);
  expect(db.prepare('SELECT COUNT(*) FROM customers').pluck().get()).toBe(SEED_COUNTS.customers + 1);
});
