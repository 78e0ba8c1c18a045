/**
 * The child processes of record mode: finding the project's vitest, running `node` in its own process group with a
 * time limit and a stall watchdog (the search), and running vitest on generated files (the verify run). No knowledge of
 * searches or test files here: record.ts and search.ts both build on it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { onExit } from './exit-cleanup';
import { nearestConfig, setsTsconfigPaths } from './project-config';
import type { VerifyRequest } from './verify-host';
import { processCpuMs } from './work-clock';
import { GenerateError } from './write';

/**
 * How long a child may log nothing, in wall time, before the stall watchdog ends it even though it used no CPU: a
 * child blocked for good (a synchronous wait on something that never comes). Generous: a loaded machine stretches
 * wall time, never CPU time.
 */
export function stallBackstopMs(stallMs: number): number {
  return Math.max(60_000, 20 * stallMs);
}

const VERIFY_HOST = path.join(__dirname, 'verify-host.js');

/** Where and how long the children run (record mode's options minus the search's own). */
export interface ChildOptions {
  /** Project root (vitest's root; module resolution starts here). */
  root: string;
  /** Time limit of one vitest child process, ms. Default 60000. */
  runTimeoutMs?: number;
  /** Per-test timeout, and how long a returned promise may take to settle, ms. Default 2000. */
  testTimeoutMs?: number;
  /** Path of vitest's `vitest.mjs`; default: resolved from the root, then from tdd-fast's own dependencies. */
  vitestBin?: string;
}

export interface RunResult {
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** The CPU time the child used, ms, as last read while it ran (null where it cannot be read: work-clock.ts). */
  cpuMs?: number | null;
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

/**
 * Runs the project's own vitest on generated files in a child process (verify-host.ts: own process group, killed on
 * timeout), with the nearest config of the files (they must share it: see configGroups) and a JSON report.
 */
export function runVitest(root: string, files: string[], options: ChildOptions & { jsonFile: string }): Promise<RunResult> {
  const vitestDir = path.dirname(resolveVitest(root, options.vitestBin));
  const configFile = nearestConfig(files[0]);
  const request: VerifyRequest = {
    vitestDir,
    root: configFile ? path.dirname(configFile) : root,
    configFile,
    tsconfigPaths: !setsTsconfigPaths(configFile),
    files,
    testTimeout: options.testTimeoutMs ?? 2000,
    // One file: one worker. Many (a batch's verify run): files in parallel workers, each file still isolated.
    parallel: files.length > 1,
    jsonFile: options.jsonFile,
  };
  return runNode([VERIFY_HOST], { cwd: root, env: { TDD_FAST_VERIFY: JSON.stringify(request) }, timeoutMs: options.runTimeoutMs ?? 60_000 });
}

/** Files grouped by the config that applies to them (a monorepo's packages each run with their own). */
export function configGroups<T>(items: T[], fileOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = nearestConfig(fileOf(item)) ?? '';
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()];
}

/**
 * Runs `node <args>` in its own process group, killed after `timeoutMs`, or (with `stall`) once the log file it writes
 * has stopped growing while the child used `stall.ms` of CPU time (a call that does not return: a loop), or for
 * stallBackstopMs() of wall time (a child blocked without using the CPU). CPU time, not wall time: on a loaded
 * machine a module that takes a second of CPU to load may take ten of wall time, and is no hung call. Where the
 * child's CPU time cannot be read (work-clock.ts), wall time as before. `onMessage` opens an IPC channel and answers
 * the child's messages (the search child's module requests).
 */
/** How a child runs: where, with what environment, for how long; `stall` and `onMessage` as above. */
export interface NodeRun {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  stall?: { file: string; ms: number };
  onMessage?: (message: unknown, reply: (answer: unknown) => void) => void;
}

/**
 * The stall watchdog: once the child has started logging, a log that stops growing (and no IPC activity, `active`)
 * while the child uses `stall.ms` of CPU, or for stallBackstopMs() of wall time, means a call that does not return:
 * `stop` is called once.
 */
function stallWatchdog(stall: { file: string; ms: number }, readCpu: () => number | null, active: () => number, stop: () => void): NodeJS.Timeout {
  let size = -1;
  let since = Date.now();
  let cpuSince: number | null = null;
  let lastActive = active();
  const watch = setInterval(() => {
    let now = -1;
    try {
      now = fs.statSync(stall.file).size;
    } catch {
      return; // not started yet (the overall limit applies)
    }
    const cpuNow = readCpu();
    if (now !== size || active() !== lastActive) {
      size = now;
      lastActive = active();
      since = Date.now();
      cpuSince = cpuNow;
      return;
    }
    const quietMs = Date.now() - Math.max(since, active());
    const busyMs = cpuNow !== null && cpuSince !== null ? cpuNow - cpuSince : quietMs;
    if (busyMs > stall.ms || quietMs > stallBackstopMs(stall.ms)) {
      clearInterval(watch);
      stop();
    }
  }, 100);
  return watch;
}

export function runNode(args: string[], run: NodeRun): Promise<RunResult> {
  const { cwd, env, timeoutMs, stall, onMessage } = run;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd,
      detached: process.platform !== 'win32',
      env: { ...process.env, CI: '1', FORCE_COLOR: '0', NO_COLOR: '1', ...env },
      stdio: onMessage ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    // The child's requests count as activity for the stall watchdog (a slow transform is not a hung call).
    let active = Date.now();
    if (onMessage) {
      child.on('message', (message) => {
        active = Date.now();
        onMessage(message, (answer) => {
          active = Date.now();
          if (child.connected) child.send(answer as never, (error) => void error);
        });
      });
    }
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-200_000)));
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-200_000)));
    let timedOut = false;
    const kill = () => {
      try {
        if (child.pid !== undefined) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const stop = () => {
      timedOut = true;
      kill();
    };
    const timer = setTimeout(stop, timeoutMs);
    // Its own process group does not get the signal that ends this process: it is ended with it.
    const forget = onExit(kill);
    // The child's CPU time, read while it runs (the last reading is its total, within a tenth of a second).
    let cpu: number | null = null;
    const readCpu = () => {
      const now = child.pid === undefined ? null : processCpuMs(child.pid);
      if (now !== null) cpu = now;
      return now;
    };
    const sampler = setInterval(readCpu, 100);
    const watch = stall ? stallWatchdog(stall, readCpu, () => active, stop) : undefined;
    const done = (code: number | null) => {
      forget();
      clearTimeout(timer);
      clearInterval(sampler);
      if (watch) clearInterval(watch);
      resolve({ code, timedOut, stdout, stderr, cpuMs: cpu });
    };
    child.on('error', () => done(null));
    child.on('close', (code) => done(code));
  });
}
