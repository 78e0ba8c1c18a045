/**
 * The child processes of record mode: finding the project's vitest, running `node` in its own process group with a
 * time limit and a stall watchdog (the search), and running vitest on generated files (the verify run). No knowledge of
 * searches or test files here: record.ts and search.ts both build on it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { GenerateError } from './write';

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
  options: ChildOptions & { update?: boolean; jsonFile?: string; env?: Record<string, string>; stall?: { file: string; ms: number } },
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
