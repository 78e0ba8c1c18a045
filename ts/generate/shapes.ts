/**
 * The core's type model as the search sees a parameter: the declared shape when the core resolved one, otherwise
 * the shape the core inferred from usage, default value or name (`ParamInfo.inferred`), marked `inferred`. Both come
 * from the core (docs/architecture.md, "TypeShape"); nothing here parses type text or literals.
 */
import type { FunctionReport, ParamInfo, ParamUsage, TypeShape } from '../engine/types';
import { fromCase } from './values';
import { typedArrayClass } from './typed-arrays';
import { isOpaque, isVague } from './value-shapes';

export type { TypeShape };

export interface SearchParam {
  name: string;
  optional: boolean;
  rest: boolean;
  /** Declared (core) or inferred (core, from usage) shape; `any` when nothing is known. */
  shape: TypeShape;
  /** The shape came from usage facts, not a declaration. */
  inferred: boolean;
  /** The parameter has a default value: its typical argument is none (the default applies). */
  hasDefault?: boolean;
  /** What the source declares (null: nothing), when `shape` is an inference from usage. */
  declared?: TypeShape | null;
}

const ANY: TypeShape = { kind: 'any' };

/** The search's view of a parameter: the core's declared shape, else its inferred one, else anything. */
export function searchParam(param: ParamInfo, usage: ParamUsage | undefined): SearchParam {
  void usage;
  const base = { name: param.name, optional: param.optional || param.defaultValue !== null, rest: param.rest, hasDefault: param.defaultValue !== null };
  // A typed array is a name the core leaves unresolved, but the search knows its values (typed-arrays.ts).
  if (param.shape?.kind === 'unresolved' && typedArrayClass(param.shape.text)) return { ...base, shape: param.shape, inferred: false };
  if (param.shape && !isOpaque(param.shape) && !(isVague(param.shape) && param.inferred)) return { ...base, shape: param.shape, inferred: false };
  if (param.inferred) return { ...base, shape: calledWithAnything(withDomain(param.inferred, param)), inferred: true, declared: param.shape ?? null };
  if (param.shape) return { ...base, shape: param.shape, inferred: false };
  return { ...base, shape: param.rest ? { kind: 'array', element: ANY, readonly: false } : ANY, inferred: true };
}

/**
 * An inference from usage that the parameter's name contradicts (`str >= options.min` says number, the name `str`
 * says text): both kinds, so the search tries each. A guess that is wrong alone makes every call throw (a
 * `TypeError: Expected a string`), and throws from a guessed type are not kept: the function would get no test.
 */
function withDomain(inferred: TypeShape, param: ParamInfo): TypeShape {
  const kind = param.domain?.kind;
  const primitive = ['string', 'number', 'boolean'];
  if ((param.shape && !isVague(param.shape)) || !kind || !primitive.includes(kind) || !primitive.includes(inferred.kind) || inferred.kind === kind) return inferred;
  return { kind: 'union', types: [inferred, { kind } as TypeShape] };
}

/**
 * A parameter the code calls (the core infers `() => any` from `recipe(draft)`, knowing nothing of the arguments):
 * the call's arity is unknown, so callbacks of any arity fit it (`(value) => value` reaches the code that tests what
 * the callback gave back), not only those of none.
 */
function calledWithAnything(shape: TypeShape): TypeShape {
  if (shape.kind !== 'function' || shape.params.length > 0) return shape;
  return { ...shape, params: [{ name: 'args', optional: false, rest: true, shape: { kind: 'array', element: ANY, readonly: false } }] };
}

/** Whether a constant is a bigint (its `literal` is the decimal text, its `code` is not a quoted string). */
function isBigint(c: { code: string; literal: unknown }): boolean {
  return typeof c.literal === 'string' && c.code.endsWith('n') && !c.code.startsWith("'");
}

/** Numbers and strings for the search's seeds: the guards' compared values, the patterns' values, the constants. */
export function guardConstants(fn: FunctionReport): unknown[] {
  const out: unknown[] = [];
  const take = (v: unknown) => {
    if (typeof v === 'number' || typeof v === 'string') out.push(v);
  };
  for (const guard of fn.usage?.guards ?? []) {
    for (const cond of guard.conditions) if (cond.valueCase) take(fromCase(cond.valueCase).runtime);
  }
  for (const p of fn.patterns ?? []) for (const c of p.cases ?? []) take(c.literal);
  // Literals of the function body: comparison operands, switch cases, strings, regex-derived samples.
  for (const c of fn.constants ?? []) if (!isBigint(c)) take(c.literal);
  return [...new Set(out)].slice(0, 64);
}
