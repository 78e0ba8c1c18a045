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
import { reach, resetShared, TargetSearch } from './search-candidates';
import { setEnumSource } from './enum-code';
import { budgetReason, SearchClock } from './search-clock';
import { cpuMs } from './work-clock';
import { orphanCheck } from './search-orphan';
import { inScope } from './search-scope';
import { ExitCalled } from './search-run';
import { discover, type Joiner } from './search-discover';
import { MAX_CHAINS_PER_MODULE, returnedTargets } from './search-returned';
import { FunctionLocator } from './search-locate';
import { searchFunction } from './search-seeds';
import { loadMakers, type SpecMaker } from './search-instances';
import { searchSequences } from './search-sequences';
import { searchDatabase, type DatabaseOrigin } from './search-database';

export { databaseSetup } from './search-database';
import { resetVocabulary, setVocabulary } from './search-vocabulary';
import { buildSuite } from './search-suite';
import type { View } from './search-values';
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
  /** The declaration when `shape` is inferred from usage (null: none); a TypeScript test shows only values fitting it. */
  declared?: TypeShape | null;
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
  /** The declared return type (the core's), when there is one: the types of what a returned function takes. */
  returns?: TypeShape | null;
  /** A database target's function of another module, there to insert rows before the module's own calls. */
  seeder?: boolean;
  /** A class's method held by each instance (`measure = () => {...}`, a class field), not by its prototype. */
  field?: boolean;
}

export interface SpecTarget extends SpecCallable {
  id: string;
  kind: 'function' | 'class';
  access: SpecAccess[];
  /** Classes: instance methods exercised in sequences. */
  methods?: SpecCallable[];
  /** The test file is TypeScript: its calls may only show arguments of the declared types. */
  typed?: boolean;
  /**
   * How the object of a sequence is made: `new` (a class, the default) or a plain call (the object or function a
   * factory returns, see search-returned.ts).
   */
  construct?: 'new' | 'call';
  /** A class built through its static factory (`access` is the factory): the class itself. */
  owner?: () => unknown;
  /** A planned function's first line (the core's), to reach it by location when none of its access codes does. */
  line?: number;
  /** The object of the sequences is a database facade (search-database.ts). */
  database?: boolean;
  /**
   * The object the target is called on (`Joi.string()`: a member of an API object, whose code reads `this`); a
   * plain function is called on nothing.
   */
  self?: () => unknown;
  /**
   * How many calls made this target's object from a target the module exports (what a function returned: 1; what a
   * method of that returned: 2, ...); bounds the chains search-returned.ts explores.
   */
  depth?: number;
  /** Blocks the target it was returned from already reached: only calls that reach more are kept. */
  known?: Set<string>;
}

/** The core's facts of one function of the module (any function, exported or not), by where it starts. */
export interface SpecFact extends SpecCallable {
  line: number;
  column: number;
  endLine: number;
}

/** One module of a batch: its targets' ids, and the import that gives its targets (access thunks read the module). */
export interface SpecGroup {
  file: string;
  ids: string[];
  /** The module's test file is TypeScript: every target of the group, found at run time or returned by a call too. */
  typed?: boolean;
  load: () => Promise<{ mod: Record<string, unknown>; targets: SpecTarget[]; facts?: SpecFact[] }>;
}

export interface Spec {
  log: string;
  /** The project root (coverage is counted in the project's files). */
  root: string;
  seed: number;
  budgetMs: number;
  /** This target's share of the run's time budget (search-clock.ts), ms: a hard cap, a class's scale included. */
  capMs?: number;
  budgetCount: number;
  settleMs: number;
  maxTests: number;
  skip: string[];
  /** Index, over all groups' targets in order, of the first target this round searches. */
  startAt: number;
  groups: SpecGroup[];
  /**
   * The run's budget (`--time-budget`) in seconds of the search's CPU time (search-clock.ts), and the epoch ms of its
   * wall-clock backstop; null: none. `spentMs`: the CPU time earlier rounds of the run used.
   */
  deadline?: number | null;
  budgetS?: number;
  spentMs?: number;
  /** `--function NAME`: targets found at run time are searched only when they are that function (or its class). */
  only?: string | null;
  /** Ways to build the package's own types where parameters take them (search-instances.ts). */
  makers?: SpecMaker[];
  /** The facts of the makers' files: what their instances' methods take when a call returns one. */
  moduleFacts?: Array<{ file: string; facts: SpecFact[] }>;
}

/* ------------------------------------------------------------------ results (read by search.ts) */

export interface ErrorInfo {
  name: string;
  /** Expression of the error's class in the test file (a builtin, or an export of the module), or null. */
  ctor: string | null;
  message: string;
  /** A thrown non-Error value, as code. */
  code: string | null;
  /** The error is the one a generated failing callback threw, passed on unchanged. */
  own?: boolean;
}

export type Outcome =
  | {
      kind: 'returns' | 'resolves';
      code: string | null;
      type: string;
      plain: boolean;
      state?: string | null;
      builtin?: string | null;
      self?: boolean;
      /** A returned function: what calls of it returned (it is asserted by what it does, not by identity). */
      calls?: Array<{ args: string[]; outcome: Outcome }>;
      /** In a sequence, those calls were made after its last call (an unsubscribe must not undo what follows). */
      later?: boolean;
      /** A returned iterator, iterated to its end: `code` is what it yielded (`[...it]`, or `for await` when async). */
      iterated?: 'sync' | 'async';
      /**
       * An instance of a built-in's subclass (a Map subclass): asserted an instance of its class (`ctor`, the module's
       * export, else the built-in `base`) with the base class's copy of it equal to `code` (value-code.ts copyCode).
       */
      content?: { base: string; code: string; ctor: string | null };
    }
  | { kind: 'throws' | 'rejects'; error: ErrorInfo; iterated?: 'sync' | 'async' }
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

/** How the code called a callback argument (step, argument index) by the end of a run: count and last arguments. */
export interface SpyRecord {
  step: number;
  index: number;
  calls: number;
  /** The last call's arguments as code (null when one cannot be written). */
  last: string[] | null;
}

/** A target the search found at run time, as the parent builds its Target from it. */
export interface Discovered {
  name: string;
  access: string;
  kind: 'function' | 'class';
  /** The sequence's object is what a call of `access` returns (not `new`). */
  construct?: 'call';
}

export interface FoundTest {
  title: string;
  ctor: string[] | null;
  /** The sequence's object is what a call returns (`const instance = access(...ctor)`), not `new access(...ctor)`. */
  construct?: 'call';
  steps: Step[];
  /** Observable state of the instance after the last step (classes). */
  state: string | null;
  /** Observations of the instance after the last step: sizes, iteration, observer methods (classes). */
  views?: View[];
  /** Callbacks passed to the calls, as `vi.fn` in the test: how the code called them by the end of the test. */
  spies?: SpyRecord[];
  /** The calls drew from Math.random: the test pins it to the sequence the search used (emit-random.ts). */
  random?: true;
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
  /**
   * Set for a target found in the loaded module that no planned target reaches (its name, access and kind), and for
   * a planned function that is a class at run time (kind `class`).
   */
  discovered?: Discovered;
  /** A database target: where its template's schema came from (the test file builds the same template). */
  database?: DatabaseOrigin;
}


/* ------------------------------------------------------------------ the search */

export async function runSearch(spec: Spec): Promise<void> {
  const orphaned = orphanCheck();
  const log = (entry: object) => {
    orphaned();
    appendFileSync(spec.log, `${JSON.stringify(entry)}\n`);
  };
  const coverage = new Coverage(spec.root);
  const locator = new FunctionLocator();
  const skip = new Set(spec.skip);
  const realExit = process.exit;
  const quiet = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = quiet.map((m) => console[m]);
  // Asynchronous errors of the code under test (timers, unawaited promises) must not end the search.
  process.on('unhandledRejection', () => undefined);
  process.on('uncaughtException', () => undefined);
  log({ t: 'ready' });
  const spent = spec.spentMs ?? 0;
  const budget = spec.deadline === undefined || spec.deadline === null ? null : { cpuMs: (spec.budgetS ?? 0) * 1000, wallDeadline: spec.deadline };
  const clock = new SearchClock(budget, spec.budgetMs, () => spent + cpuMs());
  const progress = { planned: spec.groups.reduce((n, g) => n + g.ids.length, 0), started: spec.startAt, unsearched: 0 };
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
      // A module without planned targets runs for its walk alone, unless an earlier round stopped in it.
      const past = group.ids.length === 0 ? offset < spec.startAt || skip.has(`walk:${g}`) : offset + group.ids.length <= spec.startAt;
      if (past) continue;
      await searchGroup(group, g, spec.startAt - offset, { spec, coverage, locator, skip, log, guarded, clock, progress });
    }
  } finally {
    coverage.close();
    locator.close();
  }
  if (progress.unsearched > 0) log({ t: 'note', text: `the run's time budget (${spec.budgetS} s) ran out: ${progress.unsearched} target(s) were not searched` });
  if (clock.cut > 0) log({ t: 'note', text: `the run's time budget was tight: ${clock.cut} target(s) were searched for less than the usual time, so a run with more time may find more` });
  log({ t: 'end' });
}

interface GroupContext {
  spec: Spec;
  coverage: Coverage;
  locator: FunctionLocator;
  skip: Set<string>;
  log: (entry: object) => void;
  guarded: <T>(run: () => Promise<T>) => Promise<T>;
  clock: SearchClock;
  /** Planned targets of the round, those started so far, and the targets the budget left unsearched. */
  progress: { planned: number; started: number; unsearched: number };
}

function emptyResult(id: string, error: string): TargetResult {
  return { id, access: null, error, tests: [], candidates: 0, covered: 0, exits: [], nondeterministic: 0, rejectedThrows: 0 };
}

/** Loads one module of the batch and searches its targets from `from` on (each file starts from the same pools). */
async function searchGroup(group: SpecGroup, g: number, from: number, ctx: GroupContext): Promise<void> {
  resetShared();
  resetVocabulary();
  ctx.log({ t: 'load', g });
  let loaded: Awaited<ReturnType<SpecGroup['load']>>;
  try {
    loaded = await ctx.guarded(() => group.load());
  } catch (error) {
    const why = `the module could not be loaded: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
    for (const id of group.ids) ctx.log({ t: 'done', f: id, result: emptyResult(id, why) });
    return;
  }
  // The package's own types are built once the first module loaded (the makers' modules load after it, so a module
  // that hangs or exits while loading is still the one the parent blames).
  await ctx.guarded(() => loadMakers(ctx.spec.makers ?? []));
  const { mod, targets } = loaded;
  setEnumSource(mod);
  setVocabulary(loaded.facts ?? []);
  const join = { locator: ctx.locator, facts: loaded.facts ?? [], file: group.file, others: ctx.spec.moduleFacts };
  const discovery = discover(mod, targets, g, join);
  const { promoted } = discovery;
  const found = discovery.found.flatMap((t) => inScope(t, ctx.spec.only ?? null));
  let foundLeft = found.length;
  let chainsLeft = MAX_CHAINS_PER_MODULE;
  const chains: Array<{ target: SpecTarget; discovered: Discovered }> = [];
  const one = async (given: SpecTarget, discovered?: Discovered, planned = false): Promise<void> => {
    // A target found at run time or returned by a call shows only arguments of the declared types too (tsc --strict).
    const target = given.typed === undefined && group.typed !== undefined ? { ...given, typed: group.typed } : given;
    // Finished in an earlier round that stopped later in this module (search.ts runs the module again).
    if (ctx.skip.has(`done:${target.id}`)) return;
    if (ctx.clock.expired()) {
      ctx.progress.unsearched++;
      // A planned target says why it has no test; one found at run time (or returned by a call) is left out.
      if (planned) ctx.log({ t: 'done', f: target.id, result: emptyResult(target.id, budgetReason(ctx.spec.budgetS ?? 0)) });
      return;
    }
    ctx.log({ t: 'target', f: target.id });
    const ms = ctx.clock.shareMs(ctx.progress.planned - ctx.progress.started + foundLeft + chains.length + 1);
    const spec = ms === null ? ctx.spec : { ...ctx.spec, capMs: ms };
    let result: TargetResult;
    let search: TargetSearch | null = null;
    const started = cpuMs();
    try {
      search = await ctx.guarded(() => searchTarget(spec, target, { coverage: ctx.coverage, skip: ctx.skip, log: ctx.log, classes }, join));
      ctx.clock.settle(ms, cpuMs() - started);
      result = search ? await ctx.guarded(() => buildSuite(search!)) : unreachable(target);
    } catch (error) {
      result = emptyResult(target.id, String((error as Error)?.message ?? error));
    }
    ctx.log({ t: 'done', f: target.id, result: discovered ? { ...result, discovered } : result });
    // The objects and functions its calls returned, each searched in sequences right after it; chains off a
    // sequence (search-returned.ts) wait until the module's own targets were searched, shallowest first.
    if (!search) return;
    for (const next of returnedTargets(search, join, chainsLeft)) {
      if (!next.target.known) await one(next.target, next.discovered);
      else {
        chainsLeft--;
        chains.push(next);
      }
    }
  };
  const asFound = (t: SpecTarget): Discovered => ({ name: t.name, access: t.access[0].code, kind: t.kind });
  const classes = moduleClasses([...targets, ...found]);
  for (let ti = Math.max(0, from); ti < targets.length; ti++) {
    const replaced = promoted.get(targets[ti].id);
    ctx.progress.started++;
    await one(replaced ?? targets[ti], replaced ? asFound(replaced) : undefined, true);
  }
  if (ctx.skip.has(`walk:${g}`)) return;
  for (const target of found) {
    foundLeft--;
    await one(target, asFound(target));
  }
  for (let next = chains.shift(); next; next = chains.shift()) await one(next.target, next.discovered);
}

function unreachable(target: SpecTarget): TargetResult {
  return emptyResult(target.id, `not reachable: none of ${target.access.map((a) => a.code).join(', ')} is a function`);
}

/**
 * The module's classes by their access code (`mod.Lru`): a value of one that a call returns or throws is asserted an
 * instance of it. The first access of each class wins.
 */
function moduleClasses(targets: SpecTarget[]): Map<unknown, string> {
  const classes = new Map<unknown, string>();
  for (const t of targets) {
    if (t.kind !== 'class' || t.construct === 'call' || t.owner) continue;
    for (const a of t.access) {
      try {
        const value = a.get();
        if (typeof value === 'function' && !classes.has(value)) classes.set(value, a.code);
      } catch {
        // an access that throws names nothing
      }
    }
  }
  return classes;
}

/** One target's search: reach it in the module, propose candidates (seeds then mutation, or call sequences). */
async function searchTarget(spec: Spec, target: SpecTarget, run: { coverage: Coverage; skip: Set<string>; log: (e: object) => void; classes: Map<unknown, string> }, join: Joiner): Promise<TargetSearch | null> {
  const reached = reach(target);
  if (!reached) return null;
  const s = new TargetSearch({ spec, target, ...run, ...reached });
  s.runner.join = join;
  if (target.database) await searchDatabase(s);
  else if (target.kind === 'class') await searchSequences(s);
  else await searchFunction(s);
  return s;
}
