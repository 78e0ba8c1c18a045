/**
 * Record mode: run the code under test and turn today's behaviour into assertions.
 *
 * 1. Search (search.ts + search-runtime.ts): a temporary file beside the output loads the module once, through the
 *    project's own vitest and Vite's module runner, and runs a coverage-guided search per function / class; the
 *    parent kills a call that hangs and resumes after it.
 * 2. Emit (emit.ts): the chosen calls with their recorded results as literal expectations.
 * 3. Verify: the project's vitest (its config) runs the file again; every test that fails (nondeterminism: time,
 *    randomness, object identity) is rewritten into a TODO with the reason.
 *
 * THIS RUNS THE CODE UNDER TEST, with the permissions of the current user. See docs/generate.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { FileReport } from '../engine/types';
import { withNestedConstants } from './nested-constants';
import { emitFile, type Emitted } from './emit';
import type { FilePlan } from './plan';
import { CASE_MARKER, type RenderOptions } from './render';
import { configGroups, runVitest, type ChildOptions } from './child';
import { buildTargets, runSearchBatch, type SearchOutcome, type SearchOptions } from './search';
import { addSeeders, databaseSetupFor, withDatabaseTarget } from './database-target';
import { caseBlocks } from './case-blocks';
import { describeProblem, type TypecheckedText } from './emitted-typecheck';
import { pruneUnusedInWorker, typecheckInWorker, warmTypecheckSoon } from './typecheck-client';
import { importPathFor, isTypeScript } from './import-path';
import type { ModuleSpecifiers } from './emit-modules';

export interface RecordOptions extends ChildOptions {
  /** The coverage-guided search's budgets and seed. */
  search?: SearchOptions;
}

export interface RecordSummary {
  /** Cases that ran and now assert recorded behaviour (or a verified static expectation). */
  recorded: number;
  /** Cases turned into TODOs: hangs, crashes, assertions that did not hold on the second run. */
  dropped: number;
  text: string;
  /** `it` blocks written (TODOs included), TODOs among them, kept tests that expect a throw, targets searched. */
  tests: number;
  todo: number;
  throws: number;
  searched: number;
  /** The module did not load in the search (the loader's error, reported once for the file). */
  loadError?: string;
  /** What the search's setup skipped (see SearchOutcome.notes). */
  notes?: string[];
  /** Why the emitted TypeScript was not (fully) type-checked (see Emitted.typecheck). */
  typecheck?: string;
}

interface JsonAssertion {
  ancestorTitles: string[];
  title: string;
  status: string;
  failureMessages?: string[];
}

/** Per test file: the failed tests (`describe > title` -> first line of the failure), or why the whole file failed. */
type FileFailures = { failed: Map<string, string>; fileError: string | null };

function failures(jsonFile: string): Map<string, FileFailures> | undefined {
  if (!fs.existsSync(jsonFile)) return undefined;
  try {
    const report = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { testResults: Array<{ name: string; status?: string; assertionResults: JsonAssertion[]; message?: string }> };
    const out = new Map<string, FileFailures>();
    for (const file of report.testResults) {
      const failed = new Map<string, string>();
      for (const a of file.assertionResults) {
        if (a.status === 'failed') failed.set(`${a.ancestorTitles.join(' > ')} > ${a.title}`, (a.failureMessages?.[0] ?? 'failed').split('\n')[0]);
      }
      // A file that did not load has no test results, only a message.
      const fileError = file.assertionResults.length === 0 && file.status === 'failed' ? (file.message ?? 'the file failed to load').split('\n')[0] : null;
      out.set(path.resolve(file.name), { failed, fileError });
    }
    return out;
  } catch {
    return undefined;
  }
}

/** A searched and written file waiting for its verify run. */
export interface PendingRecord {
  output: string;
  emitted: Emitted;
  searched: number;
  notes?: string[];
  write: (text: string) => void;
}

/**
 * Record mode, first half: coverage-guided search in a child process, then the suite with literal expectations,
 * written through `write` (the caller's safe writer). The verify run comes after (verifyRecorded), for many files at
 * once.
 */
export interface RecordJob {
  plan: FilePlan;
  report: FileReport;
  output: string;
  renderOptions: RenderOptions;
  write: (text: string) => void;
}

export async function searchAndEmit(job: RecordJob, options: RecordOptions): Promise<PendingRecord> {
  const [pending] = await searchAndEmitBatch([job], options);
  return pending;
}

/** searchAndEmit for many files of one root in one search process (see runSearchBatch). */
export async function searchAndEmitBatch(jobs: RecordJob[], options: RecordOptions): Promise<PendingRecord[]> {
  if (jobs.length === 0) return [];
  // A callback's constants are the search's values for the function that runs it (nested-constants.ts).
  const reports = jobs.map((job) => withNestedConstants(job.report));
  const targets = jobs.map((job, i) => withDatabaseTarget(buildTargets(job.plan, reports[i], job.renderOptions.typescript), `${path.basename(job.report.path)} with a database`));
  const setupOf = (i: number, file: string) => (targets[i].some((t) => t.database) ? databaseSetupFor(options.root, file) : undefined);
  const files = jobs.map((job) => path.resolve(options.root, job.report.path));
  const setups = await Promise.all(files.map((file, i) => setupOf(i, file)));
  setups.forEach((setup, i) => addSeeders(targets[i], setup, files[i]));
  // The type check's program is built in its worker thread while the search runs.
  warmTypecheckSoon(jobs.flatMap((job) => (job.renderOptions.typescript ? [{ file: job.output, importPath: job.renderOptions.importPath }] : [])));
  const searched = await runSearchBatch(
    jobs.map((job, i) => ({ targets: targets[i], file: files[i], typescript: job.renderOptions.typescript, report: reports[i], database: setups[i] })),
    options,
  );
  const emitted = jobs.map((job, i) => emitFile(job.plan, searched[i], job.renderOptions, specifiers(searched[i], files[i], job.output)));
  // The TypeScript files of the batch type-checked together (one program, in the check's worker thread), before
  // anything is written. A file of static TODOs is checked too: their bodies hold the planned calls, as code.
  const ts = jobs.flatMap((job, i) => (job.renderOptions.typescript && !emitted[i].loadError ? [i] : []));
  const checked = await typecheckInWorker(ts.map((i) => ({ text: emitted[i].text, file: jobs[i].output })));
  ts.forEach((i, k) => (emitted[i] = typechecked(emitted[i], checked[k])));
  return jobs.map((job, i) => {
    job.write(emitted[i].text);
    return { output: job.output, emitted: emitted[i], searched: searched[i].results.size, notes: searched[i].notes, write: job.write };
  });
}

/** Tests that expect a throw or a rejection (their block asserts through `thrown`/`rejected` or `toThrow`). */
const EXPECTS_THROW = /\bthrown\(|\brejected\(|\.toThrow|\.rejects\./;

/**
 * The emitted TypeScript after the type check (emitted-typecheck.ts): each case holding a tsc error is a TODO and
 * counts as one (a throw it expected no longer counts); errors outside every case become a note.
 */
function typechecked(emitted: Emitted, checked: TypecheckedText): Emitted {
  const typecheck = checked.unchecked
    ? `the emitted file was not type-checked: ${checked.unchecked}`
    : checked.problems.length
      ? `the emitted file does not type-check outside its tests (line ${checked.problems[0].line}: ${describeProblem(checked.problems[0])})`
      : undefined;
  if (typecheck) emitted = { ...emitted, typecheck };
  // repaired cases (emitted-repairs.ts) change the text without dropping anything
  if (checked.dropped.size === 0) return { ...emitted, text: checked.text };
  const lines = emitted.text.split('\n');
  const throwing = new Set(caseBlocks(lines).filter((b) => EXPECTS_THROW.test(lines.slice(b.start, b.end).join('\n'))).map((b) => b.id));
  const out: Emitted = { ...emitted, text: checked.text, cases: new Map(emitted.cases) };
  for (const id of checked.dropped.keys()) {
    const c = out.cases.get(id);
    if (!c || c.todo) continue;
    out.cases.set(id, { ...c, todo: true });
    out.tests--;
    out.todo++;
    if (throwing.has(id)) out.throws--;
  }
  return out;
}

/** How the test file at `output` imports each module the search built values from (null: the module under test). */
function specifiers(outcome: SearchOutcome, file: string, output: string): ModuleSpecifiers {
  return new Map((outcome.modules ?? []).map(({ token, file: from }) => [token, from === file ? null : importPathFor(output, from)]));
}

/**
 * Record mode, second half: one vitest run over the written files (vitest starts once for the batch); every test
 * that fails there becomes a TODO with the reason, and its file is rewritten. Files must share the root.
 */
export async function verifyRecorded(pending: PendingRecord[], options: RecordOptions): Promise<RecordSummary[]> {
  if (pending.length === 0) return [];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-record-'));
  const states: VerifyState[] = pending.map((p) => ({ p, text: p.emitted.text, dropped: new Set<string>(), fileError: null }));
  try {
    // A test that fails becomes a TODO; that can break a later test of the same file that relied on the state the
    // dropped one left (a global setter before a formatter): the changed files run again, up to 3 times.
    let left = states;
    for (let round = 0; round < 3 && left.length; round++) {
      const next: typeof states = [];
      for (const [g, group] of configGroups(left, (st) => st.p.output).entries()) {
        const jsonFile = path.join(work, `verify-${round}-${g}.json`);
        const verify = await runVitest(
          options.root,
          group.map((st) => st.p.output),
          { ...options, jsonFile, runTimeoutMs: Math.max(options.runTimeoutMs ?? 60_000, 30_000 * group.length) },
        );
        const report = failures(jsonFile);
        const runError = report === undefined ? `the verification run produced no report (${verify.timedOut ? 'timed out' : `exit ${verify.code}`}: ${lastLine(verify.stderr)})` : null;
        next.push(...group.filter((st) => dropFailed(st, report?.get(path.resolve(st.p.output)), runError)));
      }
      left = next;
    }
    await pruneAfterVerify(states);
    return states.map(({ p, text, dropped, fileError }) => {
      const { emitted } = p;
      const loadError = emitted.loadError ?? (fileError ? `the generated file did not load in the project's vitest: ${fileError}` : undefined);
      return { recorded: emitted.tests - dropped.size, dropped: dropped.size + emitted.todo, text, tests: emitted.tests + emitted.todo, todo: emitted.todo + dropped.size, throws: emitted.throws, searched: p.searched, loadError, notes: p.notes, typecheck: emitted.typecheck };
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * TypeScript files that lost cases in the verify run: an import or helper only those cases used is an error under
 * `noUnusedLocals`, so it goes (emitted-typecheck.ts pruneUnusedAll; other options leave the files as they are).
 */
async function pruneAfterVerify(states: VerifyState[]): Promise<void> {
  const changed = states.filter((st) => st.dropped.size > 0 && isTypeScript(st.p.output));
  const texts = await pruneUnusedInWorker(changed.map((st) => ({ text: st.text, file: st.p.output })));
  changed.forEach((st, i) => {
    if (texts[i] === st.text) return;
    st.text = texts[i];
    st.p.write(texts[i]);
  });
}

/** A written file through its verify runs: its text, the cases dropped to TODO, why the whole file failed (if it did). */
interface VerifyState {
  p: PendingRecord;
  text: string;
  dropped: Set<string>;
  fileError: string | null;
}

/** Why a verified case became a TODO. A file that did not load says why once, on its first TODO (and in the summary). */
function todoReason(st: VerifyState, fileFailure: string | null, failure: string, searchRan: boolean): string {
  const text = failure.replace(/\n/g, ' ').slice(0, 300);
  if (fileFailure === null) return `the recorded result did not hold on a second run (nondeterministic, or it relied on a test dropped before it): ${text}`;
  if (st.fileError !== null) return 'the test file did not load in vitest (why: the first TODO of this file)';
  st.fileError = fileFailure;
  return `the test file did not load in vitest${searchRan ? ' (the search could run the module)' : ''}: ${text}`;
}

/** Turns the failed tests of one verify run into TODOs (rewriting the file); true when something changed. */
function dropFailed(st: VerifyState, result: FileFailures | undefined, runError: string | null): boolean {
  const replacements = new Map<string, string[]>();
  // The whole file failed under vitest (it did not load: the module under test may not load in vitest at all).
  const fileFailure = runError ?? result?.fileError ?? (result === undefined ? 'vitest did not run the file' : null);
  // Whether any kept test came from the search, i.e. the search could load the module.
  const searchRan = [...st.p.emitted.cases.values()].some((c) => c.target !== null);
  for (const [id, c] of st.p.emitted.cases) {
    if (c.todo || st.dropped.has(id)) continue;
    const failure = fileFailure ?? result?.failed.get(`${c.describe} > ${c.title}`);
    if (failure === undefined) continue;
    st.dropped.add(id);
    replacements.set(id, [`  ${CASE_MARKER}${id}`, `  it.todo(${JSON.stringify(c.title)});`, `  // TODO(tdd-fast): ${todoReason(st, fileFailure, failure, searchRan)}`]);
  }
  if (replacements.size === 0) return false;
  st.text = replaceBlocks(st.text, replacements);
  st.p.write(st.text);
  return fileFailure === null;
}

/** The last line of a child's output that reads like an error. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.reverse().find((l) => /error/i.test(l)) ?? lines[0] ?? 'no output').slice(0, 200);
}

/** Records one file: search, emit, verify (see searchAndEmit and verifyRecorded). */
export async function recordFile(
  plan: FilePlan,
  report: FileReport,
  output: string,
  renderOptions: RenderOptions,
  options: RecordOptions,
  write: (text: string) => void,
): Promise<RecordSummary> {
  const pending = await searchAndEmit({ plan, report, output, renderOptions, write }, options);
  const [summary] = await verifyRecorded([pending], options);
  return summary;
}

/** Replaces the case blocks (marker line up to the next marker or the describe's end) of the given ids. */
function replaceBlocks(text: string, replacements: Map<string, string[]>): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed.startsWith(CASE_MARKER)) {
      const replacement = replacements.get(trimmed.slice(CASE_MARKER.length).trim());
      if (replacement) {
        let j = i + 1;
        while (j < lines.length && !lines[j].trim().startsWith(CASE_MARKER) && lines[j] !== '});') j++;
        out.push(...replacement);
        i = j - 1;
        continue;
      }
    }
    out.push(lines[i]);
  }
  return out.join('\n');
}
