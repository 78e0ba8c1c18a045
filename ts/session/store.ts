import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { BackgroundCheckpointer } from './checkpointer';
import { SessionStoreError, explainStoreError } from './errors';
import { LATEST_SCHEMA_VERSION, assertSchemaUsable, migrate, readSchemaState } from './migrations';
import { cleanupSessionsInDb } from './retention';
import {
  PHASES,
  type AnalysedFile,
  type Phase,
  type RetentionPolicy,
  type SessionEvent,
  type SessionRecord,
  type SessionStatus,
  type SessionSummary,
  type SessionWithContext,
} from './types';
import { summarizeSession } from './summary';
import { type ContextRow, SessionValues, type StoredValue } from './values';

export { tallyPhases } from './summary';

export const DEFAULT_DB_DIR = '.tdd-fast';
export const DEFAULT_DB_FILE = 'sessions.db';
/** Contexts are meant for working state, not archives: 4 MiB keeps a save well under the 10 ms budget. */
export const DEFAULT_MAX_CONTEXT_BYTES = 4 * 1024 * 1024;
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** Values this long or longer are kept as files beside the database (see blobs.ts); SQLite's break-even is ~100 KB. */
export const DEFAULT_FILE_VALUE_CHARS = 64 * 1024;

export interface SessionStoreOptions {
  /** Project the sessions belong to. Default: process.cwd(). */
  projectRoot?: string;
  /** Database file. Default: `<projectRoot>/.tdd-fast/sessions.db`. Relative paths resolve against projectRoot. */
  dbPath?: string;
  /** Largest context (serialised JSON, bytes) saveContext accepts. Default 4 MiB. */
  maxContextBytes?: number;
  /** How long a writer waits for another process's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * 'normal' (default): WAL with synchronous=NORMAL. A killed process never loses a committed session; a power
   * loss may drop the last few commits but never corrupts the file. 'full' also survives power loss, at an fsync
   * per commit.
   */
  durability?: 'normal' | 'full';
  /**
   * Contexts and event data whose JSON is at least this many UTF-8 bytes are stored as files in `<dbPath>-blobs/`
   * and the row names the file, which keeps large writes out of the WAL. Default 64 KiB; Infinity keeps every
   * value in the database.
   */
  fileValueChars?: number;
}

const PAGE_SIZE = 4096;
/** As large as the WAL the checkpointer lets grow (checkpointer.ts): a restarted WAL is reused, not trimmed on a commit. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

interface SessionRow {
  id: number;
  name: string;
  status: SessionStatus;
  project_root: string;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
}

interface SessionRowWithContext extends SessionRow {
  context: string;
  context_file: string | null;
}

interface EventRow {
  id: number;
  session_id: number;
  at: number;
  kind: string;
  phase: Phase | null;
  data: string;
  data_file: string | null;
}

const SESSION_COLUMNS = 'id, name, status, project_root, created_at, updated_at, ended_at';

export function defaultDbPath(projectRoot: string): string {
  return path.join(projectRoot, DEFAULT_DB_DIR, DEFAULT_DB_FILE);
}

/**
 * The SQLite-backed session store: one file per project, WAL mode, forward-migrated schema, prepared statements
 * reused for the life of the store. Safe to share between processes; not meant to be shared between threads.
 */
export class SessionStore {
  readonly dbPath: string;
  readonly projectRoot: string;
  readonly maxContextBytes: number;
  private readonly values: SessionValues;
  private readonly db: Database.Database;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly checkpointer: BackgroundCheckpointer;
  private readonly writes: ReturnType<typeof prepareWrites>;

  private constructor(
    db: Database.Database,
    dbPath: string,
    projectRoot: string,
    options: { maxContextBytes: number; fileValueChars: number; durable: boolean },
  ) {
    this.db = db;
    this.checkpointer = new BackgroundCheckpointer(db, dbPath);
    this.values = new SessionValues(db, dbPath, options);
    this.dbPath = dbPath;
    this.projectRoot = projectRoot;
    this.maxContextBytes = options.maxContextBytes;
    this.statements = prepareStatements(db);
    this.writes = prepareWrites(db, this.statements, this.values, { projectRoot, dbPath });
  }

  /**
   * Opens (creating if needed) the store. Refuses, without modifying it, a file that is not SQLite, a SQLite file
   * that is not ours, or one written by a newer tdd-fast.
   */
  static open(options: SessionStoreOptions = {}): SessionStore {
    const opened = openDatabase(options);
    return new SessionStore(opened.db, opened.dbPath, opened.projectRoot, opened.options);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  createSession<Context = Record<string, never>>(name: string, context?: Context): SessionRecord {
    return this.writing(() => {
      if (name.trim() === '') throw new TypeError('A session needs a non-empty name.');
      const stored = this.values.fromValue(context ?? {}, 'context');
      const id = this.writes.createSession(name, stored, Date.now());
      this.checkpointer.afterCommit(stored.inline.length);
      return requireSession(this.statements, id, this.dbPath);
    });
  }

  /** The session without its context (cheap). */
  getSession(id: number): SessionRecord | undefined {
    return guard(this.db, this.dbPath, () => {
      const row = this.statements.getSession.get(id) as SessionRow | undefined;
      return row && toRecord(row);
    });
  }

  /** The session with its parsed context. */
  loadSession<Context = unknown>(id: number): SessionWithContext<Context> | undefined {
    return guard(this.db, this.dbPath, () => {
      const row = this.statements.getSessionWithContext.get(id) as SessionRowWithContext | undefined;
      if (!row) return undefined;
      const json = this.values.contextText(row, () => this.statements.getContext.get(id) as ContextRow | undefined);
      // Deleted between the two reads (only possible when the context is a file): as if it never existed.
      if (json === undefined) return undefined;
      return { ...toRecord(row), context: JSON.parse(json) as Context };
    });
  }

  /** By numeric id when `idOrName` is one and such a session exists, otherwise the newest session of that name. */
  findSession(idOrName: string | number): SessionRecord | undefined {
    return guard(this.db, this.dbPath, () => {
      const text = String(idOrName).trim();
      if (/^\d+$/.test(text)) {
        const byId = this.getSession(Number(text));
        if (byId) return byId;
      }
      const row = this.statements.getSessionByName.get(text) as SessionRow | undefined;
      return row && toRecord(row);
    });
  }

  /** The most recently updated active session, if any. */
  activeSession(): SessionRecord | undefined {
    return guard(this.db, this.dbPath, () => {
      const row = this.statements.getActiveSession.get() as SessionRow | undefined;
      return row && toRecord(row);
    });
  }

  listSessions(options: { limit?: number; status?: SessionStatus } = {}): SessionRecord[] {
    return guard(this.db, this.dbPath, () => {
      const limit = options.limit ?? -1; // -1 = no limit in SQLite
      const rows = (
        options.status
          ? this.statements.listSessionsByStatus.all(options.status, limit)
          : this.statements.listSessions.all(limit)
      ) as SessionRow[];
      return rows.map(toRecord);
    });
  }

  countSessions(): number {
    return guard(this.db, this.dbPath, () => (this.statements.countSessions.get() as { n: number }).n);
  }

  /** Replaces the session's context. One statement, so one atomic commit. */
  saveContext(id: number, context: unknown): void {
    this.writing(() => {
      const stored = this.values.fromValue(context, 'context');
      if (this.writes.saveContext(id, stored, Date.now()) === 0) throw notFound(id, this.dbPath);
      this.values.collectGarbage();
      this.checkpointer.afterCommit(stored.inline.length);
    });
  }

  /**
   * saveContext for a context that is already JSON text (validated by SQLite's json_valid, not re-parsed in JS).
   * For large contexts this skips the JSON.stringify that dominates the cost of a save.
   */
  saveContextJson(id: number, json: string): void {
    this.writing(() => {
      this.values.assertContextSize(json);
      const notJson = (): TypeError => new TypeError('saveContextJson: the context is not valid JSON.');
      if (this.values.inFile(json)) {
        if (!this.statements.isJson.get(json)) throw notJson();
        if (this.writes.saveContext(id, this.values.toStored(json), Date.now()) === 0) throw notFound(id, this.dbPath);
      } else {
        const result = this.statements.saveContextJson.run(json, Date.now(), id, json);
        if (result.changes === 0) {
          if (!this.statements.getSession.get(id)) throw notFound(id, this.dbPath);
          throw notJson();
        }
      }
      this.values.collectGarbage();
      this.checkpointer.afterCommit(this.values.walChars(json));
    });
  }

  /** The context as stored JSON text, without parsing it. */
  loadContextJson(id: number): string | undefined {
    return guard(this.db, this.dbPath, () => {
      const row = this.statements.getContext.get(id) as ContextRow | undefined;
      return row && this.values.contextText(row, () => this.statements.getContext.get(id) as ContextRow | undefined);
    });
  }

  loadContext<Context = unknown>(id: number): Context | undefined {
    return guard(this.db, this.dbPath, () => {
      const row = this.statements.getContext.get(id) as ContextRow | undefined;
      const json = row && this.values.contextText(row, () => this.statements.getContext.get(id) as ContextRow | undefined);
      return json === undefined ? undefined : (JSON.parse(json) as Context);
    });
  }

  recordEvent(sessionId: number, kind: string, data: unknown = {}, phase: Phase | null = null): number {
    return this.writing(() => {
      const stored = this.values.fromValue(data, 'data');
      const id = this.writes.recordEvent(sessionId, { kind, phase }, stored, Date.now());
      this.checkpointer.afterCommit(stored.inline.length);
      return id;
    });
  }

  recordPhase(sessionId: number, phase: Phase, details: unknown = {}): number {
    if (!PHASES.includes(phase)) {
      throw new TypeError(`Unknown TDD phase '${String(phase)}': expected one of ${PHASES.join(', ')}.`);
    }
    return this.recordEvent(sessionId, 'phase', details, phase);
  }

  /** Records an analysis: per-file smell bookkeeping plus one 'analysis' event, in one transaction. */
  recordAnalysis(sessionId: number, files: AnalysedFile[], data: unknown = {}): number {
    return this.writing(() => {
      if (!this.statements.getSession.get(sessionId)) throw notFound(sessionId, this.dbPath);
      const eventId = this.writes.recordAnalysis(sessionId, files, this.values.fromValue(data ?? {}, 'data'), Date.now());
      this.checkpointer.afterCommit(files.length * 256);
      return eventId;
    });
  }

  listEvents(sessionId: number, options: { limit?: number; kind?: string } = {}): SessionEvent[] {
    return guard(this.db, this.dbPath, () => {
      const limit = options.limit ?? -1;
      const rows = (
        options.kind
          ? this.statements.listEventsByKind.all(sessionId, options.kind, limit)
          : this.statements.listEvents.all(sessionId, limit)
      ) as EventRow[];
      return rows.map((row) => ({
        id: row.id,
        sessionId: row.session_id,
        at: row.at,
        kind: row.kind,
        phase: row.phase,
        data: JSON.parse(row.data_file ? this.values.fileText(row.data_file) : row.data) as unknown,
      }));
    });
  }

  /** Marks the session ended (idempotent) and returns it. */
  endSession(id: number): SessionRecord {
    return this.writing(() => {
      const now = Date.now();
      const end = this.db.transaction(() => {
        const result = this.statements.endSession.run(now, now, id);
        if (result.changes > 0) this.statements.insertEvent.run(id, now, 'end', null, '{}', null);
      });
      end.immediate();
      this.checkpointer.afterCommit(0);
      return requireSession(this.statements, id, this.dbPath);
    });
  }

  /** Makes an ended session active again (recording a 'resume' event) and returns it. */
  resumeSession(id: number): SessionRecord {
    return this.writing(() => {
      const now = Date.now();
      const resume = this.db.transaction(() => {
        const result = this.statements.reopenSession.run(now, id);
        if (result.changes === 0) throw notFound(id, this.dbPath);
        this.statements.insertEvent.run(id, now, 'resume', null, '{}', null);
      });
      resume.immediate();
      this.checkpointer.afterCommit(0);
      return requireSession(this.statements, id, this.dbPath);
    });
  }

  deleteSession(id: number): boolean {
    return this.writing(() => {
      const deleted = this.statements.deleteSession.run(id).changes > 0;
      this.values.collectGarbage();
      this.checkpointer.afterCommit(0);
      return deleted;
    });
  }

  /** Applies the retention policy; returns how many sessions it removed. `keep` ids are never removed. */
  cleanupSessions(policy: RetentionPolicy = {}, options: { keep?: number[]; now?: number } = {}): number {
    return this.writing(() => {
      const removed = cleanupSessionsInDb(this.db, policy, options);
      this.values.collectGarbage();
      this.checkpointer.afterCommit(removed * 1024);
      this.values.sweepOnce();
      return removed;
    });
  }

  /** Everything summary() reports except the engine's cache counters (the store has no engine). */
  summarize(id: number): SessionSummary {
    return guard(this.db, this.dbPath, () =>
      summarizeSession(requireSession(this.statements, id, this.dbPath), this.statements, this.values),
    );
  }

  /** Runs `fn` in one IMMEDIATE transaction (all or nothing, and no lock upgrade races with other processes). */
  transaction<T>(fn: () => T): T {
    return this.writing(() => {
      const result = this.db.transaction(fn).immediate();
      this.values.collectGarbage();
      this.checkpointer.afterCommit(0);
      return result;
    });
  }

  /** `PRAGMA integrity_check`: 'ok' when the file is sound. Slow on big files; for tools and tests, not hot paths. */
  integrityCheck(): string {
    return guard(this.db, this.dbPath, () => String(this.db.pragma('integrity_check', { simple: true })));
  }

  close(): void {
    this.checkpointer.close();
    if (this.db.open) this.db.close();
  }

  /** guard() for an operation that takes the write lock. */
  private writing<T>(operation: () => T): T {
    this.checkpointer.beforeWrite();
    return guard(this.db, this.dbPath, operation);
  }
}

/** SessionStore.open without the store: the database, in WAL mode and migrated, and the options resolved. */
function openDatabase(options: SessionStoreOptions): {
db: Database.Database;
dbPath: string;
projectRoot: string;
options: { maxContextBytes: number; fileValueChars: number; durable: boolean };
} {
  const projectRoot = path.resolve(options.projectRoot ?? process.cwd());
  const dbPath = path.resolve(projectRoot, options.dbPath ?? defaultDbPath(projectRoot));
  const maxContextBytes = options.maxContextBytes ?? DEFAULT_MAX_CONTEXT_BYTES;
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const fileValueChars = options.fileValueChars ?? DEFAULT_FILE_VALUE_CHARS;
  if (!(fileValueChars >= 1)) {
    throw new RangeError(`fileValueChars must be a positive number or Infinity (got ${String(options.fileValueChars)}).`);
  }

  prepareLocation(dbPath);
  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath, { timeout: busyTimeoutMs });
    // Checks first, writes after: switching to WAL rewrites header bytes, so a file we refuse must be refused here.
    const state = readSchemaState(db);
    assertSchemaUsable(state, dbPath, db);
    // Only a brand-new file can still choose its page size (WAL fixes it). Large values live in files (blobs.ts),
    // so pages only hold rows up to 64 KiB: 4 KiB pages write a third of the WAL bytes of 16 KiB ones for a 10 KB
    // event (p50 0.14 -> 0.09 ms per write in bench/session). Stores created with 16 KiB pages keep them.
    if (state.objectCount === 0 && state.userVersion === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
    // The switch to WAL needs an exclusive lock and SQLite answers SQLITE_BUSY at once, without its busy handler,
    // while another process opening the same new file holds a lock: wait for it like any other writer.
    const connection = db;
    const mode = retryWhileBusy(() => connection.pragma('journal_mode = WAL', { simple: true }), busyTimeoutMs);
    if (mode !== 'wal') {
      throw new SessionStoreError('OPEN_FAILED', `Could not put ${dbPath} in WAL mode (got '${String(mode)}').`, {
        dbPath,
      });
    }
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    // Checkpoints run beside the writer, not inside its commits (see checkpointer.ts); a reset WAL is trimmed back.
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    if (state.userVersion < LATEST_SCHEMA_VERSION) migrate(db, dbPath, packageVersion());
    return {
      db,
      dbPath,
      projectRoot,
      options: { maxContextBytes, fileValueChars, durable: options.durability === 'full' },
    };
  } catch (error) {
    db?.close();
    throw explainStoreError(error, dbPath);
  }
}

/** An event's kind and TDD phase (null for events outside the cycle). */
interface EventKind {
  kind: string;
  phase: Phase | null;
}

/**
 * The write transactions that may name a file. Inside each: the file first, then the row that names it (see
 * blobs.ts). Each runs as `BEGIN IMMEDIATE`, so the file is written under the write lock.
 */
function prepareWrites(
  db: Database.Database,
  s: ReturnType<typeof prepareStatements>,
  values: SessionValues,
  where: { projectRoot: string; dbPath: string },
) {
  const createSession = db.transaction((name: string, context: StoredValue, now: number): number => {
    values.put(context);
    const id = Number(
      s.insertSession.run(name, where.projectRoot, now, now, context.inline, context.file).lastInsertRowid,
    );
    s.insertEvent.run(id, now, 'start', null, JSON.stringify({ name }), null);
    return id;
  });

  // One commit for the touch and the event: atomic, and half the WAL writes of two autocommits.
  const recordEvent = db.transaction((sessionId: number, event: EventKind, data: StoredValue, now: number): number => {
    const touched = s.touchSession.run(now, sessionId);
    if (touched.changes === 0) throw notFound(sessionId, where.dbPath);
    values.put(data);
    return Number(s.insertEvent.run(sessionId, now, event.kind, event.phase, data.inline, data.file).lastInsertRowid);
  });

  const recordAnalysis = db.transaction(
    (sessionId: number, files: AnalysedFile[], data: StoredValue, now: number): number => {
      for (const file of files) {
        const previous = s.getFile.get(sessionId, file.path) as { smell_keys: string } | undefined;
        const fixed = previous ? countDisappeared(JSON.parse(previous.smell_keys) as string[], file.smellKeys) : 0;
        s.upsertFile.run(sessionId, file.path, file.hash, file.smellKeys.length, JSON.stringify(file.smellKeys), fixed, now);
      }
      values.put(data);
      const eventId = Number(s.insertEvent.run(sessionId, now, 'analysis', null, data.inline, data.file).lastInsertRowid);
      s.touchSession.run(now, sessionId);
      return eventId;
    },
  );

  const saveContext = db.transaction((id: number, context: StoredValue, now: number): number => {
    const changes = s.saveContext.run(context.inline, context.file, now, id).changes;
    if (changes > 0) values.put(context); // still before the commit; no file for a session that does not exist
    return changes;
  });

  return {
    createSession: (name: string, context: StoredValue, now: number): number => createSession.immediate(name, context, now),
    recordEvent: (sessionId: number, event: EventKind, data: StoredValue, now: number): number =>
      recordEvent.immediate(sessionId, event, data, now),
    recordAnalysis: (sessionId: number, files: AnalysedFile[], data: StoredValue, now: number): number =>
      recordAnalysis.immediate(sessionId, files, data, now),
    // An inline value is one statement, so one atomic commit without BEGIN/COMMIT round trips.
    saveContext: (id: number, context: StoredValue, now: number): number =>
      context.file ? saveContext.immediate(id, context, now) : s.saveContext.run(context.inline, null, now, id).changes,
  };
}

/** Runs a store operation: refuses a closed store, and turns SQLite's errors into ones that name the cause. */
function guard<T>(db: Database.Database, dbPath: string, operation: () => T): T {
  if (!db.open) {
    throw new SessionStoreError('CLOSED', `The session store ${dbPath} is closed.`, { dbPath });
  }
  try {
    return operation();
  } catch (error) {
    throw explainStoreError(error, dbPath);
  }
}

function requireSession(statements: ReturnType<typeof prepareStatements>, id: number, dbPath: string): SessionRecord {
  const row = statements.getSession.get(id) as SessionRow | undefined;
  if (!row) throw notFound(id, dbPath);
  return toRecord(row);
}

const busyWait = new Int32Array(new SharedArrayBuffer(4));

/** Runs `operation` again (after 1-4 ms) while SQLite reports the database busy or locked, up to `timeoutMs`. */
function retryWhileBusy<T>(operation: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return operation();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || String(code).startsWith('SQLITE_BUSY_');
      if (!busy || Date.now() >= deadline) throw error;
      Atomics.wait(busyWait, 0, 0, 1 + (attempt % 4));
    }
  }
}

function prepareStatements(db: Database.Database) {
  return {
    insertSession: db.prepare(
      "INSERT INTO sessions (name, status, project_root, created_at, updated_at, context, context_file) VALUES (?, 'active', ?, ?, ?, ?, ?)",
    ),
    getSession: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`),
    getSessionWithContext: db.prepare(`SELECT ${SESSION_COLUMNS}, context, context_file FROM sessions WHERE id = ?`),
    getSessionByName: db.prepare(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE name = ? ORDER BY created_at DESC, id DESC LIMIT 1`,
    ),
    getActiveSession: db.prepare(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE status = 'active' ORDER BY updated_at DESC, id DESC LIMIT 1`,
    ),
    listSessions: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions ORDER BY updated_at DESC, id DESC LIMIT ?`),
    listSessionsByStatus: db.prepare(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE status = ? ORDER BY updated_at DESC, id DESC LIMIT ?`,
    ),
    countSessions: db.prepare('SELECT count(*) AS n FROM sessions'),
    saveContext: db.prepare('UPDATE sessions SET context = ?, context_file = ?, updated_at = ? WHERE id = ?'),
    saveContextJson: db.prepare(
      'UPDATE sessions SET context = ?, context_file = NULL, updated_at = ? WHERE id = ? AND json_valid(?)',
    ),
    isJson: db.prepare('SELECT 1 WHERE json_valid(?)'),
    getContext: db.prepare('SELECT context, context_file FROM sessions WHERE id = ?'),
    touchSession: db.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?'),
    endSession: db.prepare("UPDATE sessions SET status = 'ended', ended_at = ?, updated_at = ? WHERE id = ? AND status = 'active'"),
    reopenSession: db.prepare("UPDATE sessions SET status = 'active', ended_at = NULL, updated_at = ? WHERE id = ?"),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
    insertEvent: db.prepare(
      'INSERT INTO session_events (session_id, at, kind, phase, data, data_file) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    listEvents: db.prepare(
      'SELECT id, session_id, at, kind, phase, data, data_file FROM session_events WHERE session_id = ? ORDER BY id LIMIT ?',
    ),
    listEventsByKind: db.prepare(
      'SELECT id, session_id, at, kind, phase, data, data_file FROM session_events WHERE session_id = ? AND kind = ? ORDER BY id LIMIT ?',
    ),
    fileEventsOfKinds: db.prepare(
      "SELECT kind, data_file FROM session_events WHERE session_id = ? AND kind IN ('analysis', 'generated') AND data_file IS NOT NULL",
    ),
    getFile: db.prepare('SELECT smell_keys FROM session_files WHERE session_id = ? AND path = ?'),
    upsertFile: db.prepare(
      `INSERT INTO session_files (session_id, path, hash, smells, smell_keys, fixed, analyses, analysed_at)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (session_id, path) DO UPDATE SET
         hash = excluded.hash, smells = excluded.smells, smell_keys = excluded.smell_keys,
         fixed = fixed + excluded.fixed, analyses = analyses + 1, analysed_at = excluded.analysed_at`,
    ),
    fileTotals: db.prepare(
      'SELECT count(*) AS files, sum(smells) AS smells, sum(fixed) AS fixed FROM session_files WHERE session_id = ?',
    ),
    analysisTotals: db.prepare(
      "SELECT count(*) AS n, sum(json_extract(data, '$.ms')) AS ms FROM session_events WHERE session_id = ? AND kind = 'analysis'",
    ),
    generationTotals: db.prepare(
      `SELECT sum(json_extract(data, '$.tests')) AS tests, sum(json_extract(data, '$.written')) AS written,
              sum(json_extract(data, '$.errors')) AS errors, sum(json_extract(data, '$.ms')) AS ms
       FROM session_events WHERE session_id = ? AND kind = 'generated'`,
    ),
    phaseEvents: db.prepare(
      "SELECT at, phase FROM session_events WHERE session_id = ? AND kind = 'phase' ORDER BY id",
    ),
  };
}

/** Creates the directory and rejects, before SQLite sees it, a path that is a directory or a non-SQLite file. */
function prepareLocation(dbPath: string): void {
  try {
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw explainStoreError(error, dbPath);
    throw new SessionStoreError(
      'OPEN_FAILED',
      `Cannot create the directory for the session database ${dbPath}: ${(error as Error).message}`,
      { dbPath, cause: error },
    );
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dbPath);
  } catch {
    return; // does not exist yet: SQLite creates it
  }
  if (!stat.isFile()) {
    throw new SessionStoreError('OPEN_FAILED', `The session database path ${dbPath} exists but is not a file.`, {
      dbPath,
    });
  }
  if (stat.size === 0) return; // an empty file is a valid empty database
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(dbPath, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, header.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < SQLITE_HEADER.length || !header.equals(SQLITE_HEADER)) {
    throw new SessionStoreError(
      'NOT_A_DATABASE',
      `${dbPath} is not a SQLite database (wrong file header). tdd-fast will not overwrite it: ` +
        'move it aside or pass a different dbPath / --db.',
      { dbPath },
    );
  }
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    projectRoot: row.project_root,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
  };
}

function notFound(id: number, dbPath: string): SessionStoreError {
  return new SessionStoreError('SESSION_NOT_FOUND', `No session with id ${id} in ${dbPath}.`, { dbPath });
}

/** How many occurrences in `before` are missing from `after` (multiset difference). */
export function countDisappeared(before: readonly string[], after: readonly string[]): number {
  const remaining = new Map<string, number>();
  for (const key of after) remaining.set(key, (remaining.get(key) ?? 0) + 1);
  let disappeared = 0;
  for (const key of before) {
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    else disappeared++;
  }
  return disappeared;
}

let cachedPackageVersion: string | undefined;
function packageVersion(): string {
  if (cachedPackageVersion === undefined) {
    try {
      const manifest = path.join(__dirname, '..', '..', 'package.json');
      cachedPackageVersion = String((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: unknown }).version);
    } catch {
      cachedPackageVersion = 'unknown';
    }
  }
  return cachedPackageVersion;
}
