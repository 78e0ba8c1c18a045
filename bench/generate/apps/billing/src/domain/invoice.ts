import { daysBetween } from '@lib/dates';
import { type Currency, type Money, add, compare, multiply, subtract, sum, zero } from '@domain/money';

export interface InvoiceLine {
  sku: string;
  description: string;
  qty: number;
  unitPrice: Money;
  /** VAT rate as a fraction, e.g. 0.2 */
  taxRate: number;
}

export interface Payment {
  amount: Money;
  at: Date;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'overdue' | 'void';

export interface Invoice {
  id: string;
  customerId: string;
  currency: Currency;
  issuedAt: Date;
  dueAt: Date;
  lines: InvoiceLine[];
  payments: Payment[];
  voided: boolean;
}

export function validateLine(line: InvoiceLine): string[] {
  const problems: string[] = [];
  if (!line.sku.trim()) problems.push('sku is empty');
  if (!Number.isInteger(line.qty) || line.qty <= 0) problems.push(`quantity must be a positive integer, got ${line.qty}`);
  if (line.unitPrice.cents < 0) problems.push('unit price is negative');
  if (line.taxRate < 0 || line.taxRate > 1) problems.push(`tax rate ${line.taxRate} is outside 0..1`);
  return problems;
}

export function lineNet(line: InvoiceLine): Money {
  return multiply(line.unitPrice, line.qty);
}

export function lineTax(line: InvoiceLine): Money {
  return multiply(lineNet(line), line.taxRate);
}

export function subtotal(invoice: Invoice): Money {
  return sum(invoice.lines.map(lineNet), invoice.currency);
}

export function taxTotal(invoice: Invoice): Money {
  return sum(invoice.lines.map(lineTax), invoice.currency);
}

export function total(invoice: Invoice): Money {
  return add(subtotal(invoice), taxTotal(invoice));
}

export function amountPaid(invoice: Invoice): Money {
  return invoice.payments.reduce((paid, p) => add(paid, p.amount), zero(invoice.currency));
}

export function balance(invoice: Invoice): Money {
  return subtract(total(invoice), amountPaid(invoice));
}

export function statusOf(invoice: Invoice, now: Date): InvoiceStatus {
  if (invoice.voided) return 'void';
  if (invoice.lines.length === 0) return 'draft';
  if (compare(balance(invoice), zero(invoice.currency)) <= 0) return 'paid';
  return daysBetween(invoice.dueAt, now) > 0 ? 'overdue' : 'open';
}

/** Days past the due date, 0 when not overdue. */
export function daysOverdue(invoice: Invoice, now: Date): number {
  return statusOf(invoice, now) === 'overdue' ? daysBetween(invoice.dueAt, now) : 0;
}
