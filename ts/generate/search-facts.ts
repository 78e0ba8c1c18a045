/**
 * The core's static facts of a module's functions as search-spec source text (parent side): per function its
 * parameters (declared or inferred shapes, typical values from the planner's model), the planner's seed cases and
 * the constants its code uses. Planned targets carry them (search.ts); every function of the file is also listed by
 * its source location, so a function the search finds at run time gets the facts of the code it was made from
 * (search-discover.ts).
 */
import type { FileReport, FunctionReport } from '../engine/types';
import type { FunctionPlan } from './plan';
import { guardedShape } from './guard-shapes';
import { guardConstants, searchParam, type SearchParam, type TypeShape } from './shapes';
import { modelParam } from './values';

/** The search's parameters of a reported function (declared shape, else the inferred one, plus the keys it reads). */
export function searchParams(fn: FunctionReport): SearchParam[] {
  return fn.params.map((p) => {
    const usage = fn.usage?.params.find((u) => u.name === p.name);
    return withUsageKeys(withGuardedShape(fn, searchParam(p, usage)), usage?.keys ?? []);
  });
}

/** A parameter nothing types, whose leading throw guard names its `typeof` (guard-shapes.ts): that shape. */
function withGuardedShape(fn: FunctionReport, param: SearchParam): SearchParam {
  if (param.shape.kind !== 'any' && param.shape.kind !== 'unknown') return param;
  const shape = guardedShape(fn, param.name);
  return shape ? { ...param, shape, inferred: true } : param;
}

/**
 * A declared object type that names no properties (JSDoc `{object}`, `Object`) says less than the code: the keys the
 * function reads (`obj.type`, `obj.parameters`) become optional properties of any type, so the search tries them.
 */
function withUsageKeys(param: SearchParam, keys: string[]): SearchParam {
  const shape = param.shape;
  if (keys.length === 0 || shape.kind !== 'object' || !('properties' in shape) || shape.properties.length > 0) return param;
  const properties = keys.map((name) => ({ name, shape: { kind: 'any' } as TypeShape, optional: true, readonly: false }));
  return { ...param, shape: { ...shape, properties } };
}

/** Numbers and strings the function's code uses (guards, patterns, and the core's `constants` when it sends them). */
function constantsOf(fn: FunctionReport): unknown[] {
  const out = guardConstants(fn);
  const sent = (fn as { constants?: unknown }).constants;
  if (Array.isArray(sent)) {
    for (const c of sent) {
      const literal = c !== null && typeof c === 'object' ? (c as { literal?: unknown }).literal : c;
      if ((typeof literal === 'number' || typeof literal === 'string') && !out.includes(literal)) out.push(literal);
    }
  }
  return out.slice(0, 96);
}

function thunk(code: string): string {
  return `() => (${code})`;
}

/** Where a callable's seeds come from: the planner's cases of a function, or a class's constructor arguments. */
export interface SeedSource {
  planned?: FunctionPlan | null;
  ctorArgs?: string[];
}

function seedsSource(from: SeedSource): string[] {
  const seeds: string[] = [];
  const args = (list: string[]) => list.map((a) => `{ code: ${JSON.stringify(a)}, get: ${thunk(a)} }`).join(', ');
  if (from.ctorArgs) {
    if (from.ctorArgs.length) seeds.push(`{ title: 'constructor', boundary: false, args: [${args(from.ctorArgs)}] }`);
    return seeds;
  }
  for (const c of from.planned?.cases ?? []) {
    if (c.expect.kind === 'todo' || c.args.some((a) => a === '')) continue;
    const boundary = c.scenario === 'edge_cases' && c.line !== null;
    seeds.push(`{ title: ${JSON.stringify(c.title)}, boundary: ${boundary}, args: [${args(c.args)}] }`);
  }
  return seeds;
}

export function callableSource(fn: FunctionReport | null | undefined, params: SearchParam[], typescript: boolean, from: SeedSource = {}): string {
  const models = fn ? fn.params.map((p) => modelParam(p, fn.usage?.params.find((u) => u.name === p.name), typescript)) : [];
  const paramText = params
    .map((p, i) => {
      const typical = models[i] && !models[i].unsupported ? `, typical: { code: ${JSON.stringify(models[i].typical.code)}, get: ${thunk(models[i].typical.code)} }` : '';
      return `{ name: ${JSON.stringify(p.name)}, optional: ${p.optional}, rest: ${p.rest}, inferred: ${p.inferred}, hasDefault: ${Boolean(p.hasDefault)}, shape: ${JSON.stringify(p.shape)}${p.declared !== undefined ? `, declared: ${JSON.stringify(p.declared)}` : ''}${typical} }`;
    })
    .join(', ');
  const seeds = seedsSource(from);
  const constants = fn ? constantsOf(fn) : [];
  const returns = fn?.returns ? `, returns: ${JSON.stringify(fn.returns)}` : '';
  return `params: [${paramText}], seeds: [${seeds.join(', ')}], constants: ${JSON.stringify(constants.filter((c) => typeof c !== 'number' || Number.isFinite(c)))}${returns}`;
}

/**
 * Every function of the file with its location (1-based line and column of its start, as the core reports them):
 * what the search joins a runtime function to by V8's function location.
 */
export function factsSource(report: FileReport, typescript: boolean): string {
  const entries = report.functions.map(
    (fn) => `{ line: ${fn.line}, column: ${fn.column}, endLine: ${fn.endLine}, name: ${JSON.stringify(fn.name)}, async: ${fn.async}, ${callableSource(fn, searchParams(fn), typescript)} }`,
  );
  return `[${entries.join(',\n      ')}]`;
}
