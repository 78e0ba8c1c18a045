import type { Database } from 'better-sqlite3';
import { toIsbn13 } from '~domain/isbn';

export interface Book {
  id: number;
  isbn: string;
  title: string;
  author: string;
  year: number | null;
  copies: number;
}

export interface NewBook {
  isbn: string;
  title: string;
  author: string;
  year?: number;
  copies?: number;
}

export interface BookQuery {
  author?: string;
  titleContains?: string;
  publishedAfter?: number;
  available?: boolean;
  limit?: number;
}

export function addBook(db: Database, book: NewBook): Book {
  const title = book.title.trim();
  if (!title) throw new Error('a book needs a title');
  const copies = book.copies ?? 1;
  if (!Number.isInteger(copies) || copies < 0) throw new RangeError(`copies must be a whole number ≥ 0, got ${copies}`);
  const isbn = toIsbn13(book.isbn);
  const info = db
    .prepare('INSERT INTO books (isbn, title, author, year, copies) VALUES (?, ?, ?, ?, ?)')
    .run(isbn, title, book.author.trim(), book.year ?? null, copies);
  return findBook(db, Number(info.lastInsertRowid)) as Book;
}

export function findBook(db: Database, id: number): Book | undefined {
  return db.prepare('SELECT id, isbn, title, author, year, copies FROM books WHERE id = ?').get(id) as Book | undefined;
}

export function findByIsbn(db: Database, raw: string): Book | undefined {
  return db.prepare('SELECT id, isbn, title, author, year, copies FROM books WHERE isbn = ?').get(toIsbn13(raw)) as Book | undefined;
}

/** Copies on the shelf: owned copies minus open loans. */
export function availableCopies(db: Database, id: number): number {
  const row = db
    .prepare('SELECT b.copies - (SELECT COUNT(*) FROM loans l WHERE l.book_id = b.id AND l.returned_at IS NULL) AS n FROM books b WHERE b.id = ?')
    .get(id) as { n: number } | undefined;
  if (!row) throw new Error(`no book ${id}`);
  return row.n;
}

export function searchBooks(db: Database, query: BookQuery = {}): Book[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.author) {
    where.push('author = ?');
    params.push(query.author);
  }
  if (query.titleContains) {
    where.push("title LIKE ? ESCAPE '\\'");
    params.push(`%${query.titleContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (query.publishedAfter !== undefined) {
    where.push('year > ?');
    params.push(query.publishedAfter);
  }
  if (query.available) where.push('copies > (SELECT COUNT(*) FROM loans l WHERE l.book_id = books.id AND l.returned_at IS NULL)');
  const limit = Math.max(1, Math.min(query.limit ?? 50, 500));
  const sql = `SELECT id, isbn, title, author, year, copies FROM books${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY title, id LIMIT ${limit}`;
  return db.prepare(sql).all(...params) as Book[];
}

export function setCopies(db: Database, id: number, copies: number): Book {
  if (!Number.isInteger(copies) || copies < 0) throw new RangeError(`copies must be a whole number ≥ 0, got ${copies}`);
  const lent = findBook(db, id) ? findBook(db, id)!.copies - availableCopies(db, id) : 0;
  if (copies < lent) throw new Error(`book ${id} has ${lent} copies out on loan`);
  const changed = db.prepare('UPDATE books SET copies = ? WHERE id = ?').run(copies, id).changes;
  if (changed === 0) throw new Error(`no book ${id}`);
  return findBook(db, id) as Book;
}
