/**
 * What a leading `throw` guard demands of an untyped parameter: `if (typeof listener !== 'function') throw ...`
 * says every call that gets past it passes a function. Where nothing declares or infers the parameter's shape, the
 * search takes that shape (its pool then holds callbacks, search-callbacks.ts) rather than `any`, whose pool is
 * mostly strings and numbers that only ever reach the throw. The guard's own failing values stay seeds (plan.ts).
 * `if (x !== undefined && typeof x !== 'function') throw` also lets `undefined` (or `null`) through.
 */
import type { FunctionReport, GuardCondition, TypeShape } from '../engine/types';

const ANY: TypeShape = { kind: 'any' };

const TYPEOF_SHAPES: Record<string, TypeShape> = {
  string: { kind: 'string' },
  number: { kind: 'number' },
  boolean: { kind: 'boolean' },
  bigint: { kind: 'bigint' },
  function: { kind: 'function', params: [], returns: ANY },
};

/** Conditions beside the `typeof` one that exempt a value from the guard (`x !== undefined && ...`). */
const LETS_THROUGH: Record<string, TypeShape[]> = {
  'not-undefined': [{ kind: 'undefined' }],
  'not-nullish': [{ kind: 'undefined' }, { kind: 'null' }],
  truthy: [{ kind: 'undefined' }, { kind: 'null' }],
};

/** The shape a leading throw guard on `typeof <name>` demands, or null when no such guard says one. */
export function guardedShape(fn: FunctionReport, name: string): TypeShape | null {
  for (const guard of fn.usage?.guards ?? []) {
    if (guard.action !== 'throw' || !guard.leading) continue;
    const own = guard.conditions.filter((c) => c.subject === name && c.path === null);
    const demand = own.find((c) => c.op === 'typeof-ne' && c.value !== null && TYPEOF_SHAPES[c.value]);
    if (!demand) continue;
    const shape = TYPEOF_SHAPES[demand.value!];
    // `a || b`: each condition alone throws. `a && b`: only together, so each other condition says what passes too.
    if (guard.any || guard.conditions.length === 1) return shape;
    const others = guard.conditions.filter((c) => c !== demand);
    const exempt = others.every((c: GuardCondition) => c.subject === name && c.path === null && LETS_THROUGH[c.op]);
    if (exempt) return { kind: 'union', types: [shape, ...others.flatMap((c) => LETS_THROUGH[c.op])] };
  }
  return null;
}
