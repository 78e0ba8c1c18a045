import { type Invoice, type InvoiceLine, amountPaid, balance, daysOverdue, statusOf, total, validateLine } from '@domain/invoice';
import { type Currency, type Money, CurrencyMismatchError, compare, multiply, sum, zero } from '@domain/money';
import { addDays } from '@lib/dates';

export class InvoiceNotFoundError extends Error {
  constructor(id: string) {
    super(`no invoice ${id}`);
    this.name = 'InvoiceNotFoundError';
  }
}

export interface CustomerSummary {
  customerId: string;
  invoices: number;
  outstanding: Money;
  overdue: number;
}

/** The invoices of one currency: issuing, paying, voiding, and what customers owe. */
export class InvoiceBook {
  private readonly invoices = new Map<string, Invoice>();
  private sequence = 0;

  constructor(
    readonly currency: Currency,
    private readonly termsDays = 30,
  ) {
    if (!Number.isInteger(termsDays) || termsDays < 0) throw new RangeError(`payment terms must be whole days, got ${termsDays}`);
  }

  issue(customerId: string, lines: InvoiceLine[], issuedAt: Date): Invoice {
    if (!customerId) throw new Error('an invoice needs a customer');
    const problems = lines.flatMap((line, i) => validateLine(line).map((p) => `line ${i + 1}: ${p}`));
    if (problems.length) throw new Error(problems.join('; '));
    for (const line of lines) if (line.unitPrice.currency !== this.currency) throw new CurrencyMismatchError(this.currency, line.unitPrice.currency);
    this.sequence += 1;
    const invoice: Invoice = {
      id: `INV-${String(this.sequence).padStart(5, '0')}`,
      customerId,
      currency: this.currency,
      issuedAt,
      dueAt: addDays(issuedAt, this.termsDays),
      lines: [...lines],
      payments: [],
      voided: false,
    };
    this.invoices.set(invoice.id, invoice);
    return invoice;
  }

  get(id: string): Invoice {
    const invoice = this.invoices.get(id);
    if (!invoice) throw new InvoiceNotFoundError(id);
    return invoice;
  }

  /** Records a payment; returns what is still owed. Overpaying is refused. */
  pay(id: string, amount: Money, at: Date): Money {
    const invoice = this.get(id);
    if (invoice.voided) throw new Error(`${id} is void`);
    if (amount.cents <= 0) throw new RangeError('a payment must be positive');
    if (compare(amount, balance(invoice)) > 0) throw new RangeError(`payment exceeds the balance of ${id}`);
    invoice.payments.push({ amount, at });
    return balance(invoice);
  }

  void(id: string): void {
    const invoice = this.get(id);
    if (amountPaid(invoice).cents > 0) throw new Error(`${id} has payments and cannot be voided`);
    invoice.voided = true;
  }

  overdue(now: Date): Invoice[] {
    return [...this.invoices.values()].filter((i) => statusOf(i, now) === 'overdue').sort((a, b) => daysOverdue(b, now) - daysOverdue(a, now));
  }

  /** A late fee per overdue invoice: `ratePerDay` of the balance for each day, capped at `cap` of the total. */
  lateFees(now: Date, ratePerDay = 0.0005, cap = 0.1): Map<string, Money> {
    const fees = new Map<string, Money>();
    for (const invoice of this.overdue(now)) {
      const byDays = multiply(balance(invoice), ratePerDay * daysOverdue(invoice, now));
      const ceiling = multiply(total(invoice), cap);
      fees.set(invoice.id, compare(byDays, ceiling) > 0 ? ceiling : byDays);
    }
    return fees;
  }

  summary(customerId: string, now: Date): CustomerSummary {
    const mine = [...this.invoices.values()].filter((i) => i.customerId === customerId && !i.voided);
    return {
      customerId,
      invoices: mine.length,
      outstanding: mine.length ? sum(mine.map(balance), this.currency) : zero(this.currency),
      overdue: mine.filter((i) => statusOf(i, now) === 'overdue').length,
    };
  }
}
