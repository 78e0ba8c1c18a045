/**
 * Argument values for generated tests: what fits a parameter's TypeScript type (or, without one, the shape its usage
 * implies), typical values from the parameter's name (domain knowledge), and the edge values the Rust facts point at.
 *
 * A value is source text (`code`) plus, when it is a plain literal, its runtime value (`runtime`), which the planner
 * uses to evaluate guard conditions statically. Nothing here reads source code: types and usage come from the core.
 */
import type { ParamInfo, ParamUsage } from '../engine/types';

export interface Value {
  /** JavaScript source text of the argument. */
  code: string;
  /** Short description for test names ("empty string", "-1"). */
  label: string;
  /** The runtime value when `code` is a plain literal; `known` false otherwise. */
  runtime?: unknown;
  known: boolean;
  /** The value does not fit the declared type and needs a cast in TypeScript (only used for opaque types). */
  cast?: boolean;
}

/** A parsed (approximate) TypeScript type. */
export interface TypeShape {
  kinds: Set<Kind>;
  /** Literal members: `'a' | 'b' | 1`. */
  literals: unknown[];
  element?: TypeShape;
  /** Object literal type keys (`{ a: string; b?: number }`). */
  fields?: Array<{ key: string; optional: boolean; type: TypeShape }>;
  /** Text of a named type we cannot model (interface, alias, generic). */
  opaque?: string;
}

type Kind = 'string' | 'number' | 'boolean' | 'bigint' | 'null' | 'undefined' | 'array' | 'object' | 'function' | 'date' | 'regexp' | 'any' | 'map' | 'set';

export function lit(value: unknown, label?: string): Value {
  return { code: literalCode(value), label: label ?? describeValue(value), runtime: value, known: true };
}

export function literalCode(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Infinity';
    if (value === -Infinity) return '-Infinity';
    if (Object.is(value, -0)) return '-0';
    return String(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(literalCode).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k)}: ${literalCode(v)}`).join(', ')} }`;
  }
  return String(value);
}

export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

export function describeValue(value: unknown): string {
  if (value === '') return 'an empty string';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : value.length === 1 ? 'a one-element array' : `a ${value.length}-element array`;
  if (value && typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty object' : literalCode(value);
  if (typeof value === 'string' && value.length > 24) return quote(`${value.slice(0, 21)}...`);
  return literalCode(value);
}

/** Parses a literal's source text (`0`, `-1`, `'x'`, `"x"`, `null`, `[]`) into its value; undefined `ok` otherwise. */
export function parseLiteral(text: string): { ok: boolean; value?: unknown } {
  const t = text.trim();
  if (t === 'undefined' || t === 'void 0') return { ok: true, value: undefined };
  if (t === 'null') return { ok: true, value: null };
  if (t === 'true' || t === 'false') return { ok: true, value: t === 'true' };
  if (t === 'NaN') return { ok: true, value: NaN };
  if (t === 'Infinity' || t === '-Infinity') return { ok: true, value: t === 'Infinity' ? Infinity : -Infinity };
  if (/^-?(\d[\d_]*\.?\d*(e[+-]?\d+)?|\.\d+|0x[\da-f]+|0b[01]+|0o[0-7]+)$/i.test(t)) {
    const n = Number(t.replace(/_/g, ''));
    if (!Number.isNaN(n)) return { ok: true, value: n };
  }
  if (/^-?\d+n$/.test(t)) return { ok: true, value: BigInt(t.slice(0, -1)) };
  if (/^'(?:[^'\\\n]|\\.)*'$/.test(t) || /^"(?:[^"\\\n]|\\.)*"$/.test(t) || /^`[^`$\\]*`$/.test(t)) {
    try {
      const inner = t.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"').replace(/\\`/g, '`');
      return { ok: true, value: JSON.parse(`"${inner}"`) as string };
    } catch {
      return { ok: false };
    }
  }
  if (t === '[]') return { ok: true, value: [] };
  if (t === '{}') return { ok: true, value: {} };
  return { ok: false };
}

/** Splits on a separator at nesting depth 0 (outside <>, (), [], {}, quotes). */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoteChar = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoteChar) {
      if (c === '\\') i++;
      else if (c === quoteChar) quoteChar = '';
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quoteChar = c;
    else if ('<([{'.includes(c)) depth++;
    else if ('>)]}'.includes(c) && !(c === '>' && text[i - 1] === '=')) depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

const shapeCache = new Map<string, TypeShape>();

export function parseType(text: string | null | undefined): TypeShape | undefined {
  if (!text) return undefined;
  const cached = shapeCache.get(text);
  if (cached) return cached;
  const shape: TypeShape = { kinds: new Set(), literals: [] };
  const members = splitTop(text.trim().replace(/^\|/, ''), '|');
  for (const member of members) addMember(shape, member);
  shapeCache.set(text, shape);
  return shape;
}

function addMember(shape: TypeShape, raw: string): void {
  let t = raw.trim();
  while (t.startsWith('(') && t.endsWith(')') && !t.includes('=>')) t = t.slice(1, -1).trim();
  if (t.startsWith('readonly ')) t = t.slice('readonly '.length).trim();
  const literal = parseLiteral(t);
  if (literal.ok && t !== '[]' && t !== '{}') {
    if (literal.value === null) shape.kinds.add('null');
    else if (literal.value === undefined) shape.kinds.add('undefined');
    else shape.literals.push(literal.value);
    return;
  }
  switch (t) {
    case 'string':
    case 'String':
      shape.kinds.add('string');
      return;
    case 'number':
    case 'Number':
      shape.kinds.add('number');
      return;
    case 'boolean':
    case 'Boolean':
      shape.kinds.add('boolean');
      return;
    case 'bigint':
      shape.kinds.add('bigint');
      return;
    case 'Date':
      shape.kinds.add('date');
      return;
    case 'RegExp':
      shape.kinds.add('regexp');
      return;
    case 'any':
    case 'unknown':
      shape.kinds.add('any');
      return;
    case 'object':
    case 'Object':
      shape.kinds.add('object');
      shape.fields = shape.fields ?? [];
      return;
    case 'Function':
      shape.kinds.add('function');
      return;
  }
  if (t.endsWith('[]')) {
    shape.kinds.add('array');
    shape.element = parseType(t.slice(0, -2)) ?? { kinds: new Set(['any']), literals: [] };
    return;
  }
  const generic = /^(ReadonlyArray|Array|Set|Map|Record|Promise|Partial|Readonly|Iterable)<(.*)>$/s.exec(t);
  if (generic) {
    const args = splitTop(generic[2], ',');
    if (generic[1] === 'Array' || generic[1] === 'ReadonlyArray' || generic[1] === 'Iterable') {
      shape.kinds.add('array');
      shape.element = parseType(args[0]);
    } else if (generic[1] === 'Set') {
      shape.kinds.add('set');
      shape.element = parseType(args[0]);
    } else if (generic[1] === 'Map') {
      shape.kinds.add('map');
    } else if (generic[1] === 'Record') {
      shape.kinds.add('object');
      shape.fields = [];
      shape.element = parseType(args[1]);
    } else if (generic[1] === 'Partial' || generic[1] === 'Readonly') {
      const inner = parseType(args[0]);
      if (inner) mergeShape(shape, inner);
    } else {
      shape.opaque = t;
    }
    return;
  }
  if (t.startsWith('[') && t.endsWith(']')) {
    shape.kinds.add('array');
    shape.element = parseType(splitTop(t.slice(1, -1), ',')[0]);
    return;
  }
  if (t.startsWith('{') && t.endsWith('}')) {
    shape.kinds.add('object');
    shape.fields = [];
    for (const field of splitTop(t.slice(1, -1).replace(/;/g, ','), ',')) {
      const m = /^(readonly\s+)?([A-Za-z_$][\w$]*|'[^']*'|"[^"]*")(\?)?\s*:\s*([\s\S]+)$/.exec(field);
      if (!m) {
        if (/^\[/.test(field)) continue; // index signature: any key is fine
        shape.opaque = t;
        return;
      }
      const type = parseType(m[4]);
      if (!type) continue;
      shape.fields.push({ key: m[2].replace(/^['"]|['"]$/g, ''), optional: Boolean(m[3]), type });
    }
    return;
  }
  if (/=>/.test(t)) {
    shape.kinds.add('function');
    return;
  }
  shape.opaque = t;
}

function mergeShape(into: TypeShape, from: TypeShape): void {
  for (const k of from.kinds) into.kinds.add(k);
  into.literals.push(...from.literals);
  into.element = into.element ?? from.element;
  into.fields = into.fields ?? from.fields;
  into.opaque = into.opaque ?? from.opaque;
}

/** Whether a runtime value fits the shape (undefined shape = no annotation = anything goes). */
export function fits(shape: TypeShape | undefined, value: unknown, optional = false): boolean {
  if (!shape) return true;
  if (value === undefined && (optional || shape.kinds.has('undefined') || shape.kinds.has('any'))) return true;
  if (shape.kinds.has('any')) return true;
  if (value === null) return shape.kinds.has('null');
  if (value === undefined) return false;
  if (shape.literals.some((l) => Object.is(l, value))) return true;
  switch (typeof value) {
    case 'string':
      return shape.kinds.has('string');
    case 'number':
      return shape.kinds.has('number');
    case 'boolean':
      return shape.kinds.has('boolean') || (shape.literals.includes(value));
    case 'bigint':
      return shape.kinds.has('bigint');
    case 'object':
      if (Array.isArray(value)) return shape.kinds.has('array') && value.every((v) => fits(shape.element, v));
      if (shape.kinds.has('object')) {
        const record = value as Record<string, unknown>;
        return (shape.fields ?? []).every((f) => (f.key in record ? fits(f.type, record[f.key], f.optional) : f.optional));
      }
      return false;
    default:
      return false;
  }
}

/** Domain knowledge: typical values suggested by a parameter's name. */
const DOMAIN: Array<[RegExp, unknown, unknown[]?]> = [
  [/e-?mail/i, 'user@example.com', ['not-an-email']],
  [/(url|uri|href|link|endpoint)$/i, 'https://example.com/path?q=1', ['not a url']],
  [/(phone|tel)/i, '+1-555-0100'],
  [/(uuid|guid)/i, '123e4567-e89b-12d3-a456-426614174000', ['not-a-uuid']],
  [/(^|_)(zip|postal)/i, '90210'],
  [/(color|colour)/i, '#ff8800', ['not-a-color']],
  [/(locale|lang)/i, 'en-US'],
  [/currency/i, 'USD'],
  [/(json)$/i, '{"a":1}', ['{not json']],
  [/(path|file|dir)/i, 'src/index.ts'],
  [/(first|last|user)?name$/i, 'Alice'],
  [/(slug)/i, 'hello-world'],
  [/(password|secret|token)/i, 's3cret-Pa55'],
  [/(age)$/i, 30, [-1, 0, 150]],
  [/(port)$/i, 8080, [0, 65536]],
  [/(percent|ratio|pct)/i, 50, [0, 100, 101]],
  [/(price|amount|total|cost|balance)/i, 19.99, [0, -1]],
  [/(count|size|length|limit|max|min|num|index|idx|^n$|^i$|^k$|width|height|depth|level|times|precision|decimals|digits)/i, 3, [0, -1, 1]],
  [/(ms|timeout|delay|interval|duration|seconds|minutes|hours)$/i, 1000, [0, -1]],
  [/^(is|has|should|can|enable|allow|use)[A-Z_]/, true, [false]],
  [/(str|string|text|input|value|word|s|name|title|label|message|msg|key|prefix|suffix|separator|sep|char|pattern)$/i, 'Hello World'],
];

function domainFor(name: string): { typical?: unknown; edges: unknown[] } {
  for (const [re, typical, edges] of DOMAIN) if (re.test(name)) return { typical, edges: edges ?? [] };
  return { edges: [] };
}

export interface ParamModel {
  param: ParamInfo;
  shape?: TypeShape;
  usage?: ParamUsage;
  /** The value every case uses for this parameter unless the case is about it. */
  typical: Value;
  /** Edge values that fit the parameter. */
  edges: Value[];
  /** Why no fitting value could be built (opaque type without usage facts). */
  unsupported?: string;
}

function hints(usage?: ParamUsage): Set<string> {
  return new Set(usage?.hints ?? []);
}

/** The kind a parameter without a type annotation most likely has, from how it is used. */
export function inferKind(param: ParamInfo, usage?: ParamUsage): 'string' | 'number' | 'array' | 'object' | 'function' | 'boolean' | 'unknown' {
  const h = hints(usage);
  if (h.has('called')) return 'function';
  if (h.has('array-method') || h.has('iterated') || (h.has('index') && !h.has('string-method'))) return 'array';
  if (h.has('string-method')) return 'string';
  if (h.has('arithmetic') || h.has('numeric-compare') || h.has('compare')) return 'number';
  if (h.has('property') && (usage?.keys.length ?? 0) > 0) return 'object';
  if (h.has('length')) return 'string';
  if (param.defaultValue) {
    const d = parseLiteral(param.defaultValue);
    if (d.ok) {
      if (typeof d.value === 'string') return 'string';
      if (typeof d.value === 'number') return 'number';
      if (typeof d.value === 'boolean') return 'boolean';
      if (Array.isArray(d.value)) return 'array';
      if (d.value && typeof d.value === 'object') return 'object';
    } else if (param.defaultValue.startsWith('{')) return 'object';
  }
  const domain = domainFor(param.name).typical;
  if (typeof domain === 'number') return 'number';
  if (typeof domain === 'boolean') return 'boolean';
  if (typeof domain === 'string') return 'string';
  return 'unknown';
}

function typicalOfKind(kind: string, name: string, keys: string[] = []): unknown {
  const domain = domainFor(name).typical;
  switch (kind) {
    case 'string':
      return typeof domain === 'string' ? domain : 'Hello World';
    case 'number':
      return typeof domain === 'number' ? domain : 3;
    case 'boolean':
      return true;
    case 'bigint':
      return 10n;
    case 'array':
      return [1, 2, 3];
    case 'object':
      return Object.fromEntries(keys.map((k) => [k, typicalOfKind(inferKindFromKey(k), k)]));
    default:
      return domain ?? 'Hello World';
  }
}

function inferKindFromKey(key: string): string {
  const d = domainFor(key).typical;
  return typeof d === 'number' ? 'number' : typeof d === 'boolean' ? 'boolean' : 'string';
}

/** The function value used for callback parameters. */
const IDENTITY_FN: Value = { code: '(value: unknown) => value', label: 'an identity callback', known: false };
const IDENTITY_FN_JS: Value = { code: '(value) => value', label: 'an identity callback', known: false };

function typicalForShape(shape: TypeShape, name: string, usage: ParamUsage | undefined, ts: boolean): Value | undefined {
  if (shape.literals.length) return lit(shape.literals[0]);
  const k = shape.kinds;
  if (k.has('string')) return lit(typicalOfKind('string', name));
  if (k.has('number')) return lit(typicalOfKind('number', name));
  if (k.has('boolean')) return lit(true);
  if (k.has('bigint')) return lit(10n);
  if (k.has('array')) {
    const elem = shape.element ? typicalForShape(shape.element, singular(name), undefined, ts) : lit(1);
    if (!elem) return undefined;
    const e2 = shape.element ? secondValue(shape.element, singular(name)) : lit(2);
    if (elem.known && e2?.known) return lit([elem.runtime, e2.runtime, elem.runtime]);
    return { code: `[${elem.code}]`, label: 'a one-element array', known: false };
  }
  if (k.has('set')) return { code: 'new Set([1, 2])', label: 'a set', known: false };
  if (k.has('map')) return { code: "new Map([['a', 1]])", label: 'a map', known: false };
  if (k.has('date')) return { code: "new Date('2024-01-15T12:00:00.000Z')", label: 'a fixed date', known: false };
  if (k.has('regexp')) return { code: '/a+/', label: 'a regex', known: false };
  if (k.has('function')) return ts ? { code: '(() => undefined) as never', label: 'a no-op callback', known: false, cast: true } : IDENTITY_FN_JS;
  if (k.has('object')) {
    const obj: Record<string, unknown> = {};
    for (const f of shape.fields ?? []) {
      if (f.optional) continue;
      const v = typicalForShape(f.type, f.key, undefined, ts);
      if (!v?.known) return undefined;
      obj[f.key] = v.runtime;
    }
    if (shape.element && !shape.fields?.length) {
      const v = typicalForShape(shape.element, 'value', undefined, ts);
      if (v?.known) obj.key = v.runtime;
    }
    return lit(obj);
  }
  if (k.has('any')) return lit(typicalOfKind(inferKind({ name, type: null, optional: false, defaultValue: null, rest: false }, usage), name, usage?.keys));
  if (k.has('null')) return lit(null);
  if (k.has('undefined')) return lit(undefined);
  return undefined;
}

function secondValue(shape: TypeShape, name: string): Value | undefined {
  if (shape.literals.length > 1) return lit(shape.literals[1]);
  if (shape.kinds.has('string')) return lit(name === 'item' ? 'second' : 'foo');
  if (shape.kinds.has('number')) return lit(7);
  return typicalForShape(shape, name, undefined, false);
}

function singular(name: string): string {
  return name.endsWith('s') ? name.slice(0, -1) : 'item';
}

/** Builds the value model of one parameter. `ts`: the generated file is TypeScript. */
export function modelParam(param: ParamInfo, usage: ParamUsage | undefined, ts: boolean): ParamModel {
  const shape = ts ? parseType(param.type) : undefined;
  const edges: Value[] = [];
  const add = (v: Value | undefined) => {
    if (!v) return;
    if (v.known && !fits(shape, v.runtime, param.optional)) return;
    if (!edges.some((e) => e.code === v.code)) edges.push(v);
  };
  let typical: Value | undefined;
  let unsupported: string | undefined;
  if (shape && !shape.opaque) {
    typical = typicalForShape(shape, param.name, usage, ts);
  } else if (shape?.opaque) {
    // A named type we cannot see: build it from usage when the parameter's keys are known, cast to the type.
    const kind = inferKind(param, usage);
    if (kind !== 'unknown' || usage?.keys.length) {
      const v = lit(typicalOfKind(kind === 'unknown' ? 'object' : kind, param.name, usage?.keys));
      typical = { ...v, code: `${v.code} as never`, cast: true, known: false };
    } else {
      unsupported = `parameter '${param.name}' has type ${shape.opaque}, which tdd-fast cannot construct`;
    }
  } else {
    const kind = inferKind(param, usage);
    typical = kind === 'function' ? IDENTITY_FN_JS : lit(typicalOfKind(kind, param.name, usage?.keys));
    if (ts && kind === 'function') typical = IDENTITY_FN;
  }
  if (param.rest) {
    typical = typical ? { ...typical, label: typical.label } : undefined;
  }
  const fallback: Value = typical ?? { code: 'undefined as never', label: 'undefined', known: false, cast: true };

  // Edge values that fit: empty / one / many for collections, boundaries for numbers, nullish for optional ones.
  const kinds = shape && !shape.opaque ? shape.kinds : new Set<string>([inferKind(param, usage)]);
  const any = !shape || kinds.has('any') || kinds.has('unknown');
  if (kinds.has('string')) {
    add(lit(''));
    add(lit(' '));
    add(lit('a'));
    const d = domainFor(param.name);
    for (const e of d.edges) if (typeof e === 'string') add(lit(e));
  }
  if (kinds.has('number')) {
    add(lit(0));
    add(lit(-1));
    add(lit(1.5));
    if (any || shape) add(lit(NaN));
    const d = domainFor(param.name);
    for (const e of d.edges) if (typeof e === 'number') add(lit(e));
  }
  if (kinds.has('array') && (!shape || !shape.element || typicalForShape(shape.element, 'item', undefined, ts)?.known)) {
    const typ = typical?.known && Array.isArray(typical.runtime) ? (typical.runtime as unknown[]) : [1, 2, 3];
    add(lit([]));
    if (typ.length) add(lit([typ[0]]));
  }
  if (kinds.has('object') && shape?.fields?.length === 0 && !any) add(lit({}));
  if (kinds.has('boolean')) add(lit(false));
  for (const l of shape?.literals ?? []) add(lit(l));
  if (param.optional || any || kinds.has('undefined')) add(lit(undefined));
  if (any || kinds.has('null')) add(lit(null));
  return { param, shape, usage, typical: fallback, edges, unsupported };
}
