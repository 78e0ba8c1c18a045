/**
 * `tdd-fast session start|status|list|show|end|cleanup`: arguments, options, help text, exit codes and what each
 * command does. The store (and with it better-sqlite3) is required only when a session command runs, so `analyze`
 * never pays for loading it.
 */
import * as path from 'node:path';

import { Command, CommanderError, InvalidArgumentError } from 'commander';

import { DEFAULT_RETENTION } from '../engine/defaults';
import { SessionStoreError } from '../session/errors';
import type { SessionStore } from '../session/store';
import type { SessionEvent, SessionRecord, SessionSummary } from '../session/types';

/** Exit codes follow ESLint's habit: 0 ok, 2 usage or internal error. */
export const SESSION_EXIT = { ok: 0, error: 2 } as const;

export type SessionFormat = 'stylish' | 'json';

export interface SessionCommonOptions {
  root?: string;
  db?: string;
  format: SessionFormat;
}

/** The bodies of the session commands. */
export interface SessionActions {
  start(name: string, options: SessionCommonOptions & { context?: unknown }): void;
  status(options: SessionCommonOptions): void;
  list(options: SessionCommonOptions & { limit: number; status?: 'active' | 'ended' }): void;
  show(idOrName: string, options: SessionCommonOptions & { events: number }): void;
  end(idOrName: string | undefined, options: SessionCommonOptions): void;
  cleanup(options: SessionCommonOptions & { maxSessions: number; maxAgeDays: number }): void;
}

/** Adds `tdd-fast session start|status|list|show|end|cleanup` to the program. */
export function registerSessionCommands(program: Command): void {
  const load = () => sessionActions;
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

const EXIT_OK = SESSION_EXIT.ok;
const EXIT_ERROR = SESSION_EXIT.error;
const JSON_VERSION = 1;

/** What `tdd-fast session start|status|list|show|end|cleanup` do. */
export const sessionActions: SessionActions = {
  start: (name, options) =>
    run(options, (store) => {
      const started = store.createSession(name, options.context ?? {});
      const removed = store.cleanupSessions(DEFAULT_RETENTION, { keep: [started.id] });
      return {
        json: { session: started, removedByRetention: removed },
        text: `Started session #${started.id} '${started.name}'.` + (removed ? ` (retention removed ${removed})` : ''),
      };
    }),

  status: (options) =>
    run(options, (store) => {
      const active = store.activeSession();
      if (!active) return { json: { session: null }, text: 'No active session. Start one with `tdd-fast session start <name>`.' };
      const summary = store.summarize(active.id);
      return { json: { summary }, text: formatSummary(summary) };
    }),

  list: (options) =>
    run(options, (store) => {
      const sessions = store.listSessions({ limit: options.limit, status: options.status });
      return { json: { sessions, total: store.countSessions() }, text: formatList(sessions) };
    }),

  show: (idOrName, options) =>
    run(options, (store) => {
      const found = requireSession(store, idOrName);
      const summary = store.summarize(found.id);
      const events = store.listEvents(found.id, { limit: options.events });
      return { json: { summary, events }, text: `${formatSummary(summary)}\n\n${formatEvents(events)}` };
    }),

  end: (idOrName, options) =>
    run(options, (store) => {
      const target = idOrName === undefined ? store.activeSession() : requireSession(store, idOrName);
      if (!target) throw new SessionStoreError('NO_ACTIVE_SESSION', 'No active session to end.', { dbPath: store.dbPath });
      store.endSession(target.id);
      const summary = store.summarize(target.id);
      return { json: { summary }, text: `Ended session #${target.id} '${target.name}'.\n${formatSummary(summary)}` };
    }),

  cleanup: (options) =>
    run(options, (store) => {
      const removed = store.cleanupSessions({ maxSessions: options.maxSessions, maxAgeDays: options.maxAgeDays });
      const remaining = store.countSessions();
      return { json: { removed, remaining }, text: `Removed ${removed} session(s); ${remaining} left.` };
    }),
};

interface Output {
  json: Record<string, unknown>;
  text: string;
}

function run(options: SessionCommonOptions, action: (store: SessionStore) => Output): void {
  let store: SessionStore | undefined;
  try {
    const projectRoot = path.resolve(options.root ?? process.cwd());
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SessionStore: Store } = require('../session/store') as typeof import('../session/store');
    store = Store.open({ projectRoot, dbPath: options.db });
    const output = action(store);
    if (options.format === 'json') {
      process.stdout.write(`${JSON.stringify({ version: JSON_VERSION, ...output.json }, null, 2)}\n`);
    } else {
      process.stdout.write(`${output.text}\n`);
    }
    process.exitCode = EXIT_OK;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof SessionStoreError ? error.code : 'INTERNAL_ERROR';
    if (options.format === 'json') {
      process.stdout.write(`${JSON.stringify({ version: JSON_VERSION, error: { code, message } }, null, 2)}\n`);
    }
    process.stderr.write(`tdd-fast: ${message}\n`);
    process.exitCode = EXIT_ERROR;
  } finally {
    store?.close();
  }
}

function requireSession(store: SessionStore, idOrName: string): SessionRecord {
  const found = store.findSession(idOrName);
  if (!found) {
    throw new SessionStoreError('SESSION_NOT_FOUND', `No session '${idOrName}' in ${store.dbPath}.`, {
      dbPath: store.dbPath,
    });
  }
  return found;
}

function formatSummary(summary: SessionSummary): string {
  const { session, phases, timings } = summary;
  const lines = [
    `Session #${session.id} '${session.name}' (${session.status}), started ${formatTime(session.createdAt)}`,
    `  files analysed   ${summary.filesAnalysed} in ${summary.analyses} analyses (${formatMs(timings.analysisMs)})`,
    `  smells           ${summary.smellsFound} found, ${summary.smellsFixed} fixed`,
    `  tests generated  ${summary.testsGenerated} in ${summary.testFilesWritten} files` +
      (summary.generationErrors ? `, ${summary.generationErrors} errors` : '') +
      ` (${formatMs(timings.generationMs)})`,
    `  phases           red ${phases.red}, green ${phases.green}, refactor ${phases.refactor}; ` +
      `${summary.cycles} cycle(s)` + (summary.currentPhase ? `; now ${summary.currentPhase}` : ''),
    `  time             ${formatMs(timings.sessionMs)} (red ${formatMs(timings.phaseMs.red)}, green ${formatMs(timings.phaseMs.green)}, refactor ${formatMs(timings.phaseMs.refactor)})`,
  ];
  if (summary.cache) {
    lines.push(`  cache            ${summary.cache.hits} hits, ${summary.cache.misses} misses (${Math.round(summary.cache.hitRate * 100)}%)`);
  }
  return lines.join('\n');
}

function formatList(sessions: SessionRecord[]): string {
  if (sessions.length === 0) return 'No sessions yet.';
  const rows = sessions.map((s) => [`#${s.id}`, s.name, s.status, formatTime(s.updatedAt)]);
  const header = ['id', 'name', 'status', 'updated'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [format(header), ...rows.map(format)].join('\n');
}

function formatEvents(events: SessionEvent[]): string {
  if (events.length === 0) return 'No events.';
  return events
    .map((event) => {
      const label = event.phase ? `${event.kind}:${event.phase}` : event.kind;
      const data = JSON.stringify(event.data);
      return `  ${formatTime(event.at)}  ${label.padEnd(14)}${data === '{}' ? '' : ` ${data}`}`;
    })
    .join('\n');
}

function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
