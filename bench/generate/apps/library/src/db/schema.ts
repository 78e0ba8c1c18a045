import type { Database } from 'better-sqlite3';

/** The library's schema; the tests build a template database from it. */
export const SCHEMA = `
CREATE TABLE books (
  id INTEGER PRIMARY KEY,
  isbn TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  author TEXT NOT NULL,
  year INTEGER,
  copies INTEGER NOT NULL DEFAULT 1 CHECK (copies >= 0)
);
CREATE TABLE members (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  joined_at TEXT NOT NULL,
  blocked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE loans (
  id INTEGER PRIMARY KEY,
  book_id INTEGER NOT NULL REFERENCES books(id),
  member_id INTEGER NOT NULL REFERENCES members(id),
  lent_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  returned_at TEXT
);
CREATE INDEX loans_open ON loans (member_id) WHERE returned_at IS NULL;
`;

export function migrate(db: Database): void {
  db.exec(SCHEMA);
}

/** Runs `work` in a transaction: all of it or none. */
export function inTransaction<T>(db: Database, work: () => T): T {
  return db.transaction(work)();
}
