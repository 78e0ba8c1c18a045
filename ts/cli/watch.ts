/**
 * `tdd-fast watch`: arguments, options, help text and what it does. The watcher (../watch/watcher, and with it the
 * session store) is required only when `watch` runs.
 */
import type { Command } from 'commander';

import { resolveConfig } from '../engine/config';
import { checkPathsExist } from './usage';

export interface WatchFlags {
  vitest?: boolean;
  session?: string;
}

export function registerWatchCommand(program: Command, cwd: string, log: (text: string) => void): void {
  program
    .command('watch')
    .description('re-analyse on every change (through the cache) and record red/green test runs in the session')
    .argument('[paths...]', 'files and folders to analyse (default: .)')
    .option('--vitest', 'run vitest after each change and record red/green transitions')
    .option('--session <name>', 'record into a new session with this name (default: the active session)')
    .action(async (paths: string[], flags: WatchFlags) => {
      await runWatchCommand(paths, flags, cwd, log);
    });
}

/** Watches until SIGINT or SIGTERM. */
export async function runWatchCommand(paths: string[], flags: WatchFlags, cwd: string, log: (text: string) => void): Promise<void> {
  const given = paths.length ? paths : ['.'];
  checkPathsExist(given, cwd);
  const config = resolveConfig(cwd, {});
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { watch } = require('../watch/watcher') as typeof import('../watch/watcher');
  await watch(
    {
      root: cwd,
      paths: given,
      vitest: Boolean(flags.vitest),
      config: config.json,
      session: flags.session,
      debounceMs: 150,
      log: (line) => log(line + '\n'),
    },
    controller.signal,
  );
}
