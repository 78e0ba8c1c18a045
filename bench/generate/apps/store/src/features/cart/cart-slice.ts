import type { Action } from '@store';

export interface CartLine {
  sku: string;
  name: string;
  unitCents: number;
  qty: number;
}

export interface CartState {
  lines: CartLine[];
  coupon: string | null;
}

export type CartAction =
  | (Action<'cart/add'> & { line: CartLine })
  | (Action<'cart/remove'> & { sku: string })
  | (Action<'cart/setQty'> & { sku: string; qty: number })
  | (Action<'cart/coupon'> & { code: string | null })
  | Action<'cart/clear'>;

export const initialCart: CartState = { lines: [], coupon: null };
export const MAX_QTY = 99;

export const addItem = (line: CartLine): CartAction => ({ type: 'cart/add', line });
export const removeItem = (sku: string): CartAction => ({ type: 'cart/remove', sku });
export const setQuantity = (sku: string, qty: number): CartAction => ({ type: 'cart/setQty', sku, qty });
export const applyCoupon = (code: string | null): CartAction => ({ type: 'cart/coupon', code });
export const clearCart = (): CartAction => ({ type: 'cart/clear' });

export function cartReducer(state: CartState = initialCart, action: CartAction): CartState {
  switch (action.type) {
    case 'cart/add': {
      const existing = state.lines.find((l) => l.sku === action.line.sku);
      if (!existing) return { ...state, lines: [...state.lines, { ...action.line, qty: Math.min(action.line.qty, MAX_QTY) }] };
      return cartReducer(state, setQuantity(existing.sku, existing.qty + action.line.qty));
    }
    case 'cart/remove':
      return { ...state, lines: state.lines.filter((l) => l.sku !== action.sku) };
    case 'cart/setQty':
      if (action.qty <= 0) return cartReducer(state, removeItem(action.sku));
      return { ...state, lines: state.lines.map((l) => (l.sku === action.sku ? { ...l, qty: Math.min(action.qty, MAX_QTY) } : l)) };
    case 'cart/coupon':
      return { ...state, coupon: action.code && /^[A-Z0-9]{4,12}$/.test(action.code) ? action.code : null };
    case 'cart/clear':
      return initialCart;
    default:
      return state;
  }
}

export const selectCount = (state: CartState): number => state.lines.reduce((n, l) => n + l.qty, 0);

/** Total in cents: a coupon ending in two digits takes that percentage off, at most 50. */
export function selectTotal(state: CartState): number {
  const gross = state.lines.reduce((n, l) => n + l.unitCents * l.qty, 0);
  const percent = state.coupon ? Math.min(Number(/(\d{2})$/.exec(state.coupon)?.[1] ?? 0), 50) : 0;
  return Math.round(gross * (1 - percent / 100));
}
