import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Command } from 'commander';

import { registerWatchCommand as defineWatchCommand, type WatchFlags } from './commands/watch';
import { TddOrchestrator } from './orchestrator';
import type { AnalysisResult } from './types';

const SOURCE = /\.[cm]?[jt]sx?$/;
const SKIPPED = /(^|[\\/])(node_modules|\.git|dist|build|coverage|\.tdd-fast)([\\/]|$)/;

/**
 * Calls `onChange` with the root-relative name of every changed file under `root` until `signal` aborts. Every
 * watcher exists when this returns, so a change made right after it is seen: on Linux, Node 20's recursive `fs.watch`
 * sets its watchers up asynchronously (and missed such changes), so there each directory gets its own inotify
 * watcher, new directories included; elsewhere the recursive watch is native.
 */
function watchTree(root: string, onChange: (name: string) => void, signal: AbortSignal): void {
  if (process.platform !== 'linux') {
    fs.watch(root, { recursive: true, signal }, (_event, name) => {
      if (name) onChange(String(name));
    });
    return;
  }
  const watched = new Set<string>();
  const watchDirectory = (dir: string) => {
    if (watched.has(dir) || SKIPPED.test(path.relative(root, dir)) || signal.aborted) return;
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(dir, { signal }, (_event, name) => {
        if (!name) return;
        const full = path.join(dir, String(name));
        onChange(path.relative(root, full));
        if (fs.statSync(full, { throwIfNoEntry: false })?.isDirectory()) watchSubtree(full);
      });
    } catch {
      return; // vanished or unreadable: nothing to watch there
    }
    watched.add(dir);
    // A removed directory's watcher errors or closes: forget it, so a new one of that name is watched again.
    watcher.on('error', () => watched.delete(dir));
    watcher.on('close', () => watched.delete(dir));
  };
  const watchSubtree = (dir: string) => {
    watchDirectory(dir);
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) watchSubtree(path.join(dir, entry.name));
    }
  };
  watchSubtree(root);
}

export interface WatchOptions {
  root: string;
  paths: string[];
  /** Run vitest after each change and record red/green transitions in the session. */
  vitest: boolean;
  session?: string;
  debounceMs: number;
  log(line: string): void;
}

export interface TestOutcome {
  passed: number;
  failed: number;
}

/** Runs vitest once with its JSON reporter and returns the pass/fail counts (null when vitest could not run). */
export function runVitest(root: string): Promise<TestOutcome | null> {
  const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-watch-')), 'vitest.json');
  const manifest = require.resolve('vitest/package.json', { paths: [root, __dirname] });
  const bin = path.join(path.dirname(manifest), 'vitest.mjs');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', '--reporter=json', `--outputFile=${outputFile}`], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, CI: '1' },
    });
    child.on('error', () => resolve(null));
    child.on('close', () => {
      try {
        const report = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
        resolve({ passed: report.numPassedTests ?? 0, failed: report.numFailedTests ?? 0 });
      } catch {
        resolve(null);
      } finally {
        fs.rmSync(path.dirname(outputFile), { recursive: true, force: true });
      }
    });
  });
}

function smellCounts(result: AnalysisResult): Map<string, number> {
  return new Map(result.files.map((f) => [f.path, f.smells.length + f.errors.length]));
}

/**
 * The watch loop: re-analyses through the cache after every change (only changed files are parsed again), prints
 * what changed, and with `vitest` records red/green transitions of the test run in the TDD session.
 * Resolves when `signal` aborts.
 */
export async function watch(options: WatchOptions, signal: AbortSignal): Promise<void> {
  const orchestrator = new TddOrchestrator({ projectRoot: options.root });
  try {
    const session =
      orchestrator.store.activeSession() && !options.session
        ? orchestrator.resumeSession(orchestrator.store.activeSession()!.id)
        : orchestrator.startSession(options.session ?? `watch ${new Date().toISOString()}`);
    let previous = smellCounts(await orchestrator.analyze(options.paths));
    let lastTests: TestOutcome | null = options.vitest ? await runVitest(options.root) : null;
    if (lastTests) orchestrator.recordPhase(lastTests.failed ? 'red' : 'green', { ...lastTests, source: 'watch' });

    let timer: NodeJS.Timeout | undefined;
    let running = Promise.resolve();
    const changed = new Set<string>();
    const rerun = async () => {
      const files = [...changed];
      changed.clear();
      const result = await orchestrator.analyze(options.paths);
      const now = smellCounts(result);
      for (const file of files) {
        const before = previous.get(file) ?? 0;
        const after = now.get(file);
        if (after === undefined) options.log(`removed ${file}`);
        else options.log(`re-analysed ${file}: ${after} findings (${after - before >= 0 ? '+' : ''}${after - before})`);
      }
      previous = now;
      if (options.vitest) {
        const tests = await runVitest(options.root);
        if (tests) {
          const phase = tests.failed ? 'red' : 'green';
          const previousPhase = lastTests ? (lastTests.failed ? 'red' : 'green') : undefined;
          if (phase !== previousPhase) {
            orchestrator.recordPhase(phase, { ...tests, source: 'watch', files });
            options.log(`${phase}: ${tests.passed} passed, ${tests.failed} failed`);
          }
          lastTests = tests;
        }
      }
    };
    watchTree(
      options.root,
      (name) => {
        if (!SOURCE.test(name) || SKIPPED.test(name)) return;
        changed.add(name.split(path.sep).join('/'));
        clearTimeout(timer);
        timer = setTimeout(() => {
          running = running.then(rerun).catch((error) => options.log(`tdd-fast: ${error?.message ?? error}`));
        }, options.debounceMs);
      },
      signal,
    );
    // Said once the watcher exists: a change made right after this line is seen.
    options.log(`watching ${options.root} (session ${session.id} '${session.name}'); press Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    clearTimeout(timer);
    await running;
  } finally {
    orchestrator.close();
  }
}

/** What `tdd-fast watch` does (../commands/watch defines its options): watches until SIGINT or SIGTERM. */
export async function runWatchCommand(paths: string[], flags: WatchFlags, cwd: string, log: (text: string) => void): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await watch(
    {
      root: cwd,
      paths: paths.length ? paths : ['.'],
      vitest: Boolean(flags.vitest),
      session: flags.session,
      debounceMs: 150,
      log: (line) => log(line + '\n'),
    },
    controller.signal,
  );
}

export function registerWatchCommand(program: Command, cwd: string, log: (text: string) => void): void {
  defineWatchCommand(program, cwd, log, () => runWatchCommand);
}
