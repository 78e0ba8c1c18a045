/**
 * The test plan: which inputs to try for each exported function and what to expect, assembled from the Rust facts
 * (params + types, usage hints, guards, edge-case patterns). Deterministic: same report in, same plan out.
 */
import { ALL_SCENARIOS } from '../engine/defaults';
import type { FileReport, FunctionReport, Guard, GuardCondition } from '../engine/types';
import { literalCode } from './value-code';
import { hasKind } from './value-shapes';
import { describeValue, fromCase, lit, modelParam, type ParamModel, type Value } from './values';
import { fits } from './fits';

export type Scenario = 'edge_cases' | 'domain_knowledge' | 'happy_path';

export type Expectation =
  /** Statically known: the guard throws. */
  | { kind: 'throws'; error: string | null; message: string | null }
  /** Statically known: the guard returns this literal (source text). */
  | { kind: 'returns'; code: string }
  /** Not known statically: `--record` captures today's behaviour, otherwise a TODO. */
  | { kind: 'unknown' }
  /** Cannot be run as generated (and why). */
  | { kind: 'todo'; reason: string };

export interface TestCase {
  /** Stable id within the file: `<function index>.<case index>`. */
  id: string;
  title: string;
  scenario: Scenario;
  /** Source line that motivated the case, if any. */
  line: number | null;
  /** Argument source texts, in parameter order (trailing optional ones may be omitted). */
  args: string[];
  expect: Expectation;
  /** Filled by record mode: what happened when the case ran. */
  recorded?: RecordedOutcome;
}

export type RecordedOutcome =
  | { kind: 'returns' | 'resolves' }
  | { kind: 'throws' | 'rejects'; message: string }
  | { kind: 'hang' | 'crash' | 'dropped'; reason: string };

export interface FunctionPlan {
  name: string;
  line: number;
  async: boolean;
  /** How the generated test reaches the function. */
  access: {
    /** Export path: ['slugify'], ['api', 'get'], ['Cart'] (+ method). */
    exportPath: string[];
    defaultExport: boolean;
    /** Not seen exported by the core: found (or not) in the loaded module by the search. */
    probe?: boolean;
    method?: { name: string; static: boolean };
    /** Constructor argument source texts for instance methods. */
    constructorArgs?: string[];
  };
  cases: TestCase[];
}

export interface FilePlan {
  version: 1;
  /** Source path relative to the project root. */
  path: string;
  language: FileReport['language'];
  functions: FunctionPlan[];
  /** Functions found but not planned, with the reason. */
  skipped: Array<{ name: string; line: number; reason: string }>;
}

export interface PlanOptions {
  scenarios?: Scenario[];
  /** Only functions with this name (the last segment or the full dotted name). */
  function?: string;
  /** The output is TypeScript (values must fit declared types). */
  typescript: boolean;
  /** Upper bound of cases per function. Default 16. */
  maxCases?: number;
  /**
   * Record mode with a core that sends no exportPath: also plan named functions the core did not see exported (UMD
   * factories, IIFEs); the search looks for them in the loaded module and drops those it cannot find.
   */
  unexported?: boolean;
}

const MAX_CASES = 16;

function snippet(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

/** Evaluates one condition on concrete argument values: true / false / undefined (cannot tell). */
function evaluate(cond: GuardCondition, args: Map<string, { known: boolean; value?: unknown }>): boolean | undefined {
  const arg = args.get(cond.subject);
  if (!arg || !arg.known) return undefined;
  let v = arg.value;
  if (cond.path === 'length') {
    if (typeof v !== 'string' && !Array.isArray(v)) return undefined;
    v = v.length;
  }
  const cmp = compared(cond);
  switch (cond.op) {
    case 'falsy':
      return !v;
    case 'truthy':
      return Boolean(v);
    case 'nullish':
      return v == null;
    case 'not-nullish':
      return v != null;
    case 'null':
      return v === null;
    case 'undefined':
      return v === undefined;
    case 'typeof-eq':
    case 'typeof-ne': {
      const same = typeof v === cond.value;
      return cond.op === 'typeof-eq' ? same : !same;
    }
    case 'eq':
    case 'ne': {
      if (!cmp.ok) return undefined;
      if (typeof v === 'object' && v !== null) return undefined;
      const same = v === cmp.value;
      return cond.op === 'eq' ? same : !same;
    }
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      if (!cmp.ok || typeof cmp.value !== 'number' || typeof v !== 'number') return undefined;
      const c = cmp.value;
      return cond.op === 'lt' ? v < c : cond.op === 'le' ? v <= c : cond.op === 'gt' ? v > c : v >= c;
    }
    case 'is-array':
      return Array.isArray(v);
    case 'not-array':
      return !Array.isArray(v);
    case 'nan':
      return typeof v === 'number' ? Number.isNaN(v) : undefined;
    case 'not-finite':
      return typeof v === 'number' ? !Number.isFinite(v) : undefined;
    case 'not-integer':
      return typeof v === 'number' ? !Number.isInteger(v) : undefined;
    default:
      return undefined;
  }
}

function guardFires(guard: Guard, args: Map<string, { known: boolean; value?: unknown }>): boolean | undefined {
  if (!guard.any) return guard.complete ? evaluate(guard.conditions[0], args) : undefined;
  let allKnownFalse = true;
  for (const cond of guard.conditions) {
    const r = evaluate(cond, args);
    if (r === true) return guard.complete ? true : undefined;
    if (r === undefined) allKnownFalse = false;
  }
  return allKnownFalse && guard.complete ? false : undefined;
}

/** The value a condition compares against, from the core's structured `valueCase`. */
function compared(cond: GuardCondition): { ok: boolean; value?: unknown } {
  const c = cond.valueCase ? fromCase(cond.valueCase) : undefined;
  return c?.known ? { ok: true, value: c.runtime } : { ok: false };
}

/** Values of the subject's parameter that make a condition true (or sit on its boundary). */
function triggerValues(cond: GuardCondition, model: ParamModel): Value[] {
  const out: Value[] = [];
  const isString = model.shape ? hasKind(model.shape, 'string') : typeof model.typical.runtime === 'string';
  const num = compared(cond);
  const n = num.ok && typeof num.value === 'number' ? num.value : undefined;
  if (cond.path === 'length') {
    if (n === undefined) return out;
    const lengths = cond.op === 'lt' ? [n - 1, n] : cond.op === 'le' ? [n, n + 1] : cond.op === 'gt' ? [n + 1, n] : cond.op === 'ge' ? [n, n - 1] : [n, n + 1];
    for (const len of lengths) {
      if (len < 0 || len > 64) continue;
      if (isString) out.push(lit('a'.repeat(len), len === 0 ? 'an empty string' : `a ${len}-character string`));
      else {
        const elem = Array.isArray(model.typical.runtime) && model.typical.runtime.length ? model.typical.runtime[0] : 1;
        out.push(lit(Array.from({ length: len }, () => elem)));
      }
    }
    return out;
  }
  switch (cond.op) {
    case 'falsy':
      out.push(lit(''), lit(0), lit(false), lit(null), lit(undefined));
      break;
    case 'nullish':
    case 'null':
    case 'undefined':
      if (cond.op !== 'undefined') out.push(lit(null));
      if (cond.op !== 'null') out.push(lit(undefined));
      break;
    case 'typeof-ne':
      for (const v of [42, 'not-a-number', true, null, undefined, [1], {}]) if (typeof v !== cond.value) out.push(lit(v));
      break;
    case 'typeof-eq':
      for (const v of ['Hello World', 3, true, [1], undefined]) if (typeof v === cond.value) out.push(lit(v));
      break;
    case 'eq':
    case 'ne':
      if (num.ok) out.push(lit(num.value));
      break;
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      if (n !== undefined) out.push(lit(n - 1), lit(n), lit(n + 1));
      break;
    case 'not-array':
      out.push(lit('not-an-array'), lit(null), lit({}));
      break;
    case 'is-array':
      out.push(lit([]));
      break;
    case 'nan':
      out.push(lit(NaN));
      break;
    case 'not-finite':
      out.push(lit(Infinity), lit(NaN));
      break;
    case 'not-integer':
      out.push(lit(1.5));
      break;
  }
  return out.filter((v) => fitsDeclared(model, v));
}

/** Values the case sets must fit the parameter's declared type (an inferred shape is a guess, not a contract). */
function fitsDeclared(model: ParamModel, v: Value): boolean {
  if (!model.declared || !model.shape) return true;
  return v.known ? fits(v.runtime, model.shape, 'declared', model.param.optional) : false;
}

interface Draft {
  scenario: Scenario;
  line: number | null;
  /** What the case is about, for the title: "s is an empty string". */
  about: string;
  why: string;
  /** Overrides by parameter index. */
  overrides: Map<number, Value>;
}

function exportPathOf(fn: FunctionReport): string[] {
  let name = fn.name;
  for (const prefix of ['module.exports.', 'exports.']) if (name.startsWith(prefix)) name = name.slice(prefix.length);
  if (name === 'module.exports' || name === 'exports') return ['default'];
  return name.split('.');
}

/** `Cart` for `Cart.total` and for `Rational.prototype.value`. */
export function classPrefix(name: string): string {
  return name.split('.').slice(0, -1).join('.').replace(/\.prototype$/, '');
}

/** Why a function cannot be planned, or undefined when it can. */
function unplannable(fn: FunctionReport, report: FileReport, named: boolean): string | undefined {
  if (fn.kind === 'constructor' || fn.kind === 'getter' || fn.kind === 'setter') return `${fn.kind}s are exercised through their class`;
  if (/[<[#]/.test(fn.name) || fn.name === '') return 'not reachable by name';
  if (fn.generator) return 'generator functions are not planned yet';
  // `Heap.prototype._down`, `queue._siftUp`: internal by convention; tests reach them through the public methods
  // (a user does not test `_up(Infinity)`, and such calls leave the object in states no public call can make).
  if (!named && fn.name.includes('.') && /^_[^_]/.test(fn.name.split('.').pop() ?? '')) return 'internal by convention (leading underscore): exercised through the public methods';
  if (hiddenMember(fn, report)) return 'private or protected: only its class calls it (exercised through the public methods)';
  return undefined;
}

/** A `private`, `protected` or `#name` method (the core's `private`): code outside its class cannot call it. */
function hiddenMember(fn: FunctionReport, report: FileReport): boolean {
  const parts = fn.name.split('.');
  if (parts.length < 2) return false;
  const member = parts.pop()!;
  const owner = parts.filter((p) => p !== 'prototype').join('.');
  const cls = (report.classes ?? []).find((c) => c.name === owner);
  // A private field holding a function (`private getSize = () => ...`) is as hidden as a private method.
  return Boolean(cls?.methods?.some((m) => m.name === member && m.private && m.kind !== 'constructor') || cls?.fields?.some((f) => f.name === member && f.private));
}

export function planFile(report: FileReport, options: PlanOptions): FilePlan {
  const scenarios = new Set(options.scenarios ?? ALL_SCENARIOS);
  const plan: FilePlan = { version: 1, path: report.path, language: report.language, functions: [], skipped: [] };
  const byName = new Map(report.functions.map((f) => [f.name, f]));
  // Function-constructor classes (`function Rational(a, b) { this.a = a }` + prototype methods): the function is
  // the class's constructor, exercised through its methods.
  const ctorFunctions = new Set((report.classes ?? []).filter((c) => (c as { functionConstructor?: boolean }).functionConstructor).map((c) => c.name));
  report.functions.forEach((fn, index) => {
    const corePath = fn.exportPath;
    // The core's exportPath (when it sends one) decides reachability: UMD factories and namespaces included.
    const probe = corePath === undefined && !fn.exported && Boolean(options.unexported) && /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)?$/.test(fn.name) && fn.kind !== 'method';
    if (corePath === null || (corePath === undefined && !fn.exported && !probe)) return;
    if (ctorFunctions.has(fn.name) && !fn.usage?.classMember) return;
    if (options.function && fn.name !== options.function && fn.name.split('.').pop() !== options.function) return;
    const why = unplannable(fn, report, Boolean(options.function));
    if (why) {
      if (fn.kind !== 'constructor') plan.skipped.push({ name: fn.name, line: fn.line, reason: why });
      return;
    }
    const planned = planFunction(fn, index, byName, scenarios, options);
    if (probe) planned.access.probe = true;
    plan.functions.push(planned);
  });
  return plan;
}

function planFunction(
  fn: FunctionReport,
  fnIndex: number,
  byName: Map<string, FunctionReport>,
  scenarios: Set<Scenario>,
  options: PlanOptions,
): FunctionPlan {
  const ts = options.typescript;
  const usage = fn.usage ?? { params: [], guards: [], usesThis: false, defaultExport: false, classMember: null };
  const models = fn.params.map((p) => modelParam(p, usage.params.find((u) => u.name === p.name), ts));
  const corePath = fn.exportPath;
  const exportPath = Array.isArray(corePath) ? [...corePath] : exportPathOf(fn);
  const access: FunctionPlan['access'] = { exportPath, defaultExport: usage.defaultExport };
  let todo: string | undefined;
  if (usage.classMember && (Array.isArray(corePath) || exportPath.length >= 2)) {
    const method = Array.isArray(corePath) ? fn.name.split('.').pop()! : exportPath.pop()!;
    access.method = { name: method, static: usage.classMember === 'static' };
    if (usage.classMember === 'instance') {
      const owner = classPrefix(fn.name);
      const ctor = byName.get(`${owner}.constructor`) ?? byName.get(owner);
      if (ctor) {
        const ctorModels = ctor.params.map((p) => modelParam(p, ctor.usage?.params.find((u) => u.name === p.name), ts));
        const blocked = ctorModels.find((m) => m.unsupported && !m.param.optional);
        if (blocked) todo = `the constructor needs arguments tdd-fast cannot build: ${blocked.unsupported}`;
        access.constructorArgs = trimArgs(ctorModels, ctorModels.map((m) => (m.param.optional && m.param.defaultValue ? lit(undefined) : m.typical)));
      } else {
        access.constructorArgs = [];
      }
    }
  }
  const blocked = models.find((m) => m.unsupported && !m.param.optional);
  if (blocked) todo = blocked.unsupported;

  const drafts: Draft[] = [];
  const leading = usage.guards.filter((g) => g.leading);
  const indexOf = (name: string) => fn.params.findIndex((p) => p.name === name);

  if (scenarios.has('happy_path')) {
    drafts.push({ scenario: 'happy_path', line: null, about: 'called with typical inputs', why: 'happy path', overrides: new Map() });
  }
  if (scenarios.has('edge_cases')) {
    for (const guard of usage.guards) {
      for (const cond of guard.conditions) {
        const i = indexOf(cond.subject);
        if (i < 0) continue;
        for (const value of triggerValues(cond, models[i])) {
          drafts.push({
            scenario: 'edge_cases',
            line: guard.line,
            about: `${cond.subject}${cond.path ? '.length' : ''} is ${cond.path === 'length' ? value.label.replace(/^an? /, '') : value.label}`,
            why: `the guard on line ${guard.line}`,
            overrides: new Map([[i, value]]),
          });
        }
      }
    }
    for (const pattern of fn.patterns ?? []) {
      const root = pattern.subject.split(/[.[]/)[0];
      const i = indexOf(root);
      if (i < 0) continue;
      const m = models[i];
      if (root !== pattern.subject) continue; // values about a member: would need a whole object, skip
      for (const c of pattern.cases ?? []) {
        const value = fromCase(c, snippet(c.description, 30));
        // A built value (`"x".repeat(1000)`, `new Date(0)`) of the name's domain fits when the type has that kind.
        const ofDomain = pattern.id === 'domain' && !value.known && m.param.domain && hasKind(m.shape, m.param.domain.kind);
        if (!ofDomain && !fitsDeclared(m, value)) continue;
        drafts.push({
          scenario: 'edge_cases',
          line: pattern.line,
          about: `${root} is ${value.label}`,
          why: `line ${pattern.line}: ${pattern.reason ? snippet(pattern.reason, 50) : pattern.id}`,
          overrides: new Map([[i, value]]),
        });
      }
    }
    models.forEach((m, i) => {
      for (const value of m.edges) {
        drafts.push({
          scenario: 'edge_cases',
          line: null,
          about: `${m.param.name} is ${value.label}`,
          why: edgeWhy(m, value),
          overrides: new Map([[i, value]]),
        });
      }
    });
  }
  if (scenarios.has('domain_knowledge')) {
    models.forEach((m, i) => {
      const t = m.typical;
      if (!t.known || (typeof t.runtime !== 'string' && typeof t.runtime !== 'number')) return;
      for (const v of domainEdges(m)) {
        drafts.push({ scenario: 'domain_knowledge', line: null, about: `${m.param.name} is ${v.label}`, why: v.why, overrides: new Map([[i, v]]) });
      }
    });
  }

  const cases: TestCase[] = [];
  const seen = new Set<string>();
  const titles = new Set<string>();
  for (const draft of drafts) {
    if (cases.length >= (options.maxCases ?? MAX_CASES)) break;
    const values = models.map((m, i) => draft.overrides.get(i) ?? (m.param.optional && m.param.defaultValue !== null ? lit(undefined) : m.typical));
    const args = trimArgs(models, values);
    const key = args.join(', ');
    if (seen.has(key)) continue;
    seen.add(key);
    let expectation: Expectation = todo ? { kind: 'todo', reason: todo } : { kind: 'unknown' };
    let title = draft.scenario === 'happy_path' ? 'returns a result for typical inputs' : `handles ${draft.about} (${draft.why})`;
    if (!todo && !usage.usesThis) {
      const known = new Map<string, { known: boolean; value?: unknown }>();
      models.forEach((m, i) => {
        const v = values[i];
        if (v.known && v.runtime === undefined && m.param.defaultValue !== null) {
          const d = m.param.defaultCase ? fromCase(m.param.defaultCase) : undefined;
          known.set(m.param.name, d?.known ? { known: true, value: d.runtime } : { known: false });
        } else known.set(m.param.name, { known: v.known, value: v.runtime });
      });
      for (const guard of leading) {
        const fires = guardFires(guard, known);
        if (fires === undefined) break;
        if (!fires) continue;
        // Titles name the guard by its line, not by its code (a reviewer reads the source beside the test).
        const why = `the guard on line ${guard.line}`;
        if (guard.action === 'throw') {
          expectation = { kind: 'throws', error: guard.error, message: guard.message };
          title = `throws${guard.message ? ` '${snippet(guard.message, 40)}'` : guard.error ? ` ${guard.error}` : ''} when ${draft.about} (${why})`;
        } else if (guard.returnsParam) {
          const i = indexOf(guard.returnsParam);
          if (i >= 0 && values[i].known) {
            expectation = { kind: 'returns', code: values[i].code };
            title = `returns ${guard.returnsParam} unchanged when ${draft.about} (${why})`;
          }
        } else if (guard.returnsLiteral && guard.returns !== null) {
          expectation = { kind: 'returns', code: guard.returns };
          title = `returns ${snippet(guard.returns, 20)} when ${draft.about} (${why})`;
        }
        break;
      }
    }
    let unique = title;
    for (let n = 2; titles.has(unique); n++) unique = `${title} [${n}]`;
    titles.add(unique);
    cases.push({ id: `${fnIndex}.${cases.length}`, title: unique, scenario: draft.scenario, line: draft.line, args, expect: expectation });
  }
  return { name: fn.name, line: fn.line, async: fn.async, access, cases };
}

/** Argument texts, without trailing `undefined`s for optional parameters (so defaults apply). */
function trimArgs(models: ParamModel[], values: Value[]): string[] {
  const codes = values.map((v, i) => (models[i].param.rest ? spreadCode(v) : v.code));
  let end = codes.length;
  while (end > 0 && values[end - 1].known && values[end - 1].runtime === undefined && models[end - 1].param.optional) end--;
  return codes.slice(0, end).map((c) => c);
}

function spreadCode(v: Value): string {
  if (v.known && Array.isArray(v.runtime)) return (v.runtime as unknown[]).map(literalCode).join(', ');
  if (v.known && v.runtime === undefined) return '';
  return v.code;
}

function edgeWhy(m: ParamModel, v: Value): string {
  if (v.known && v.runtime === undefined) return m.param.optional ? `${m.param.name} is optional` : 'a missing argument';
  if (v.known && v.runtime === null) return 'a null argument';
  if (Array.isArray(v.runtime)) return 'empty / one / many';
  if (typeof v.runtime === 'number') return 'numeric boundary';
  if (typeof v.runtime === 'string') return 'string edge';
  return 'edge value';
}

function domainEdges(m: ParamModel): Array<Value & { why: string }> {
  const out: Array<Value & { why: string }> = [];
  const t = m.typical.runtime;
  const ok = (v: unknown) => fitsDeclared(m, lit(v));
  const candidates: Array<[unknown, string, string]> =
    typeof t === 'string'
      ? [
          [t.toUpperCase(), describeValue(t.toUpperCase()), 'case differences'],
          [`  ${t}  `, 'padded with spaces', 'surrounding whitespace'],
          [`${t} ünïcödé 🚀`, 'non-ASCII text', 'unicode and astral characters'],
          [t.repeat(Math.max(2, Math.ceil(200 / Math.max(1, t.length)))).slice(0, 200), 'a 200-character string', 'long input'],
        ]
      : typeof t === 'number'
        ? [
            [Number.MAX_SAFE_INTEGER, 'Number.MAX_SAFE_INTEGER', 'very large numbers'],
            [-t, String(-t), 'sign flips'],
            [0.1 + 0.2, '0.1 + 0.2', 'floating-point rounding'],
          ]
        : [];
  for (const [v, label, why] of candidates) if (v !== t && ok(v)) out.push({ ...lit(v, label), why: `domain: ${why}` });
  return out;
}
