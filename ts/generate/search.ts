/**
 * Record mode's coverage-guided search, parent side: builds the search file (a temporary module that imports the
 * modules under test one after the other and hands the targets to search-runtime.ts), runs it in the search child
 * (search-host.ts: Vite's module runner, modules served by the project's vitest from project-vitest.ts) with a
 * watchdog, and resumes after a call that hung or killed the process (the culprit is the last candidate the child
 * logged before it stopped). Returns what the search found per target; emit.ts turns that into the test file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ClassReport, FileReport, FunctionReport } from '../engine/types';
import { classPrefix, type FilePlan, type FunctionPlan } from './plan';
import { runNode, type ChildOptions } from './child';
import { nearestConfig } from './project-config';
import { openProjectVitest, type ProjectVitest } from './project-vitest';
import { ambientGlobals, type AmbientGlobal } from './ambient-globals';
import { cycleEntry, ImportGraph } from './cycle-entry';
import { budgetReason, roundLimitMs } from './search-clock';
import { RUNTIME_GLOBAL } from './search-host-global';
import { closeSearchDir, openSearchDir, SEARCH_FILE_HEADER } from './search-temp';
import type { TargetResult } from './search-runtime';
import { callableSource, factsSource, searchParams } from './search-facts';
import { findMakers, makersSource, moduleFactsSource, moduleTokens, type Makers } from './search-makers';
import { searchParam, type SearchParam } from './shapes';
import { quote } from './value-code';
import { exportsValues } from './exports-values';
import { reexportsOwnCode } from './reexported-files';
import { databaseSetupSource, databaseTargetSource, type DatabaseMethod, type DatabaseSetup } from './database-target';

export interface SearchOptions {
  /** Candidate calls per function (the count budget). Default 300. */
  budgetCount?: number;
  /**
   * Time cap per function, ms: a safety net only, far above a normal search's time (tens of ms), so the count budget
   * is what bounds the search and the same source and seed give the same file on a loaded machine too. Default 10000.
   */
  budgetMs?: number;
  /** PRNG seed. Default 1. */
  seed?: number;
  /** A call that logs nothing for this long is taken as hung and the child is killed, ms. Default 3000. */
  stallMs?: number;
  /** Tests kept per function at most. Default 12. */
  maxTests?: number;
  /**
   * The run's wall-clock backstop, epoch ms (with `budgetS`, the `--time-budget`): the search ends when its processes
   * have used `budgetS` of CPU time, or at this time, whichever comes first; each target gets at most its share of the
   * time left (search-clock.ts), and what was found by then is written. Default: none.
   */
  deadline?: number;
  /** The run's time budget in seconds of the search's CPU time (used only with `deadline`). */
  budgetS?: number;
  /** `--function NAME`: what the walk of the loaded module finds is searched only when it is that function. */
  only?: string;
}

/** Where the search child runs, and the search's budgets. */
export type SearchRunOptions = ChildOptions & { search?: SearchOptions };

/** One thing the search exercises: a function (or static method), or a class through its instance methods. */
export interface Target {
  id: string;
  kind: 'function' | 'class';
  name: string;
  /** Plan functions this target stands for (one; a class: its instance methods). */
  functions: FunctionPlan[];
  accessCodes: string[];
  async: boolean;
  params: SearchParam[];
  report: FunctionReport | null;
  /** `field`: the method is an instance field holding a function (`measure = () => {...}`), not on the prototype. */
  methods: Array<{ name: string; fn: FunctionPlan; report: FunctionReport | undefined; params: SearchParam[]; field?: boolean }>;
  /** A database target (database-target.ts): its methods are the module's functions that take a database handle. */
  database?: DatabaseMethod[];
  /** A class whose constructor is private: its instances come from this call (a static factory), not `new`. */
  construct?: 'call';
}

/**
 * The static factory of a class whose constructor is `private` or `protected` (only the class itself can `new` it):
 * a static method declared to return the class (`Money.of`). Null when the constructor is public or none exists.
 */
function privateFactory(cls: ClassReport, owner: string, byName: Map<string, FunctionReport>): { member: string; fn: FunctionReport } | null {
  if (!cls.methods.some((m) => m.kind === 'constructor')) return null;
  for (const m of cls.methods) {
    const fn = byName.get(`${owner}.${m.name}`);
    if (m.static && !m.private && m.kind === 'method' && fn && !fn.async && fn.returns?.kind === 'class' && fn.returns.name === cls.name) return { member: m.name, fn };
  }
  return null;
}

export interface SearchOutcome {
  targets: Target[];
  results: Map<string, TargetResult>;
  /** Targets the search could not finish (module failed to load, a call kept killing the process). */
  failed: Map<string, string>;
  /** Calls that did not return (hung or killed the process), per target. */
  hangs: Map<string, string[]>;
  /** The module itself did not load (the loader's error: the file and the specifier that failed): nothing ran. */
  loadError?: string;
  /** What the search child's setup skipped (a setup file that failed outside vitest's runner, an environment). */
  notes?: string[];
  /** Build-time flags defined before the module loaded: the test file defines them too. */
  globals?: AmbientGlobal[];
  /** The package entry imported before the module (an import cycle): the test file imports it first too. */
  entry?: string | null;
  /** The modules recorded values may build the package's types from (their code's placeholders; search-makers.ts). */
  modules?: Array<{ token: string; file: string }>;
}

const HOST = path.join(__dirname, 'search-host.js');
/** Defaults of the search budgets (see SearchOptions). */
export const DEFAULT_BUDGET_COUNT = 300;
export const DEFAULT_BUDGET_MS = 10_000;
/** How long past the run's deadline a search child may take to write its last result before it is killed. */
const DEADLINE_GRACE_MS = 5_000;

/** Ways to reach an export path from `mod` (the ESM namespace; CommonJS exports sit under `default`). */
export function accessCodes(exportPath: string[], defaultExport: boolean): string[] {
  const member = (p: string) => (/^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${quote(p)}]`);
  const chain = (parts: string[]) => parts.map(member).join('');
  const out: string[] = [];
  if (exportPath.length === 0 || (exportPath.length === 1 && exportPath[0] === 'default')) out.push('mod.default', 'mod.default.default');
  else {
    out.push(`mod${chain(exportPath)}`, `mod.default${chain(exportPath)}`);
    if (exportPath[0] === 'default') out.push(`mod.default.default${chain(exportPath.slice(1))}`);
    if (defaultExport) out.push('mod.default', `mod.default${chain(exportPath.slice(1))}`);
  }
  return [...new Set(out)];
}

function exportPathOf(fn: FunctionReport, planned: FunctionPlan): string[] {
  const fromCore = fn.exportPath;
  if (Array.isArray(fromCore)) return fromCore;
  return planned.access.exportPath;
}

/** The class target of a planned instance method's class: built with `new`, or through its factory (private constructor). */
function classTargetOf(planned: FunctionPlan, index: number, report: FileReport, byName: Map<string, FunctionReport>): Target {
  const classPath = planned.access.exportPath;
  const paramsOf = (fn: FunctionReport) => searchParams(fn);
  // The class by its name prefix, or (`P.abs` where `Big.prototype = P`) by the core's export path of the class.
  const byPath = (report.classes ?? []).find((c) => JSON.stringify((c as { exportPath?: unknown }).exportPath) === JSON.stringify(classPath));
  const prefix = classPrefix(planned.name);
  const owner = byName.has(prefix) || !byPath ? prefix : byPath.name;
  const className = owner.split('.').pop() || classPath[classPath.length - 1] || planned.name.split('.')[0];
  const ctor = byName.get(`${owner}.constructor`) ?? byName.get(owner);
  const classReport = (report.classes ?? []).find((c) => c.name === className);
  const factory = classReport ? privateFactory(classReport, owner, byName) : null;
  const made = factory?.fn ?? ctor;
  return {
    id: `c${index}`,
    kind: 'class',
    name: className,
    functions: [],
    accessCodes: accessCodes(classPath, planned.access.defaultExport).map((c) => (factory ? `${c}.${factory.member}` : c)),
    async: false,
    params: made ? paramsOf(made) : (classReport?.constructorParams ?? []).map((p) => searchParam(p, undefined)),
    report: made ?? null,
    methods: [],
    ...(factory ? { construct: 'call' as const } : {}),
  };
}

export function buildTargets(plan: FilePlan, report: FileReport, typescript: boolean): Target[] {
  const byName = new Map(report.functions.map((f) => [f.name, f]));
  const targets: Target[] = [];
  const classes = new Map<string, Target>();
  const paramsOf = (fn: FunctionReport | undefined) => (fn ? searchParams(fn) : []);
  plan.functions.forEach((planned, index) => {
    const fn = byName.get(planned.name);
    if (!fn) return;
    const method = planned.access.method;
    if (method && !method.static) {
      const key = planned.access.exportPath.join('.');
      let target = classes.get(key);
      if (!target) {
        target = classTargetOf(planned, index, report, byName);
        classes.set(key, target);
        targets.push(target);
      }
      target.functions.push(planned);
      target.methods.push({ name: method.name, fn: planned, report: fn, params: paramsOf(fn), field: instanceField(report, target.name, method.name) });
      return;
    }
    const base = exportPathOf(fn, planned);
    let codes = accessCodes(base, planned.access.defaultExport).map((c) => (method ? `${c}.${method.name}` : c));
    if (planned.access.probe) {
      // UMD / IIFE: `module.exports = factory()` gives `pluralize` with `pluralize.plural = ...` on it.
      const [head, member] = planned.name.split('.');
      codes = member ? [`mod.default.${member}`, `mod.${head}.${member}`, `mod.default.${head}.${member}`] : [`mod.${head}`, `mod.default.${head}`];
    }
    targets.push({
      id: `f${index}`,
      kind: 'function',
      name: planned.name,
      functions: [planned],
      accessCodes: codes,
      async: planned.async,
      params: paramsOf(fn),
      report: fn,
      methods: [],
    });
  });
  void typescript;
  return targets;
}

/** Whether a class's member is an instance field (`produce = (base) => ...`): each instance holds it, no prototype does. */
function instanceField(report: FileReport, className: string, member: string): boolean {
  const cls = (report.classes ?? []).find((c) => c.name === className);
  return Boolean(cls?.fields?.some((f) => f.name === member && !f.static));
}

/** A class built by its static factory: the call, and the class itself (the walk must not take it as a new target). */
function factorySource(t: Target): string {
  if (!t.construct) return '';
  const factory = t.accessCodes[0];
  return `, construct: ${JSON.stringify(t.construct)}, owner: () => ${factory.slice(0, factory.lastIndexOf('.'))}`;
}

/** Where a function target starts, so the search can reach it by location when no access code does. */
function lineSource(t: Target): string {
  return t.kind === 'function' && t.report ? `, line: ${t.report.line}` : '';
}

/** A class target's constructor (or factory) and methods, as source text. */
function classSource(t: Target, typescript: boolean): string {
  // The planner's constructor arguments are the constructor's, not a factory's.
  const ctorArgs = t.construct ? [] : (t.functions[0]?.access.constructorArgs ?? []);
  const methods = t.methods.map((m) => `{ name: ${JSON.stringify(m.name)}, async: ${m.fn.async}${m.field ? ', field: true' : ''}, ${callableSource(m.report, m.params, typescript, { planned: m.fn })} }`);
  return `${callableSource(t.report, t.params, typescript, { ctorArgs })}, methods: [${methods.join(', ')}]`;
}

/** The target list of one module, as source text; access codes read `mod`, ids get `prefix` (unique in a batch). */
function targetsSource(targets: Target[], prefix: string, typescript: boolean): string[] {
  const lines: string[] = [];
  for (const t of targets) {
    if (t.database) {
      lines.push(`      ${databaseTargetSource(t, prefix + t.id, typescript)},`);
      continue;
    }
    const access = t.accessCodes.map((c) => `{ code: ${JSON.stringify(c)}, get: () => ${c} }`);
    // `module.exports = Stack` (a class or function exported as the module itself): reached as `mod.default`.
    const last = t.accessCodes[0]?.match(/^mod\.([A-Za-z_$][\w$]*)$/);
    if (last) access.push(`{ code: 'mod.default', get: () => mod.default, name: ${JSON.stringify(last[1])} }`);
    const probe = t.functions[0]?.access.probe ? t.functions[0].name.split('.') : null;
    if (probe && probe.length === 2) {
      // `pluralize.plural` lives on the function exported as the module itself: only when that one is `pluralize`.
      access.splice(0, 1, `{ code: ${JSON.stringify(t.accessCodes[0])}, get: () => (typeof mod.default === 'function' && mod.default.name === ${JSON.stringify(probe[0])} ? mod.default.${probe[1]} : undefined) }`);
    }
    const planned = t.kind === 'function' ? t.functions[0] : null;
    const head = `id: ${JSON.stringify(prefix + t.id)}, kind: ${JSON.stringify(t.kind)}, name: ${JSON.stringify(t.name)}, async: ${t.async}, typed: ${typescript}, access: [${access.join(', ')}]${lineSource(t)}${factorySource(t)}`;
    if (t.kind === 'function') {
      lines.push(`      { ${head}, ${callableSource(t.report, t.params, typescript, { planned })} },`);
    } else {
      lines.push(`      { ${head}, ${classSource(t, typescript)} },`);
    }
  }
  return lines;
}

/** One file of a batch search: its targets and the module they live in. */
export interface SearchJob {
  targets: Target[];
  /** Absolute path of the module under test. */
  file: string;
  typescript: boolean;
  /** The core's report of the file: its functions' facts, joined at run time to what the module exports. */
  report?: FileReport;
  /** Where a database target's schema may come from (database-target.ts), when the file has one. */
  database?: DatabaseSetup;
  /** Build-time flags the project declares and nothing defines (ambient-globals.ts), set before the import. */
  globals?: AmbientGlobal[];
  /** The package entry imported first: the file is in an import cycle only the entry loads in order (cycle-entry.ts). */
  entry?: string | null;
}

/**
 * The search file of a batch: each module is imported when its turn comes (a module that fails to load, or that
 * hangs or exits while loading, costs only its own targets), then its targets are searched.
 */
export function searchSource(jobs: SearchJob[], root: string, options: SearchOptions & { settleMs: number }, makers: Makers = { modules: [], makers: [], reports: new Map() }): string {
  const lines = [
    SEARCH_FILE_HEADER,
    // The search runtime comes from the host (search-host.ts), not an import: in a DOM environment Vite would resolve
    // a Node builtin the way a browser must, and this file goes through the project's transform like its tests.
    `const runtime = globalThis[${JSON.stringify(RUNTIME_GLOBAL)}];`,
    'const { runSearch } = runtime;',
    'const env = process.env;',
    'const groups = [',
  ];
  jobs.forEach((job, j) => {
    const ids = job.targets.map((t) => `${j}.${t.id}`);
    lines.push(
      `  { file: ${JSON.stringify(job.file)}, ids: ${JSON.stringify(ids)}, typed: ${job.typescript}, load: async () => {`,
      ...(job.globals?.length ? [`    for (const [k, v] of Object.entries({ ${job.globals.map((g) => `${g.name}: ${g.code}`).join(', ')} })) if (!(k in globalThis)) globalThis[k] = v;`] : []),
      // An entry that throws leaves the module to load on its own (and say why it cannot).
      ...(job.entry ? [`    try { await import(${JSON.stringify(job.entry)}); } catch {}`] : []),
      `    const mod = await import(${JSON.stringify(job.file)});`,
      ...(job.database && job.targets.some((t) => t.database) ? [`    ${databaseSetupSource(job.database, root)}`] : []),
      '    return { mod, targets: [',
      ...targetsSource(job.targets, `${j}.`, job.typescript),
      `    ], facts: ${job.report ? factsSource(job.report, job.typescript) : '[]'} };`,
      '  } },',
    );
  });
  lines.push(
    '];',
    'await runSearch({',
    '    log: env.TDD_FAST_SEARCH_LOG,',
    `    root: ${JSON.stringify(root)},`,
    `    seed: ${options.seed ?? 1},`,
    `    budgetMs: ${options.budgetMs ?? DEFAULT_BUDGET_MS},`,
    `    budgetCount: ${options.budgetCount ?? DEFAULT_BUDGET_COUNT},`,
    `    settleMs: ${options.settleMs},`,
    `    maxTests: ${options.maxTests ?? 12},`,
    `    deadline: ${options.deadline ?? null},`,
    `    budgetS: ${options.budgetS ?? 0},`,
    `    only: ${JSON.stringify(options.only ?? null)},`,
    "    skip: JSON.parse(env.TDD_FAST_SEARCH_SKIP || '[]'),",
    "    startAt: Number(env.TDD_FAST_SEARCH_START || '0'),",
    "    spentMs: Number(env.TDD_FAST_SEARCH_SPENT || '0'),",
    '    groups,',
    `    makers: ${makersSource(makers, jobs.some((j) => j.typescript))},`,
    `    moduleFacts: ${moduleFactsSource(makers, jobs.some((j) => j.typescript))},`,
    '});',
    '',
  );
  return lines.join('\n');
}

type LogEntry =
  | { t: 'ready' | 'end' }
  | { t: 'note'; text: string }
  | { t: 'load'; g: number }
  | { t: 'target'; f: string }
  | { t: 'c' | 'r'; f: string; n: number }
  | { t: 'done'; f: string; result: TargetResult };

function readLog(file: string): LogEntry[] {
  if (!fs.existsSync(file)) return [];
  const out: LogEntry[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as LogEntry);
    } catch {
      // a line cut by the kill
    }
  }
  return out;
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(⎯|─|Test Files|Tests|Start at|Duration|RUN)/.test(l));
  return (lines.find((l) => /Error|error/.test(l)) ?? lines.at(-1) ?? 'no output').slice(0, 200);
}

type Flat = { job: number; target: Target; id: string };

/** Where a round of the child stopped, read from its log. */
interface RoundState {
  ended: boolean;
  /** The group (module) being loaded when it stopped. */
  loading: number | null;
  /** The target being searched, and the last call it logged. */
  current: string | null;
  lastCall: { f: string; n: number } | null;
  /** The chosen test being recorded (the suite's last phase), when that is where it stopped. */
  recording: { f: string; n: number } | null;
}

function replayLog(entries: LogEntry[], done: (id: string, result: TargetResult) => void, notes: string[]): RoundState {
  const state: RoundState = { ended: false, loading: null, current: null, lastCall: null, recording: null };
  for (const e of entries) {
    if (e.t === 'note') notes.push(...(notes.includes(e.text) ? [] : [e.text]));
    else if (e.t === 'load') Object.assign(state, { loading: e.g, current: null });
    else if (e.t === 'target') Object.assign(state, { current: e.f, loading: null, lastCall: null });
    else if (e.t === 'c') Object.assign(state, { lastCall: { f: e.f, n: e.n }, recording: null });
    else if (e.t === 'r') state.recording = { f: e.f, n: e.n };
    else if (e.t === 'done') {
      done(e.f, e.result);
      Object.assign(state, { current: null, lastCall: null, recording: null });
    } else if (e.t === 'end') state.ended = true;
  }
  return state;
}

/**
 * The next round's first target after a round that stopped: past the module that hung or exited while loading (its
 * targets fail), at the target whose last call hung (that call is skipped next time), or past a target that stopped
 * before any call. Null: nothing to resume.
 */
function resume(state: RoundState, flat: Flat[], why: string, on: { fail: (f: Flat, why: string) => void; skip: string[]; hang: (f: Flat) => void; finished: Set<string> }): number | null {
  // Past a module: its walk for unplanned targets is skipped (`walk:<job>`), the search goes on at the next job's.
  const after = (job: number) => {
    on.skip.push(`walk:${job}`);
    const next = flat.findIndex((f) => f.job > job);
    return next < 0 ? flat.length : next;
  };
  if (state.loading !== null) {
    const inGroup = flat.filter((f) => f.job === state.loading);
    for (const f of inGroup) on.fail(f, `loading the module ${why}`);
    return after(state.loading);
  }
  if (state.current === null) return null;
  const index = flat.findIndex((f) => f.id === state.current);
  if (index < 0) {
    // What a planned target's call returned (`<id>.r<k>`) stopped it: the search goes on after that target.
    const owner = flat.findIndex((f) => state.current!.startsWith(`${f.id}.r`));
    if (owner >= 0) return owner + 1;
    const job = Number(state.current.split('.')[0]);
    // A target found at run time stopped the process at a call: the module runs again without that call, its
    // targets that finished are not searched again (a barrel's every target is found at run time: one call that
    // hangs must not cost the rest). Stopped before any call: the rest of that module's discoveries are skipped.
    if (!state.lastCall) return after(job);
    on.skip.push(`${state.lastCall.f}:${state.lastCall.n}`);
    return restartModule(job, flat, on);
  }
  if (state.recording) {
    // Recording a chosen test did not return: the target runs again without observing its instance, then (when it
    // still does not return) without that test.
    const { f, n } = state.recording;
    on.skip.push(on.skip.includes(`noviews:${f}`) ? `rec:${f}:${n}` : `noviews:${f}`);
    return index;
  }
  if (state.lastCall) {
    on.skip.push(`${state.lastCall.f}:${state.lastCall.n}`);
    on.hang(flat[index]);
    return index;
  }
  on.fail(flat[index], `the search ${why}`);
  return index + 1;
}

/**
 * The round start that runs module `job` again from its first target: the targets that finished (any module's) are
 * skipped by id, and the walks of the modules before it are not run again.
 */
function restartModule(job: number, flat: Flat[], on: { skip: string[]; finished: Set<string> }): number {
  for (const id of on.finished) if (!on.skip.includes(`done:${id}`)) on.skip.push(`done:${id}`);
  for (let j = 0; j < job; j++) if (!on.skip.includes(`walk:${j}`)) on.skip.push(`walk:${j}`);
  const first = flat.findIndex((f) => f.job >= job);
  return first < 0 ? flat.length : first;
}

/**
 * Runs the search for a batch of files in one child process (Node, the module runner and the coverage session start
 * once), in rounds: after a call that hung or killed the process, the next round replays the search up to that call,
 * skips it and goes on. The temporary search file is written in a folder of this process under the OS temp dir
 * (search-temp.ts), never beside the sources.
 */
export async function runSearchBatch(jobs: SearchJob[], options: SearchRunOptions): Promise<SearchOutcome[]> {
  const outcomes: SearchOutcome[] = jobs.map((j) => ({ targets: j.targets, results: new Map(), failed: new Map(), hangs: new Map() }));
  const flat: Flat[] = jobs.flatMap((job, j) => job.targets.map((target) => ({ job: j, target, id: `${j}.${target.id}` })));
  // A module without planned targets is still loaded and walked (search-discover.ts) when the core saw code in it or
  // it re-exports code of its package (a barrel).
  if (flat.length === 0 && !jobs.some((j) => j.report && (j.report.functions.length || reexportsOwnCode(j.report, options.root) || exportsValues(j.file, j.report)))) return outcomes;
  const fail = (f: Flat, why: string) => outcomes[f.job].failed.set(f.target.id, why);
  const typescript = jobs.some((j) => j.typescript);
  // The search file and its logs live in a temporary folder of this process, never in the user's tree.
  const logDir = openSearchDir();
  const searchFile = path.join(logDir, typescript ? 'search.mts' : 'search.mjs');
  const notes: string[] = [];
  let project: ProjectVitest | null = null;
  try {
    project = await openProject(jobs[0].file, options, (why) => flat.forEach((f) => fail(f, why)));
    if (project) {
      const defined = Object.keys(project.setup.globals);
      const graph = new ImportGraph();
      jobs.forEach((job, j) => {
        job.globals = ambientGlobals(job.file, options.root, defined);
        job.entry = cycleEntry(job.file, options.root, graph);
        Object.assign(outcomes[j], { globals: job.globals, entry: job.entry });
      });
      const settleMs = Math.min(options.testTimeoutMs ?? 2000, 500);
      const makers = await findMakers(new Map(jobs.flatMap((j) => (j.report ? [[j.file, j.report] as const] : []))), options.root);
      outcomes.forEach((outcome) => (outcome.modules = moduleTokens(makers)));
      fs.writeFileSync(searchFile, searchSource(jobs, options.root, { ...options.search, settleMs }, makers));
      await runRounds({ jobs, flat, outcomes, project, searchFile, logDir, notes, fail }, options);
    }
    outcomes.forEach((outcome) => Object.assign(outcome, { loadError: loadErrorOf(outcome), notes }));
  } finally {
    cleanUp(logDir);
    await project?.close();
  }
  return outcomes;
}

/** The rounds of one batch's search child, until the search ends or nothing is left to resume (see runSearchBatch). */
async function runRounds(
  batch: { jobs: SearchJob[]; flat: Flat[]; outcomes: SearchOutcome[]; project: ProjectVitest; searchFile: string; logDir: string; notes: string[]; fail: (f: Flat, why: string) => void },
  options: SearchRunOptions,
): Promise<void> {
  const { jobs, flat, outcomes, fail } = batch;
  const recordResult = recorder(flat, outcomes);
  // The targets whose search finished (child ids), across rounds: a module run again skips them.
  const finished = new Set<string>();
  const record = (id: string, result: TargetResult) => {
    finished.add(id);
    recordResult(id, result);
  };
  const skip: string[] = [];
  let startAt = 0;
  const deadline = options.search?.deadline;
  // The CPU time the rounds so far used (the budget's clock); a round whose child's CPU could not be read counts
  // its wall time.
  let spent = 0;
  const outOfTime = () => deadline !== undefined && (spent >= (options.search?.budgetS ?? 0) * 1000 || Date.now() >= deadline);
  for (let round = 0; startAt <= flat.length && round < 12 + 2 * jobs.length; round++) {
    if (outOfTime()) break;
    const logFile = path.join(batch.logDir, `round-${round}.jsonl`);
    const started = Date.now();
    const run = await runRound({ searchFile: batch.searchFile, project: batch.project, logFile, skip, spent, ...workLeft(flat, jobs.length, startAt, skip) }, options);
    spent += run.cpuMs ?? Date.now() - started;
    const entries = readLog(logFile);
    if (!entries.some((e) => e.t === 'ready')) {
      flat.slice(startAt).forEach((f) => fail(f, `the search could not start: ${lastLine(run.stderr || run.stdout)}`));
      break;
    }
    const state = replayLog(entries, record, batch.notes);
    if (state.ended || outOfTime()) break;
    const why = stopReason(run);
    const next = resume(state, flat, why, { fail, skip, finished, hang: (f) => outcomes[f.job].hangs.set(f.target.id, [...(outcomes[f.job].hangs.get(f.target.id) ?? []), why]) });
    if (next === null) break;
    startAt = next;
  }
  const unreached = flat.filter((x) => !outcomes[x.job].results.has(x.target.id) && !outcomes[x.job].failed.has(x.target.id));
  const budgetSpent = outOfTime();
  unreached.forEach((f) => fail(f, budgetSpent ? budgetReason(options.search?.budgetS ?? 0) : 'the search did not reach it (earlier calls kept stopping the process)'));
}

/**
 * What a round starting at `startAt` has left to search: planned targets (a class by its scale: its search's time cap
 * grows with its methods) and modules whose walk is still to come (the child skips the same ones, search-runtime.ts).
 */
function workLeft(flat: Flat[], jobs: number, startAt: number, skip: string[]): { startAt: number; units: number; walks: number } {
  const units = flat.slice(startAt).reduce((n, f) => n + Math.max(1, Math.ceil((f.target.methods?.length ?? 0) / 4)), 0);
  let walks = 0;
  for (let j = 0, offset = 0; j < jobs; j++) {
    const planned = flat.filter((f) => f.job === j).length;
    const ahead = planned === 0 ? offset >= startAt : offset + planned > startAt;
    if (ahead && !skip.includes(`walk:${j}`)) walks++;
    offset += planned;
  }
  return { startAt, units, walks };
}

/** Why a round's child stopped before the end, as a target's TODO says it. */
function stopReason(run: { timedOut: boolean; code: number | null; stderr: string }): string {
  if (run.timedOut) return 'did not return (the search process was stopped after it logged nothing for a while); it may loop forever on this input';
  return `stopped the search process (exit code ${run.code}): ${lastLine(run.stderr)}`;
}

/** Files a logged result under its target (or, for a function the child discovered, as a new target). */
function recorder(flat: Flat[], outcomes: SearchOutcome[]): (id: string, result: TargetResult) => void {
  const byId = new Map(flat.map((f) => [f.id, f]));
  return (id, result) => {
    const f = byId.get(id);
    if (f) {
      outcomes[f.job].results.set(f.target.id, { ...result, id: f.target.id });
      // A planned function that is a class at run time was searched as one.
      if (result.discovered) f.target.kind = result.discovered.kind;
    } else if (result.discovered) addDiscovered(outcomes[Number(id.split('.')[0])], id.slice(id.indexOf('.') + 1), result);
  };
}

/** The load error every target of a module reports, once (null when anything of the module ran). */
function loadErrorOf(outcome: SearchOutcome): string | undefined {
  const whys = outcome.targets.map((t) => outcome.failed.get(t.id) ?? outcome.results.get(t.id)?.error ?? '');
  const loading = /^(the module could not be loaded|loading the module|the project's vitest could not start)/;
  if (whys.length === 0 || !whys.every((why) => loading.test(why))) return undefined;
  return whys[0];
}

/** The project's vitest for the batch's files (they share their nearest config); null when it cannot start. */
async function openProject(file: string, options: SearchRunOptions, fail: (why: string) => void): Promise<ProjectVitest | null> {
  try {
    return await openProjectVitest(file, options.root, options.vitestBin);
  } catch (error) {
    const config = nearestConfig(file);
    const which = config ? ` with ${path.relative(options.root, config).split(path.sep).join('/')}` : '';
    fail(`the project's vitest could not start${which}: ${String((error as Error)?.message ?? error).split('\n')[0]}`);
    return null;
  }
}

/**
 * A function or class the loaded module exports that no planned target reaches (built by a factory, inside an IIFE,
 * assigned in a loop; see search-discover.ts), or the object a factory call returns: emitted like any other target.
 */
function addDiscovered(outcome: SearchOutcome | undefined, id: string, result: TargetResult): void {
  if (!outcome || !result.discovered || outcome.results.has(id)) return;
  outcome.targets.push({ id, kind: result.discovered.kind, name: result.discovered.name, functions: [], accessCodes: [result.discovered.access], async: false, params: [], report: null, methods: [] });
  outcome.results.set(id, result);
}

/**
 * One round of the search child (search-host.ts: Vite's module runner, modules fetched from `project` over IPC), with
 * the stall watchdog (a call that does not return) and an overall last resort.
 */
function runRound(
  round: { searchFile: string; project: ProjectVitest; logFile: string; skip: string[]; startAt: number; units: number; walks: number; spent: number },
  options: SearchRunOptions,
): ReturnType<typeof runNode> {
  // The child ends by itself when the run's budget is spent (CPU) or at its wall-clock backstop; this kill, a few
  // seconds past the backstop, is for a call that does not return.
  const limit = roundLimitMs({ targetMs: options.search?.budgetMs ?? DEFAULT_BUDGET_MS, units: round.units, walks: round.walks, deadline: options.search?.deadline, graceMs: DEADLINE_GRACE_MS });
  return runNode(['--no-warnings', HOST], {
    cwd: options.root,
    env: {
      TDD_FAST_HOST: JSON.stringify({ ...round.project.setup, searchFile: round.searchFile }),
      TDD_FAST_SEARCH_LOG: round.logFile,
      TDD_FAST_SEARCH_SKIP: JSON.stringify(round.skip),
      TDD_FAST_SEARCH_START: String(round.startAt),
      TDD_FAST_SEARCH_SPENT: String(Math.round(round.spent)),
    },
    timeoutMs: Math.min(options.runTimeoutMs ?? 600_000, limit),
    stall: { file: round.logFile, ms: options.search?.stallMs ?? 3000 },
    onMessage: (message, reply) => {
      const m = message as { tddFast?: string; id?: number; payload?: never };
      if (m?.tddFast === 'invoke') void round.project.invoke(m.payload!).then((answer) => reply({ tddFast: 'answer', id: m.id, answer }));
    },
  });
}

function cleanUp(logDir: string): void {
  const keep = Boolean(process.env.TDD_FAST_SEARCH_KEEP);
  if (keep) process.stderr.write(`tdd-fast: search file and logs kept in ${logDir}\n`);
  closeSearchDir(logDir, keep);
}
