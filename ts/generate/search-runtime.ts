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
import { ExitCalled, reach, resetShared, TargetSearch } from './search-candidates';
import { discover } from './search-discover';
import { searchFunction } from './search-seeds';
import { searchSequences } from './search-sequences';
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


/* ------------------------------------------------------------------ the search */

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

function emptyResult(id: string, error: string): TargetResult {
  return { id, access: null, error, tests: [], candidates: 0, covered: 0, exits: [], nondeterministic: 0, rejectedThrows: 0 };
}

/** Loads one module of the batch and searches its targets from `from` on (each file starts from the same pools). */
async function searchGroup(group: SpecGroup, g: number, from: number, ctx: GroupContext): Promise<void> {
  resetShared();
  ctx.log({ t: 'load', g });
  let targets: SpecTarget[];
  let mod: Record<string, unknown>;
  try {
    ({ mod, targets } = await ctx.guarded(() => group.load()));
  } catch (error) {
    const why = `the module could not be loaded: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
    for (const id of group.ids) ctx.log({ t: 'done', f: id, result: emptyResult(id, why) });
    return;
  }
  const one = async (target: SpecTarget, extra: Partial<TargetResult>) => {
    ctx.log({ t: 'target', f: target.id });
    let result: TargetResult;
    try {
      result = await ctx.guarded(() => searchTarget(ctx.spec, target, ctx.coverage, ctx.skip, ctx.log));
    } catch (error) {
      result = emptyResult(target.id, String((error as Error)?.message ?? error));
    }
    ctx.log({ t: 'done', f: target.id, result: { ...result, ...extra } });
  };
  for (let ti = Math.max(0, from); ti < targets.length; ti++) await one(targets[ti], {});
  for (const target of discover(mod, targets, g)) await one(target, { discovered: { name: target.name, access: target.access[0].code } });
}

/** One target: reach it in the module, propose candidates (seeds then mutation, or call sequences), pick the suite. */
async function searchTarget(spec: Spec, target: SpecTarget, coverage: Coverage, skip: Set<string>, log: (e: object) => void): Promise<TargetResult> {
  const reached = reach(target);
  if (!reached) return { ...emptyResult(target.id, `not reachable: none of ${target.access.map((a) => a.code).join(', ')} is a function`) };
  const s = new TargetSearch(spec, target, coverage, skip, log, reached.callee, reached.access);
  if (target.kind === 'class') await searchSequences(s);
  else await searchFunction(s);
  return buildSuite(s);
}
