/**
 * The testable surface of a loaded module, found at run time (child side). The walk starts at what the module
 * exports (the ESM namespace; for CommonJS, `module.exports` under `default`) and goes through nested plain objects
 * (namespaces, the API object a factory built while the module loaded) and the static members of functions and
 * classes. A function whose prototype has methods (an ES class, or a function constructor built inside an IIFE) is a
 * class: constructed with `new` and exercised by method sequences; any other function is called. Each function is tied
 * to the code it was made from by V8's function location (search-locate.ts) and gets that code's static facts
 * (parameter types, constants); a function without facts gets untyped parameters by its arity.
 *
 * The core's static export recognition only names the planned targets (with the planner's seed cases); what the walk
 * finds beyond them is searched too, and a planned "function" that turns out to be a class is searched as one.
 */
import * as path from 'node:path';
import { MAX_FOUND_PER_MODULE } from './search-clock';
import { factAt, type FunctionLocator } from './search-locate';
import { IDENT, quote } from './value-code';
import { SET_PREFIX } from './setter-step';
import type { SpecCallable, SpecFact, SpecParam, SpecTarget } from './search-runtime';
import type { TypeShape } from './shapes';

/** At most this many targets found beyond the planned ones per module, in walk order. */
const MAX_FOUND = MAX_FOUND_PER_MODULE;
/** How deep the walk goes into nested objects (`lib.util.compare` is depth 2). */
const MAX_DEPTH = 3;
/** Methods of a class at most. */
const MAX_METHODS = 24;
/** Own properties of every function that are not its members. */
const FUNCTION_OWN = new Set(['length', 'name', 'prototype', 'arguments', 'caller', 'displayName']);

/** Untyped parameters by arity; a function of arity 0 may read `...args` (a factory's `(...nums) => ...`). */
export function untypedParams(arity: number): SpecParam[] {
  const any: TypeShape = { kind: 'any' };
  // Nothing is known of such arguments: numbers, then strings (the commonest operands), never nested arrays.
  const operand: TypeShape = { kind: 'union', types: [{ kind: 'number' }, { kind: 'string' }] };
  if (arity === 0) return [{ name: 'args', optional: false, rest: true, inferred: true, shape: { kind: 'array', element: operand, readonly: false } }];
  return Array.from({ length: Math.min(arity, 6) }, (_, i) => ({ name: `arg${i}`, optional: false, rest: false, inferred: true, shape: any }));
}

/** Whether a function is built with `new`: an ES class, or a function whose prototype carries methods. */
export function isClassLike(fn: unknown): boolean {
  if (typeof fn !== 'function') return false;
  let text = '';
  try {
    text = Function.prototype.toString.call(fn);
  } catch {
    return false;
  }
  if (/^class\b/.test(text)) return true;
  const proto = (fn as { prototype?: unknown }).prototype;
  if (!proto || typeof proto !== 'object') return false;
  return Object.getOwnPropertyNames(proto).some((k) => k !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, k)?.value === 'function');
}

/** Methods an object answers to: own function properties, then its prototypes' (not Object's), by name. */
export function methodsOf(value: object): Array<{ name: string; fn: (...a: unknown[]) => unknown }> {
  const out: Array<{ name: string; fn: (...a: unknown[]) => unknown }> = [];
  const seen = new Set<string>(['constructor']);
  for (let o: object | null = value; o && o !== Object.prototype && o !== Function.prototype && out.length < MAX_METHODS; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (seen.has(key) || !IDENT.test(key) || key.startsWith('_')) continue;
      seen.add(key);
      const desc = Object.getOwnPropertyDescriptor(o, key);
      if (typeof desc?.value === 'function' && !isClassLike(desc.value)) out.push({ name: key, fn: desc.value as (...a: unknown[]) => unknown });
    }
  }
  return out.slice(0, MAX_METHODS);
}

/** Setters an object offers at most as sequence steps. */
const MAX_SETTERS = 4;

/** The kind of a primitive a property holds now, as the shape of what it takes (null: not a primitive, or unknown). */
function currentKind(value: object, key: string): TypeShape | null {
  let now: unknown;
  try {
    now = (value as Record<string, unknown>)[key];
  } catch {
    return null;
  }
  if (typeof now === 'boolean') return { kind: 'boolean' };
  if (typeof now === 'number') return { kind: 'number' };
  if (typeof now === 'string') return { kind: 'string' };
  return null;
}

/**
 * Properties an object lets its user set, as sequence steps (`throttled.isEnabled = false`, `list.length = 0`): its
 * own and its prototypes' accessors with a setter (not Object's, not named with a leading underscore). What a setter
 * takes comes from its code's facts, else from the kind of value the property holds now.
 */
export function settersOf(value: object, join: Joiner): SpecCallable[] {
  const out: SpecCallable[] = [];
  const seen = new Set<string>(['constructor', '__proto__']);
  for (let o: object | null = value; o && o !== Object.prototype && o !== Function.prototype && out.length < MAX_SETTERS; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (seen.has(key) || !IDENT.test(key) || key.startsWith('_') || out.length >= MAX_SETTERS) continue;
      seen.add(key);
      const set = Object.getOwnPropertyDescriptor(o, key)?.set;
      if (typeof set !== 'function') continue;
      const spec = callableOf(`${SET_PREFIX}${key}`, set as (...a: unknown[]) => unknown, join);
      const kind = currentKind(value, key);
      const params = spec.params.length && !spec.params.every((p) => p.inferred) ? spec.params.slice(0, 1) : [{ name: key, optional: false, rest: false, inferred: true, shape: kind ?? { kind: 'any' as const } }];
      out.push({ ...spec, async: false, params });
    }
  }
  return out;
}

export interface Joiner {
  locator: FunctionLocator;
  facts: SpecFact[];
  /** Absolute path of the module under test (`facts` are of this file). */
  file: string;
  /** Facts of other files of the package, by absolute path (where the objects calls return may come from). */
  others?: Array<{ file: string; facts: SpecFact[] }>;
}

/** The facts of the code `fn` was made from, when it was written in the module under test (or another known file). */
export function factsOf(fn: unknown, join: Joiner): SpecFact | null {
  const where = join.locator.locate(fn);
  if (!where) return null;
  const same = (file: string) => where.file === file || (!path.isAbsolute(where.file) && file.endsWith(where.file.replace(/^(\.\.?\/)+/, '')));
  if (same(join.file)) return factAt(join.facts, where);
  const other = join.others?.find((o) => same(o.file));
  return other ? factAt(other.facts, where) : null;
}

/** Parameters from a declared function type (`(date?: Date) => string`, a `.d.ts` of a JavaScript file). */
function declaredParams(declared: TypeShape | null | undefined): SpecParam[] | null {
  if (!declared || declared.kind !== 'function') return null;
  return declared.params.map((p) => ({ name: p.name, optional: p.optional, rest: p.rest, inferred: false, shape: p.shape }));
}

/**
 * A callable's spec from its facts (declared types, constants), else untyped parameters by arity. `declared`: the
 * function type the value was declared as where it came from (the return type of the call that returned it), used
 * when its own code declares no parameter types.
 */
export function callableOf(name: string, fn: (...a: unknown[]) => unknown, join: Joiner, declared?: TypeShape | null): SpecCallable {
  const fact = factsOf(fn, join);
  const typed = declaredParams(declared);
  const untyped = (params: SpecParam[]) => params.every((p) => p.inferred);
  if (fact) return { name, async: fact.async, params: typed && untyped(fact.params) ? typed : fact.params, seeds: [], constants: fact.constants, returns: fact.returns };
  const async = Object.prototype.toString.call(fn) === '[object AsyncFunction]';
  return { name, async, params: typed ?? untypedParams(fn.length), seeds: [], constants: [], returns: declared?.kind === 'function' ? declared.returns : null };
}

/** The declared type of a returned object's member (`Store.dispatch`), when the return type names it. */
export function memberType(returns: TypeShape | null | undefined, name: string): TypeShape | null {
  if (!returns || returns.kind !== 'object') return null;
  return returns.properties.find((p) => p.name === name)?.shape ?? null;
}

/** A class target: constructor parameters from the facts at the class's location, methods from its prototype. */
export function classTarget(at: { id: string; name: string; access: string }, ctor: (...a: unknown[]) => unknown, join: Joiner): SpecTarget {
  const own = callableOf(at.name, ctor, join);
  const proto = (ctor as { prototype: object }).prototype;
  const methods = [...methodsOf(proto).map((m) => callableOf(m.name, m.fn, join)), ...settersOf(proto, join)];
  return { ...own, id: at.id, kind: 'class', access: [{ code: at.access, get: () => ctor }], methods };
}

function member(code: string, key: string): string {
  return IDENT.test(key) ? `${code}.${key}` : `${code}[${quote(key)}]`;
}

/** A readable name for a found target: its path without `mod` and `default`. */
function nameOf(code: string, fn: unknown): string {
  const parts = code.replace(/^mod(\.default)?\.?/, '');
  return parts || (typeof fn === 'function' && (fn as { name?: string }).name) || 'default';
}

export interface Discovery {
  /** Targets beyond the planned ones. */
  found: SpecTarget[];
  /** Planned function targets that are classes at run time, replaced by class targets (same id). */
  promoted: Map<string, SpecTarget>;
}

/** The function a planned target reaches, and its access code. */
function plannedValue(t: SpecTarget): { value: (...a: unknown[]) => unknown; code: string } | null {
  for (const a of t.access) {
    let value: unknown;
    try {
      value = a.get();
    } catch {
      continue;
    }
    if (typeof value === 'function' && (a.name === undefined || (value as { name?: string }).name === a.name)) return { value: value as (...a: unknown[]) => unknown, code: a.code };
  }
  return null;
}

/** Own value properties of an object or function worth walking into, with their access codes. */
function members(value: object, code: string): Array<{ value: unknown; code: string }> {
  const fn = typeof value === 'function';
  const proto = Object.getPrototypeOf(value);
  // Namespaces and the API objects factories built are plain; of a class instance only the public keys.
  const plain = proto === Object.prototype || proto === null || Object.prototype.toString.call(value) === '[object Module]';
  const keys = fn ? Object.getOwnPropertyNames(value).filter((k) => !FUNCTION_OWN.has(k)) : Object.keys(value).filter((k) => k !== 'module.exports' && (plain || !k.startsWith('_')));
  const out: Array<{ value: unknown; code: string }> = [];
  for (const key of keys) {
    const desc = Object.getOwnPropertyDescriptor(value, key);
    if (desc && 'value' in desc) out.push({ value: desc.value, code: member(code, key) });
  }
  return out;
}

/** Whether every planned method of a class is on its prototype, or is an instance field (each instance holds it). */
function plannedMethodsExist(t: SpecTarget, ctor: (...a: unknown[]) => unknown): boolean {
  const proto = (ctor as { prototype?: Record<string, unknown> }).prototype;
  return (t.methods ?? []).every((m) => m.field || typeof proto?.[m.name] === 'function');
}

/** Walks a module's exports: each function or class no planned target reaches becomes a target. */
class Walker {
  readonly found: SpecTarget[] = [];
  private readonly visited = new Set<unknown>();

  constructor(
    private readonly reached: Set<unknown>,
    private readonly g: number,
    private readonly join: Joiner,
  ) {}

  private add(code: string, fn: (...a: unknown[]) => unknown, owner: Owner | null): void {
    if (this.found.length >= MAX_FOUND || this.reached.has(fn)) return;
    // A dependency's function the module re-exports is the dependency's to test.
    if (this.join.locator.locate(fn)?.file.includes(`${path.sep}node_modules${path.sep}`)) return;
    // A class is built with `new` (its `this` is the new instance): it keeps the access it was found at.
    const on = isClassLike(fn) ? { code } : ownerOf(code, fn, owner);
    const at = { id: `${this.g}.d${this.found.length}`, name: nameOf(on.code, fn), access: on.code };
    if (isClassLike(fn)) this.found.push(classTarget(at, fn, this.join));
    else this.found.push({ ...callableOf(at.name, fn, this.join), id: at.id, kind: 'function', access: [{ code: on.code, get: () => fn }], line: factsOf(fn, this.join)?.line, ...(on.self ? { self: on.self } : {}) });
  }

  walk(value: unknown, code: string, depth: number, owner: Owner | null = null): void {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || this.visited.has(value) || depth > MAX_DEPTH) return;
    this.visited.add(value);
    if (typeof value === 'function') this.add(code, value as (...a: unknown[]) => unknown, owner);
    // A function's static members (`lib.Thing.parse`, `pluralize.plural`); an object's properties.
    for (const m of members(value, code)) this.walk(m.value, m.code, depth + 1, { value, code, namespace: false, mod: owner?.mod ?? null });
  }
}

/** The object a found function was read from: the module's namespace, or an object or function inside it. */
interface Owner {
  value: object;
  code: string;
  namespace: boolean;
  /** The module's namespace (to reach a CommonJS export through `module.exports`). */
  mod: Record<string, unknown> | null;
}

/** Whether a function's code reads `this` (a method of the object it sits on, not a free function). */
export function readsThis(fn: unknown): boolean {
  try {
    return /\bthis\b/.test(Function.prototype.toString.call(fn));
  } catch {
    return false;
  }
}

/**
 * How a found function is called: a member of an object (`Joi.string()`, `lib.Thing.parse()`) on that object, as the
 * test's code calls it; a named export on nothing, except a method of a CommonJS `module.exports` that reads `this`:
 * that one is reached and called through the default import (`Joi.string()`, not the detached `string()`).
 */
function ownerOf(code: string, fn: unknown, owner: Owner | null): { code: string; self?: () => unknown } {
  if (!owner) return { code };
  if (!owner.namespace) return { code, self: () => owner.value };
  const key = /^mod\.([A-Za-z_$][\w$]*)$/.exec(code)?.[1];
  const exports = owner.mod?.default as Record<string, unknown> | undefined;
  if (!key || !exports || (typeof exports !== 'object' && typeof exports !== 'function') || exports[key] !== fn || !readsThis(fn)) return { code };
  return { code: `mod.default.${key}`, self: () => exports };
}

/** A database target's methods are the module's functions that take the handle (search-database.ts). */
function reachDatabase(t: SpecTarget, mod: Record<string, unknown>, reached: Set<unknown>): void {
  for (const m of t.methods ?? []) reached.add(mod[m.name] ?? (mod.default as Record<string, unknown> | undefined)?.[m.name]);
}

export function discover(mod: Record<string, unknown>, planned: SpecTarget[], g: number, join: Joiner): Discovery {
  const reached = new Set<unknown>();
  const promoted = new Map<string, SpecTarget>();
  for (const t of planned) {
    if (reachedWhole(t, mod, reached)) continue;
    const hit = plannedValue(t);
    if (!hit) continue;
    reached.add(hit.value);
    const replaced = asFoundAtRunTime(t, hit, { mod, join });
    if (replaced) promoted.set(t.id, replaced);
  }
  const walker = new Walker(reached, g, join);
  // The namespace's named exports first, then CommonJS's module.exports (its properties are often the same values).
  const namespace: Owner = { value: mod, code: 'mod', namespace: true, mod };
  for (const key of Object.keys(mod)) {
    if (key !== 'default' && key !== 'module.exports') walker.walk(mod[key], member('mod', key), 1, namespace);
  }
  walker.walk(mod.default, 'mod.default', 1, namespace);
  const found = walker.found.filter((d) => !byLocation(planned, d, reached, promoted));
  return { found: found.map((d, k) => ({ ...d, id: `${g}.d${k}` })), promoted };
}

/** A planned target as the loaded module shows it, when that differs from the plan (null: as planned). */
function asFoundAtRunTime(t: SpecTarget, hit: { value: (...a: unknown[]) => unknown; code: string }, at: { mod: Record<string, unknown>; join: Joiner }): SpecTarget | null {
  // `lib.Thing` planned as a function is a class built in an IIFE: construct it, call its methods.
  if (t.kind === 'function' && isClassLike(hit.value)) return classTarget({ id: t.id, name: t.name, access: hit.code }, hit.value, at.join);
  // A method of an object that reads `this` (`api.make`): called on its object, as the test writes it.
  if (t.kind === 'function' && readsThis(hit.value)) {
    const on = plannedOwner(at.mod, hit.code, hit.value);
    return on ? { ...t, access: [{ code: on.code, get: () => hit.value }], self: on.self } : null;
  }
  // A planned class whose method names are not its prototype's (`X.prototype.label = function X$label`): the
  // methods the prototype has, with the facts of their code; planned instance fields stay (no prototype holds them).
  if (t.kind === 'class' && !plannedMethodsExist(t, hit.value)) {
    const fields = t.methods?.filter((m) => m.field) ?? [];
    return { ...t, methods: [...fields, ...(classTarget({ id: t.id, name: t.name, access: hit.code }, hit.value, at.join).methods ?? [])] };
  }
  return null;
}

/**
 * The object a planned function's access code reads it from (`mod.default.make` -> `mod.default`), to call it on; a
 * named export of a CommonJS module goes through its `module.exports` (ownerOf). Null when it is called on nothing.
 */
function plannedOwner(mod: Record<string, unknown>, code: string, fn: unknown): { code: string; self: () => unknown } | null {
  const parts = code.split('.');
  if (parts[0] !== 'mod' || parts.length < 2 || !parts.every((p) => IDENT.test(p))) return null;
  let owner: unknown = mod;
  for (const p of parts.slice(1, -1)) owner = owner !== null && (typeof owner === 'object' || typeof owner === 'function') ? (owner as Record<string, unknown>)[p] : undefined;
  if (owner === null || (typeof owner !== 'object' && typeof owner !== 'function')) return null;
  const on = ownerOf(code, fn, { value: owner, code: parts.slice(0, -1).join('.'), namespace: owner === mod, mod });
  return on.self ? { code: on.code, self: on.self } : null;
}

/**
 * A planned function none of whose access codes reaches it (the core named it by its function expression:
 * `Scale.create = function Scale$create`), found by the walk at the same line: the planned target, its seeds and
 * facts, reached where the walk found it. True when `found` was taken that way.
 */
function byLocation(planned: SpecTarget[], found: SpecTarget, reached: Set<unknown>, promoted: Map<string, SpecTarget>): boolean {
  if (found.kind !== 'function' || found.line === undefined) return false;
  const owner = planned.find((t) => t.kind === 'function' && t.line === found.line && !promoted.has(t.id) && !t.access.some((a) => reachedBy(a, reached)));
  if (!owner) return false;
  promoted.set(owner.id, { ...owner, access: found.access });
  return true;
}

/**
 * A planned target the walk must not take apart: a database target (its functions), or a class searched through its
 * static factory (a private constructor: the factory and the class itself are planned, not found). True when `t` is one.
 */
function reachedWhole(t: SpecTarget, mod: Record<string, unknown>, reached: Set<unknown>): boolean {
  if (t.database) {
    reachDatabase(t, mod, reached);
    return true;
  }
  if (!t.owner) return false;
  const hit = plannedValue(t);
  if (hit) reached.add(hit.value);
  try {
    reached.add(t.owner());
  } catch {
    // the class is not where the planner put it: the walk may find it
  }
  return true;
}

function reachedBy(a: SpecTarget['access'][number], reached: Set<unknown>): boolean {
  try {
    return reached.has(a.get());
  } catch {
    return false;
  }
}
