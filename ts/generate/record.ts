/**
 * Record mode: run the code under test and turn today's behaviour into assertions.
 *
 * 1. Search (search.ts + search-runtime.ts): a temporary vitest file beside the output loads the module once and runs
 *    a coverage-guided search per function / class in the vitest worker; the parent kills a call that hangs and
 *    resumes after it.
 * 2. Emit (emit.ts): the chosen calls with their recorded results as literal expectations.
 * 3. Verify: vitest runs the file again; every test that fails (nondeterminism: time, randomness, object identity) is
 *    rewritten into a TODO with the reason.
 *
 * THIS RUNS THE CODE UNDER TEST, with the permissions of the current user. See docs/generate.md.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { FileReport } from '../engine/types';
import { emitFile, type Emitted } from './emit';
import type { FilePlan } from './plan';
import { CASE_MARKER, type RenderOptions } from './render';
import { buildTargets, runSearchBatch, type SearchOptions } from './search';
import { GenerateError } from './write';

export interface RecordOptions {
  /** Project root (vitest's root; module resolution starts here). */
  root: string;
  /** Time limit of one vitest child process, ms. Default 60000. */
  runTimeoutMs?: number;
  /** Per-test timeout, and how long a returned promise may take to settle, ms. Default 2000. */
  testTimeoutMs?: number;
  /** Path of vitest's `vitest.mjs`; default: resolved from the root, then from tdd-fast's own dependencies. */
  vitestBin?: string;
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
}

export interface RunResult {
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export function resolveVitest(root: string, explicit?: string): string {
  if (explicit) return explicit;
  for (const paths of [[root], [__dirname]]) {
    try {
      const pkg = require.resolve('vitest/package.json', { paths });
      const bin = path.join(path.dirname(pkg), 'vitest.mjs');
      if (fs.existsSync(bin)) return bin;
    } catch {
      // try the next location
    }
  }
  throw new GenerateError('RECORD_FAILED', 'Record mode needs vitest: install it in the project (npm install -D vitest).');
}

/** Runs vitest on one file in a child process (own process group, killed on timeout). */
export function runVitest(
  root: string,
  files: string | string[],
  options: RecordOptions & { update?: boolean; jsonFile?: string; env?: Record<string, string>; stall?: { file: string; ms: number } },
): Promise<RunResult> {
  const bin = resolveVitest(root, options.vitestBin);
  const list = Array.isArray(files) ? files : [files];
  const relative = list.map((file) => path.relative(root, file).split(path.sep).join('/'));
  const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-vitest-')), 'vitest.config.mjs');
  const testTimeout = options.testTimeoutMs ?? 2000;
  // One file: one worker. Many (a batch's verify run): files in parallel workers, each file still isolated.
  fs.writeFileSync(
    config,
    `export default { test: { include: ${JSON.stringify(relative)}, testTimeout: ${testTimeout}, hookTimeout: ${testTimeout * 5}, pool: 'forks', watch: false, fileParallelism: ${list.length > 1} } };\n`,
  );
  const args = [bin, 'run', '--config', config, '--root', root, '--reporter=default'];
  if (options.jsonFile) args.push('--reporter=json', `--outputFile.json=${options.jsonFile}`);
  if (options.update) args.push('-u');
  return runNode(args, root, options.env ?? {}, options.runTimeoutMs ?? 60_000, options.stall).finally(() =>
    fs.rmSync(path.dirname(config), { recursive: true, force: true }),
  );
}

/**
 * Runs `node <args>` in its own process group, killed after `timeoutMs`, or (with `stall`) once the log file it writes
 * has stopped growing for `stall.ms` (a call that does not return).
 */
export function runNode(args: string[], cwd: string, env: Record<string, string>, timeoutMs: number, stall?: { file: string; ms: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd,
      detached: process.platform !== 'win32',
      env: { ...process.env, CI: '1', FORCE_COLOR: '0', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-200_000)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-200_000)));
    let timedOut = false;
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    // Watchdog: once the child has started logging, a log that stops growing means a call that does not return.
    let watch: NodeJS.Timeout | undefined;
    if (stall) {
      let size = -1;
      let since = Date.now();
      watch = setInterval(() => {
        let now = -1;
        try {
          now = fs.statSync(stall.file).size;
        } catch {
          return; // not started yet (the overall limit applies)
        }
        if (now !== size) {
          size = now;
          since = Date.now();
        } else if (Date.now() - since > stall.ms) {
          timedOut = true;
          clearInterval(watch);
          kill();
        }
      }, 100);
    }
    const done = (code: number | null) => {
      clearTimeout(timer);
      if (watch) clearInterval(watch);
      resolve({ code, timedOut, stdout, stderr });
    };
    child.on('error', () => done(null));
    child.on('close', (code) => done(code));
  });
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
  const targets = jobs.map((job) => buildTargets(job.plan, job.report, job.renderOptions.typescript));
  const searched = await runSearchBatch(
    jobs.map((job, i) => ({ targets: targets[i], file: path.resolve(options.root, job.report.path), typescript: job.renderOptions.typescript })),
    jobs[0].output,
    options,
  );
  return jobs.map((job, i) => {
    const emitted = emitFile(job.plan, searched[i], job.renderOptions);
    job.write(emitted.text);
    return { output: job.output, emitted, searched: searched[i].results.size, write: job.write };
  });
}

/**
 * Record mode, second half: one vitest run over the written files (vitest starts once for the batch); every test
 * that fails there becomes a TODO with the reason, and its file is rewritten. Files must share the root.
 */
export async function verifyRecorded(pending: PendingRecord[], options: RecordOptions): Promise<RecordSummary[]> {
  if (pending.length === 0) return [];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-record-'));
  const states = pending.map((p) => ({ p, text: p.emitted.text, dropped: new Set<string>() }));
  try {
    // A test that fails becomes a TODO; that can break a later test of the same file that relied on the state the
    // dropped one left (a global setter before a formatter): the changed files run again, up to 3 times.
    let left = states;
    for (let round = 0; round < 3 && left.length; round++) {
      const jsonFile = path.join(work, `verify-${round}.json`);
      const verify = await runVitest(
        options.root,
        left.map((st) => st.p.output),
        { ...options, jsonFile, runTimeoutMs: Math.max(options.runTimeoutMs ?? 60_000, 30_000 * left.length) },
      );
      const report = failures(jsonFile);
      const runError = report === undefined ? `the verification run produced no report (${verify.timedOut ? 'timed out' : `exit ${verify.code}`})` : null;
      left = left.filter((st) => dropFailed(st, report?.get(path.resolve(st.p.output)), runError));
    }
    return states.map(({ p, text, dropped }) => {
      const { emitted } = p;
      return { recorded: emitted.tests - dropped.size, dropped: dropped.size + emitted.todo, text, tests: emitted.tests + emitted.todo, todo: emitted.todo + dropped.size, throws: emitted.throws, searched: p.searched };
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Turns the failed tests of one verify run into TODOs (rewriting the file); true when something changed. */
function dropFailed(st: { p: PendingRecord; text: string; dropped: Set<string> }, result: FileFailures | undefined, runError: string | null): boolean {
  const replacements = new Map<string, string[]>();
  // The whole file failed under vitest (it did not load: the module under test may not load in vitest at all).
  const fileFailure = runError ?? result?.fileError ?? (result === undefined ? 'vitest did not run the file' : null);
  // Whether any kept test came from the search, i.e. plain Node could run the module.
  const searchRan = [...st.p.emitted.cases.values()].some((c) => c.target !== null);
  for (const [id, c] of st.p.emitted.cases) {
    if (c.todo || st.dropped.has(id)) continue;
    const failure = fileFailure ?? result?.failed.get(`${c.describe} > ${c.title}`);
    if (failure === undefined) continue;
    st.dropped.add(id);
    const why = fileFailure
      ? `the test file did not load in vitest${searchRan ? ' (the search, in plain Node, could run the module)' : ''}`
      : 'the recorded result did not hold on a second run (nondeterministic, or it relied on a test dropped before it)';
    replacements.set(id, [`  ${CASE_MARKER}${id}`, `  it.todo(${JSON.stringify(c.title)});`, `  // TODO(tdd-fast): ${why}: ${failure.replace(/\n/g, ' ').slice(0, 300)}`]);
  }
  if (replacements.size === 0) return false;
  st.text = replaceBlocks(st.text, replacements);
  st.p.write(st.text);
  return fileFailure === null;
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
