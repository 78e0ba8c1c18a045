/**
 * The core's type model as the generator sees it (the JSON contract's `TypeShape`, docs/architecture.md), and the
 * shape the search uses for a parameter: the declared one when the core sends it, otherwise one inferred from the
 * core's usage facts (how the parameter is used), marked `inferred`.
 */
import type { FunctionReport, ParamInfo, ParamUsage } from '../engine/types';
import { inferKind, parseLiteral, parseType, type TypeShape as LegacyShape } from './values';

export type TypeShape =
  | { kind: 'string' | 'number' | 'boolean' | 'bigint' | 'symbol' | 'null' | 'undefined' | 'void' | 'any' | 'unknown' | 'never' | 'object' }
  | { kind: 'literal'; value: string | number | boolean; code: string }
  | { kind: 'union' | 'intersection'; types: TypeShape[] }
  | { kind: 'array'; element: TypeShape; readonly: boolean }
  | { kind: 'tuple'; elements: Array<{ shape: TypeShape; optional: boolean; rest: boolean }> }
  | {
      kind: 'object';
      name: string | null;
      properties: Array<{ name: string; shape: TypeShape; optional: boolean; readonly: boolean }>;
      index: { key: TypeShape; value: TypeShape } | null;
    }
  | { kind: 'record'; key: TypeShape; value: TypeShape }
  | { kind: 'function'; params: Array<{ name: string; shape: TypeShape; optional: boolean; rest: boolean }>; returns: TypeShape }
  | { kind: 'date' | 'regexp' | 'error' }
  | { kind: 'map'; key: TypeShape; value: TypeShape }
  | { kind: 'set'; element: TypeShape }
  | { kind: 'promise'; value: TypeShape }
  | { kind: 'enum'; name: string; members: Array<{ name: string; value: string | number; code: string }> }
  | { kind: 'class'; name: string; path: string | null; exportPath: string[] | null }
  | { kind: 'ref'; name: string }
  | { kind: 'unresolved'; text: string };

/** The contract's additions, read defensively: older cores do not send them. */
export type ParamWithShape = ParamInfo & { shape?: TypeShape | null };
export type FunctionWithShape = FunctionReport & { returns?: TypeShape | null; exportPath?: string[] | null };

export interface SearchParam {
  name: string;
  optional: boolean;
  rest: boolean;
  /** Declared (core) or inferred (usage) shape; `any` when nothing is known. */
  shape: TypeShape;
  /** The shape came from usage facts, not a declaration. */
  inferred: boolean;
  /** The parameter has a default value: its typical argument is none (the default applies). */
  hasDefault?: boolean;
}

const ANY: TypeShape = { kind: 'any' };

function fromLegacy(shape: LegacyShape): TypeShape {
  if (shape.opaque) return { kind: 'unresolved', text: shape.opaque };
  const types: TypeShape[] = [];
  for (const l of shape.literals) {
    if (typeof l === 'string' || typeof l === 'number' || typeof l === 'boolean') {
      types.push({ kind: 'literal', value: l, code: typeof l === 'string' ? JSON.stringify(l) : String(l) });
    }
  }
  for (const k of shape.kinds) {
    switch (k) {
      case 'array':
        types.push({ kind: 'array', element: shape.element ? fromLegacy(shape.element) : ANY, readonly: false });
        break;
      case 'set':
        types.push({ kind: 'set', element: shape.element ? fromLegacy(shape.element) : ANY });
        break;
      case 'map':
        types.push({ kind: 'map', key: ANY, value: ANY });
        break;
      case 'object':
        if (shape.element && !(shape.fields ?? []).length) types.push({ kind: 'record', key: { kind: 'string' }, value: fromLegacy(shape.element) });
        else
          types.push({
            kind: 'object',
            name: null,
            properties: (shape.fields ?? []).map((f) => ({ name: f.key, shape: fromLegacy(f.type), optional: f.optional, readonly: false })),
            index: null,
          });
        break;
      case 'function':
        types.push({ kind: 'function', params: [], returns: ANY });
        break;
      case 'date':
        types.push({ kind: 'date' });
        break;
      case 'regexp':
        types.push({ kind: 'regexp' });
        break;
      default:
        types.push({ kind: k } as TypeShape);
    }
  }
  if (types.length === 0) return ANY;
  return types.length === 1 ? types[0] : { kind: 'union', types };
}

function inferred(param: ParamInfo, usage: ParamUsage | undefined): TypeShape {
  const kind = inferKind(param, usage);
  switch (kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return { kind };
    case 'array':
      return { kind: 'array', element: ANY, readonly: false };
    case 'function':
      return { kind: 'function', params: [], returns: ANY };
    case 'object':
      return {
        kind: 'object',
        name: null,
        properties: (usage?.keys ?? []).map((k) => ({ name: k, shape: ANY, optional: true, readonly: false })),
        index: null,
      };
    default:
      return ANY;
  }
}

/** The search's view of a parameter: the core's shape, else the annotation text (older cores), else usage. */
export function searchParam(param: ParamWithShape, usage: ParamUsage | undefined): SearchParam {
  const base = { name: param.name, optional: param.optional || param.defaultValue !== null, rest: param.rest, hasDefault: param.defaultValue !== null };
  if (param.shape) return { ...base, shape: param.shape, inferred: false };
  if (param.type) {
    const legacy = parseType(param.type);
    if (legacy) return { ...base, shape: fromLegacy(legacy), inferred: false };
  }
  let shape = inferred(param, usage);
  if (param.rest && shape.kind !== 'array') shape = { kind: 'array', element: shape, readonly: false };
  return { ...base, shape, inferred: true };
}

/** Literal constants the guards compare against (numbers and strings), for the search's seeds. */
export function guardConstants(fn: FunctionReport): unknown[] {
  const out: unknown[] = [];
  for (const guard of fn.usage?.guards ?? []) {
    for (const cond of guard.conditions) {
      if (cond.value === null) continue;
      const parsed = parseLiteral(cond.value);
      if (parsed.ok && (typeof parsed.value === 'number' || typeof parsed.value === 'string')) out.push(parsed.value);
    }
  }
  for (const p of fn.patterns ?? []) {
    const cases = (p as { cases?: Array<{ literal: unknown }> }).cases;
    if (cases) {
      for (const c of cases) if (typeof c.literal === 'number' || typeof c.literal === 'string') out.push(c.literal);
      continue;
    }
    for (const text of p.values) {
      const parsed = parseLiteral(text);
      if (parsed.ok && (typeof parsed.value === 'number' || typeof parsed.value === 'string')) out.push(parsed.value);
    }
  }
  // Literals of the function body (comparison operands, switch cases, strings, regex-derived samples), when the
  // core sends them.
  const constants = (fn as { constants?: unknown[] }).constants;
  if (Array.isArray(constants)) for (const c of constants) if (typeof c === 'number' || typeof c === 'string') out.push(c);
  return [...new Set(out)].slice(0, 64);
}
