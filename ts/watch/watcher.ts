import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { native } from '../engine/native';
import { TddOrchestrator } from '../session/orchestrator';
import type { AnalysisResult } from '../engine/types';

/** The files an analysis of `paths` covers, root-relative with forward slashes: the core's walk and config filter. */
export function selectedFiles(paths: string[], root: string, config?: string): Set<string> {
  const absolute = paths.map((p) => path.resolve(root, p));
  const listed = JSON.parse(native().listFilesJson(absolute, { root, config })) as Array<{ path: string }>;
  return new Set(listed.map((f) => f.path));
}

/** `dir` and its ancestors up to `root` (root included), for every selected file's folder. */
function foldersOf(files: Set<string>, root: string): Set<string> {
  const folders = new Set<string>([root]);
  for (const file of files) {
    let dir = path.dirname(path.join(root, file));
    while (dir.startsWith(root) && !folders.has(dir)) {
      folders.add(dir);
      dir = path.dirname(dir);
    }
  }
  return folders;
}

/**
 * Calls `onChange` with the root-relative name of every changed entry under the folders of `files` until `signal`
 * aborts; the caller decides which names matter (by the core's file selection). Every watcher exists when this
 * returns, so a change made right after it is seen: on Linux, Node 20's recursive `fs.watch` sets its watchers up
 * asynchronously (and missed such changes), so there each folder that holds a selected file gets its own inotify
 * watcher, and so does every folder created under a watched one; elsewhere the recursive watch is native.
 */
function watchTree(root: string, files: Set<string>, onChange: (name: string) => void, signal: AbortSignal): void {
  if (process.platform !== 'linux') {
    fs.watch(root, { recursive: true, signal }, (_event, name) => {
      if (name) onChange(String(name));
    });
    return;
  }
  const watched = new Set<string>();
  const watchFolder = (dir: string) => {
    if (watched.has(dir) || signal.aborted) return;
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(dir, { signal }, (_event, name) => {
        if (!name) return;
        const full = path.join(dir, String(name));
        // A folder created while watching: watched too, and what it already holds reported (it may have been filled
        // before its watcher existed). Whether its files count is the core's selection's call.
        if (fs.statSync(full, { throwIfNoEntry: false })?.isDirectory()) watchNewFolder(full);
        onChange(path.relative(root, full));
      });
    } catch {
      return; // vanished or unreadable: nothing to watch there
    }
    watched.add(dir);
    // A removed folder's watcher errors or closes: forget it, so a new one of that name is watched again.
    watcher.on('error', () => watched.delete(dir));
    watcher.on('close', () => watched.delete(dir));
  };
  const watchNewFolder = (dir: string) => {
    watchFolder(dir);
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) watchNewFolder(full);
      onChange(path.relative(root, full));
    }
  };
  for (const dir of foldersOf(files, root)) watchFolder(dir);
}

export interface WatchOptions {
  root: string;
  paths: string[];
  /** Run vitest after each change and record red/green transitions in the session. */
  vitest: boolean;
  session?: string;
  debounceMs: number;
  /** The analysis configuration as JSON text (what `tdd-fast analyze` would use). Default: the core's defaults. */
  config?: string;
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

/** Findings per file (errors and smells), by report path. */
function findingCounts(result: AnalysisResult): Map<string, number> {
  return new Map(result.files.map((f) => [f.path, f.smells.length + f.errors.length]));
}

function phaseOf(tests: TestOutcome): 'red' | 'green' {
  return tests.failed ? 'red' : 'green';
}

/** One line per changed file: its findings now and the difference, or that it is gone. */
function describeChanges(files: string[], before: Map<string, number>, now: Map<string, number>): string[] {
  return files.map((file) => {
    const after = now.get(file);
    if (after === undefined) return `removed ${file}`;
    const delta = after - (before.get(file) ?? 0);
    return `re-analysed ${file}: ${after} findings (${delta >= 0 ? '+' : ''}${delta})`;
  });
}

/**
 * The watch loop: re-analyses through the cache after every change of a file the analysis covers (the core's walk
 * decides which: .gitignore, ignored folders, extensions and the config's include/exclude, exactly as `analyze`),
 * prints what changed, and with `vitest` records red/green transitions of the test run in the TDD session.
 * Resolves when `signal` aborts.
 */
export async function watch(options: WatchOptions, signal: AbortSignal): Promise<void> {
  const orchestrator = new TddOrchestrator({ projectRoot: options.root, config: options.config });
  try {
    const active = orchestrator.store.activeSession();
    const session =
      active && !options.session
        ? orchestrator.resumeSession(active.id)
        : orchestrator.startSession(options.session ?? `watch ${new Date().toISOString()}`);
    let selected = selectedFiles(options.paths, options.root, options.config);
    let previous = findingCounts(await orchestrator.analyze(options.paths));
    let lastTests: TestOutcome | null = options.vitest ? await runVitest(options.root) : null;
    if (lastTests) orchestrator.recordPhase(phaseOf(lastTests), { ...lastTests, source: 'watch' });

    const recordTests = async (files: string[]) => {
      const tests = await runVitest(options.root);
      if (!tests) return;
      if (!lastTests || phaseOf(tests) !== phaseOf(lastTests)) {
        orchestrator.recordPhase(phaseOf(tests), { ...tests, source: 'watch', files });
        options.log(`${phaseOf(tests)}: ${tests.passed} passed, ${tests.failed} failed`);
      }
      lastTests = tests;
    };
    const changed = new Set<string>();
    const rerun = async () => {
      // Which changed names are analysed files (or were, before a delete): the core's selection, listed again so a
      // new file counts as soon as it exists.
      const before = selected;
      selected = selectedFiles(options.paths, options.root, options.config);
      const files = [...changed].filter((file) => before.has(file) || selected.has(file));
      changed.clear();
      if (!files.length) return;
      const now = findingCounts(await orchestrator.analyze(options.paths));
      for (const line of describeChanges(files, previous, now)) options.log(line);
      previous = now;
      if (options.vitest) await recordTests(files);
    };
    let timer: NodeJS.Timeout | undefined;
    let running = Promise.resolve();
    watchTree(
      options.root,
      selected,
      (name) => {
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
