/**
 * Arguments of a candidate call (child side): the values a callable is called with, written as code for the test
 * file, and whether they fit the declared parameter types (a throw reached with an argument that does not fit is the
 * input's fault, not a behaviour; see search-suite.ts).
 */
import { fits } from './fits';
import { typicalOf, vague } from './value-shapes';
import type { SpecCallable, SpecParam } from './search-runtime';
import { toCode } from './value-code';
import type { TypeShape } from './shapes';
import { fitsDeclarations } from './value-shapes';
import { typedCode } from './enum-code';

export interface Args {
  values: unknown[];
  codes: string[];
  valid: boolean;
  uncertain: boolean;
  /** Every argument fits its parameter's declaration as TypeScript checks it (a TypeScript test may show it). */
  typed: boolean;
}

/** A rest parameter's array spread into single arguments; null when an element cannot be written as code. */
function spread(p: SpecParam, v: unknown, out: Args): boolean {
  if (!Array.isArray(v)) return false;
  for (const item of v) {
    const code = toCode(item);
    if (code === null) return false;
    out.codes.push(code);
    out.values.push(item);
  }
  if (p.shape.kind === 'array' && !v.every((x) => fits(x, (p.shape as { element: TypeShape }).element, 'search'))) out.valid = false;
  return true;
}

/** One argument for parameter `p` (none: past the declared ones); false when it cannot be written as code. */
function addArg(p: SpecParam | undefined, v: unknown, out: Args): boolean {
  if (p?.rest) return spread(p, v, out);
  const code = p ? typedCode(v, p.shape) : toCode(v);
  if (code === null) return false;
  out.codes.push(code);
  out.values.push(v);
  if (p && !fits(v, p.shape, 'search', p.optional)) out.valid = false;
  if (p && (vague(p.shape) || p.inferred)) out.uncertain = true;
  return true;
}

/** The arguments as code, or null when one cannot be written (a class instance, a symbol). */
export function argsFor(c: SpecCallable, values: unknown[]): Args | null {
  const out: Args = { values: [], codes: [], valid: true, uncertain: false, typed: fitsDeclarations(c.params, values) };
  for (let i = 0; i < values.length; i++) {
    if (!addArg(c.params[Math.min(i, c.params.length - 1)], values[i], out)) return null;
  }
  // Trailing undefined for optional parameters: omit them (defaults apply).
  while (out.codes.length && out.codes[out.codes.length - 1] === 'undefined' && c.params[out.codes.length - 1]?.optional) {
    out.codes.pop();
    out.values.pop();
  }
  return out;
}

/** The planner's typical value of a parameter when it fits, else the typical value of its shape. */
function typicalArg(p: SpecParam): unknown {
  if (p.hasDefault) return undefined;
  const wrap = (v: unknown) => (p.rest ? (Array.isArray(v) ? v : [v]) : v);
  if (p.typical) {
    try {
      const v = p.typical.get();
      if (toCode(v) !== null && fits(v, p.shape, 'search')) return wrap(v);
    } catch {
      // fall through
    }
  }
  return wrap(typicalOf(p.shape));
}

export function typicalArgs(c: SpecCallable): unknown[] {
  return c.params.map(typicalArg);
}

/** Groups a flat argument list (rest parameter spread) back into one value per parameter. */
export function restGroup(c: SpecCallable, values: unknown[]): unknown[] {
  const last = c.params[c.params.length - 1];
  if (!last?.rest) return values;
  return [...values.slice(0, c.params.length - 1), values.slice(c.params.length - 1)];
}
