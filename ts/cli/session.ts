/**
 * The definition of `tdd-fast session start|status|list|show|end|cleanup`: arguments, options, help text and exit
 * codes only. What each command does lives in ../session/cli, which `load` returns; the main CLI passes a loader
 * that requires it (and with it better-sqlite3) only when a session command runs.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';

import { DEFAULT_RETENTION } from '../engine/defaults';

/** Exit codes follow ESLint's habit: 0 ok, 2 usage or internal error. */
export const SESSION_EXIT = { ok: 0, error: 2 } as const;

export type SessionFormat = 'stylish' | 'json';

export interface SessionCommonOptions {
  root?: string;
  db?: string;
  format: SessionFormat;
}

/** The bodies of the session commands (../session/cli's `sessionActions`). */
export interface SessionActions {
  start(name: string, options: SessionCommonOptions & { context?: unknown }): void;
  status(options: SessionCommonOptions): void;
  list(options: SessionCommonOptions & { limit: number; status?: 'active' | 'ended' }): void;
  show(idOrName: string, options: SessionCommonOptions & { events: number }): void;
  end(idOrName: string | undefined, options: SessionCommonOptions): void;
  cleanup(options: SessionCommonOptions & { maxSessions: number; maxAgeDays: number }): void;
}

/** Adds `tdd-fast session start|status|list|show|end|cleanup` to the program; `load` is called when one runs. */
export function registerSessionCommands(program: Command, load: () => SessionActions): void {
  const session = program
    .command('session')
    .description('TDD sessions recorded in .tdd-fast/sessions.db (start, status, list, show, end, cleanup)');
  useEslintExitCodes(session);

  withCommonOptions(session.command('start').argument('<name>', 'session name'))
    .description('start a session')
    .option('--context <json>', 'initial context (JSON)', parseJsonOption)
    .action((name: string, options: SessionCommonOptions & { context?: unknown }) => load().start(name, options));

  withCommonOptions(session.command('status'))
    .description('summary of the active session')
    .action((options: SessionCommonOptions) => load().status(options));

  withCommonOptions(session.command('list'))
    .description('sessions, most recently updated first')
    .option('--limit <n>', 'how many to show', parseCount, 20)
    .option('--status <status>', 'only active or ended sessions', parseStatus)
    .action((options: SessionCommonOptions & { limit: number; status?: 'active' | 'ended' }) => load().list(options));

  withCommonOptions(session.command('show').argument('<id>', 'session id or name'))
    .description('one session: summary and events')
    .option('--events <n>', 'how many events to list', parseCount, 50)
    .action((idOrName: string, options: SessionCommonOptions & { events: number }) => load().show(idOrName, options));

  withCommonOptions(session.command('end').argument('[id]', 'session id or name (default: the active session)'))
    .description('end a session')
    .action((idOrName: string | undefined, options: SessionCommonOptions) => load().end(idOrName, options));

  withCommonOptions(session.command('cleanup'))
    .description('remove old sessions (retention policy)')
    .option('--max-sessions <n>', 'keep at most this many sessions', parseCount, DEFAULT_RETENTION.maxSessions)
    .option('--max-age-days <n>', 'remove sessions not updated for this many days', parseCount, DEFAULT_RETENTION.maxAgeDays)
    .action((options: SessionCommonOptions & { maxSessions: number; maxAgeDays: number }) => load().cleanup(options));
}

function withCommonOptions(command: Command): Command {
  useEslintExitCodes(command);
  return command
    .option('--root <dir>', 'project root (default: current directory)')
    .option('--db <path>', 'session database (default: <root>/.tdd-fast/sessions.db)')
    .option('-f, --format <format>', 'stylish or json', parseFormat, 'stylish' as SessionFormat);
}

/** Commander exits 1 on usage errors; ESLint-style tools exit 2. Help and --version still exit 0. */
function useEslintExitCodes(command: Command): void {
  command.exitOverride((error: CommanderError) => {
    process.exit(error.exitCode === 0 ? SESSION_EXIT.ok : SESSION_EXIT.error);
  });
}

function parseFormat(value: string): SessionFormat {
  if (value === 'json' || value === 'stylish') return value;
  throw new InvalidArgumentError("expected 'stylish' or 'json'.");
}

function parseCount(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a non-negative integer.');
  return parsed;
}

function parseStatus(value: string): 'active' | 'ended' {
  if (value === 'active' || value === 'ended') return value;
  throw new InvalidArgumentError("expected 'active' or 'ended'.");
}

function parseJsonOption(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new InvalidArgumentError('expected valid JSON.');
  }
}
