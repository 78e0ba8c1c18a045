/**
 * The coverage-guided search, child side. Loaded (plain `require`) by the temporary search file that record mode runs
 * through Vite's module runner in the search child (search-host.ts), so the module under test is loaded exactly as the
 * final test will load it. A call that hangs is handled by the parent (it kills this process and resumes after the
 * culprit, which it reads from the log written before each call).
 *
 * Coverage: V8 precise block coverage through `node:inspector` (same-thread session, synchronous). Every candidate's
 * coverage is the set of blocks of the project's files it executed. Candidates that reach new blocks are kept and
 * mutated (Randoop / EvoSuite / Pynguin style); the suite is a greedy set cover over the kept ones.
 *
 * Determinism: every choice comes from a seeded PRNG; the count budget bounds the search; the time budget is a cap
 * (documented: on a slow machine it can cut the search short).
 */
import { appendFileSync } from 'node:fs';
import { Coverage } from './search-coverage';
import { describeCall, titleFor } from './search-titles';

import { fits } from './fits';
import { hashString, mutateValue, pick, poolOf, prng, randomOf, sharedPairs, typicalOf, vague, type Ctx } from './search-inputs';
import { clone, FACTORY, IDENT, observe, RealDate, stateCode, tag, toCode, asOnAnotherMachine, type View } from './search-values';
import type { TypeShape } from './shapes';

/* ------------------------------------------------------------------ spec (built by search.ts) */

export interface SpecParam {
  name: string;
  optional: boolean;
  rest: boolean;
  shape: TypeShape;
  inferred: boolean;
  hasDefault?: boolean;
  /** Typical value from the planner (domain knowledge from the name), as a thunk and its code. */
  typical?: { code: string; get: () => unknown };
}

export interface SpecSeed {
  title: string;
  /** Boundary case from a pattern or guard (kept in the suite even without new coverage). */
  boundary: boolean;
  args: Array<{ code: string; get: () => unknown }>;
}

export interface SpecAccess {
  code: string;
  get: () => unknown;
  /** Only when the function found there has this name (`module.exports = Stack` reached as `mod.default`). */
  name?: string;
}

export interface SpecCallable {
  name: string;
  async: boolean;
  params: SpecParam[];
  seeds: SpecSeed[];
  constants: unknown[];
}

export interface SpecTarget extends SpecCallable {
  id: string;
  kind: 'function' | 'class';
  access: SpecAccess[];
  /** Classes: instance methods exercised in sequences. */
  methods?: SpecCallable[];
}

/** One module of a batch: its targets' ids, and the import that gives its targets (access thunks read the module). */
export interface SpecGroup {
  file: string;
  ids: string[];
  load: () => Promise<{ mod: Record<string, unknown>; targets: SpecTarget[] }>;
}

export interface Spec {
  log: string;
  /** The project root (coverage is counted in the project's files). */
  root: string;
  seed: number;
  budgetMs: number;
  budgetCount: number;
  settleMs: number;
  maxTests: number;
  skip: string[];
  /** Index, over all groups' targets in order, of the first target this round searches. */
  startAt: number;
  groups: SpecGroup[];
}

/* ------------------------------------------------------------------ results (read by search.ts) */

export interface ErrorInfo {
  name: string;
  /** Expression of the error's class in the test file (a builtin, or an export of the module), or null. */
  ctor: string | null;
  message: string;
  /** A thrown non-Error value, as code. */
  code: string | null;
}

export type Outcome =
  | { kind: 'returns' | 'resolves'; code: string | null; type: string; plain: boolean; state?: string | null; builtin?: string | null; self?: boolean }
  | { kind: 'throws' | 'rejects'; error: ErrorInfo }
  | { kind: 'exit'; code: string }
  | { kind: 'timeout' };

export interface Step {
  method: string | null;
  args: string[];
  outcome: Outcome;
  /** Arguments the call changed: index -> their state after the call. */
  mutated: Array<{ index: number; code: string }>;
  /** Classes, when recording: the instance's state right after this call (asserted where it changed). */
  state?: string | null;
}

export interface FoundTest {
  title: string;
  ctor: string[] | null;
  steps: Step[];
  /** Observable state of the instance after the last step (classes). */
  state: string | null;
  /** Observations of the instance after the last step: sizes, iteration, observer methods (classes). */
  views?: View[];
  blocks: number;
  boundary: boolean;
}

export interface TargetResult {
  id: string;
  access: string | null;
  error?: string;
  tests: FoundTest[];
  candidates: number;
  covered: number;
  exits: string[];
  nondeterministic: number;
  rejectedThrows: number;
  /** Set for a function found in the loaded module that no planned target reaches: its name and access. */
  discovered?: { name: string; access: string };
}

/* ------------------------------------------------------------------ running one candidate */

class ExitCalled extends Error {
  constructor(readonly exitCode: unknown) {
    super(`process.exit(${String(exitCode ?? '')}) was called`);
  }
}

const BUILTIN_ERRORS = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'];

function errorInfo(e: unknown, classes: Map<unknown, string>): ErrorInfo {
  if (e instanceof Error) {
    const ctor = (e as { constructor?: unknown }).constructor;
    const name = typeof ctor === 'function' ? (ctor as { name: string }).name : e.name;
    const fromModule = classes.get(ctor);
    const builtin = BUILTIN_ERRORS.includes(name) && (globalThis as Record<string, unknown>)[name] === ctor ? name : null;
    return { name, ctor: fromModule ?? builtin, message: String(e.message), code: null };
  }
  return { name: typeof e, ctor: null, message: String(e), code: toCode(e) };
}

function outcomeOf(kind: 'returns' | 'resolves', value: unknown): Outcome {
  const code = toCode(value);
  const plain = code !== null;
  const state = code === null && value !== null && typeof value === 'object' ? stateCode(value) : null;
  const builtin =
    value instanceof RealDate ? 'Date' : value instanceof Map ? 'Map' : value instanceof Set ? 'Set' : value instanceof RegExp ? 'RegExp' : Array.isArray(value) ? 'Array' : value instanceof Error ? 'Error' : null;
  return { kind, code, type: value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value, plain, state, builtin };
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Candidate {
  ctor: unknown[] | null;
  ctorCodes: string[] | null;
  steps: Array<{ method: string | null; values: unknown[]; codes: string[] }>;
  valid: boolean;
  /** Some argument's shape is vague: a TypeError may be our argument's fault. */
  uncertain: boolean;
  title?: string;
  boundary: boolean;
}

interface Ran {
  cand: Candidate;
  blocks: Set<string>;
  steps: Step[];
  state: string | null;
  views?: View[];
  throws: boolean;
  exit: string | null;
  /** Primitive values the calls returned (for dynamic seeding). */
  values?: unknown[];
}

/* ------------------------------------------------------------------ the search */

/** Strings and numbers the code returned, shared by the file's targets (dynamic seeding). */
const SHARED: { strings: string[]; numbers: number[]; pairs: Array<[string, string]> } = { strings: [], numbers: [], pairs: [] };

/** Short strings and numbers inside a returned value (arrays, plain objects, Maps, a few levels deep). */
function primitives(value: unknown, out: unknown[], depth: number): void {
  if (out.length > 32 || depth > 2) return;
  if (typeof value === 'string' || typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) for (const v of value.slice(0, 16)) primitives(v, out, depth + 1);
  else if (value instanceof Map) for (const [k, v] of [...value].slice(0, 16)) (primitives(k, out, depth + 1), primitives(v, out, depth + 1));
  else if (value && typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    for (const v of Object.values(value).slice(0, 16)) primitives(v, out, depth + 1);
  }
}

const TYPE_ERROR_OF_OURS = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Cannot convert|undefined or null|Cannot destructure|Cannot use 'in' operator|Invalid array length|is not defined/;
/** Throwing tests beyond the one-in-four share, each asserting an error no other test of the function asserts. */
const MAX_ERROR_TESTS = 3;

export async function runSearch(spec: Spec): Promise<void> {
  const log = (entry: object) => appendFileSync(spec.log, `${JSON.stringify(entry)}\n`);
  const coverage = new Coverage(spec.root);
  const skip = new Set(spec.skip);
  const realExit = process.exit;
  const quiet = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = quiet.map((m) => console[m]);
  // Asynchronous errors of the code under test (timers, unawaited promises) must not end the search.
  process.on('unhandledRejection', () => undefined);
  process.on('uncaughtException', () => undefined);
  log({ t: 'ready' });
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    process.exit = ((code?: unknown) => {
      throw new ExitCalled(code);
    }) as typeof process.exit;
    for (const m of quiet) console[m] = () => undefined;
    try {
      return await run();
    } finally {
      process.exit = realExit;
      quiet.forEach((m, i) => (console[m] = saved[i] as never));
    }
  };
  try {
    let offset = 0;
    for (let g = 0; g < spec.groups.length; offset += spec.groups[g].ids.length, g++) {
      const group = spec.groups[g];
      if (offset + group.ids.length <= spec.startAt) continue;
      await searchGroup(group, g, spec.startAt - offset, { spec, coverage, skip, log, guarded });
    }
  } finally {
    coverage.close();
  }
  log({ t: 'end' });
}

interface GroupContext {
  spec: Spec;
  coverage: Coverage;
  skip: Set<string>;
  log: (entry: object) => void;
  guarded: <T>(run: () => Promise<T>) => Promise<T>;
}

/** Loads one module of the batch and searches its targets from `from` on (each file starts from the same pools). */
async function searchGroup(group: SpecGroup, g: number, from: number, ctx: GroupContext): Promise<void> {
  const empty = (id: string, error: string): TargetResult => ({ id, access: null, error, tests: [], candidates: 0, covered: 0, exits: [], nondeterministic: 0, rejectedThrows: 0 });
  SHARED.strings.length = 0;
  SHARED.numbers.length = 0;
  SHARED.pairs.length = 0;
  ctx.log({ t: 'load', g });
  let targets: SpecTarget[];
  let mod: Record<string, unknown>;
  try {
    ({ mod, targets } = await ctx.guarded(() => group.load()));
  } catch (error) {
    const why = `the module could not be loaded: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
    for (const id of group.ids) ctx.log({ t: 'done', f: id, result: empty(id, why) });
    return;
  }
  const one = async (target: SpecTarget, extra: Partial<TargetResult>) => {
    ctx.log({ t: 'target', f: target.id });
    let result: TargetResult;
    try {
      result = await ctx.guarded(() => searchTarget(ctx.spec, target, ctx.coverage, ctx.skip, ctx.log));
    } catch (error) {
      result = empty(target.id, String((error as Error)?.message ?? error));
    }
    ctx.log({ t: 'done', f: target.id, result: { ...result, ...extra } });
  };
  for (let ti = Math.max(0, from); ti < targets.length; ti++) await one(targets[ti], {});
  for (const target of discover(mod, targets, g)) await one(target, { discovered: { name: target.name, access: target.access[0].code } });
}

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
 * planned target reaches: `export default { plus: createOperation(...) }`, helpers assigned in a loop. Classes are
 * left out (they need a constructor's types). At most 16 per module, in property order.
 */
function discover(mod: Record<string, unknown>, targets: SpecTarget[], g: number): SpecTarget[] {
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

async function settle(value: unknown, ms: number): Promise<{ kind: 'resolves' | 'rejects' | 'timeout'; value?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([
    Promise.resolve(value).then(
      (v) => ({ kind: 'resolves' as const, value: v }),
      (e) => ({ kind: 'rejects' as const, value: e }),
    ),
    new Promise<{ kind: 'timeout' }>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
    }),
  ]);
  clearTimeout(timer);
  return r;
}

async function searchTarget(spec: Spec, target: SpecTarget, coverage: Coverage, skip: Set<string>, log: (e: object) => void): Promise<TargetResult> {
  const result: TargetResult = { id: target.id, access: null, tests: [], candidates: 0, covered: 0, exits: [], nondeterministic: 0, rejectedThrows: 0 };
  let callee: unknown;
  for (const a of target.access) {
    try {
      const v = a.get();
      if (typeof v === 'function' && (a.name === undefined || (v as { name?: string }).name === a.name)) {
        callee = v;
        result.access = a.code;
        break;
      }
    } catch {
      // try the next way in
    }
  }
  if (!result.access) {
    result.error = `not reachable: none of ${target.access.map((a) => a.code).join(', ')} is a function`;
    return result;
  }
  const rng = prng(spec.seed ^ hashString(target.id + target.name));
  const classes = new Map<unknown, string>();
  for (const a of target.access) {
    try {
      const owner = a.get();
      if (typeof owner === 'function') classes.set(owner, a.code);
    } catch {
      // ignore
    }
  }
  // Own constants first, then what earlier functions of the file returned (a formatter's output, a mask table).
  const mkCtx = (c: SpecCallable): Ctx => ({
    rng,
    numbers: [...new Set([...c.constants.filter((x): x is number => typeof x === 'number'), ...SHARED.numbers.slice(0, 24)])],
    strings: [...new Set([...c.constants.filter((x): x is string => typeof x === 'string'), ...SHARED.strings.slice(0, 48)])],
  });
  const isClass = target.kind === 'class';
  const ctorSpec: SpecCallable = target;
  const methods = (target.methods ?? []).filter(Boolean);
  if (isClass && methods.length === 0) {
    result.error = 'no methods to exercise';
  }
  // Zero-parameter methods, candidates for observing an instance's state after a sequence (see observe()).
  const observers = methods.filter((m) => m.params.length === 0 && !m.async).map((m) => m.name);
  const ctxOf = new Map<SpecCallable, Ctx>();
  const ctx = (c: SpecCallable) => ctxOf.get(c) ?? (ctxOf.set(c, mkCtx(c)), ctxOf.get(c)!);

  const covered = new Set<string>();
  const kept: Ran[] = [];
  const seen = new Set<string>();
  const started = performance.now();
  let n = 0;

  const argsFor = (c: SpecCallable, values: unknown[]): { values: unknown[]; codes: string[]; valid: boolean; uncertain: boolean } | null => {
    const codes: string[] = [];
    let valid = true;
    let uncertain = false;
    const out: unknown[] = [];
    for (let i = 0; i < values.length; i++) {
      const p = c.params[Math.min(i, c.params.length - 1)];
      const v = values[i];
      if (p?.rest) {
        if (!Array.isArray(v)) return null;
        for (const item of v) {
          const code = toCode(item);
          if (code === null) return null;
          codes.push(code);
          out.push(item);
        }
        if (p.shape.kind === 'array' && !v.every((x) => fits(x, (p.shape as { element: TypeShape }).element, 'search'))) valid = false;
        continue;
      }
      const code = toCode(v);
      if (code === null) return null;
      codes.push(code);
      out.push(v);
      if (p) {
        if (!fits(v, p.shape, 'search', p.optional)) valid = false;
        if (vague(p.shape) || p.inferred) uncertain = true;
      }
    }
    // Trailing undefined for optional parameters: omit them (defaults apply).
    while (codes.length && codes[codes.length - 1] === 'undefined' && c.params[codes.length - 1]?.optional) {
      codes.pop();
      out.pop();
    }
    return { values: out, codes, valid, uncertain };
  };

  const typicalArgs = (c: SpecCallable): unknown[] =>
    c.params.map((p) => {
      if (p.hasDefault) return undefined;
      if (p.typical) {
        try {
          const v = p.typical.get();
          if (toCode(v) !== null && fits(v, p.shape, 'search')) return p.rest ? (Array.isArray(v) ? v : [v]) : v;
        } catch {
          // fall through
        }
      }
      const v = typicalOf(p.shape);
      if (p.rest) return Array.isArray(v) ? v : [v];
      return v;
    });

  /** One argument copied into a parameter of its kind, sometimes with a change: equal and nearly equal pairs. */
  const shareArgument = (c: SpecCallable, next: unknown[]): boolean => {
    const pairs = sharedPairs(c.params);
    if (pairs.length === 0 || ctx(c).rng() >= 0.15) return false;
    const [i, j] = pick(ctx(c).rng, pairs);
    next[j] = ctx(c).rng() < 0.5 ? clone(next[i]) : mutateValue(clone(next[i]), c.params[j].shape, ctx(c));
    return true;
  };

  const mutateArgs = (c: SpecCallable, values: unknown[]): unknown[] => {
    const next = values.map((v) => clone(v));
    while (next.length < c.params.length) next.push(undefined);
    if (c.params.length === 0 || shareArgument(c, next)) return next;
    const k = ctx(c).rng() < 0.8 ? 1 : 2;
    for (let j = 0; j < k; j++) {
      const i = Math.floor(ctx(c).rng() * c.params.length);
      const p = c.params[i];
      if (p.optional && ctx(c).rng() < 0.1) next[i] = undefined;
      else if (p.rest) next[i] = mutateValue(Array.isArray(next[i]) ? next[i] : [], p.shape, ctx(c));
      else next[i] = mutateValue(next[i] === undefined ? typicalOf(p.shape) : next[i], p.shape, ctx(c));
    }
    return next;
  };

  const NONE = new Set<string>();
  type Raw = { ok: true; value: unknown; async: boolean } | { ok: false; error: unknown; async: boolean } | { timeout: true };
  /** Calls with as little of our own code as possible between the coverage takes (a take's cost grows with it). */
  const invoke = async (run: () => unknown): Promise<Raw> => {
    try {
      const value = run();
      if (value && typeof (value as { then?: unknown }).then === 'function') {
        const r = await settle(value, spec.settleMs);
        if (r.kind === 'timeout') return { timeout: true };
        return r.kind === 'rejects' ? { ok: false, error: r.value, async: true } : { ok: true, value: r.value, async: true };
      }
      return { ok: true, value, async: false };
    } catch (error) {
      return { ok: false, error, async: false };
    }
  };
  const toOutcome = (raw: Raw): Outcome => {
    if ('timeout' in raw) return { kind: 'timeout' };
    if (!raw.ok) {
      if (raw.error instanceof ExitCalled) return { kind: 'exit', code: String(raw.error.exitCode ?? '') };
      return { kind: raw.async ? 'rejects' : 'throws', error: errorInfo(raw.error, classes) };
    }
    return outcomeOf(raw.async ? 'resolves' : 'returns', raw.value);
  };
  const stops = (o: Outcome) => o.kind !== 'returns' && o.kind !== 'resolves';
  /** The instance a candidate's sequence leaves behind, built again from fresh arguments (for observe()). */
  const replayInstance = async (cand: Candidate): Promise<object | undefined> => {
    const raw = await invoke(() => new (callee as new (...a: unknown[]) => unknown)(...(cand.ctor ?? []).map((v) => clone(v))));
    if (!('ok' in raw) || !raw.ok || raw.value === null || typeof raw.value !== 'object') return undefined;
    const instance = raw.value;
    for (const st of cand.steps) {
      const fn = (instance as Record<string, unknown>)[st.method!];
      const r = await invoke(() => (fn as (...a: unknown[]) => unknown).apply(instance, st.values.map((v) => clone(v))));
      if (!('ok' in r) || !r.ok) return undefined;
    }
    return instance;
  };
  const runOnce = async (cand: Candidate, record: boolean, measure = true): Promise<Ran> => {
    const steps: Step[] = [];
    let exit: string | null = null;
    let throws = false;
    const ctorValues = isClass ? (cand.ctor ?? []).map((v) => clone(v)) : [];
    const stepValues = cand.steps.map((st) => st.values.map((v) => clone(v)));
    const before = record ? stepValues.map((vs) => vs.map((v) => (v !== null && typeof v === 'object' ? toCode(v) : null))) : [];
    const raws: Raw[] = [];
    let instance: unknown;
    let ctorState: string | null = null;
    const stepStates: Array<string | null> = [];
    if (measure) coverage.take();
    if (isClass) {
      const raw = await invoke(() => new (callee as new (...a: unknown[]) => unknown)(...ctorValues));
      raws.push(raw);
      if ('ok' in raw && raw.ok) instance = raw.value;
      ctorState = instance !== undefined ? stateCode(instance) : null;
    }
    if (!isClass || instance !== undefined) {
      for (let i = 0; i < cand.steps.length; i++) {
        const fn = isClass ? (instance as Record<string, unknown>)[cand.steps[i].method!] : callee;
        const raw = await invoke(() => (fn as (...a: unknown[]) => unknown).apply(isClass ? instance : undefined, stepValues[i]));
        raws.push(raw);
        if (isClass && record) stepStates.push(stateCode(instance));
        if (!('ok' in raw) || !raw.ok) break;
      }
    }
    const blocks = measure ? coverage.take() : NONE;
    let r = 0;
    if (isClass) {
      const o = toOutcome(raws[r++]);
      steps.push({ method: null, args: cand.ctorCodes ?? [], outcome: o.kind === 'returns' ? { ...o, code: null, state: null } : o, mutated: [], ...(record ? { state: ctorState } : {}) });
      if (stops(o)) {
        if (o.kind === 'throws' || o.kind === 'rejects') throws = true;
        if (o.kind === 'exit') exit = o.code;
        return { cand, blocks, steps, state: null, throws, exit };
      }
    }
    for (let i = 0; r < raws.length; i++, r++) {
      const raw = raws[r];
      // A method that returns its own instance (a fluent `return this`) is asserted as exactly that.
      const outcome: Outcome = isClass && 'ok' in raw && raw.ok && !raw.async && raw.value === instance && instance !== undefined ? { kind: 'returns', code: null, type: 'object', plain: false, self: true } : toOutcome(raw);
      const mutated: Step['mutated'] = [];
      if (record) {
        stepValues[i].forEach((v, k) => {
          if (before[i][k] === null) return;
          const after = toCode(v);
          if (after !== null && after !== before[i][k]) mutated.push({ index: k, code: after });
        });
      }
      steps.push({ method: cand.steps[i].method, args: cand.steps[i].codes, outcome, mutated, ...(isClass && record ? { state: stepStates[i] ?? null } : {}) });
      if (outcome.kind === 'throws' || outcome.kind === 'rejects') throws = true;
      if (outcome.kind === 'exit') exit = outcome.code;
    }
    const state = isClass && instance !== undefined ? stateCode(instance) : null;
    // Observations only when the sequence changed the instance (an untouched one says little, and often).
    const views =
      isClass && record && instance !== null && typeof instance === 'object' && !throws && exit === null && state !== ctorState
        ? await observe(instance, observers, () => replayInstance(cand))
        : undefined;
    const values: unknown[] = [];
    for (const raw of raws) if ('ok' in raw && raw.ok) primitives(raw.value, values, 0);
    return { cand, blocks, steps, state, views, throws, exit, values };
  };

  // Candidates run in batches with one coverage take per batch (a take costs milliseconds in a vitest worker); a
  // batch that reached something new is run again one candidate at a time to know which one did.
  const BATCH = 8;
  // One more test allowed per this many blocks reached, past the configured cap (up to three times it).
  const BLOCKS_PER_TEST = 3;
  const queue: Array<{ cand: Candidate; index: number }> = [];
  // Values the code returned feed the pools (a formatter's output is a parser's input): dynamic seeding.
  const harvest = (ran: Ran): void => {
    // Round trips: a returned string with a string argument of the same call (format(date, mask) -> parse(text, mask)).
    for (let i = 0; i < ran.steps.length && SHARED.pairs.length < 48; i++) {
      const st = ran.steps[i];
      const o = st.outcome;
      if (o.kind !== 'returns' || o.type !== 'string' || o.code === null) continue;
      const out = (ran.values ?? []).find((v) => typeof v === 'string' && toCode(v) === o.code) as string | undefined;
      if (out === undefined || out.length > 60) continue;
      for (const a of ran.cand.steps[isClass ? i - 1 : i]?.values ?? []) {
        if (typeof a === 'string' && a !== out && !SHARED.pairs.some(([x, y]) => x === out && y === a)) SHARED.pairs.push([out, a]);
      }
    }
    const pools = [SHARED, ...(target.kind === 'class' ? methods.map((m) => ctx(m)) : [ctx(target)])];
    for (const v of ran.values ?? []) {
      for (const c of pools) {
        if (typeof v === 'string' && v.length < 40 && !c.strings.includes(v) && c.strings.length < 96) c.strings.push(v);
        else if (typeof v === 'number' && Number.isFinite(v) && !c.numbers.includes(v) && c.numbers.length < 96) c.numbers.push(v);
      }
    }
  };
  // Calls that reached no new block but returned a value no kept call returned (Stryker's survivors are mostly
  // mutants that covered code with too few distinct results: `>=` vs `>` at a constant, `+` vs `-` where the inputs
  // hide it). A few of them join the suite after the set cover, those at the code's constants first.
  const outputs = new Set<string>();
  const diverse: Ran[] = [];
  const noteOutput = (ran: Ran, fresh: boolean): void => {
    if (ran.throws || ran.exit !== null || ran.steps.some((st) => st.outcome.kind === 'timeout')) return;
    const sig = signature(ran);
    if (outputs.has(sig)) return;
    outputs.add(sig);
    if (!fresh && ran.cand.valid && diverse.length < 96) diverse.push(ran);
  };
  const consider = (cand: Candidate, ran: Ran): void => {
    harvest(ran);
    if (ran.exit !== null) {
      result.exits.push(`${describeCall(target, cand)} calls process.exit(${ran.exit})`);
      return;
    }
    if (ran.steps.some((st) => st.outcome.kind === 'timeout')) return;
    let fresh = false;
    for (const b of ran.blocks) {
      if (!covered.has(b)) {
        covered.add(b);
        fresh = true;
      }
    }
    if (fresh || cand.boundary) kept.push(ran);
    if (fresh) noteOutput(ran, true);
  };
  const flush = async (): Promise<void> => {
    if (queue.length === 0) return;
    const batch = queue.splice(0);
    let exits = false;
    coverage.take();
    for (const { cand, index } of batch) {
      log({ t: 'c', f: target.id, n: index });
      const ran = await runOnce(cand, false, false);
      if (ran.exit !== null) exits = true;
      noteOutput(ran, false);
    }
    const blocks = coverage.take();
    const wanted = new Set([...blocks].filter((b) => !covered.has(b)));
    if (!exits && wanted.size === 0 && !batch.some((b) => b.cand.boundary)) return;
    // Replay one at a time until the batch's new blocks are attributed (boundary cases and exits always).
    for (const { cand, index } of batch) {
      const done = !exits && [...wanted].every((b) => covered.has(b));
      if (done && !cand.boundary) continue;
      log({ t: 'c', f: target.id, n: index });
      consider(cand, await runOnce(cand, false, true));
    }
  };
  const tryCandidate = async (cand: Candidate): Promise<void> => {
    const key = JSON.stringify([cand.ctorCodes, cand.steps.map((st) => [st.method, st.codes])]);
    if (seen.has(key)) return;
    seen.add(key);
    if (cand.steps.some((st) => st.method !== null && banned.has(st.method))) return;
    const id = `${target.id}:${n}`;
    n++;
    if (skip.has(id)) {
      // The call that stopped the last run, replayed up to here: a function's search ends; a class's goes on without
      // that method (one slow input of one method should not end the search of all the others).
      await flush();
      const method = cand.steps[cand.steps.length - 1]?.method;
      stopped = !isClass || !method;
      if (method) banned.add(method);
      result.exits.push(`${describeCall(target, cand)} did not return (or stopped the process): the search ${stopped ? 'was stopped on it' : `went on without ${method}()`}`);
      return;
    }
    queue.push({ cand, index: n - 1 });
    if (queue.length >= BATCH) await flush();
  };

  let stopped = false;
  const banned = new Set<string>();
  // The budgets are per function: a class gets them once per few methods (its tests are sequences over all of them).
  const scale = isClass ? Math.max(1, Math.ceil(methods.length / 4)) : 1;
  const budgetCount = spec.budgetCount * scale;
  const baseCap = spec.maxTests * scale;
  const STALE = Math.min(budgetCount, 96 * scale);
  const budgetLeft = () => !stopped && n < budgetCount && performance.now() - started < spec.budgetMs * scale;

  const makeCandidate = (ctorVals: unknown[] | null, steps: Array<{ method: string | null; c: SpecCallable; values: unknown[] }>, extra?: Partial<Candidate>): Candidate | null => {
    let valid = true;
    let uncertain = false;
    let ctorCodes: string[] | null = null;
    let ctorValues: unknown[] | null = null;
    if (isClass) {
      const a = argsFor(ctorSpec, ctorVals ?? []);
      if (!a) return null;
      ctorCodes = a.codes;
      ctorValues = a.values;
      valid &&= a.valid;
      uncertain ||= a.uncertain;
    }
    const out: Candidate['steps'] = [];
    for (const s of steps) {
      const a = argsFor(s.c, s.values);
      if (!a) return null;
      out.push({ method: s.method, values: a.values, codes: a.codes });
      valid &&= a.valid;
      uncertain ||= a.uncertain;
    }
    return { ctor: ctorValues, ctorCodes, steps: out, valid, uncertain, boundary: false, ...extra };
  };

  // 1. Seeds: the planner's cases (patterns, guards, domain values), then the typical call, then one parameter at a time.
  const seedValues = (s: SpecSeed): unknown[] | null => {
    try {
      return s.args.map((a) => a.get());
    } catch {
      return null;
    }
  };
  if (!isClass) {
    const base = typicalArgs(target);
    const c0 = makeCandidate(null, [{ method: null, c: target, values: base }], { title: 'returns a result for typical inputs' });
    if (c0) await tryCandidate(c0);
    for (const s of target.seeds) {
      if (!budgetLeft()) break;
      const values = seedValues(s);
      if (!values) continue;
      const c = makeCandidate(null, [{ method: null, c: target, values: restGroup(target, values) }], { title: s.title, boundary: s.boundary });
      if (c) await tryCandidate(c);
    }
    // Round-trip pairs from earlier functions on two string parameters, both ways.
    const stringParams = target.params.map((p, i) => (fits('', p.shape, 'search') && !p.rest ? i : -1)).filter((i) => i >= 0);
    if (stringParams.length >= 2) {
      const [i, j] = stringParams;
      for (const [out, arg] of SHARED.pairs.slice(0, 24)) {
        if (!budgetLeft()) break;
        for (const [x, y] of [[out, arg], [arg, out]]) {
          const values = base.map((v) => clone(v));
          values[i] = x;
          values[j] = y;
          const c = makeCandidate(null, [{ method: null, c: target, values }]);
          if (c) await tryCandidate(c);
        }
      }
    }
    // One parameter at a time, round robin over the parameters' pools (each pool: constants first).
    const pools = target.params.map((p) => poolOf(p.shape, ctx(target)));
    const longest = Math.max(0, ...pools.map((p) => p.length));
    for (let k = 0; k <= longest && budgetLeft(); k++) {
      for (let i = 0; i < target.params.length && budgetLeft(); i++) {
        const p = target.params[i];
        if (k === longest) {
          if (!p.optional) continue;
          const c = makeCandidate(null, [{ method: null, c: target, values: base.slice(0, i) }]);
          if (c) await tryCandidate(c);
          continue;
        }
        if (k >= pools[i].length) continue;
        const values = base.map((x) => clone(x));
        values[i] = p.rest ? [pools[i][k]] : pools[i][k];
        const c = makeCandidate(null, [{ method: null, c: target, values }]);
        if (c) await tryCandidate(c);
      }
    }
    // Equal arguments: a parameter's seed and pool values, each with a copy of it in a parameter of the same kind.
    const seeded = target.seeds.map(seedValues).flatMap((v) => (v ? [restGroup(target, v)] : []));
    for (const [i, j] of sharedPairs(target.params)) {
      for (const v of [...seeded.map((values) => values[i]), ...pools[i]].slice(0, 48)) {
        if (!budgetLeft()) break;
        const values = base.map((x) => clone(x));
        [values[i], values[j]] = [clone(v), clone(v)];
        const c = makeCandidate(null, [{ method: null, c: target, values }]);
        if (c) await tryCandidate(c);
      }
    }
    // 2. Mutation of what reached something new (and random restarts).
    let stale = 0;
    while (budgetLeft() && stale < STALE) {
      const before = covered.size;
      const parent = kept.length && rng() < 0.85 ? pick(rng, kept) : null;
      const values = parent ? mutateArgs(target, parent.cand.steps[0].values.length ? restGroup(target, parent.cand.steps[0].values) : base) : target.params.map((p) => randomOf(p.shape, ctx(target)));
      const c = makeCandidate(null, [{ method: null, c: target, values }]);
      if (c) await tryCandidate(c);
      else stale++;
      stale = covered.size > before ? 0 : stale + 1;
    }
  } else if (methods.length) {
    const ctorBase = typicalArgs(ctorSpec);
    const instance = instanceFactory(callee, result.access, argsFor(ctorSpec, ctorBase));
    if (instance) for (const m of methods) ctx(m).instances = [instance];
    const ctorSeeds: unknown[][] = [ctorBase];
    for (const s of ctorSpec.seeds) {
      const v = seedValues(s);
      if (v) ctorSeeds.push(restGroup(ctorSpec, v));
    }
    for (const m of methods) {
      for (const ctorVals of ctorSeeds.slice(0, 3)) {
        if (!budgetLeft()) break;
        const c = makeCandidate(ctorVals, [{ method: m.name, c: m, values: typicalArgs(m) }], { title: undefined });
        if (c) await tryCandidate(c);
      }
      for (const s of m.seeds) {
        if (!budgetLeft()) break;
        const v = seedValues(s);
        if (!v) continue;
        const c = makeCandidate(ctorBase, [{ method: m.name, c: m, values: restGroup(m, v) }], { boundary: s.boundary });
        if (c) await tryCandidate(c);
      }
    }
    let stale = 0;
    while (budgetLeft() && stale < STALE) {
      const before = covered.size;
      const parent = kept.length && rng() < 0.8 ? pick(rng, kept) : null;
      let ctorVals = parent?.cand.ctor ?? ctorBase;
      let steps = parent ? parent.cand.steps.map((s) => ({ method: s.method, c: methods.find((m) => m.name === s.method)!, values: restGroup(methods.find((m) => m.name === s.method)!, s.values) })) : [];
      const r = rng();
      if (r < 0.15 && ctorSpec.params.length) ctorVals = mutateArgs(ctorSpec, ctorVals);
      else if (r < 0.55 || steps.length === 0) {
        if (steps.length < 4) {
          const m = pick(rng, methods);
          steps = [...steps, { method: m.name, c: m, values: rng() < 0.5 ? typicalArgs(m) : m.params.map((p) => randomOf(p.shape, ctx(m))) }];
        }
      } else {
        const i = Math.floor(rng() * steps.length);
        steps[i] = { ...steps[i], values: mutateArgs(steps[i].c, steps[i].values) };
        if (rng() < 0.2 && steps.length > 1) steps.splice(Math.floor(rng() * steps.length), 1);
      }
      const c = makeCandidate(ctorVals, steps);
      if (c) await tryCandidate(c);
      else stale++;
      stale = covered.size > before ? 0 : stale + 1;
    }
  }
  await flush();
  (result as unknown as Record<string, unknown>).stats = { ms: Math.round(performance.now() - started), takes: coverage.takes, takeMs: Math.round(coverage.takeMs) };
  result.candidates = n;
  result.covered = covered.size;
  // The cap grows with the code the search reached (a 100-line parser gets more tests than a 3-line guard).
  const maxTests = Math.max(baseCap, Math.min(3 * baseCap, Math.ceil(covered.size / BLOCKS_PER_TEST)));

  // 3. The suite: greedy set cover over the kept candidates. Throws only from type-valid inputs, and few of them.
  const eligible = kept.filter((r) => {
    if (!r.throws) return true;
    const last = r.steps[r.steps.length - 1].outcome;
    const error = last.kind === 'throws' || last.kind === 'rejects' ? last.error : null;
    const ours = !r.cand.valid || (r.cand.uncertain && error !== null && error.name === 'TypeError' && TYPE_ERROR_OF_OURS.test(error.message));
    if (ours) result.rejectedThrows++;
    return !ours;
  });
  const chosen: Ran[] = [];
  const got = new Set<string>();
  const gain = (r: Ran) => {
    let g = 0;
    for (const b of r.blocks) if (!got.has(b)) g++;
    return g;
  };
  const cost = (r: Ran) => r.steps.reduce((s, st) => s + st.args.join(',').length, 0) + (r.cand.ctorCodes ?? []).join(',').length;
  // The error a throwing run ends with, as `name: message` (what its test asserts).
  const errorOf = (r: Ran): string => {
    const last = r.steps[r.steps.length - 1].outcome;
    return last.kind === 'throws' || last.kind === 'rejects' ? `${last.error?.name}: ${last.error?.message}` : '';
  };
  for (const pass of ['returns', 'throws'] as const) {
    // Few throwing tests: one per four kept ones, plus up to MAX_ERROR_TESTS more when each asserts an error no
    // other test asserts (an invariant helper or a validator is mostly its error paths, each with its own message).
    let throwsLeft = Math.max(1, Math.floor(chosen.length / 4));
    let distinctLeft = MAX_ERROR_TESTS;
    const errors = new Set<string>();
    for (;;) {
      let best: Ran | null = null;
      let bestGain = 0;
      for (const r of eligible) {
        if (chosen.includes(r) || (pass === 'returns' && r.throws)) continue;
        if (pass === 'throws' && throwsLeft <= 0 && errors.has(errorOf(r))) continue;
        const g = gain(r);
        if (g > bestGain || (g === bestGain && g > 0 && best && cost(r) < cost(best))) {
          best = r;
          bestGain = g;
        }
      }
      if (!best || bestGain === 0 || chosen.length >= maxTests) break;
      if (pass === 'throws') {
        if (throwsLeft > 0) throwsLeft--;
        else if (distinctLeft-- <= 0) break;
        errors.add(errorOf(best));
      }
      chosen.push(best);
      for (const b of best.blocks) got.add(b);
    }
  }
  // Boundary cases from the patterns that returned normally (a few), even without new blocks.
  let extra = 0;
  for (const r of eligible) {
    if (extra >= 4 || chosen.length >= maxTests) break;
    if (r.cand.boundary && !r.throws && !chosen.includes(r)) {
      chosen.push(r);
      extra++;
    }
  }

  // Distinct results at no new coverage (see noteOutput), those whose arguments sit at the code's constants first.
  const constants = new Set<unknown>([target, ...methods].flatMap((c) => c.constants));
  const atConstant = (r: Ran) => r.cand.steps.some((st) => st.values.some((v) => constants.has(v) || (typeof v === 'number' && (constants.has(v - 1) || constants.has(v + 1)))));
  // Greedy by novelty: the one whose arguments (per position) the chosen tests use least, at a constant first.
  const extras = diverse.filter((d) => !chosen.some((c) => signature(c) === signature(d)));
  const argKeys = (r: Ran) => r.cand.steps.flatMap((st, i) => st.codes.map((code, k) => `${i}:${st.method}:${k}:${code}`));
  const used = new Set(chosen.flatMap(argKeys));
  const novelty = (r: Ran) => argKeys(r).filter((k) => !used.has(k)).length * 2 + Number(atConstant(r));
  for (let left = Math.max(4 * scale, Math.floor(maxTests / 2)); left > 0 && extras.length > 0 && chosen.length < maxTests; left--) {
    let best = 0;
    for (let i = 1; i < extras.length; i++) if (novelty(extras[i]) > novelty(extras[best])) best = i;
    const [d] = extras.splice(best, 1);
    chosen.push(d);
    for (const k of argKeys(d)) used.add(k);
  }

  // 4. Record: run each chosen test again with fresh inputs (the second run drops nondeterministic results).
  const titles = new Set<string>();
  for (const r of chosen) {
    const a = await runOnce(r.cand, true);
    const b = await asOnAnotherMachine(() => runOnce(r.cand, true));
    const deterministic =
      a.steps.length === b.steps.length &&
      a.steps.every((s, i) => sameOutcome(s.outcome, b.steps[i].outcome) && JSON.stringify(s.mutated) === JSON.stringify(b.steps[i].mutated) && s.state === b.steps[i].state) &&
      a.state === b.state &&
      JSON.stringify(a.views) === JSON.stringify(b.views);
    if (!deterministic) {
      result.nondeterministic++;
      // Keep the calls (coverage) but not the values that changed.
      for (let i = 0; i < a.steps.length; i++) {
        const other = b.steps[i];
        if (!other || !sameOutcome(a.steps[i].outcome, other.outcome)) a.steps[i].outcome = loosen(a.steps[i].outcome);
        if (!other || JSON.stringify(a.steps[i].mutated) !== JSON.stringify(other.mutated)) a.steps[i].mutated = [];
        if (!other || a.steps[i].state !== other.state) a.steps[i].state = null;
      }
      if (a.state !== b.state) a.state = null;
      // Only the observations both runs agree on.
      if (a.views) a.views = a.views.filter((v) => b.views?.some((w) => w.expr === v.expr && w.code === v.code));
    }
    const newBlocks = [...r.blocks].filter((k) => !chosen.slice(0, chosen.indexOf(r)).some((o) => o.blocks.has(k)));
    let title = r.cand.title ?? titleFor(target, a, newBlocks.map((k) => coverage.snippet(k)).find((s) => s !== null) ?? null);
    let unique = title;
    for (let i = 2; titles.has(unique); i++) unique = `${title} [${i}]`;
    titles.add(unique);
    title = unique;
    result.tests.push({ title, ctor: r.cand.ctorCodes, steps: a.steps, state: a.state, views: a.views, blocks: r.blocks.size, boundary: r.cand.boundary });
  }
  return result;
}

/**
 * An instance of the class under test built from the typical constructor arguments, written in a test as
 * `new <access>(<args>)`; every use of it is a fresh instance (see FACTORY). Null when the constructor throws.
 */
function instanceFactory(callee: unknown, access: string | null, args: { values: unknown[]; codes: string[] } | null): object | null {
  if (!access || !args || !/^mod(\.[A-Za-z_$][\w$]*)*$/.test(access)) return null;
  const code = `new ${access}(${args.codes.join(', ')})`;
  const make = (): object => tag(new (callee as new (...a: unknown[]) => object)(...args.values.map((v) => clone(v))), code);
  try {
    const first = make();
    if (first === null || typeof first !== 'object') return null;
    FACTORY.set(first, () => {
      const next = make();
      FACTORY.set(next, FACTORY.get(first)!);
      return next;
    });
    return first;
  } catch {
    return null;
  }
}

/** What a call sequence returned (outcomes and final state): two calls with the same signature assert the same. */
function signature(ran: Ran): string {
  return JSON.stringify([ran.steps.map((st) => st.outcome), ran.state]);
}

function loosen(o: Outcome): Outcome {
  if (o.kind === 'returns' || o.kind === 'resolves') return { ...o, code: null, plain: false, state: null };
  if (o.kind === 'throws' || o.kind === 'rejects') return { kind: o.kind, error: { ...o.error, message: '', code: null } };
  return o;
}

/** Groups a flat argument list (rest parameter spread) back into one value per parameter. */
function restGroup(c: SpecCallable, values: unknown[]): unknown[] {
  const last = c.params[c.params.length - 1];
  if (!last?.rest) return values;
  return [...values.slice(0, c.params.length - 1), values.slice(c.params.length - 1)];
}
