/**
 * Running one candidate (child side): a call of a function, or a sequence on an object built with `new` (a class) or
 * by a call (what a factory returns), between two coverage takes, with fresh copies of its arguments; what each call
 * returned or threw becomes an Outcome, as the test file will assert it. A returned function is probed (called with
 * typical arguments of its source's parameters) when recording, so it is asserted by what it does; in a sequence, only
 * the last call's (an unsubscribe probed mid-sequence would undo what the later calls build on).
 */
import type { Coverage } from './search-coverage';
import { argsFor, typicalArgs } from './search-args';
import { callableOf, isClassLike, methodsOf, type Joiner } from './search-discover';
import { setterOf } from './setter-step';
import type { ErrorInfo, Outcome, SpecCallable, SpyRecord, Step } from './search-runtime';
import type { TypeShape } from './shapes';
import { observe, stateCode, type View } from './search-values';
import { CODE, RealDate, subclassContent, tag, toCode } from './value-code';
import { CALLBACK_ERRORS, clone } from './value-shapes';
import { restartRandom, withPinnedRandom } from './search-random';
import { CTOR_STEP } from './emit-spies';
import { SettleTimes } from './settle-times';

/** `process.exit` called by the code under test (the search replaces it while a call runs). */
export class ExitCalled extends Error {
  constructor(readonly exitCode: unknown) {
    super(`process.exit(${String(exitCode ?? '')}) was called`);
  }
}

/** Calls beyond the first that made an object of the same kind, kept to start its sequences from. */
const MORE_FACTORY_CALLS = 5;
/** Methods of a sequence's object whose returned objects or functions are explored (search-returned.ts). */
const MAX_CHAINED = 3;

const hasCallback = (c: Candidate) => (c.steps[0]?.values ?? []).some((v) => typeof v === 'function');

/** The method name of a step that calls the sequence's object itself (a function a factory returned). */
export const CALL_SELF = '';

export interface Candidate {
  ctor: unknown[] | null;
  ctorCodes: string[] | null;
  steps: Array<{ method: string | null; values: unknown[]; codes: string[] }>;
  valid: boolean;
  /** Some argument's shape is vague: a TypeError may be our argument's fault. */
  uncertain: boolean;
  /** Every argument fits its declaration as TypeScript checks it. */
  typed: boolean;
  title?: string;
  boundary: boolean;
}

export interface Ran {
  cand: Candidate;
  blocks: Set<string>;
  steps: Step[];
  state: string | null;
  views?: View[];
  throws: boolean;
  exit: string | null;
  /** Primitive values the calls returned (for dynamic seeding). */
  values?: unknown[];
  /** Recording runs: how the code called the callbacks passed to it. */
  spies?: SpyRecord[];
  /** A function object's settable properties as they read after the run (a state to grow from, not asserted). */
  watched?: string;
  /** The run drew from Math.random (pinned to a fixed sequence while it ran: search-random.ts). */
  random?: boolean;
  /** What the run returned or was given could not be looked at (see runOnce): nothing of it can be a test. */
  unreadable?: true;
}

/** A callback argument of a recording run, wrapped to count its calls as `vi.fn` will in the test. */
interface Spy {
  step: number;
  index: number;
  calls: unknown[][];
}

/** Wraps the generated callbacks among a step's arguments (tagged with their code) in spies, in place. */
function spyOn(values: unknown[], step: number, spies: Spy[]): void {
  values.forEach((v, index) => {
    const code = typeof v === 'function' ? CODE.get(v) : undefined;
    if (code === undefined) return;
    const fn = v as (...a: unknown[]) => unknown;
    const spy: Spy = { step, index, calls: [] };
    const wrapped = function (this: unknown, ...a: unknown[]): unknown {
      spy.calls.push(a);
      return fn.apply(this, a);
    };
    // vi.fn keeps the implementation's arity (code may read a callback's `length`).
    Object.defineProperty(wrapped, 'length', { value: fn.length });
    values[index] = tag(wrapped, code);
    spies.push(spy);
  });
}

/** The spies' calls as the test asserts them: count, and the last call's arguments as they are now. */
function spyRecords(spies: Spy[]): SpyRecord[] {
  return spies.map((s) => {
    const last = s.calls[s.calls.length - 1];
    // A function the code passed (a continuation, `done`) is asserted as one: functions compare by identity.
    const codes = last ? last.map((a) => (typeof a === 'function' ? 'expect.any(Function)' : toCode(a))) : null;
    return { step: s.step, index: s.index, calls: s.calls.length, last: codes && codes.every((c) => c !== null) ? (codes as string[]) : null };
  });
}

/** A call of a returned function: its arguments as code and what it gave. */
type Probe = { args: string[]; outcome: Outcome };

/** `iterated`: the call returned an iterator, iterated to its end here (`value`: what it yielded). */
type Raw = { ok: true; value: unknown; async: boolean; iterated?: 'sync' | 'async' } | { ok: false; error: unknown; async: boolean; iterated?: 'sync' | 'async' } | { timeout: true };

/** Items a returned iterator yields at most to be asserted by them (past that it is asserted as an object). */
const MAX_ITEMS = 64;

/** A value the search's look at it breaks (see unreadableRun). */
class Unreadable extends Error {}

/**
 * The call itself: what it returned, or what it threw. Looking at the result is the search's act, not the call's: a
 * result that throws when it is looked at is no throw of the call (Unreadable, see unreadableRun).
 */
function callOnce(run: () => unknown): { value: unknown } | { error: unknown } {
  let value: unknown;
  try {
    value = run();
  } catch (error) {
    return { error };
  }
  if (!lookable(value)) throw new Unreadable();
  return { value };
}

/**
 * A run whose values broke the search's own look at them (a proxy whose `get` trap throws, a revoked one: a draft a
 * callback was given): it reaches nothing, as it cannot be written as a test, and the target's search goes on. Its
 * blocks are taken away from the next candidate's.
 */
function unreadableRun(cand: Candidate, error: unknown, coverage: Coverage | null): Ran {
  if (error instanceof ExitCalled) throw error;
  coverage?.take();
  return { cand, blocks: new Set(), steps: [], state: null, throws: true, exit: null, unreadable: true };
}

/** Whether the members the search reads of a returned value (`then`, `next`, the iterator symbols) can be read. */
function lookable(value: unknown): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return true;
  try {
    const v = value as { then?: unknown; next?: unknown; [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
    void [v.then, v.next, v[Symbol.iterator], v[Symbol.asyncIterator]];
    return true;
  } catch {
    return false;
  }
}

/** A returned iterator (a generator's, an async generator's, an iterator object: it has `next`), and which kind. */
function iteratorKind(value: unknown): 'sync' | 'async' | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Map || value instanceof Set || ArrayBuffer.isView(value)) return null;
  const it = value as { next?: unknown; [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
  if (typeof it.next !== 'function') return null;
  if (typeof it[Symbol.asyncIterator] === 'function') return 'async';
  return typeof it[Symbol.iterator] === 'function' ? 'sync' : null;
}

const BUILTIN_ERRORS = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'];
/** Built-in classes a value is asserted an instance of when it cannot be written as a literal. */
const BUILTINS: Array<[string, new (...a: never[]) => unknown]> = [
  ['Date', RealDate],
  ['Map', Map],
  ['Set', Set],
  ['RegExp', RegExp],
  ['Array', Array],
  ['Error', Error],
];
const NONE = new Set<string>();

function errorInfo(e: unknown, classes: Map<unknown, string>): ErrorInfo {
  if (e instanceof Error) {
    const ctor = (e as { constructor?: unknown }).constructor;
    const name = typeof ctor === 'function' ? (ctor as { name: string }).name : e.name;
    const fromModule = classes.get(ctor);
    const builtin = BUILTIN_ERRORS.includes(name) && (globalThis as Record<string, unknown>)[name] === ctor ? name : null;
    return { name, ctor: fromModule ?? builtin, message: String(e.message), code: null, ...(CALLBACK_ERRORS.has(e) ? { own: true } : {}) };
  }
  return { name: typeof e, ctor: null, message: String(e), code: toCode(e) };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** Whether a structure holds a function (a literal of it would compare the function by identity and fail). */
function holdsFunction(value: unknown, depth = 0): boolean {
  if (typeof value === 'function') return true;
  if (value === null || typeof value !== 'object' || depth > 4) return false;
  const items = Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : value instanceof Set ? [...value] : isPlainObject(value) ? Object.values(value) : [];
  return items.some((v) => holdsFunction(v, depth + 1));
}

/** A plain object's fields that are not functions, nested plain objects likewise (what `toMatchObject` checks). */
function withoutFunctions(value: object, depth = 0): object {
  if (!isPlainObject(value) || depth > 4) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'function') out[k] = v !== null && typeof v === 'object' ? withoutFunctions(v, depth + 1) : v;
  }
  return out;
}

function outcomeOf(kind: 'returns' | 'resolves', value: unknown, classes: Map<unknown, string>): Extract<Outcome, { kind: 'returns' | 'resolves' }> {
  // A structure holding functions (a store's `{ dispatch, ... }`, a config with a callback) is asserted by its other
  // fields; its functions by what they do (search-returned.ts), never by identity.
  const functions = typeof value === 'object' && holdsFunction(value);
  const code = functions ? null : toCode(value);
  const builtin = BUILTINS.find(([, c]) => value instanceof c)?.[0] ?? null;
  // An instance of a built-in's subclass (a Map subclass): its class, and its content as the base class's copy.
  const content = code === null && !functions ? subclassContent(value) : null;
  if (content) return { kind, code, type: typeName(value), plain: false, state: null, builtin, content: { ...content, ctor: classes.get((value as object).constructor) ?? null } };
  const state = code === null && value !== null && typeof value === 'object' ? stateCode(functions ? withoutFunctions(value) : value) : null;
  return { kind, code, type: typeName(value), plain: code !== null, state, builtin };
}

export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Short strings and numbers inside a returned value (arrays, plain objects, Maps, a few levels deep). */
function primitives(value: unknown, out: unknown[], depth: number): void {
  if (out.length > 32 || depth > 2) return;
  if (typeof value === 'string' || typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) for (const v of value.slice(0, 16)) primitives(v, out, depth + 1);
  else if (value instanceof Map) for (const [k, v] of [...value].slice(0, 16)) (primitives(k, out, depth + 1), primitives(v, out, depth + 1));
  else if (isPlainObject(value)) for (const v of Object.values(value).slice(0, 16)) primitives(v, out, depth + 1);
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

const returnedOk = (raw: Raw): raw is { ok: true; value: unknown; async: boolean } => 'ok' in raw && raw.ok;
const stops = (o: Outcome) => o.kind !== 'returns' && o.kind !== 'resolves';
const stateOf = (instance: unknown) => (instance !== undefined && instance !== null && typeof instance === 'object' ? stateCode(holdsFunction(instance) ? withoutFunctions(instance) : withoutFunctionFields(instance)) : null);

/**
 * A class instance's own fields without those holding a function (a callback it stored, in an array of items): the
 * test's literal of a function would be another function, and `toMatchObject` compares functions by identity.
 */
function withoutFunctionFields(value: object): object {
  const fields = Object.entries(value);
  if (!fields.some(([, v]) => holdsFunction(v))) return value;
  return Object.fromEntries(fields.filter(([, v]) => !holdsFunction(v)));
}

/** Prototypes of the platform's own objects: a returned Date's or Map's methods are not the package's code. */
const PLATFORM: object[] = [RealDate.prototype, RegExp.prototype, Map.prototype, Set.prototype, WeakMap.prototype, WeakSet.prototype, Error.prototype, ArrayBuffer.prototype];

/** An instance of a built-in class itself (a subclass the package declares has methods of its own code). */
function platformObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
  if (proto === null) return false;
  if (PLATFORM.includes(proto) || ArrayBuffer.isView(value)) return true;
  // TypeError, RangeError, ...: the global of the constructor's name.
  const ctor = proto.constructor as { name?: string } | undefined;
  return value instanceof Error && typeof ctor === 'function' && (globalThis as Record<string, unknown>)[ctor.name ?? ''] === ctor;
}

/** The methods of a returned object worth calling: not the callbacks the test itself passed in (tagged with code). */
export function calledMethods(value: object): Array<{ name: string; fn: (...a: unknown[]) => unknown }> {
  return methodsOf(value).filter((m) => CODE.get(m.fn) === undefined);
}

/** Arguments whose code changed during the call (the state asserted after it). */
function mutatedArgs(values: unknown[], before: Array<string | null>): Step['mutated'] {
  const mutated: Step['mutated'] = [];
  values.forEach((v, k) => {
    if (before[k] === null) return;
    const after = toCode(v);
    if (after !== null && after !== before[k]) mutated.push({ index: k, code: after });
  });
  return mutated;
}

const FLUENT: Outcome = { kind: 'returns', code: null, type: 'object', plain: false, self: true };

/** A returned function's outcome (taken with no calls yet) with the calls made of it. */
function withProbes(outcome: Outcome, probes: Probe[] | undefined): Outcome {
  return outcome.kind === 'returns' && outcome.calls ? { ...outcome, calls: probes ?? [] } : outcome;
}

/** A returned function's outcome whose calls were made after the sequence's last call (see Runner.calls). */
function probedLater(outcome: Outcome, later: boolean): Outcome {
  return later && outcome.kind === 'returns' ? { ...outcome, later: true } : outcome;
}

/** What the calls of one run returned, with the sequence's object and its state after each call. */
interface Calls {
  raws: Raw[];
  /** Recording: per call, the calls of the function it returned, made right after it (as the test makes them). */
  probes: Probe[][];
  /** The calls whose probes were made after the sequence's last call (see calls()). */
  later: Set<number>;
  /**
   * Per call, what it gave as its test asserts it, taken right after it: a returned view of the object's own state
   * (`{ left: this.items }`) is asserted as it was then, not as the later calls left it.
   */
  outcomes: Outcome[];
  instance: unknown;
  ctorState: string | null;
  states: Array<string | null>;
}

/**
 * The observations of a sequence's instance. When its own fields changed, all of them; otherwise those that differ
 * from a freshly made object's (an object a factory returns keeps its state in the closure: a queue's `running()` and
 * `idle()` are all a test sees of a `push`, while `dollars()` of an amount `add` did not change says nothing).
 */
async function changedViews(
  instance: object,
  run: { cand: Candidate; fieldsChanged: boolean; observers: string[] },
  replay: (cand: Candidate) => Promise<object | undefined>,
): Promise<View[]> {
  const { cand, observers } = run;
  const views = await observe(instance, observers, () => replay(cand));
  if (run.fieldsChanged || views.length === 0) return views;
  const untouched = { ...cand, steps: [] };
  const fresh = await replay(untouched);
  if (!fresh) return views;
  const before = new Set((await observe(fresh, observers, () => replay(untouched))).map((v) => `${v.expr}=${v.code}`));
  return views.filter((v) => !before.has(`${v.expr}=${v.code}`));
}

export interface RunnerInit {
  callee: unknown;
  /** Sequences build their object with `new` (classes) or by calling the target (what a factory returns). */
  construct: 'new' | 'call';
  /** Sequence mode: the target is an object's maker and the steps are its methods. */
  sequence: boolean;
  /** Classes of the module by access code (an error of one is asserted by it). */
  classes: Map<unknown, string>;
  /** Zero-parameter methods, candidates for observing an instance's state after a sequence (see observe()). */
  observers: string[];
  /** Properties the sequences set (search-discover.ts settersOf): read back as the state of a function's object. */
  watched?: string[];
  coverage: Coverage;
  settleMs: number;
  /** The declared return type of the target (null method) or of a method: the types a returned function takes. */
  returnsOf: (method: string | null) => TypeShape | null | undefined;
  /**
   * The object the target is a member of, when it is called as one (`Joi.string()`: a method of an API object that
   * reads `this`); undefined for a plain function.
   */
  self?: () => unknown;
  /** Sequences: what their first call returns (an object with methods, a function) is noted for a chain of its own. */
  chains?: boolean;
}

/**
 * A call that returned an object with methods or a function (explored as a target of its own, search-returned.ts):
 * the first of its kind, more that differ in what they pass, and the method of the sequence's object that returned
 * it (undefined: the function target itself).
 */
export interface Returned {
  cand: Candidate;
  kind: 'object' | 'function';
  more: Candidate[];
  method?: string;
}

/** A value worth exploring as a target: a function (not a class), or an object with methods (not an array or a promise). */
export function explorable(value: unknown): 'object' | 'function' | null {
  // A function the test itself passed in (`firstOr([cb], ...)` returns it) is no code of the package's.
  if (typeof value === 'function') return isClassLike(value) || CODE.get(value) !== undefined ? null : 'function';
  if (value === null || typeof value !== 'object' || Array.isArray(value) || platformObject(value) || typeof (value as { then?: unknown }).then === 'function') return null;
  return calledMethods(value).length > 0 ? 'object' : null;
}

/** Kinds of a call's arguments; a callback by its code (a worker that calls its continuation is not `(value) => value`). */
function argumentKinds(c: Candidate): string {
  return JSON.stringify(c.steps[0]?.values.map((v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'function' ? (CODE.get(v) ?? 'function') : typeof v)));
}

/** Another call that made an object of a noted kind, kept when its arguments differ in kind from those kept. */
function addMore(first: Returned, cand: Candidate): void {
  if ([first.cand, ...first.more].map(argumentKinds).includes(argumentKinds(cand))) return;
  if (first.more.length < MORE_FACTORY_CALLS) first.more.push(cand);
  else if (hasCallback(cand)) {
    // A call passing a callback takes the place of one that passes none (the object's code calls it later).
    const plain = first.more.map((c) => !hasCallback(c)).lastIndexOf(true);
    if (plain >= 0) first.more[plain] = cand;
  }
}

export class Runner {
  /** Calls that returned an object with methods or a function (see search-returned.ts). */
  readonly returned: Returned[] = [];
  /** The module's facts, for the parameters of a function a call returned (probed when recording). */
  join: Joiner | null = null;
  /** Whether recording runs observe the instance (sizes, iteration, observer methods); off after observing hung. */
  observing = true;

  private readonly settleTimes: SettleTimes;
  constructor(readonly init: RunnerInit) {
    this.settleTimes = new SettleTimes(init.settleMs); // how long each method's promises are waited for
  }


  /** Calls with as little of our own code as possible between the coverage takes (a take's cost grows with it). */
  private async invoke(run: () => unknown, key = '', iterate = true): Promise<Raw> {
    const called = callOnce(run);
    if ('error' in called) return { ok: false, error: called.error, async: false };
    const { value } = called;
    try {
      if (value && typeof (value as { then?: unknown }).then === 'function') {
        const started = performance.now();
        const r = await settle(value, this.settleTimes.waitMs(key));
        if (r.kind === 'timeout') {
          this.settleTimes.neverSettled(key);
          return { timeout: true };
        }
        this.settleTimes.settled(key, performance.now() - started);
        return r.kind === 'rejects' ? { ok: false, error: r.value, async: true } : { ok: true, value: r.value, async: true };
      }
      // A generator's body runs as it is iterated: what it yields is its result (and its coverage).
      const kind = iteratorKind(value);
      if (kind && iterate) return await this.iterate(value as Iterator<unknown> & AsyncIterator<unknown>, kind, key);
      return { ok: true, value, async: false };
    } catch (error) {
      return { ok: false, error, async: false };
    }
  }

  /**
   * A returned iterator iterated to its end, as the test will (`[...it]`, `for await`): what it yielded, or the
   * error it threw; one that yields more than MAX_ITEMS is left as the object it is (an endless generator).
   */
  private async iterate(it: Iterator<unknown> & AsyncIterator<unknown>, kind: 'sync' | 'async', key: string): Promise<Raw> {
    const items: unknown[] = [];
    const async = kind === 'async';
    try {
      for (;;) {
        let step: IteratorResult<unknown>;
        if (async) {
          const r = await settle(it.next(), this.settleTimes.waitMs(key));
          if (r.kind === 'timeout') {
            this.settleTimes.neverSettled(key);
            return { timeout: true };
          }
          if (r.kind === 'rejects') return { ok: false, error: r.value, async, iterated: kind };
          step = r.value as IteratorResult<unknown>;
        } else step = it.next();
        if (step.done) return { ok: true, value: items, async: false, iterated: kind };
        if (items.length >= MAX_ITEMS) return { ok: true, value: it, async: false };
        items.push(step.value);
      }
    } catch (error) {
      return { ok: false, error, async, iterated: kind };
    }
  }

  /** `probes`: what calls of a returned function gave, made right after the call as the test makes them. */
  private toOutcome(raw: Raw, probes: Probe[] = []): Outcome {
    if ('timeout' in raw) return { kind: 'timeout' };
    if (!raw.ok) {
      if (raw.error instanceof ExitCalled) return { kind: 'exit', code: String(raw.error.exitCode ?? '') };
      return { kind: raw.async ? 'rejects' : 'throws', error: errorInfo(raw.error, this.init.classes), ...(raw.iterated ? { iterated: raw.iterated } : {}) };
    }
    if (raw.iterated) return { ...outcomeOf('returns', raw.value, this.init.classes), iterated: raw.iterated };
    const outcome = outcomeOf(raw.async ? 'resolves' : 'returns', raw.value, this.init.classes);
    // A function is asserted by what it does, never by identity: called with typical arguments of its parameters.
    if (typeof raw.value === 'function' && outcome.kind === 'returns' && !isClassLike(raw.value)) {
      return { ...outcome, code: null, plain: false, calls: probes };
    }
    // A promise that resolves to a function: asserted by its kind (a literal of it would be another function).
    if (typeof raw.value === 'function' && outcome.kind === 'resolves') return { ...outcome, code: null, plain: false };
    return outcome;
  }

  /** One call of a returned function with typical arguments of its parameters (from its source's facts). */
  private probe(fn: (...a: unknown[]) => unknown, declared: TypeShape | null | undefined): Probe[] {
    const spec: SpecCallable | null = this.join ? callableOf(CALL_SELF, fn, this.join, declared) : null;
    const args = spec && !spec.async ? argsFor(spec, typicalArgs(spec)) : null;
    if (!args) return [];
    let raw: Raw;
    try {
      const value = fn(...args.values.map((v) => clone(v)));
      if (value && typeof (value as { then?: unknown }).then === 'function') return [];
      raw = { ok: true, value, async: false };
    } catch (error) {
      raw = { ok: false, error, async: false };
    }
    const outcome = this.toOutcome(raw);
    return [{ args: args.codes, outcome: 'calls' in outcome ? { ...outcome, calls: [] } : outcome }];
  }

  /** The probes of what a call returned, when it returned a function (not a class). */
  private probesOf(raw: Raw, method: string | null): Probe[] {
    if (!returnedOk(raw) || raw.async || typeof raw.value !== 'function' || isClassLike(raw.value)) return [];
    return this.probe(raw.value as (...a: unknown[]) => unknown, this.init.returnsOf(method));
  }

  /** Builds the object of a sequence: `new Class(...)`, or a factory call whose result has methods or is a function. */
  private make(values: unknown[]): unknown {
    const callee = this.init.callee as new (...a: unknown[]) => unknown;
    if (this.init.construct === 'new') return new callee(...values);
    const made = (callee as unknown as (...a: unknown[]) => unknown).apply(this.init.self?.(), values);
    if (made === null || (typeof made !== 'object' && typeof made !== 'function')) throw new TypeError('the factory returned no object');
    return made;
  }

  /** The function a step calls and its `this`: a method of the object, or the object itself (CALL_SELF). */
  private callOf(instance: unknown, method: string | null): { fn: unknown; self: unknown } {
    if (!this.init.sequence) return { fn: this.init.callee, self: this.init.self?.() };
    if (method === CALL_SELF) return { fn: instance, self: undefined };
    const property = setterOf(method);
    // A property set as a step: `instance.isEnabled = value` (what the assignment evaluates to is not asserted).
    if (property !== null) return { fn: (value: unknown) => void ((instance as Record<string, unknown>)[property] = value), self: undefined };
    return { fn: (instance as Record<string, unknown>)[method!], self: instance };
  }

  /** The instance a candidate's sequence leaves behind, built again from fresh arguments (for observe()). */
  private async replayInstance(cand: Candidate): Promise<object | undefined> {
    restartRandom();
    const raw = await this.invoke(() => this.make((cand.ctor ?? []).map((v) => clone(v))), 'new', false);
    if (!returnedOk(raw) || raw.value === null || typeof raw.value !== 'object') return undefined;
    const instance = raw.value;
    for (const st of cand.steps) {
      const { fn, self } = this.callOf(instance, st.method);
      const r = await this.invoke(() => (fn as (...a: unknown[]) => unknown).apply(self, st.values.map((v) => clone(v))), st.method ?? '');
      if (!returnedOk(r)) return undefined;
    }
    return instance;
  }

  /**
   * Notes a call whose result has methods or is a function (explored as a sequence later): of a function target,
   * the first call of each kind, and a few more that differ in what they pass (search-returned.ts starts the
   * sequences from several of them: a queue made with a worker function works differently from one made with '');
   * of a sequence, the first call after the object was made, per method (`v8n().string()`, `Joi.string().min(2)`:
   * a fluent builder's next object), a few methods at most.
   */
  private noteReturned(cand: Candidate, value: unknown, method?: string): void {
    if (!cand.valid) return;
    const kind = explorable(value);
    if (!kind) return;
    const first = this.returned.find((r) => r.kind === kind && r.method === method);
    if (!first) {
      if (this.returned.length < (method === undefined ? 2 : MAX_CHAINED)) this.returned.push({ cand, kind, more: [], ...(method === undefined ? {} : { method }) });
      return;
    }
    // A sequence's object made another way is another chain (its arguments are part of the chain's code).
    if (method !== undefined && JSON.stringify(cand.ctorCodes) !== JSON.stringify(first.cand.ctorCodes)) return;
    addMore(first, cand);
  }

  /**
   * What call `i` of a candidate returned, noted when it may be explored: a function target's result, or what the
   * only call on a sequence's object returned (a chain, search-returned.ts).
   */
  private noteResult(cand: Candidate, value: unknown, i: number): void {
    if (!this.init.sequence) this.noteReturned(cand, value);
    else if (i === 0 && this.init.chains && cand.steps.length === 1) this.noteReturned(cand, value, cand.steps[0].method ?? undefined);
  }

  /** The calls of a candidate, with the object's state after each when recording a sequence. */
  private async calls(ctorValues: unknown[], cand: Candidate, stepValues: unknown[][], record: boolean): Promise<Calls> {
    const run: Calls = { raws: [], probes: [], later: new Set(), outcomes: [], instance: undefined, ctorState: null, states: [] };
    if (this.init.sequence) {
      const raw = await this.invoke(() => this.make(ctorValues), 'new', false);
      run.raws.push(raw);
      if (returnedOk(raw)) run.instance = raw.value;
      run.ctorState = stateOf(run.instance);
      if (run.instance === undefined) return run;
    }
    for (let i = 0; i < cand.steps.length; i++) {
      const { fn, self } = this.callOf(run.instance, cand.steps[i].method);
      const raw = await this.invoke(() => (fn as (...a: unknown[]) => unknown).apply(self, stepValues[i]), cand.steps[i].method ?? '');
      run.raws.push(raw);
      run.outcomes[run.raws.length - 1] = this.toOutcome(raw);
      if (this.init.sequence && record) run.states.push(stateOf(run.instance));
      if (!returnedOk(raw)) break;
    }
    if (record) this.probeAll(run, cand);
    return run;
  }

  /**
   * The probes of the functions the calls returned: the last call's first, as if right after it, then the others in
   * their order. Called after the last call: probing `on()`'s unsubscribe or `effect()`'s dispose in the middle of a
   * sequence would undo what the later calls build on (the test calls them after the last call too: `later`).
   */
  private probeAll(run: Calls, cand: Candidate): void {
    const first = this.init.sequence ? 1 : 0;
    const last = run.raws.length - 1;
    if (last < first) return;
    run.probes[last] = this.probesOf(run.raws[last], cand.steps[last - first].method);
    for (let r = first; r < last; r++) if ((run.probes[r] = this.probesOf(run.raws[r], cand.steps[r - first].method)).length) run.later.add(r);
  }

  /** The constructor's step of a sequence (its value is the instance, not asserted). */
  private ctorStep(cand: Candidate, raw: Raw, ctorState: string | null, record: boolean): Step {
    const o = this.toOutcome(raw);
    // A factory that returned no object: the sequence cannot run, and that is our input's doing.
    if (this.init.construct === 'call' && (o.kind === 'throws' || o.kind === 'rejects')) cand.valid = false;
    return { method: null, args: cand.ctorCodes ?? [], outcome: o.kind === 'returns' ? { ...o, code: null, state: null } : o, mutated: [], ...(record ? { state: ctorState } : {}) };
  }

  /** The outcome of each call of a run, as its test asserts it; `stopped` when the constructor did not return. */
  private stepsOf(cand: Candidate, run: Calls, args: { values: unknown[][]; before: Array<Array<string | null>> }, record: boolean): { steps: Step[]; throws: boolean; exit: string | null; stopped: boolean } {
    const { sequence } = this.init;
    const { values: stepValues, before } = args;
    const { raws, instance } = run;
    const out = { steps: [] as Step[], throws: false, exit: null as string | null, stopped: false };
    const note = (o: Outcome) => {
      if (o.kind === 'throws' || o.kind === 'rejects') out.throws = true;
      if (o.kind === 'exit') out.exit = o.code;
    };
    let r = 0;
    if (sequence) {
      const ctor = this.ctorStep(cand, raws[r++], run.ctorState, record);
      out.steps.push(ctor);
      note(ctor.outcome);
      out.stopped = stops(ctor.outcome);
      if (out.stopped) return out;
    }
    for (let i = 0; r < raws.length; i++, r++) {
      const raw = raws[r];
      const fluent = sequence && returnedOk(raw) && !raw.async && raw.value === instance && instance !== undefined;
      // A method that returns its own instance (a fluent `return this`) is asserted as exactly that.
      const outcome = fluent ? FLUENT : probedLater(withProbes(run.outcomes[r], run.probes[r]), run.later.has(r));
      if (returnedOk(raw) && !raw.async && !fluent) this.noteResult(cand, raw.value, i);
      const mutated = record ? mutatedArgs(stepValues[i], before[i]) : [];
      out.steps.push({ method: cand.steps[i].method, args: cand.steps[i].codes, outcome, mutated, ...(sequence && record ? { state: run.states[i] ?? null } : {}) });
      note(outcome);
    }
    return out;
  }

  /** Observations of a sequence's instance after its calls (also when its own fields did not change: see views()). */
  private observable(instance: unknown, cand: Candidate): boolean {
    return this.init.sequence && this.observing && instance !== null && typeof instance === 'object' && cand.steps.length > 0;
  }

  /** One run of a candidate with Math.random pinned (search-random.ts): the same values on every run. */
  /** One run of a candidate; one whose values break the search's look at them reaches nothing (unreadableRun). */
  async runOnce(cand: Candidate, record: boolean, measure = true): Promise<Ran> {
    try {
      const { value, drew } = await withPinnedRandom(() => this.runPinned(cand, record, measure));
      return drew ? { ...value, random: true } : value;
    } catch (error) {
      return unreadableRun(cand, error, measure ? this.init.coverage : null);
    }
  }

  private async runPinned(cand: Candidate, record: boolean, measure: boolean): Promise<Ran> {
    const { sequence } = this.init;
    // Fresh copies before the first take (a copy of an instance runs its class's constructor).
    const ctorValues = sequence ? (cand.ctor ?? []).map((v) => clone(v)) : [];
    const stepValues = cand.steps.map((st) => st.values.map((v) => clone(v)));
    const before = record ? stepValues.map((vs) => vs.map((v) => (v !== null && typeof v === 'object' ? toCode(v) : null))) : [];
    const spies: Spy[] = [];
    if (record) stepValues.forEach((vs, i) => spyOn(vs, i, spies));
    // The callbacks the object was made with (a queue's worker, a store's reducer): step -1, the constructor's.
    if (record && sequence) spyOn(ctorValues, CTOR_STEP, spies);
    if (measure) this.init.coverage.take();
    const run = await this.calls(ctorValues, cand, stepValues, record);
    const blocks = measure ? this.init.coverage.take() : NONE;
    const { steps, throws, exit, stopped } = this.stepsOf(cand, run, { values: stepValues, before }, record);
    const spied = record ? { spies: spyRecords(spies) } : {};
    if (stopped) return { cand, blocks, steps, state: null, throws, exit, ...spied };
    const { instance } = run;
    const state = sequence ? stateOf(instance) : null;
    const observable = record && this.observable(instance, cand) && !throws && exit === null;
    const views = observable ? await changedViews(instance as object, { cand, fieldsChanged: state !== run.ctorState, observers: this.init.observers }, (c) => this.replayInstance(c)) : undefined;
    const values: unknown[] = [];
    for (const raw of run.raws) if (returnedOk(raw)) primitives(raw.value, values, 0);
    return { cand, blocks, steps, state, views, throws, exit, values, ...spied, ...this.watchedState(instance, state) };
  }

  /**
   * A function object has no fields to assert, but what its settable properties read after a run is a state to grow
   * sequences from (`isEnabled = false` then a call; search-states.ts), never asserted: their values as code.
   */
  private watchedState(instance: unknown, state: string | null): { watched?: string } {
    const keys = this.init.watched ?? [];
    if (!this.init.sequence || state !== null || typeof instance !== 'function' || keys.length === 0) return {};
    try {
      return { watched: stateCode(Object.fromEntries(keys.map((k) => [k, (instance as unknown as Record<string, unknown>)[k]]))) ?? undefined };
    } catch {
      return {};
    }
  }
}
