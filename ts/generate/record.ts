/**
 * Record mode: run the code under test and turn today's behaviour into assertions.
 *
 * 1. Probe: a throwaway vitest file beside the output calls every case once, in a child process with a time limit,
 *    logging "started"/"finished: returns|throws|resolves|rejects" per case to a file. A case that started but never
 *    finished hung or crashed the worker: it becomes a TODO and the probe runs again without it.
 * 2. Record: the test file is rendered with `toMatchInlineSnapshot()` / `toThrowErrorMatchingInlineSnapshot()` (with
 *    `.resolves` / `.rejects` for promises) and `vitest run -u` fills the snapshots in.
 * 3. Verify: vitest runs the file again without -u; every test that fails (nondeterminism: time, randomness, object
 *    identity) is rewritten into a TODO with the reason.
 *
 * THIS RUNS THE CODE UNDER TEST, with the permissions of the current user. See docs/generate.md.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { FilePlan, RecordedOutcome, TestCase } from './plan';
import { callExpression, renderCase, renderFile, replaceCases, type RenderOptions } from './render';
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
}

export interface RecordSummary {
  /** Cases that ran and now assert recorded behaviour (or a verified static expectation). */
  recorded: number;
  /** Cases turned into TODOs: hangs, crashes, assertions that did not hold on the second run. */
  dropped: number;
  text: string;
}

interface RunResult {
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
  file: string,
  options: RecordOptions & { update?: boolean; jsonFile?: string; env?: Record<string, string> },
): Promise<RunResult> {
  const bin = resolveVitest(root, options.vitestBin);
  const relative = path.relative(root, file).split(path.sep).join('/');
  const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-vitest-')), 'vitest.config.mjs');
  const testTimeout = options.testTimeoutMs ?? 2000;
  fs.writeFileSync(
    config,
    `export default { test: { include: [${JSON.stringify(relative)}], testTimeout: ${testTimeout}, hookTimeout: ${testTimeout * 5}, pool: 'forks', watch: false, fileParallelism: false } };\n`,
  );
  const args = [bin, 'run', '--config', config, '--root', root, '--reporter=default'];
  if (options.jsonFile) args.push('--reporter=json', `--outputFile.json=${options.jsonFile}`);
  if (options.update) args.push('-u');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      detached: process.platform !== 'win32',
      env: { ...process.env, CI: '1', FORCE_COLOR: '0', NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-200_000)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-200_000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.runTimeoutMs ?? 60_000);
    const done = (code: number | null) => {
      clearTimeout(timer);
      fs.rmSync(path.dirname(config), { recursive: true, force: true });
      resolve({ code, timedOut, stdout, stderr });
    };
    child.on('error', () => done(null));
    child.on('close', (code) => done(code));
  });
}

function probeSource(plan: FilePlan, cases: TestCase[], options: RenderOptions, settleMs: number): string {
  const header = renderFile({ ...plan, functions: [] }, options).split('\n').slice(2).join('\n');
  const lines = [
    '// @ts-nocheck',
    '// tdd-fast record-mode probe: a temporary file, deleted after the run.',
    "import { appendFileSync } from 'node:fs';",
    header,
    'const LOG = process.env.TDD_FAST_PROBE_LOG;',
    "const log = (entry) => appendFileSync(LOG, JSON.stringify(entry) + '\\n');",
    'const message = (e) => (e && typeof e === "object" && "message" in e ? String(e.message) : String(e));',
    'async function probe(id, run) {',
    '  log({ id, start: true });',
    '  let result;',
    '  try {',
    '    const value = run();',
    "    if (value && typeof value.then === 'function') {",
    '      let timer;',
    '      result = await Promise.race([',
    "        Promise.resolve(value).then(() => ({ kind: 'resolves' }), (e) => ({ kind: 'rejects', message: message(e) })),",
    `        new Promise((r) => { timer = setTimeout(() => r({ kind: 'hang', reason: 'the returned promise did not settle within ${settleMs} ms' }), ${settleMs}); }),`,
    '      ]);',
    '      clearTimeout(timer);',
    "    } else result = { kind: 'returns' };",
    '  } catch (e) {',
    "    result = { kind: 'throws', message: message(e) };",
    '  }',
    '  log({ id, ...result });',
    '}',
    "it('tdd-fast probe', async () => {",
  ];
  const byId = new Map(plan.functions.flatMap((fn) => fn.cases.map((c) => [c.id, fn] as const)));
  for (const c of cases) {
    const fn = byId.get(c.id)!;
    lines.push(`  await probe(${JSON.stringify(c.id)}, () => ${callExpression(fn, c.args, options.typescript)});`);
  }
  lines.push('}, 3_600_000);', '');
  return lines.join('\n');
}

function readLog(file: string): Array<{ id: string; start?: boolean } & Partial<RecordedOutcome> & { message?: string; reason?: string }> {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
}

/** Runs every runnable case once and stores what happened in `case.recorded`. */
export async function probeCases(plan: FilePlan, output: string, renderOptions: RenderOptions, options: RecordOptions): Promise<void> {
  const settleMs = options.testTimeoutMs ?? 2000;
  let pending = plan.functions.flatMap((fn) => fn.cases).filter((c) => c.expect.kind !== 'todo');
  const probeFile = output.replace(/\.generated\.test\.([cm]?[jt]sx?)$/, '.tdd-fast-probe.test.$1');
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-probe-'));
  try {
    for (let round = 0; pending.length > 0 && round < 6; round++) {
      const logFile = path.join(logDir, `round-${round}.jsonl`);
      fs.writeFileSync(probeFile, probeSource(plan, pending, renderOptions, settleMs));
      const run = await runVitest(options.root, probeFile, {
        ...options,
        runTimeoutMs: Math.min(options.runTimeoutMs ?? 60_000, 10_000 + pending.length * 100),
        testTimeoutMs: 3_600_000,
        env: { TDD_FAST_PROBE_LOG: logFile },
      });
      const entries = readLog(logFile);
      const started = new Set<string>();
      for (const entry of entries) {
        const c = pending.find((p) => p.id === entry.id);
        if (!c) continue;
        if (entry.start) {
          started.add(entry.id);
          continue;
        }
        started.delete(entry.id);
        if (entry.kind === 'returns' || entry.kind === 'resolves') c.recorded = { kind: entry.kind };
        else if (entry.kind === 'throws' || entry.kind === 'rejects') {
          const message = entry.message ?? '';
          const fn = plan.functions.find((f) => f.cases.includes(c))!;
          const callee = fn.access.method?.name ?? fn.access.exportPath.at(-1) ?? '';
          c.recorded = /is not a (function|constructor)/.test(message) && message.includes(callee)
            ? { kind: 'dropped', reason: `not callable as planned: ${message.split('\n')[0]}` }
            : { kind: entry.kind, message };
        } else if (entry.kind === 'hang') c.recorded = { kind: 'hang', reason: entry.reason ?? 'did not settle' };
      }
      const stuck = [...started];
      for (const id of stuck) {
        const c = pending.find((p) => p.id === id)!;
        c.recorded = run.timedOut
          ? { kind: 'hang', reason: 'the call did not return (the probe process was killed after its time limit); it may loop forever on this input' }
          : { kind: 'crash', reason: `the call crashed the test process (exit code ${run.code}); ${lastLine(run.stderr)}` };
      }
      const next = pending.filter((c) => !c.recorded);
      if (next.length === pending.length) {
        // Nothing ran at all: the module failed to load (syntax error, missing dependency, top-level side effect).
        const why = `the module could not be loaded in vitest: ${lastLine(run.stderr || run.stdout)}`;
        for (const c of next) c.recorded = { kind: 'crash', reason: why };
        break;
      }
      pending = next;
    }
    for (const c of pending) c.recorded ??= { kind: 'hang', reason: 'not run: earlier cases of this file kept hanging' };
  } finally {
    fs.rmSync(probeFile, { force: true });
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(⎯|─|Test Files|Tests|Start at|Duration|RUN)/.test(l));
  const errorLine = lines.find((l) => /Error|error/.test(l));
  return (errorLine ?? lines.at(-1) ?? 'no output').slice(0, 200);
}

interface JsonAssertion {
  ancestorTitles: string[];
  title: string;
  status: string;
  failureMessages?: string[];
}

function failures(jsonFile: string): Map<string, string> | undefined {
  if (!fs.existsSync(jsonFile)) return undefined;
  try {
    const report = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { testResults: Array<{ assertionResults: JsonAssertion[]; message?: string }> };
    const failed = new Map<string, string>();
    for (const file of report.testResults) {
      for (const a of file.assertionResults) {
        if (a.status === 'failed') failed.set(`${a.ancestorTitles.join(' > ')} > ${a.title}`, (a.failureMessages?.[0] ?? 'failed').split('\n')[0]);
      }
    }
    return failed;
  } catch {
    return undefined;
  }
}

/**
 * Records a file: probe, render with snapshots, `vitest -u`, verify, drop what failed. `write` puts text at `output`
 * (the caller's safe writer). Returns the final text.
 */
export async function recordFile(
  plan: FilePlan,
  output: string,
  renderOptions: RenderOptions,
  options: RecordOptions,
  write: (text: string) => void,
): Promise<RecordSummary> {
  await probeCases(plan, output, renderOptions, options);
  const opts = { ...renderOptions, record: true };
  write(renderFile(plan, opts));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-record-'));
  try {
    await runVitest(options.root, output, { ...options, update: true, jsonFile: path.join(work, 'update.json') });
    const jsonFile = path.join(work, 'verify.json');
    const verify = await runVitest(options.root, output, { ...options, jsonFile });
    const failed = failures(jsonFile);
    const cases = plan.functions.flatMap((fn) => fn.cases.map((c) => ({ fn, c })));
    const replacements = new Map<string, string[]>();
    let recorded = 0;
    for (const { fn, c } of cases) {
      const runnable = c.expect.kind !== 'todo' && c.recorded && ['returns', 'resolves', 'throws', 'rejects'].includes(c.recorded.kind);
      const staticCase = c.expect.kind === 'throws' || c.expect.kind === 'returns';
      if (!runnable && !staticCase) continue;
      const failure = failed === undefined ? `the verification run produced no report (${verify.timedOut ? 'timed out' : `exit ${verify.code}`})` : failed.get(`${fn.name} > ${c.title}`);
      if (failure === undefined) {
        recorded++;
        continue;
      }
      const reason = staticCase
        ? `the static expectation did not hold: ${failure}`
        : `the recorded result did not hold on a second run (nondeterministic?): ${failure}`;
      c.recorded = { kind: 'dropped', reason };
      replacements.set(c.id, renderCase(fn, c, opts));
    }
    let text = fs.readFileSync(output, 'utf8');
    if (replacements.size) {
      text = replaceCases(text, replacements);
      write(text);
    }
    const dropped = cases.filter(({ c }) => c.recorded && ['hang', 'crash', 'dropped'].includes(c.recorded.kind)).length;
    return { recorded, dropped, text };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
