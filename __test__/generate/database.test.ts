/**
 * Database-backed code in record mode: functions that take a better-sqlite3 handle (recognised by the type's import,
 * not by the parameter's name) are searched on real fresh databases from `tdd-fast/testing`'s SQLite template, and the
 * recorded tests build the same template, call the repository in sequence and assert the rows. Real runs of the built
 * CLI on a small fixture project, then the project's own `vitest run` on the written file; nothing is mocked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, repoRoot } from '../helpers';
import { recordFile, runVitest } from './helpers';

const SCHEMA_TS = [
  "import type { Database } from 'better-sqlite3';",
  '',
  'export const SCHEMA = `',
  'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER NOT NULL DEFAULT 0);',
  '`;',
  '',
  'export function migrate(db: Database): void {',
  '  db.exec(SCHEMA);',
  '}',
  '',
].join('\n');

const REPO_TS = [
  "import type { Database } from 'better-sqlite3';",
  '',
  'export interface Item { id: number; name: string; qty: number }',
  '',
  'export function addItem(db: Database, name: string, qty: number): Item {',
  "  if (qty < 0) throw new RangeError('qty must be positive');",
  "  const info = db.prepare('INSERT INTO items (name, qty) VALUES (?, ?)').run(name, qty);",
  '  return findItem(db, Number(info.lastInsertRowid)) as Item;',
  '}',
  '',
  'export function findItem(db: Database, id: number): Item | undefined {',
  "  return db.prepare('SELECT id, name, qty FROM items WHERE id = ?').get(id) as Item | undefined;",
  '}',
  '',
  '/** Takes `n` out of stock; throws when there are not that many. */',
  'export function take(db: Database, id: number, n: number): number {',
  '  const item = findItem(db, id);',
  "  if (!item) throw new Error(`no item ${id}`);",
  "  if (item.qty < n) throw new Error(`only ${item.qty} left`);",
  "  db.prepare('UPDATE items SET qty = qty - ? WHERE id = ?').run(n, id);",
  '  return item.qty - n;',
  '}',
  '',
  '/** The handle as the second parameter, under another name: it is known by its type. */',
  'export function rename(id: number, conn: Database, name: string): boolean {',
  "  const changed = conn.prepare('UPDATE items SET name = ? WHERE id = ?').run(name, id).changes;",
  "  if (changed === 0) throw new Error(`no item ${id}`);",
  '  return true;',
  '}',
  '',
].join('\n');

/** A module whose queries need rows only another module inserts (an order needs an item). */
const ORDERS_TS = [
  "import type { Database } from 'better-sqlite3';",
  '',
  'export function orderCount(db: Database, itemId: number): number {',
  "  const item = db.prepare('SELECT qty FROM items WHERE id = ?').get(itemId) as { qty: number } | undefined;",
  "  if (!item) throw new Error(`no item ${itemId}`);",
  '  return item.qty > 0 ? 1 : 0;',
  '}',
  '',
].join('\n');

/** The fixture: tdd-fast installed as a devDependency would be (its tests import `tdd-fast/testing`). */
function project(files: Record<string, string>): string {
  const root = makeProject({ 'package.json': '{"name":"shop","private":true,"type":"module"}', ...files });
  fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  fs.symlinkSync(repoRoot, path.join(root, 'node_modules', 'tdd-fast'), 'dir');
  return root;
}

describe('record mode on functions that take a database handle', () => {
  it('records sequences on a fresh template database that pass under the project\'s vitest and reach the queries', () => {
    const root = project({ 'src/db/schema.ts': SCHEMA_TS, 'src/items.ts': REPO_TS });
    const { text } = recordFile(root, 'src/items.ts');
    expect(text).not.toMatch(/cannot construct|TODO/);
    // The template from the project's own migrate(db), a fresh database per test, closed after it.
    expect(text).toContain("import { SqliteTemplate, type SqliteDatabase } from 'tdd-fast/testing';");
    expect(text).toContain("import { migrate, SCHEMA } from './db/schema';");
    expect(text).toMatch(/const template = SqliteTemplate\.fromSchema\(\{ ddl: '' \}, \{ seed: migrate, cacheKey: SCHEMA \}\);/);
    expect(text).toContain('db = template.fresh();');
    expect(text).toContain('afterEach(() => db.close());');
    // An insert, then a query that finds its row, and the table's rows asserted.
    expect(text).toMatch(/addItem\(db, [^)]*\)[\s\S]*?take\(db, 1, /);
    expect(text).toMatch(/expect\(db\.prepare\('SELECT \* FROM items'\)\.all\(\)\)\.toStrictEqual\(\[\{ id: 1, /);
    expect(text).toMatch(/only \d+ left/);
    expect(text).toMatch(/expect\(rename\(1, db, [^)]*\)\)\.toBe\(true\)/);
    const report = runVitest(root);
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(2);
  });

  it("seeds rows through another module's insert function when the module's own queries need them", () => {
    const root = project({ 'src/db/schema.ts': SCHEMA_TS, 'src/items.ts': REPO_TS, 'src/orders.ts': ORDERS_TS });
    const { text } = recordFile(root, 'src/orders.ts');
    expect(text).toContain("import { addItem } from './items';");
    // Both branches after an insert: the item found (1 or 0 by its quantity), and the one that is not.
    expect(text).toMatch(/addItem\(db, [^\n]*\n[^\n]*expect\(orderCount\(db, 1\)\)\.toBe\([01]\)/);
    expect(text).toMatch(/no item/);
    const report = runVitest(root);
    expect(report.numFailedTests).toBe(0);
  });

  it('builds the template from the migrations folder the config names (testing.migrationsDir)', () => {
    const root = project({
      'tdd-fast.config.json': JSON.stringify({ testing: { migrationsDir: 'db/migrations' } }),
      'db/migrations/001_items.sql': 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER NOT NULL DEFAULT 0);\n',
      'src/items.ts': REPO_TS,
    });
    const { text } = recordFile(root, 'src/items.ts');
    expect(text).toContain("const template = SqliteTemplate.fromSchema({ migrationsDir: 'db/migrations' });");
    expect(text).toMatch(/addItem\(db, /);
    expect(runVitest(root).numFailedTests).toBe(0);
  });

  it("leaves a project's own class called Database alone (a handle is known by its package, not its name)", () => {
    const root = project({
      'src/db/schema.ts': SCHEMA_TS,
      'src/memory.ts': [
        'export class Database {',
        '  rows: string[] = [];',
        '}',
        '',
        'export function count(db: Database): number {',
        '  return db.rows.length;',
        '}',
        '',
      ].join('\n'),
    });
    const { text } = recordFile(root, 'src/memory.ts');
    expect(text).not.toContain('tdd-fast/testing');
  });

  it('says what to do when the project offers no schema, instead of "cannot construct"', () => {
    const root = project({ 'src/items.ts': REPO_TS });
    const { text } = recordFile(root, 'src/items.ts');
    expect(text).toMatch(/no schema for its database: set testing\.migrationsDir/);
    expect(text).not.toMatch(/cannot construct/);
  });
});
