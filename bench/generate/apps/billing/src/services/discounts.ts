import type { Invoice, InvoiceLine } from '@domain/invoice';
import { type Money, money, multiply } from '@domain/money';

export type Discount =
  | { kind: 'percent'; code: string; percent: number }
  | { kind: 'fixed'; code: string; off: Money }
  | { kind: 'bulk'; code: string; sku: string; minQty: number; percent: number };

export function parseDiscountCode(code: string): Discount {
  const percent = /^SAVE(\d{1,2})$/.exec(code);
  if (percent) return { kind: 'percent', code, percent: Number(percent[1]) };
  const bulk = /^BULK-([A-Z0-9-]+)-(\d+)x(\d{1,2})$/.exec(code);
  if (bulk) return { kind: 'bulk', code, sku: bulk[1], minQty: Number(bulk[2]), percent: Number(bulk[3]) };
  throw new Error(`unknown discount code '${code}'`);
}

function discountLine(line: InvoiceLine, percent: number): InvoiceLine {
  return { ...line, unitPrice: multiply(line.unitPrice, 1 - percent / 100) };
}

/** A new invoice with the discount applied to its lines; the original is left alone. */
export function applyDiscount(invoice: Invoice, discount: Discount): Invoice {
  switch (discount.kind) {
    case 'percent':
      if (discount.percent <= 0 || discount.percent >= 100) throw new RangeError(`discount of ${discount.percent}% is not allowed`);
      return { ...invoice, lines: invoice.lines.map((l) => discountLine(l, discount.percent)) };
    case 'bulk':
      return { ...invoice, lines: invoice.lines.map((l) => (l.sku === discount.sku && l.qty >= discount.minQty ? discountLine(l, discount.percent) : l)) };
    case 'fixed': {
      if (discount.off.currency !== invoice.currency) throw new Error('discount currency differs from the invoice');
      const credit: InvoiceLine = { sku: `DISCOUNT-${discount.code}`, description: `Discount ${discount.code}`, qty: 1, unitPrice: money(-discount.off.cents, invoice.currency), taxRate: 0 };
      return { ...invoice, lines: [...invoice.lines, credit] };
    }
  }
}
