/**
 * Texts of the search's results (child side, see search-runtime.ts): a call as the user would write it, for TODOs of
 * calls that hung, and a test's title. A title says what the test's input is and what came out, in words a reviewer
 * reads (`throws RangeError when qty is 0`, `returns 'overdue' when due is before now`), never the source code.
 */
import type { Outcome, Step } from './search-runtime';
import type { SpecCallable, SpecTarget } from './search-runtime';
import { toCode } from './value-code';
import { setterOf } from './setter-step';

export function describeCall(target: Pick<SpecTarget, 'name'>, cand: { ctorCodes: string[] | null; steps: Array<{ method: string | null; codes: string[] }> }): string {
  const head = cand.ctorCodes ? `new ${target.name}(${cand.ctorCodes.join(', ')})` : '';
  const calls = cand.steps.map((s) => (setterOf(s.method) !== null ? `.${setterOf(s.method)} = ${s.codes[0]}` : `${s.method ? `.${s.method}` : target.name}(${s.codes.join(', ')})`)).join('');
  const text = head + calls;
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** A value short enough to name in a title (`'abc'`, `42`), or null. */
function shortLiteral(value: unknown, max = 20): string | null {
  if (typeof value === 'string' && /[\n\r\t]/.test(value)) return null;
  const code = toCode(value);
  return code !== null && code.length <= max ? code : null;
}

function numberClass(value: number): string {
  if (Number.isNaN(value)) return 'is NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'is Infinity' : 'is -Infinity';
  if (Object.is(value, -0)) return 'is -0';
  if (Math.abs(value) >= 1e6) return value > 0 ? 'is a large number' : 'is a large negative number';
  if (!Number.isInteger(value)) return value < 0 ? 'is a negative fraction' : 'is a fraction';
  return `is ${value}`;
}

function stringClass(value: string): string {
  if (value === '') return 'is an empty string';
  if (value.trim() === '') return 'is only whitespace';
  const literal = shortLiteral(value);
  if (literal !== null) return `is ${literal}`;
  return /\n/.test(value) ? 'has several lines' : `is a ${value.length}-character string`;
}

const SIZED: Array<[new (...a: never[]) => { size: number }, string]> = [
  [Map, 'map'],
  [Set, 'set'],
];

function arrayClass(value: unknown[]): string {
  return value.length === 0 ? 'is empty' : value.length === 1 ? 'has one element' : `has ${value.length} elements`;
}

/** A date by its day (and time when it has one): `is 2024-01-15`, `is 2024-01-15T12:00Z`. */
function dateClass(value: Date): string {
  return Number.isNaN(value.getTime()) ? 'is an invalid date' : `is ${value.toISOString().replace(/T00:00:00\.000Z$/, '').replace(/:00\.000Z$/, 'Z')}`;
}

function instanceClass(proto: object): string {
  const name = (proto as { constructor?: { name?: string } }).constructor?.name;
  return name ? `is a ${name}` : 'is an instance';
}

function objectClass(value: object): string {
  if (Array.isArray(value)) return arrayClass(value);
  if (value instanceof Date) return dateClass(value);
  for (const [ctor, name] of SIZED) if (value instanceof ctor) return value.size === 0 ? `is an empty ${name}` : `is a ${name} of ${value.size}`;
  if (value instanceof RegExp) return 'is a regular expression';
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) return instanceClass(proto);
  return Object.keys(value).length === 0 ? 'is an empty object' : 'is an object';
}

/** The class a value belongs to, as words after its name: `is 0`, `is an empty string`, `has 3 elements`. */
export function valueClass(value: unknown): string {
  if (value === null) return 'is null';
  switch (typeof value) {
    case 'number':
      return numberClass(value);
    case 'string':
      return stringClass(value);
    case 'object':
      return objectClass(value);
    case 'bigint':
      return `is ${value}n`;
    case 'function':
      return 'is a callback';
    case 'symbol':
      return 'is a symbol';
    default:
      return `is ${String(value)}`;
  }
}

/** How much a value stands out from an ordinary one: empty, zero, negative, missing. */
function salience(value: unknown): number {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return 2;
  if (typeof value === 'number' && (value < 0 || !Number.isFinite(value) || !Number.isInteger(value))) return 2;
  if (Array.isArray(value) && value.length === 0) return 2;
  if (typeof value === 'string' && value.trim() === '') return 2;
  return 1;
}

/** One described part of a call's input: `line.qty` and `is 0`. */
interface Part {
  path: string;
  words: string;
  salience: number;
  order: number;
}

/** The parts of one argument: itself, and the properties of a plain object (two levels), each with its class. */
function partsOf(path: string, value: unknown, out: Part[], depth = 0): void {
  out.push({ path, words: valueClass(value), salience: salience(value), order: out.length });
  if (depth >= 2 || value === null || typeof value !== 'object' || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return;
  for (const [key, v] of Object.entries(value).slice(0, 12)) partsOf(`${path}.${key}`, v, out, depth + 1);
}

/** The parts of a call's arguments, named by their parameters (`qty`, `line.price.cents`, `items[1]` of a rest). */
function callParts(params: Array<{ name: string; rest: boolean }>, values: unknown[]): Part[] {
  const out: Part[] = [];
  values.forEach((v, i) => {
    const p = params[Math.min(i, params.length - 1)];
    const name = p ? (p.rest ? `${p.name}[${i - params.length + 1}]` : p.name) : `argument ${i + 1}`;
    partsOf(name, v, out);
  });
  // A parameter left out is "missing" (its default applies), which can be what a test is about.
  for (let i = values.length; i < params.length; i++) if (!params[i].rest) out.push({ path: params[i].name, words: 'is omitted', salience: 2, order: out.length });
  return out;
}

/**
 * The input class of each call among its siblings: the one or two parts whose class the fewest other tests share
 * (what sets this test apart: `qty is 0` where the others have `qty is 1`), the more unusual value first on a tie.
 * A part that only refines another chosen one (`line` and `line.qty`) is not named twice.
 */
function distinctive(all: Part[][]): string[] {
  const counts = new Map<string, number>();
  for (const parts of all) for (const p of parts) counts.set(`${p.path}\0${p.words}`, (counts.get(`${p.path}\0${p.words}`) ?? 0) + 1);
  return all.map((parts) => {
    const leaves = parts.filter((p) => !parts.some((q) => q.path.startsWith(`${p.path}.`)) || p.words !== 'is an object');
    const ranked = leaves
      .map((p) => ({ p, rare: all.length - (counts.get(`${p.path}\0${p.words}`) ?? 0) }))
      .sort((a, b) => b.rare - a.rare || b.p.salience - a.p.salience || a.p.order - b.p.order);
    const chosen: Part[] = [];
    for (const { p, rare } of ranked) {
      if (chosen.length === 2 || (chosen.length > 0 && rare === 0)) break;
      if (chosen.some((c) => p.path.startsWith(`${c.path}.`) || c.path.startsWith(`${p.path}.`))) continue;
      chosen.push(p);
    }
    return chosen
      .sort((a, b) => a.order - b.order)
      .map((p) => `${p.path} ${p.words}`)
      .join(' and ');
  });
}

/** What a value is, when it is too long to show: `an array`, `a Map`, `a string`. */
function kindWords(o: Extract<Outcome, { kind: 'returns' | 'resolves' }>): string {
  if (o.type === 'array') return 'an array';
  if (o.type === 'object') return o.builtin ? `a ${o.builtin}` : 'an object';
  return /^[aeiou]/.test(o.type) ? `an ${o.type}` : `a ${o.type}`;
}

/** `returns 'big'`, `returns an array`, `returns the instance`, `throws RangeError`, `resolves to 3`, ... */
function outcomeWords(o: Outcome): string {
  switch (o.kind) {
    case 'returns':
    case 'resolves': {
      const verb = o.kind === 'resolves' ? 'resolves to' : o.iterated ? 'yields' : 'returns';
      if (o.self) return `${verb} the instance`;
      return `${verb} ${o.code !== null && o.code.length <= 32 ? o.code : kindWords(o)}`;
    }
    case 'throws':
      return `throws ${o.error.name}`;
    case 'rejects':
      return `rejects with ${o.error.name}`;
    default:
      return 'runs';
  }
}

interface TitledRun {
  steps: Step[];
  cand: { ctor: unknown[] | null; steps: Array<{ method: string | null; values: unknown[] }> };
}

type TitleTarget = Pick<SpecTarget, 'kind' | 'params'> & { methods?: SpecCallable[] };

/** The call a title is about (the last one that ran; a class's steps start with its constructor) and its parameters. */
function lastCall(target: TitleTarget, ran: TitledRun): { at: number; params: SpecCallable['params']; values: unknown[] } {
  const last = ran.steps[ran.steps.length - 1];
  if (target.kind !== 'class') return { at: 0, params: target.params, values: ran.cand.steps[0]?.values ?? [] };
  if (last.method === null) return { at: -1, params: target.params, values: ran.cand.ctor ?? [] };
  const at = ran.steps.length - 2;
  return { at, params: target.methods?.find((m) => m.name === last.method)?.params ?? [], values: ran.cand.steps[at]?.values ?? [] };
}

/** A step as a title names it: its method, `call` for the object itself, `setting x` for a property set. */
function stepWords(method: string | null): string {
  const property = setterOf(method);
  return property !== null ? `setting ${property}` : method || 'call';
}

/** A sequence's title: the calls before its last one, then the last one's outcome (`after push, pop() returns 1`). */
function sequenceTitle(earlier: Array<{ method: string | null }>, last: Step, when: string): string {
  const before = earlier.map((s) => stepWords(s.method));
  const after = before.length ? `after ${[...new Set(before)].slice(0, 3).join(', ')}${new Set(before).size > 3 ? ', ...' : ''}, ` : '';
  const property = setterOf(last.method);
  if (property !== null) return `${after}setting ${property} ${last.outcome.kind === 'returns' ? 'works' : outcomeWords(last.outcome)}${when}`;
  return `${after}${last.method || 'call'}() ${outcomeWords(last.outcome)}${when}`;
}

/**
 * The titles of a target's tests: the outcome of each test's last call and the class of the inputs that set it apart
 * (`throws RangeError when qty is 0`); for a class, the calls before it (`after push, pop() returns 1`). Titles that
 * would repeat get a number.
 */
export function titlesFor(target: TitleTarget, runs: TitledRun[]): string[] {
  const calls = runs.map((ran) => lastCall(target, ran));
  // Siblings are the tests ending in the same method (a function's tests are all siblings).
  const groups = new Map<string, number[]>();
  runs.forEach((ran, i) => {
    const key = ran.steps[ran.steps.length - 1].method ?? '';
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const inputs: string[] = new Array(runs.length).fill('');
  for (const members of groups.values()) {
    const texts = distinctive(members.map((i) => callParts(calls[i].params, calls[i].values)));
    members.forEach((i, k) => (inputs[i] = texts[k]));
  }
  const seen = new Set<string>();
  return runs.map((ran, i) => {
    const last = ran.steps[ran.steps.length - 1];
    const when = inputs[i] ? ` when ${inputs[i]}` : '';
    let title: string;
    if (target.kind !== 'class') title = `${outcomeWords(last.outcome)}${when}`;
    else if (last.method === null) title = `the constructor ${last.outcome.kind === 'throws' ? outcomeWords(last.outcome) : 'works'}${when}`;
    else title = sequenceTitle(ran.cand.steps.slice(0, calls[i].at), last, when);
    let unique = title;
    for (let n = 2; seen.has(unique); n++) unique = `${title} [${n}]`;
    seen.add(unique);
    return unique;
  });
}
