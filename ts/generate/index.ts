/**
 * Test generation: Rust facts -> test plan (plan.ts) -> vitest source (render.ts) -> safe write (write.ts), with an
 * optional record mode that runs the code and captures today's behaviour (record.ts). No LLM, deterministic.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { analyzeFiles } from '../engine/api';
import { DECLARATION_FILE, TEST_FILE } from '../engine/defaults';
import type { FileReport } from '../engine/types';
import { importPathFor, isTypeScript } from './import-path';
import { planFile, type FilePlan, type Scenario } from './plan';
import { nearestConfig, tsconfigOnlyImports } from './project-config';
import { recordFile, searchAndEmitBatch, verifyRecorded, type PendingRecord, type RecordJob, type RecordOptions, type RecordSummary } from './record';
import { barrelReport } from './barrel-report';
import { exportsValues } from './exports-values';
import { reexportsOwnCode } from './reexported-files';
import { renderFile } from './render';
import { sweepLeftovers } from './search-temp';
import { WALL_BACKSTOP_FACTOR } from './search-clock';
import { assertInsideRoot, assertReplaceable, GenerateError, writeGenerated } from './write';

export { planFile, type FilePlan, type FunctionPlan, type TestCase, type Expectation, type Scenario } from './plan';
export { renderFile, HEADER } from './render';
export { GenerateError, isGeneratedFile, type GenerateErrorCode } from './write';

export interface GenerateOptions {
  /** Project root: outputs must stay inside it; vitest runs there. Default: the nearest folder with a package.json. */
  root?: string;
  /** Default: all of edge_cases, domain_knowledge, happy_path. */
  scenarios?: Scenario[];
  /** Only this function (full dotted name or last segment). */
  function?: string;
  /** Write tests under this folder (mirroring the source layout) instead of beside the sources. */
  outDir?: string;
  /** Plan and render only: nothing is written; `text` holds the file. */
  dryRun?: boolean;
  /** Run the code (child process, time limits) and record today's behaviour as inline snapshots. */
  record?: boolean;
  /** Record mode tuning (per-test timeout, child-process time limit, vitest binary). */
  recordOptions?: Omit<RecordOptions, 'root'>;
  /** Files recorded at the same time in a batch. Default 2. */
  concurrency?: number;
  /** Cases per function. Default 16. */
  maxCases?: number;
  /**
   * Record mode: wall-time budget of the whole run's search, seconds (default 180). Each target gets at most its share
   * of the time left; what was found when it runs out is written, the rest says it was not searched.
   */
  timeBudget?: number;
}

/** Default of `timeBudget`, seconds. */
export const DEFAULT_TIME_BUDGET_S = 180;

export interface GenerateResult {
  /** Absolute path of the source file. */
  file: string;
  /** Absolute path of the test file (written, or that would be written with dryRun). */
  output: string | null;
  /** Files written. */
  written: string[];
  /** `it` blocks generated (including TODOs). */
  tests: number;
  /** TODO cases among them. */
  todo: number;
  /** Record mode: cases asserting recorded or verified behaviour, and cases dropped to TODO. */
  recorded?: number;
  dropped?: number;
  /** Record mode: kept tests whose expectation is a thrown error (or a rejection). */
  throws?: number;
  /** Exported functions found / planned. */
  functions: number;
  /** Without --record: the module has no function of its own but re-exports its package's (a barrel). */
  barrel?: boolean;
  errors: string[];
  /** What the user should know about this file that did not stop it (record mode: the module did not load, said once). */
  warnings?: string[];
  plan: FilePlan | null;
  /** The generated source text. */
  text?: string;
  ms: number;
}

const { version } = require('../../package.json') as { version: string };

export function findProjectRoot(file: string): string {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.dirname(path.resolve(file));
    dir = parent;
  }
}

export { importPathFor } from './import-path';

export function outputPathFor(source: string, root: string, outDir?: string): string {
  const ext = /\.tsx$/.test(source) ? 'tsx' : isTypeScript(source) ? 'ts' : 'js';
  const base = path.basename(source).replace(/\.[cm]?[jt]sx?$/, '');
  const dir = outDir ? path.join(path.resolve(root, outDir), path.relative(root, path.dirname(source))) : path.dirname(source);
  return path.join(dir, `${base}.generated.test.${ext}`);
}

function countCases(plan: FilePlan, record: boolean): { tests: number; todo: number } {
  let tests = 0;
  let todo = 0;
  for (const fn of plan.functions) {
    for (const c of fn.cases) {
      tests++;
      const r = c.recorded;
      const dropped = r && (r.kind === 'hang' || r.kind === 'crash' || r.kind === 'dropped');
      if (c.expect.kind === 'todo' || dropped || (c.expect.kind === 'unknown' && !(record && r))) todo++;
    }
  }
  return { tests, todo };
}

/** A record-mode file planned and waiting for the batch's search and verify runs. */
interface Pending {
  job: RecordJob;
  root: string;
  typescript: boolean;
  started: number;
  record?: PendingRecord;
}

/** Options of one file of a batch; record mode's `pending` collects the files for the batch's verify run. */
type OneOptions = GenerateOptions & { pending?: Map<GenerateResult, Pending> };

async function generateOne(file: string, report: FileReport | undefined, root: string, options: OneOptions): Promise<GenerateResult> {
  const started = performance.now();
  const pending = options.pending;
  const result: GenerateResult = { file, output: null, written: [], tests: 0, todo: 0, functions: 0, errors: [], plan: null, ms: 0 };
  try {
    if (!report) throw new GenerateError('NOT_FOUND', `${file}: not found or not a JavaScript/TypeScript file.`);
    if (report.errors.length && report.functions.length === 0) {
      throw new GenerateError('ANALYSIS_FAILED', `${file}: ${report.errors.map((e) => `${e.message} (line ${e.line})`).join('; ')}`);
    }
    const typescript = isTypeScript(file);
    let plan: FilePlan;
    [report, plan] = await planned(report, root, { ...options, typescript });
    result.plan = plan;
    result.functions = plan.functions.length;
    const output = outputPathFor(file, root, options.outDir);
    result.output = output;
    if (nothingToTest(plan, report, Boolean(options.record), { file, root })) {
      result.barrel = onlyReexports(plan, report, root);
      result.ms = performance.now() - started;
      return result;
    }
    const renderOptions = {
      importPath: importPathFor(output, file),
      typescript,
      record: false,
      sourceLabel: path.relative(root, file).split(path.sep).join('/'),
      version,
      outputFile: output,
      moduleFormat: report.moduleFormat,
    };
    assertInsideRoot(root, output);
    assertReplaceable(output);
    if (options.record) {
      if (options.dryRun) throw new GenerateError('RECORD_FAILED', '--record runs and rewrites the test file; it cannot be combined with --dry-run.');
      const write = (text: string) => writeGenerated(root, output, text);
      const recordOptions = { ...options.recordOptions, root };
      result.written.push(output);
      if (pending) {
        pending.set(result, { job: { plan, report, output, renderOptions, write }, root, typescript, started });
        return result;
      }
      applySummary(result, await recordFile(plan, report, output, renderOptions, recordOptions, write), started);
      return result;
    } else {
      result.text = renderFile(plan, renderOptions);
      if (!options.dryRun) {
        writeGenerated(root, output, result.text);
        result.written.push(output);
      }
    }
    Object.assign(result, countCases(plan, Boolean(options.record)));
  } catch (error) {
    result.errors.push(error instanceof Error ? error.message : String(error));
  }
  result.ms = performance.now() - started;
  return result;
}

/**
 * The file's plan. Without --record a barrel is planned through the functions it re-exports, with the report that
 * holds them (record mode walks the loaded module instead).
 */
async function planned(report: FileReport, root: string, options: GenerateOptions & { typescript: boolean }): Promise<[FileReport, FilePlan]> {
  const planOptions = { scenarios: options.scenarios, function: options.function, typescript: options.typescript, maxCases: options.maxCases, unexported: Boolean(options.record) };
  const plan = planFile(report, planOptions);
  const through = !options.record && onlyReexports(plan, report, root) ? await barrelReport(report, root) : null;
  return through ? [through, planFile(through, planOptions)] : [report, plan];
}

/**
 * Whether a file has nothing to generate. Record mode loads the module and walks what it exports (search-discover.ts):
 * the static recognition of exports is a hint there, so a file with code goes to the search even when the plan found
 * no exported function, unless it is an ES module without an `export` (an entry point run for its side effects:
 * nothing to import, and loading it would run it).
 */
function nothingToTest(plan: FilePlan, report: FileReport, record: boolean, where: { file: string; root: string }): boolean {
  if (plan.functions.length > 0) return false;
  if (!record) return true;
  // A barrel (only `export ... from` lines) has no function of its own, but the module exports the re-exported ones;
  // a module can also export a function a call made while it loaded (exports-values.ts).
  if (report.functions.length === 0 && !reexportsOwnCode(report, where.root) && !exportsValues(where.file, report)) return true;
  return report.moduleFormat === 'esm' && !hasExportStatement(where.file);
}

/** A module with no function of its own that re-exports its package's functions (a barrel). */
function onlyReexports(plan: FilePlan, report: FileReport, root: string): boolean {
  return plan.functions.length === 0 && reexportsOwnCode(report, root);
}

function hasExportStatement(file: string): boolean {
  try {
    return /^\s*export\b/m.test(fs.readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

function applySummary(result: GenerateResult, summary: RecordSummary, started: number): void {
  // What the search found at run time counts when the static plan saw no exported function.
  if (result.functions === 0) result.functions = summary.searched;
  if (summary.tests === 0 && result.output && result.written.includes(result.output)) {
    // Nothing testable was found: no empty test file is left behind (the file is ours, written by this run).
    fs.rmSync(result.output, { force: true });
    result.written = result.written.filter((w) => w !== result.output);
  }
  result.text = summary.text;
  result.recorded = summary.recorded;
  result.dropped = summary.dropped;
  result.tests = summary.tests;
  result.todo = summary.todo;
  result.throws = summary.throws;
  const warnings = [...(summary.loadError ? [summary.loadError] : []), ...(summary.notes ?? []).map((note) => `search: ${note}`), ...(summary.typecheck ? [summary.typecheck] : [])];
  if (warnings.length) result.warnings = [...(result.warnings ?? []), ...warnings];
  result.ms = performance.now() - started;
}

/**
 * The searches of a record-mode batch: per project root (and language), the files split into `concurrency`
 * contiguous chunks, each chunk searched in one child process (Node and the coverage session start once per chunk).
 */
async function searchPending(pending: Map<GenerateResult, Pending>, options: GenerateOptions): Promise<void> {
  // Search files earlier versions left beside these sources (a killed run) go first.
  sweepLeftovers([...pending.keys()].map((r) => path.dirname(r.file)));
  const budgetS = options.timeBudget ?? DEFAULT_TIME_BUDGET_S;
  // The budget counts the search's CPU time; the deadline is its wall-clock backstop (search-clock.ts).
  const search = { ...options.recordOptions?.search, deadline: Date.now() + WALL_BACKSTOP_FACTOR * budgetS * 1000, budgetS, only: options.function };
  const groups = new Map<string, Array<[GenerateResult, Pending]>>();
  for (const entry of pending) {
    const key = `${entry[1].root}\0${entry[1].typescript}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  const chunks: Array<Array<[GenerateResult, Pending]>> = [];
  const parts = Math.max(1, options.concurrency ?? 2);
  for (const entries of groups.values()) {
    const size = Math.ceil(entries.length / parts);
    for (let i = 0; i < entries.length; i += size) chunks.push(entries.slice(i, i + size));
  }
  await mapLimit(chunks, parts, async (chunk) => {
    try {
      const records = await searchAndEmitBatch(
        chunk.map(([, p]) => p.job),
        { ...options.recordOptions, search, root: chunk[0][1].root },
      );
      chunk.forEach(([, p], i) => (p.record = records[i]));
    } catch (error) {
      for (const [result] of chunk) result.errors.push(error instanceof Error ? error.message : String(error));
    }
  });
}

/** What a user whose aliases live only in tsconfig `paths` must change for the generated tests to run in their vitest. */
function tsconfigPathsAdvice(specifiers: string[]): string {
  const list = specifiers.slice(0, 3).map((s) => `'${s}'`).join(', ');
  return `imports ${list} through tsconfig \`paths\` only: the search and the verify run resolved them with Vite's \`resolve.tsconfigPaths\`; set \`resolve: { tsconfigPaths: true }\` in the project's vitest config so its own \`vitest run\` loads the generated tests too`;
}

/** The verify runs of a record-mode batch: one vitest run per project root over all its written files. */
async function verifyPending(pending: Map<GenerateResult, Pending>, options: GenerateOptions): Promise<void> {
  const byRoot = new Map<string, Array<[GenerateResult, { record: PendingRecord; started: number }]>>();
  for (const [result, p] of pending) {
    if (p.record) byRoot.set(p.root, [...(byRoot.get(p.root) ?? []), [result, { record: p.record, started: p.started }]]);
  }
  for (const [root, entries] of byRoot) {
    try {
      const summaries = await verifyRecorded(
        entries.map(([, p]) => p.record),
        { ...options.recordOptions, root },
      );
      entries.forEach(([result, p], i) => {
        applySummary(result, summaries[i], p.started);
        const only = summaries[i].recorded > 0 ? tsconfigOnlyImports(result.file, nearestConfig(result.file)) : [];
        if (only.length) result.warnings = [...(result.warnings ?? []), tsconfigPathsAdvice(only)];
      });
    } catch (error) {
      for (const [result] of entries) result.errors.push(error instanceof Error ? error.message : String(error));
    }
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * Generates tests for many files: one parallel analysis in the native core, then planning/rendering per file (record
 * mode: `concurrency` files at a time). A failure in one file is kept in that file's `errors`; the batch goes on.
 */
export async function generateTestsBatch(files: string[], options: GenerateOptions = {}): Promise<GenerateResult[]> {
  const absolute = files.map((f) => path.resolve(options.root ?? process.cwd(), f));
  const roots = absolute.map((f) => (options.root ? path.resolve(options.root) : findProjectRoot(f)));
  const reports = new Map<string, FileReport>();
  const byRoot = new Map<string, string[]>();
  absolute.forEach((f, i) => byRoot.set(roots[i], [...(byRoot.get(roots[i]) ?? []), f]));
  for (const [root, list] of byRoot) {
    const existing = list.filter((f) => fs.existsSync(f));
    if (existing.length === 0) continue;
    const analysis = await analyzeFiles(existing, { root, cache: false, types: true });
    for (const report of analysis.files) reports.set(path.resolve(root, report.path), report);
  }
  const limit = options.record ? (options.concurrency ?? 2) : absolute.length;
  // Record mode: the searches run `concurrency` files at a time, then one verify run per root checks all the files.
  const pending = options.record ? new Map<GenerateResult, Pending>() : undefined;
  const results = await mapLimit(
    absolute.map((f, i) => i),
    limit,
    (i) => generateOne(absolute[i], reports.get(absolute[i]), roots[i], { ...options, pending }),
  );
  if (pending) {
    await searchPending(pending, options);
    await verifyPending(pending, options);
  }
  return results;
}

/** Generates (and writes, unless dryRun) the vitest file for one source file. Errors are in `result.errors`. */
export async function generateTests(file: string, options: GenerateOptions = {}): Promise<GenerateResult> {
  const [result] = await generateTestsBatch([file], options);
  return result;
}

/** Source files under the given files/folders that tests can be generated for (test and generated files excluded). */
export async function collectSources(paths: string[], root: string): Promise<string[]> {
  const analysis = await analyzeFiles(paths, { root, cache: false });
  return analysis.files.map((f) => path.resolve(root, f.path)).filter((f) => !TEST_FILE.test(f) && !DECLARATION_FILE.test(f) && !/\.tdd-fast-(probe|search)\./.test(f));
}

