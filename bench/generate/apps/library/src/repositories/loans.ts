import type { Database } from 'better-sqlite3';
import { inTransaction } from '~db/schema';
import { lateFeeCents } from '~domain/fees';
import { availableCopies } from '~repositories/books';

export const LOAN_DAYS = 21;
export const MAX_OPEN_LOANS = 5;

export interface Loan {
  id: number;
  bookId: number;
  memberId: number;
  lentAt: string;
  dueAt: string;
  returnedAt: string | null;
}

const LOAN_COLUMNS = 'id, book_id AS bookId, member_id AS memberId, lent_at AS lentAt, due_at AS dueAt, returned_at AS returnedAt';

export function addMember(db: Database, email: string, name: string, joinedAt: Date): number {
  const normalized = email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(normalized)) throw new Error(`'${email}' is not an email address`);
  return Number(db.prepare('INSERT INTO members (email, name, joined_at) VALUES (?, ?, ?)').run(normalized, name.trim(), joinedAt.toISOString()).lastInsertRowid);
}

export function openLoans(db: Database, memberId: number): Loan[] {
  return db.prepare(`SELECT ${LOAN_COLUMNS} FROM loans WHERE member_id = ? AND returned_at IS NULL ORDER BY due_at`).all(memberId) as Loan[];
}

/** Lends a copy: the member must exist, not be blocked, hold fewer than MAX_OPEN_LOANS, and a copy must be free. */
export function lendBook(db: Database, bookId: number, memberId: number, at: Date): Loan {
  return inTransaction(db, () => {
    const member = db.prepare('SELECT blocked FROM members WHERE id = ?').get(memberId) as { blocked: number } | undefined;
    if (!member) throw new Error(`no member ${memberId}`);
    if (member.blocked) throw new Error(`member ${memberId} is blocked`);
    if (openLoans(db, memberId).length >= MAX_OPEN_LOANS) throw new Error(`member ${memberId} already has ${MAX_OPEN_LOANS} books`);
    if (availableCopies(db, bookId) <= 0) throw new Error(`no copy of book ${bookId} is available`);
    const due = new Date(at.getTime() + LOAN_DAYS * 86_400_000);
    const id = db.prepare('INSERT INTO loans (book_id, member_id, lent_at, due_at) VALUES (?, ?, ?, ?)').run(bookId, memberId, at.toISOString(), due.toISOString()).lastInsertRowid;
    return db.prepare(`SELECT ${LOAN_COLUMNS} FROM loans WHERE id = ?`).get(id) as Loan;
  });
}

/** Closes a loan and returns its late fee in cents. */
export function returnBook(db: Database, loanId: number, at: Date): number {
  const loan = db.prepare(`SELECT ${LOAN_COLUMNS} FROM loans WHERE id = ?`).get(loanId) as Loan | undefined;
  if (!loan) throw new Error(`no loan ${loanId}`);
  if (loan.returnedAt) throw new Error(`loan ${loanId} was already returned`);
  db.prepare('UPDATE loans SET returned_at = ? WHERE id = ?').run(at.toISOString(), loanId);
  return lateFeeCents(new Date(loan.dueAt), at);
}

export function overdueLoans(db: Database, now: Date): (Loan & { feeCents: number })[] {
  const rows = db.prepare(`SELECT ${LOAN_COLUMNS} FROM loans WHERE returned_at IS NULL AND due_at < ? ORDER BY due_at`).all(now.toISOString()) as Loan[];
  return rows.map((loan) => ({ ...loan, feeCents: lateFeeCents(new Date(loan.dueAt), now) }));
}

/** Blocks every member whose open late fees reach `limitCents`; returns their ids. */
export function blockDefaulters(db: Database, now: Date, limitCents = 500): number[] {
  const owed = new Map<number, number>();
  for (const loan of overdueLoans(db, now)) owed.set(loan.memberId, (owed.get(loan.memberId) ?? 0) + loan.feeCents);
  const blocked = [...owed].filter(([, cents]) => cents >= limitCents).map(([id]) => id);
  const block = db.prepare('UPDATE members SET blocked = 1 WHERE id = ?');
  inTransaction(db, () => blocked.forEach((id) => block.run(id)));
  return blocked.sort((a, b) => a - b);
}
