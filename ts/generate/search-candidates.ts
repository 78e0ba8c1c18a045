/**
 * One target's search state (child side): the callable reached in the loaded module, the candidates tried so far,
 * the blocks they covered, and the budgets. A candidate is a call (or a sequence on an object: a class's instance,
 * what a factory returned) with its arguments as values and as code; it runs between two coverage takes
 * (search-run.ts), in batches, and is kept when it reaches a block no earlier one reached (Randoop / EvoSuite /
 * Pynguin). The phases that propose candidates live in search-seeds.ts and search-sequences.ts; search-suite.ts
 * picks the tests from what is kept here.
 */
import type { Coverage } from './search-coverage';
import { describeCall } from './search-titles';
import { argsFor } from './search-args';
import { mutateValue, pick, prng, hashString, sharedPairs, type Ctx } from './search-inputs';
import { typicalOf } from './value-shapes';
import { CALL_SELF, Runner, type Candidate, type Ran } from './search-run';
import { StateParents } from './search-states';
import { setterOf } from './setter-step';
import type { Spec, SpecCallable, SpecTarget, TargetResult } from './search-runtime';
import { toCode } from './value-code';
import { clone } from './value-shapes';
import { cpuMs } from './work-clock';

/** A step a phase proposes: which callable, under which method name (null: the target itself), with which values. */
export type StepPlan = { method: string | null; c: SpecCallable; values: unknown[] };

/** Strings and numbers the code returned, shared by the file's targets (dynamic seeding); reset per module. */
export const SHARED: { strings: string[]; numbers: number[]; pairs: Array<[string, string]> } = { strings: [], numbers: [], pairs: [] };

export function resetShared(): void {
  SHARED.strings.length = 0;
  SHARED.numbers.length = 0;
  SHARED.pairs.length = 0;
}

/** What a call sequence returned (outcomes and final state): two calls with the same signature assert the same. */
export function signature(ran: Ran): string {
  return JSON.stringify([ran.steps.map((st) => st.outcome), ran.state]);
}

/** How many calls deep from an exported target the objects calls return are explored (search-returned.ts). */
export const MAX_DEPTH = 3;

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

/** Round trips: a returned string with a string argument of the same call (format(date, mask) -> parse(text, mask)). */
function harvestPairs(ran: Ran, sequence: boolean): void {
  for (let i = 0; i < ran.steps.length && SHARED.pairs.length < 48; i++) {
    const o = ran.steps[i].outcome;
    if (o.kind !== 'returns' || o.type !== 'string' || o.code === null) continue;
    const out = (ran.values ?? []).find((v) => typeof v === 'string' && toCode(v) === o.code) as string | undefined;
    if (out === undefined || out.length > 60) continue;
    for (const a of ran.cand.steps[sequence ? i - 1 : i]?.values ?? []) {
      if (typeof a === 'string' && a !== out && !SHARED.pairs.some(([x, y]) => x === out && y === a)) SHARED.pairs.push([out, a]);
    }
  }
}

/** Values the code returned feed the pools (a formatter's output is a parser's input): dynamic seeding. */
function harvest(ran: Ran, sequence: boolean, pools: Array<{ strings: string[]; numbers: number[] }>): void {
  harvestPairs(ran, sequence);
  for (const v of ran.values ?? []) {
    for (const c of pools) {
      if (typeof v === 'string' && v.length < 40 && !c.strings.includes(v) && c.strings.length < 96) c.strings.push(v);
      else if (typeof v === 'number' && Number.isFinite(v) && !c.numbers.includes(v) && c.numbers.length < 96) c.numbers.push(v);
    }
  }
}

/** Budgets of one target: per function; a class gets them once per few methods (its tests are sequences). */
export interface Budget {
  scale: number;
  count: number;
  /** Tests kept at most before the cap grows with the blocks reached. */
  cap: number;
  /** Candidates in a row without new blocks after which a mutation phase ends. */
  stale: number;
  started: number;
}

export interface TargetSearchInit {
  spec: Spec;
  target: SpecTarget;
  coverage: Coverage;
  skip: Set<string>;
  log: (e: object) => void;
  callee: unknown;
  access: string;
  /** The module's classes by access code (search-runtime.ts moduleClasses), after the target's own. */
  classes?: Map<unknown, string>;
}

export class TargetSearch {
  readonly spec: Spec;
  readonly target: SpecTarget;
  readonly coverage: Coverage;
  readonly result: TargetResult;
  readonly rng: () => number;
  /** Instance methods of a class, or the methods of what a factory returned. */
  readonly methods: SpecCallable[];
  readonly covered = new Set<string>();
  readonly kept: Ran[] = [];
  /** Runs that reached no new block but returned a value no kept run returned (see noteOutput). */
  readonly diverse: Ran[] = [];
  /** Sequences kept as parents for the new kind of state they left the object in (search-states.ts). */
  readonly states = new StateParents();
  readonly budget: Budget;
  readonly runner: Runner;
  n = 0;
  readonly skip: Set<string>;
  readonly log: (e: object) => void;
  private stopped = false;
  private readonly banned = new Set<string>();
  private readonly seen = new Set<string>();
  private readonly outputs = new Set<string>();
  private readonly queue: Array<{ cand: Candidate; index: number }> = [];
  private readonly ctxOf = new Map<SpecCallable, Ctx>();

  constructor(init: TargetSearchInit) {
    const { spec, target } = init;
    this.spec = spec;
    this.target = target;
    this.coverage = init.coverage;
    this.skip = init.skip;
    this.log = init.log;
    this.result = { id: target.id, access: init.access, tests: [], candidates: 0, covered: 0, exits: [], nondeterministic: 0, rejectedThrows: 0 };
    // Seeded per target, not per position in the batch (ids are `<group>.<id>`): a file's tests do not depend on
    // which other files were searched before it in the same process.
    this.rng = prng(spec.seed ^ hashString(target.id.replace(/^\d+\./, '0.') + target.name));
    const classes = new Map<unknown, string>();
    for (const a of target.access) {
      try {
        const owner = a.get();
        if (typeof owner === 'function') classes.set(owner, a.code);
      } catch {
        // ignore
      }
    }
    for (const [ctor, code] of init.classes ?? []) if (!classes.has(ctor)) classes.set(ctor, code);
    const sequence = target.kind === 'class';
    this.methods = (target.methods ?? []).filter(Boolean);
    // A class without methods is searched by its constructions (search-sequences.ts); an object a factory returned
    // without methods has nothing to call.
    if (sequence && this.methods.length === 0 && target.construct === 'call') this.result.error = 'no methods to exercise';
    const observers = this.methods.filter((m) => m.params.length === 0 && !m.async && m.name !== CALL_SELF).map((m) => m.name);
    this.runner = new Runner({
      callee: init.callee,
      construct: target.construct ?? 'new',
      sequence,
      classes,
      observers,
      coverage: init.coverage,
      settleMs: spec.settleMs,
      returnsOf: (method) => (method === null ? target.returns : this.methods.find((m) => m.name === method)?.returns),
      self: target.self,
      watched: this.methods.flatMap((m) => setterOf(m.name) ?? []),
      chains: sequence && !target.database && (target.depth ?? 0) < MAX_DEPTH,
    });
    // What the target it came from reached is not new here (a chain keeps only calls that reach more).
    for (const b of target.known ?? []) this.covered.add(b);
    const scale = sequence ? Math.max(1, Math.ceil(this.methods.length / 4)) : 1;
    const count = spec.budgetCount * scale;
    this.budget = { scale, count, cap: spec.maxTests * scale, stale: Math.min(count, 96 * scale), started: cpuMs() };
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
    return !this.stopped && this.n < this.budget.count && cpuMs() - this.budget.started < this.timeCapMs();
  }

  /**
   * The search's time cap, in CPU ms (work-clock.ts): the per-function safety net (times a class's scale), or the run's
   * share when smaller.
   */
  timeCapMs(): number {
    return Math.min(this.spec.budgetMs * this.budget.scale, this.spec.capMs ?? Infinity);
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

  /** One more run of a candidate, logged like every call and skipped when it stopped the last round (shrinking). */
  async rerun(cand: Candidate): Promise<Ran> {
    const index = this.n++;
    if (this.skip.has(`${this.target.id}:${index}`)) return { cand, blocks: new Set(['skipped']), steps: [], state: null, throws: false, exit: null };
    this.log({ t: 'c', f: this.target.id, n: index });
    return this.runner.runOnce(cand, false, true);
  }

  makeCandidate(ctorVals: unknown[] | null, steps: StepPlan[], extra?: Partial<Candidate>): Candidate | null {
    let valid = true;
    let uncertain = false;
    let typed = true;
    let ctorCodes: string[] | null = null;
    let ctorValues: unknown[] | null = null;
    if (this.target.kind === 'class') {
      const a = argsFor(this.target, ctorVals ?? []);
      if (!a) return null;
      ctorCodes = a.codes;
      ctorValues = a.values;
      valid &&= a.valid;
      uncertain ||= a.uncertain;
      typed &&= a.typed;
    }
    const out: Candidate['steps'] = [];
    for (const s of steps) {
      const a = argsFor(s.c, s.values);
      if (!a) return null;
      out.push({ method: s.method, values: a.values, codes: a.codes });
      valid &&= a.valid;
      uncertain ||= a.uncertain;
      typed &&= a.typed;
    }
    return { ctor: ctorValues, ctorCodes, steps: out, valid, uncertain, typed, boundary: false, ...extra };
  }

  /**
   * Calls that reached no new block but returned a value no kept call returned (Stryker's survivors are mostly
   * mutants that covered code with too few distinct results: `>=` vs `>` at a constant, `+` vs `-` where the inputs
   * hide it). A few of them join the suite after the set cover, those at the code's constants first.
   */
  private noteOutput(ran: Ran, fresh: boolean): void {
    if (ran.unreadable || ran.throws || ran.exit !== null || ran.steps.some((st) => st.outcome.kind === 'timeout')) return;
    const sig = signature(ran);
    if (this.outputs.has(sig)) return;
    this.outputs.add(sig);
    if (!fresh && ran.cand.valid && (!this.target.typed || ran.cand.typed) && this.diverse.length < 96) this.diverse.push(ran);
  }

  private consider(cand: Candidate, ran: Ran): void {
    // A run the search could not look at is no test, not even a boundary case's (see Runner.runOnce).
    if (ran.unreadable) return;
    harvest(ran, this.target.kind === 'class', [SHARED, ...(this.target.kind === 'class' ? this.methods.map((m) => this.ctx(m)) : [this.ctx(this.target)])]);
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
      const ran = await this.runner.runOnce(cand, false, false);
      if (ran.exit !== null) exits = true;
      this.noteOutput(ran, false);
      if (this.target.kind === 'class') this.states.note(ran);
    }
    const blocks = this.coverage.take();
    const wanted = new Set([...blocks].filter((b) => !this.covered.has(b)));
    if (!exits && wanted.size === 0 && !batch.some((b) => b.cand.boundary)) return;
    // Replay one at a time until the batch's new blocks are attributed (boundary cases and exits always).
    for (const { cand, index } of batch) {
      const done = !exits && [...wanted].every((b) => this.covered.has(b));
      if (done && !cand.boundary) continue;
      this.log({ t: 'c', f: this.target.id, n: index });
      this.consider(cand, await this.runner.runOnce(cand, false, true));
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
      this.stopped = this.target.kind !== 'class' || !method;
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
