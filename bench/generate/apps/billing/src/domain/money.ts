export type Currency = 'EUR' | 'USD' | 'GBP' | 'JPY';

/** An amount in the currency's minor unit (cents), never a float. */
export interface Money {
  readonly cents: number;
  readonly currency: Currency;
}

const MINOR_DIGITS: Record<Currency, number> = { EUR: 2, USD: 2, GBP: 2, JPY: 0 };
const SYMBOLS: Record<Currency, string> = { EUR: '€', USD: '$', GBP: '£', JPY: '¥' };

export class CurrencyMismatchError extends Error {
  constructor(a: Currency, b: Currency) {
    super(`cannot combine ${a} with ${b}`);
    this.name = 'CurrencyMismatchError';
  }
}

export function money(cents: number, currency: Currency): Money {
  if (!Number.isInteger(cents)) throw new RangeError(`money needs whole minor units, got ${cents}`);
  return { cents, currency };
}

export function zero(currency: Currency): Money {
  return money(0, currency);
}

export function parseMoney(text: string, currency: Currency): Money {
  const match = /^\s*(-)?(\d+)(?:[.,](\d+))?\s*$/.exec(text);
  if (!match) throw new SyntaxError(`not an amount: '${text}'`);
  const digits = MINOR_DIGITS[currency];
  const fraction = (match[3] ?? '').padEnd(digits, '0');
  if (fraction.length > digits) throw new RangeError(`${currency} has ${digits} decimal places, got '${text}'`);
  const cents = Number(match[2]) * 10 ** digits + Number(fraction || '0');
  return money(match[1] ? -cents : cents, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.cents + b.cents, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.cents - b.cents, a.currency);
}

/** Multiplies by a factor (a quantity, a rate), rounding half away from zero. */
export function multiply(amount: Money, factor: number): Money {
  const raw = amount.cents * factor;
  return money(Math.sign(raw) * Math.round(Math.abs(raw)), amount.currency);
}

export function sum(amounts: readonly Money[], currency: Currency): Money {
  return amounts.reduce((total, a) => add(total, a), zero(currency));
}

/** Splits an amount by ratios without losing a cent: the remainder goes to the first shares. */
export function allocate(amount: Money, ratios: readonly number[]): Money[] {
  const total = ratios.reduce((a, b) => a + b, 0);
  if (ratios.length === 0 || total <= 0) throw new RangeError('allocate needs at least one positive ratio');
  const shares = ratios.map((r) => Math.floor((amount.cents * r) / total));
  let remainder = amount.cents - shares.reduce((a, b) => a + b, 0);
  for (let i = 0; remainder > 0; i = (i + 1) % shares.length, remainder--) shares[i] += 1;
  return shares.map((cents) => money(cents, amount.currency));
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.cents === b.cents ? 0 : a.cents < b.cents ? -1 : 1;
}

export function isNegative(amount: Money): boolean {
  return amount.cents < 0;
}

export function format(amount: Money, locale = 'en-US'): string {
  const digits = MINOR_DIGITS[amount.currency];
  const value = Math.abs(amount.cents) / 10 ** digits;
  const text = value.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${amount.cents < 0 ? '-' : ''}${SYMBOLS[amount.currency]}${text}`;
}
