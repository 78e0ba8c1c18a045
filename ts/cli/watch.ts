/**
 * The definition of `tdd-fast watch`: arguments, options and help text only. What it does lives in ../watch, whose
 * `runWatchCommand` `load` returns; the main CLI passes a loader that requires it (and with it the session store)
 * only when `watch` runs.
 */
import type { Command } from 'commander';

export interface WatchFlags {
  vitest?: boolean;
  session?: string;
}

/** ../watch's `runWatchCommand`: watches until SIGINT or SIGTERM. */
export type WatchCommand = (paths: string[], flags: WatchFlags, cwd: string, log: (text: string) => void) => Promise<void>;

export function registerWatchCommand(program: Command, cwd: string, log: (text: string) => void, load: () => WatchCommand): void {
  program
    .command('watch')
    .description('re-analyse on every change (through the cache) and record red/green test runs in the session')
    .argument('[paths...]', 'files and folders to analyse (default: .)')
    .option('--vitest', 'run vitest after each change and record red/green transitions')
    .option('--session <name>', 'record into a new session with this name (default: the active session)')
    .action(async (paths: string[], flags: WatchFlags) => {
      await load()(paths, flags, cwd, log);
    });
}
