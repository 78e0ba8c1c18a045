/**
 * Functions of the loaded module that no planned target reaches (child side): `export default { plus:
 * createOperation(...) }`, helpers assigned in a loop. Searched with untyped parameters.
 */
import { IDENT } from './search-values';
import type { SpecParam, SpecTarget } from './search-runtime';
import type { TypeShape } from './shapes';

/** Untyped parameters by arity; a function of arity 0 may read `...args` (a factory's `(...nums) => ...`). */
function discoveredParams(arity: number): SpecParam[] {
  const any: TypeShape = { kind: 'any' };
  // Nothing is known of such arguments: numbers, then strings (the commonest operands), never nested arrays.
  const operand: TypeShape = { kind: 'union', types: [{ kind: 'number' }, { kind: 'string' }] };
  if (arity === 0) return [{ name: 'args', optional: false, rest: true, inferred: true, shape: { kind: 'array', element: operand, readonly: false } }];
  return Array.from({ length: Math.min(arity, 6) }, (_, i) => ({ name: `arg${i}`, optional: false, rest: false, inferred: true, shape: any }));
}

/**
 * Functions the loaded module exports (named exports, and the functions of a default-exported plain object) that no
 * planned target reaches. Classes are left out (they need a constructor's types). At most 16 per module, in property
 * order.
 */
export function discover(mod: Record<string, unknown>, targets: SpecTarget[], g: number): SpecTarget[] {
  const reached = new Set<unknown>();
  for (const t of targets) {
    for (const a of t.access) {
      try {
        reached.add(a.get());
      } catch {
        // not reachable this way
      }
    }
  }
  const found: Array<{ name: string; code: string; fn: (...a: unknown[]) => unknown }> = [];
  const scan = (owner: unknown, prefix: string) => {
    if (owner === null || typeof owner !== 'object') return;
    for (const key of Object.keys(owner)) {
      const desc = Object.getOwnPropertyDescriptor(owner, key);
      const fn = desc?.value;
      if (typeof fn !== 'function' || reached.has(fn) || !IDENT.test(key) || /^class\b/.test(Function.prototype.toString.call(fn))) continue;
      reached.add(fn);
      found.push({ name: key, code: `${prefix}.${key}`, fn: fn as (...a: unknown[]) => unknown });
    }
  };
  scan(mod, 'mod');
  const def = mod.default;
  if (def !== null && typeof def === 'object' && Object.getPrototypeOf(def) === Object.prototype) scan(def, 'mod.default');
  return found.slice(0, 16).map((d, k) => ({
    id: `${g}.d${k}`,
    kind: 'function',
    name: d.name,
    async: false,
    access: [{ code: d.code, get: () => d.fn }],
    params: discoveredParams(d.fn.length),
    seeds: [],
    constants: [],
  }));
}
