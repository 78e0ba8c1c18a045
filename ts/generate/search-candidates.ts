/**
 * One target's search state (child side): the callable reached in the loaded module, the candidates tried so far,
 * the blocks they covered, and the budgets. A candidate is a call (or, for a class, a constructor and a method
 * sequence) with its arguments as values and as code; it runs between two coverage takes, in batches, and is kept
 * when it reaches a block no earlier one reached (Randoop / EvoSuite / Pynguin). The phases that propose candidates
 * live in search-seeds.ts and search-sequences.ts; search-suite.ts picks the tests from what is kept here.
 */
import type { Coverage } from './search-coverage';
import { describeCall } from './search-titles';
import { fits } from './fits';
import { mutateValue, pick, prng, hashString, sharedPairs, typicalOf, vague, type Ctx } from './search-inputs';
import { clone, observe, RealDate, stateCode, toCode, type View } from './search-values';
import type { ErrorInfo, Outcome, Spec, SpecCallable, SpecTarget, Step, TargetResult } from './search-runtime';
import { callableOf, isClassLike, methodsOf, type Joiner } from './search-discover';
import type { TypeShape } from './shapes';

/** `process.exit` called by the code under test (the search replaces it while a call runs). */
export class ExitCalled extends Error {
  constructor(readonly exitCode: unknown) {
    super(`process.exit(${String(exitCode ?? '')}) was called`);
  }
}

export interface Candidate {
  ctor: unknown[] | null;
  ctorCodes: string[] | null;
  steps: Array<{ method: string | null; values: unknown[]; codes: string[] }>;
  valid: boolean;
  /** Some argument's shape is vague: a TypeError may be our argument's fault. */
  uncertain: boolean;
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
}

/** The method name of a step that calls the sequence's object itself (a function a factory returned). */
export const CALL_SELF = '';

/** A step a phase proposes: which callable, under which method name (null: the target itself), with which values. */
export type StepPlan = { method: string | null; c: SpecCallable; values: unknown[] };

/** Strings and numbers the code returned, shared by the file's targets (dynamic seeding); reset per module. */
export const SHARED: { strings: string[]; numbers: number[]; pairs: Array<[string, string]> } = { strings: [], numbers: [], pairs: [] };

export function resetShared(): void {
  SHARED.strings.length = 0;
  SHARED.numbers.length = 0;
  SHARED.pairs.length = 0;
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

export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

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

/** What a call sequence returned (outcomes and final state): two calls with the same signature assert the same. */
export function signature(ran: Ran): string {
  return JSON.stringify([ran.steps.map((st) => st.outcome), ran.state]);
}

/** Groups a flat argument list (rest parameter spread) back into one value per parameter. */
export function restGroup(c: SpecCallable, values: unknown[]): unknown[] {
  const last = c.params[c.params.length - 1];
  if (!last?.rest) return values;
  return [...values.slice(0, c.params.length - 1), values.slice(c.params.length - 1)];
}

type Raw = { ok: true; value: unknown; async: boolean } | { ok: false; error: unknown; async: boolean } | { timeout: true };

const NONE = new Set<string>();
/** Candidates run in batches with one coverage take per batch (a take costs milliseconds in a vitest worker). */
const BATCH = 8;

/** The reachable callable of a target: the first access that yields a function (of the expected name). */
export function reach(target: SpecTarget): { callee: unknown; access: string } | null {
  for (const a of target.access) {
    try {
      const v = a.get();
      if (typeof v === 'function' && (a.name === undefined || (v as { name?: string }).name === a.name)) return { callee: v, access: a.code };
    } catch {
      // try the next way in
    }
  }
  return null;
}

export class TargetSearch {
  readonly result: TargetResult;
  readonly rng: () => number;
  readonly isClass: boolean;
  readonly ctorSpec: SpecCallable;
  readonly methods: SpecCallable[];
  readonly covered = new Set<string>();
  readonly kept: Ran[] = [];
  /** Runs that reached no new block but returned a value no kept run returned (see noteOutput). */
  readonly diverse: Ran[] = [];
  /** The budgets are per function: a class gets them once per few methods (its tests are sequences over all of them). */
  readonly scale: number;
  readonly budgetCount: number;
  readonly baseCap: number;
  /** Candidates in a row without new blocks after which a mutation phase ends. */
  readonly stale: number;
  readonly started = performance.now();
  n = 0;
  private stopped = false;
  private readonly banned = new Set<string>();
  private readonly seen = new Set<string>();
  private readonly outputs = new Set<string>();
  private readonly queue: Array<{ cand: Candidate; index: number }> = [];
  private readonly classes = new Map<unknown, string>();
  private readonly ctxOf = new Map<SpecCallable, Ctx>();
  /** Zero-parameter methods, candidates for observing an instance's state after a sequence (see observe()). */
  private readonly observers: string[];
  /** Sequences build their object with `new` (classes) or by calling the target (what a factory returns). */
  readonly construct: 'new' | 'call';
  /** Calls of a function target that returned an object with methods or a function (see search-returned.ts). */
  readonly returned: Array<{ cand: Candidate; kind: 'object' | 'function' }> = [];
  /** The module's facts, for the parameters of a function a call returned (probed when recording). */
  join: Joiner | null = null;

  constructor(
    readonly spec: Spec,
    readonly target: SpecTarget,
    readonly coverage: Coverage,
    private readonly skip: Set<string>,
    private readonly log: (e: object) => void,
    readonly callee: unknown,
    access: string,
  ) {
    this.result = { id: target.id, access, tests: [], candidates: 0, covered: 0, exits: [], nondeterministic: 0, rejectedThrows: 0 };
    this.rng = prng(spec.seed ^ hashString(target.id + target.name));
    for (const a of target.access) {
      try {
        const owner = a.get();
        if (typeof owner === 'function') this.classes.set(owner, a.code);
      } catch {
        // ignore
      }
    }
    this.isClass = target.kind === 'class';
    this.construct = target.construct ?? 'new';
    this.ctorSpec = target;
    this.methods = (target.methods ?? []).filter(Boolean);
    if (this.isClass && this.methods.length === 0) this.result.error = 'no methods to exercise';
    this.observers = this.methods.filter((m) => m.params.length === 0 && !m.async && m.name !== CALL_SELF).map((m) => m.name);
    this.scale = this.isClass ? Math.max(1, Math.ceil(this.methods.length / 4)) : 1;
    this.budgetCount = spec.budgetCount * this.scale;
    this.baseCap = spec.maxTests * this.scale;
    this.stale = Math.min(this.budgetCount, 96 * this.scale);
  }

  /** Own constants first, then what earlier functions of the file returned (a formatter's output, a mask table). */
  ctx(c: SpecCallable): Ctx {
    let found = this.ctxOf.get(c);
    if (!found) {
      found = {
        rng: this.rng,
        numbers: [...new Set([...c.constants.filter((x): x is number => typeof x === 'number'), ...SHARED.numbers.slice(0, 24)])],
        strings: [...new Set([...c.constants.filter((x): x is string => typeof x === 'string'), ...SHARED.strings.slice(0, 48)])],
      };
      this.ctxOf.set(c, found);
    }
    return found;
  }

  budgetLeft(): boolean {
    return !this.stopped && this.n < this.budgetCount && performance.now() - this.started < this.spec.budgetMs * this.scale;
  }

  argsFor(c: SpecCallable, values: unknown[]): { values: unknown[]; codes: string[]; valid: boolean; uncertain: boolean } | null {
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
  }

  typicalArgs(c: SpecCallable): unknown[] {
    return c.params.map((p) => {
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
  }

  /** One argument copied into a parameter of its kind, sometimes with a change: equal and nearly equal pairs. */
  private shareArgument(c: SpecCallable, next: unknown[]): boolean {
    const pairs = sharedPairs(c.params);
    if (pairs.length === 0 || this.ctx(c).rng() >= 0.15) return false;
    const [i, j] = pick(this.ctx(c).rng, pairs);
    next[j] = this.ctx(c).rng() < 0.5 ? clone(next[i]) : mutateValue(clone(next[i]), c.params[j].shape, this.ctx(c));
    return true;
  }

  mutateArgs(c: SpecCallable, values: unknown[]): unknown[] {
    const next = values.map((v) => clone(v));
    while (next.length < c.params.length) next.push(undefined);
    if (c.params.length === 0 || this.shareArgument(c, next)) return next;
    const k = this.ctx(c).rng() < 0.8 ? 1 : 2;
    for (let j = 0; j < k; j++) {
      const i = Math.floor(this.ctx(c).rng() * c.params.length);
      const p = c.params[i];
      if (p.optional && this.ctx(c).rng() < 0.1) next[i] = undefined;
      else if (p.rest) next[i] = mutateValue(Array.isArray(next[i]) ? next[i] : [], p.shape, this.ctx(c));
      else next[i] = mutateValue(next[i] === undefined ? typicalOf(p.shape) : next[i], p.shape, this.ctx(c));
    }
    return next;
  }

  /** The values of a planner's seed, or null when building them throws. */
  seedValues(s: { args: Array<{ get: () => unknown }> }): unknown[] | null {
    try {
      return s.args.map((a) => a.get());
    } catch {
      return null;
    }
  }

  makeCandidate(ctorVals: unknown[] | null, steps: StepPlan[], extra?: Partial<Candidate>): Candidate | null {
    let valid = true;
    let uncertain = false;
    let ctorCodes: string[] | null = null;
    let ctorValues: unknown[] | null = null;
    if (this.isClass) {
      const a = this.argsFor(this.ctorSpec, ctorVals ?? []);
      if (!a) return null;
      ctorCodes = a.codes;
      ctorValues = a.values;
      valid &&= a.valid;
      uncertain ||= a.uncertain;
    }
    const out: Candidate['steps'] = [];
    for (const s of steps) {
      const a = this.argsFor(s.c, s.values);
      if (!a) return null;
      out.push({ method: s.method, values: a.values, codes: a.codes });
      valid &&= a.valid;
      uncertain ||= a.uncertain;
    }
    return { ctor: ctorValues, ctorCodes, steps: out, valid, uncertain, boundary: false, ...extra };
  }

  /** Calls with as little of our own code as possible between the coverage takes (a take's cost grows with it). */
  private async invoke(run: () => unknown): Promise<Raw> {
    try {
      const value = run();
      if (value && typeof (value as { then?: unknown }).then === 'function') {
        const r = await settle(value, this.spec.settleMs);
        if (r.kind === 'timeout') return { timeout: true };
        return r.kind === 'rejects' ? { ok: false, error: r.value, async: true } : { ok: true, value: r.value, async: true };
      }
      return { ok: true, value, async: false };
    } catch (error) {
      return { ok: false, error, async: false };
    }
  }

  private toOutcome(raw: Raw, record = false): Outcome {
    if ('timeout' in raw) return { kind: 'timeout' };
    if (!raw.ok) {
      if (raw.error instanceof ExitCalled) return { kind: 'exit', code: String(raw.error.exitCode ?? '') };
      return { kind: raw.async ? 'rejects' : 'throws', error: errorInfo(raw.error, this.classes) };
    }
    const outcome = outcomeOf(raw.async ? 'resolves' : 'returns', raw.value);
    // A function is asserted by what it does, never by identity: called with typical arguments of its parameters.
    if (typeof raw.value === 'function' && outcome.kind === 'returns' && !isClassLike(raw.value)) {
      return { ...outcome, code: null, plain: false, calls: record ? this.probe(raw.value as (...a: unknown[]) => unknown) : [] };
    }
    return outcome;
  }

  /** One call of a returned function with typical arguments of its parameters (from its source's facts). */
  private probe(fn: (...a: unknown[]) => unknown): Array<{ args: string[]; outcome: Outcome }> {
    const spec = this.join ? callableOf(CALL_SELF, fn, this.join) : null;
    if (!spec || spec.async) return [];
    const args = this.argsFor(spec, this.typicalArgs(spec));
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

  /** Builds the object of a sequence: `new Class(...)`, or a factory call whose result has methods or is a function. */
  private make(values: unknown[]): unknown {
    const callee = this.callee as new (...a: unknown[]) => unknown;
    if (this.construct === 'new') return new callee(...values);
    const made = (callee as unknown as (...a: unknown[]) => unknown)(...values);
    if (made === null || (typeof made !== 'object' && typeof made !== 'function')) throw new TypeError('the factory returned no object');
    return made;
  }

  /** A method of the sequence's object, or the object itself when it is the function a factory returned. */
  private static methodOf(instance: unknown, method: string | null): { fn: unknown; self: unknown } {
    if (method === CALL_SELF) return { fn: instance, self: undefined };
    return { fn: (instance as Record<string, unknown>)[method!], self: instance };
  }

  /** Notes a call of a function target whose result has methods or is a function (explored as a sequence later). */
  private noteReturned(cand: Candidate, value: unknown): void {
    if (this.isClass || !cand.valid || this.returned.length >= 2) return;
    const fn = typeof value === 'function' && !isClassLike(value);
    const obj = !fn && value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { then?: unknown }).then !== 'function' && methodsOf(value).length > 0;
    if (!fn && !obj) return;
    const kind = fn ? 'function' : 'object';
    if (!this.returned.some((r) => r.kind === kind)) this.returned.push({ cand, kind });
  }

  /** The instance a candidate's sequence leaves behind, built again from fresh arguments (for observe()). */
  private async replayInstance(cand: Candidate): Promise<object | undefined> {
    const raw = await this.invoke(() => this.make((cand.ctor ?? []).map((v) => clone(v))));
    if (!('ok' in raw) || !raw.ok || raw.value === null || typeof raw.value !== 'object') return undefined;
    const instance = raw.value;
    for (const st of cand.steps) {
      const { fn, self } = TargetSearch.methodOf(instance, st.method);
      const r = await this.invoke(() => (fn as (...a: unknown[]) => unknown).apply(self, st.values.map((v) => clone(v))));
      if (!('ok' in r) || !r.ok) return undefined;
    }
    return instance;
  }

  async runOnce(cand: Candidate, record: boolean, measure = true): Promise<Ran> {
    const { isClass, callee, coverage } = this;
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
      const raw = await this.invoke(() => this.make(ctorValues));
      raws.push(raw);
      if ('ok' in raw && raw.ok) instance = raw.value;
      ctorState = instance !== undefined && typeof instance === 'object' ? stateCode(instance) : null;
    }
    if (!isClass || instance !== undefined) {
      for (let i = 0; i < cand.steps.length; i++) {
        const { fn, self } = isClass ? TargetSearch.methodOf(instance, cand.steps[i].method) : { fn: callee, self: undefined };
        const raw = await this.invoke(() => (fn as (...a: unknown[]) => unknown).apply(self, stepValues[i]));
        raws.push(raw);
        if (isClass && record) stepStates.push(typeof instance === 'object' ? stateCode(instance) : null);
        if (!('ok' in raw) || !raw.ok) break;
      }
    }
    const blocks = measure ? coverage.take() : NONE;
    let r = 0;
    if (isClass) {
      const o = this.toOutcome(raws[r++]);
      // A factory that returned no object: the sequence cannot run, and that is our input's doing.
      if (this.construct === 'call' && (o.kind === 'throws' || o.kind === 'rejects')) cand.valid = false;
      steps.push({ method: null, args: cand.ctorCodes ?? [], outcome: o.kind === 'returns' ? { ...o, code: null, state: null } : o, mutated: [], ...(record ? { state: ctorState } : {}) });
      if (o.kind !== 'returns' && o.kind !== 'resolves') {
        if (o.kind === 'throws' || o.kind === 'rejects') throws = true;
        if (o.kind === 'exit') exit = o.code;
        return { cand, blocks, steps, state: null, throws, exit };
      }
    }
    for (let i = 0; r < raws.length; i++, r++) {
      const raw = raws[r];
      // A method that returns its own instance (a fluent `return this`) is asserted as exactly that.
      const outcome: Outcome =
        isClass && 'ok' in raw && raw.ok && !raw.async && raw.value === instance && instance !== undefined ? { kind: 'returns', code: null, type: 'object', plain: false, self: true } : this.toOutcome(raw, record);
      if (!isClass && 'ok' in raw && raw.ok && !raw.async) this.noteReturned(cand, raw.value);
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
    const state = isClass && instance !== undefined && typeof instance === 'object' ? stateCode(instance) : null;
    // Observations only when the sequence changed the instance (an untouched one says little, and often).
    const views =
      isClass && record && instance !== null && typeof instance === 'object' && !throws && exit === null && state !== ctorState
        ? await observe(instance, this.observers, () => this.replayInstance(cand))
        : undefined;
    const values: unknown[] = [];
    for (const raw of raws) if ('ok' in raw && raw.ok) primitives(raw.value, values, 0);
    return { cand, blocks, steps, state, views, throws, exit, values };
  }

  /** Values the code returned feed the pools (a formatter's output is a parser's input): dynamic seeding. */
  private harvest(ran: Ran): void {
    // Round trips: a returned string with a string argument of the same call (format(date, mask) -> parse(text, mask)).
    for (let i = 0; i < ran.steps.length && SHARED.pairs.length < 48; i++) {
      const o = ran.steps[i].outcome;
      if (o.kind !== 'returns' || o.type !== 'string' || o.code === null) continue;
      const out = (ran.values ?? []).find((v) => typeof v === 'string' && toCode(v) === o.code) as string | undefined;
      if (out === undefined || out.length > 60) continue;
      for (const a of ran.cand.steps[this.isClass ? i - 1 : i]?.values ?? []) {
        if (typeof a === 'string' && a !== out && !SHARED.pairs.some(([x, y]) => x === out && y === a)) SHARED.pairs.push([out, a]);
      }
    }
    const pools = [SHARED, ...(this.target.kind === 'class' ? this.methods.map((m) => this.ctx(m)) : [this.ctx(this.target)])];
    for (const v of ran.values ?? []) {
      for (const c of pools) {
        if (typeof v === 'string' && v.length < 40 && !c.strings.includes(v) && c.strings.length < 96) c.strings.push(v);
        else if (typeof v === 'number' && Number.isFinite(v) && !c.numbers.includes(v) && c.numbers.length < 96) c.numbers.push(v);
      }
    }
  }

  /**
   * Calls that reached no new block but returned a value no kept call returned (Stryker's survivors are mostly
   * mutants that covered code with too few distinct results: `>=` vs `>` at a constant, `+` vs `-` where the inputs
   * hide it). A few of them join the suite after the set cover, those at the code's constants first.
   */
  private noteOutput(ran: Ran, fresh: boolean): void {
    if (ran.throws || ran.exit !== null || ran.steps.some((st) => st.outcome.kind === 'timeout')) return;
    const sig = signature(ran);
    if (this.outputs.has(sig)) return;
    this.outputs.add(sig);
    if (!fresh && ran.cand.valid && this.diverse.length < 96) this.diverse.push(ran);
  }

  private consider(cand: Candidate, ran: Ran): void {
    this.harvest(ran);
    if (ran.exit !== null) {
      this.result.exits.push(`${describeCall(this.target, cand)} calls process.exit(${ran.exit})`);
      return;
    }
    if (ran.steps.some((st) => st.outcome.kind === 'timeout')) return;
    let fresh = false;
    for (const b of ran.blocks) {
      if (!this.covered.has(b)) {
        this.covered.add(b);
        fresh = true;
      }
    }
    if (fresh || cand.boundary) this.kept.push(ran);
    if (fresh) this.noteOutput(ran, true);
  }

  /** Runs the queued batch under one coverage take; a batch that reached something new is replayed one by one. */
  async flush(): Promise<void> {
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0);
    let exits = false;
    this.coverage.take();
    for (const { cand, index } of batch) {
      this.log({ t: 'c', f: this.target.id, n: index });
      const ran = await this.runOnce(cand, false, false);
      if (ran.exit !== null) exits = true;
      this.noteOutput(ran, false);
    }
    const blocks = this.coverage.take();
    const wanted = new Set([...blocks].filter((b) => !this.covered.has(b)));
    if (!exits && wanted.size === 0 && !batch.some((b) => b.cand.boundary)) return;
    // Replay one at a time until the batch's new blocks are attributed (boundary cases and exits always).
    for (const { cand, index } of batch) {
      const done = !exits && [...wanted].every((b) => this.covered.has(b));
      if (done && !cand.boundary) continue;
      this.log({ t: 'c', f: this.target.id, n: index });
      this.consider(cand, await this.runOnce(cand, false, true));
    }
  }

  async tryCandidate(cand: Candidate): Promise<void> {
    const key = JSON.stringify([cand.ctorCodes, cand.steps.map((st) => [st.method, st.codes])]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (cand.steps.some((st) => st.method !== null && this.banned.has(st.method))) return;
    const id = `${this.target.id}:${this.n}`;
    this.n++;
    if (this.skip.has(id)) {
      // The call that stopped the last run, replayed up to here: a function's search ends; a class's goes on without
      // that method (one slow input of one method should not end the search of all the others).
      await this.flush();
      const method = cand.steps[cand.steps.length - 1]?.method;
      this.stopped = !this.isClass || !method;
      if (method) this.banned.add(method);
      this.result.exits.push(`${describeCall(this.target, cand)} did not return (or stopped the process): the search ${this.stopped ? 'was stopped on it' : `went on without ${method}()`}`);
      return;
    }
    this.queue.push({ cand, index: this.n - 1 });
    if (this.queue.length >= BATCH) await this.flush();
  }

  /** Proposes a candidate (null when its arguments cannot be written as code); false when none was made. */
  async propose(ctorVals: unknown[] | null, steps: StepPlan[], extra?: Partial<Candidate>): Promise<boolean> {
    const c = this.makeCandidate(ctorVals, steps, extra);
    if (c) await this.tryCandidate(c);
    return c !== null;
  }
}
