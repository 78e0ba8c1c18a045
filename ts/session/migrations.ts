import type Database from 'better-sqlite3';
import { SessionStoreError } from './errors';

/**
 * `PRAGMA application_id` of every tdd-fast session store ("tddf" in ASCII). It is how we tell our file from
 * someone else's SQLite database without touching theirs.
 */
export const APPLICATION_ID = 0x74646466;

/**
 * Forward-only migrations. MIGRATIONS[n] takes the schema from version n to n + 1; the schema version lives in
 * `PRAGMA user_version`. Never edit a shipped migration: append a new one, so every older file upgrades the same way.
 */
export const MIGRATIONS: readonly string[] = [
  // v0 -> v1: sessions, their events, the per-file bookkeeping behind summary(), and a small meta table.
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('active', 'ended')),
    project_root TEXT    NOT NULL,
    created_at   INTEGER NOT NULL, -- ms since epoch
    updated_at   INTEGER NOT NULL,
    ended_at     INTEGER,
    context      TEXT    NOT NULL DEFAULT '{}' -- JSON, size-bounded by the store
  );
  CREATE INDEX sessions_by_updated ON sessions (updated_at);
  CREATE INDEX sessions_by_name ON sessions (name, created_at);
  CREATE INDEX sessions_active ON sessions (updated_at) WHERE status = 'active';

  CREATE TABLE session_events (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    kind       TEXT    NOT NULL, -- 'start' | 'resume' | 'phase' | 'analysis' | 'generated' | 'end' | anything a caller records
    phase      TEXT,             -- 'red' | 'green' | 'refactor' for kind = 'phase'
    data       TEXT    NOT NULL DEFAULT '{}'
  );
  CREATE INDEX session_events_by_session ON session_events (session_id, id);

  CREATE TABLE session_files (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    path       TEXT    NOT NULL,
    hash       TEXT    NOT NULL,
    smells     INTEGER NOT NULL, -- smells in the latest analysis of this file
    smell_keys TEXT    NOT NULL, -- JSON array of "ruleId@function" from the latest analysis
    fixed      INTEGER NOT NULL DEFAULT 0, -- smells that disappeared between analyses, summed
    analyses   INTEGER NOT NULL DEFAULT 1,
    analysed_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, path)
  ) WITHOUT ROWID;
  `,
  // v1 -> v2: large values (contexts, event data) live in files beside the database (see blobs.ts); the row names
  // the file. Triggers list every file a row stops naming, so the store can delete it after the commit.
  `
  ALTER TABLE sessions ADD COLUMN context_file TEXT;
  ALTER TABLE session_events ADD COLUMN data_file TEXT;
  CREATE INDEX sessions_by_context_file ON sessions (context_file) WHERE context_file IS NOT NULL;
  CREATE INDEX session_events_by_data_file ON session_events (data_file) WHERE data_file IS NOT NULL;

  CREATE TABLE blob_garbage (
    name TEXT PRIMARY KEY -- a file no longer named by the row that named it; deleted once no row names it
  ) WITHOUT ROWID;

  CREATE TRIGGER sessions_context_file_deleted AFTER DELETE ON sessions WHEN old.context_file IS NOT NULL
  BEGIN INSERT OR IGNORE INTO blob_garbage (name) VALUES (old.context_file); END;
  CREATE TRIGGER sessions_context_file_replaced AFTER UPDATE OF context_file ON sessions
    WHEN old.context_file IS NOT NULL AND old.context_file IS NOT new.context_file
  BEGIN INSERT OR IGNORE INTO blob_garbage (name) VALUES (old.context_file); END;
  CREATE TRIGGER session_events_data_file_deleted AFTER DELETE ON session_events WHEN old.data_file IS NOT NULL
  BEGIN INSERT OR IGNORE INTO blob_garbage (name) VALUES (old.data_file); END;
  `,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

export interface SchemaState {
  applicationId: number;
  userVersion: number;
  /** Tables, indexes, views and triggers in the file (0 for a brand-new or empty file). */
  objectCount: number;
}

/**
 * The three facts in ONE statement, so one read snapshot. Read separately, another process could commit its
 * migration between them: application_id 0 from before it, tables from after it, and a brand-new store would look
 * like someone else's database (the first-open race of several processes opening a new file at once).
 */
const SCHEMA_STATE_SQL =
  'SELECT (SELECT application_id FROM pragma_application_id) AS applicationId, ' +
  '(SELECT user_version FROM pragma_user_version) AS userVersion, ' +
  '(SELECT count(*) FROM sqlite_master) AS objectCount';

export function readSchemaState(db: Database.Database): SchemaState {
  return db.prepare(SCHEMA_STATE_SQL).get() as SchemaState;
}

/**
 * Refuses files we must not write: someone else's database, or one written by a newer tdd-fast. Called before
 * any write (including switching to WAL), so a refused file stays byte-for-byte as it was.
 */
export function assertSchemaUsable(state: SchemaState, dbPath: string, db: Database.Database): void {
  const isEmpty = state.objectCount === 0 && state.userVersion === 0;
  if (state.applicationId !== APPLICATION_ID && !isEmpty) {
    throw new SessionStoreError(
      'FOREIGN_DATABASE',
      `${dbPath} is a SQLite database but not a tdd-fast session store (application_id ${state.applicationId}). ` +
        'tdd-fast will not modify it: pass a different dbPath / --db.',
      { dbPath },
    );
  }
  if (state.userVersion > LATEST_SCHEMA_VERSION) {
    const writtenBy = readWrittenBy(db);
    throw new SessionStoreError(
      'SCHEMA_TOO_NEW',
      `The session database ${dbPath} has schema version ${state.userVersion}` +
        (writtenBy ? ` (written by tdd-fast ${writtenBy})` : '') +
        `, but this tdd-fast understands up to version ${LATEST_SCHEMA_VERSION}. ` +
        'Upgrade tdd-fast to use it; the file was left untouched.',
      { dbPath },
    );
  }
}

function readWrittenBy(db: Database.Database): string | undefined {
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'written_by'").get() as { value: string } | undefined;
    return row?.value;
  } catch {
    return undefined; // a future schema may have no meta table; the message is still clear without it
  }
}

/**
 * Brings the file up to LATEST_SCHEMA_VERSION in one IMMEDIATE transaction. The version is re-read under the write
 * lock, so several processes opening a fresh file at once apply each migration exactly once.
 */
export function migrate(db: Database.Database, dbPath: string, packageVersion: string): void {
  const run = db.transaction(() => {
    const state = readSchemaState(db);
    assertSchemaUsable(state, dbPath, db);
    if (state.userVersion === LATEST_SCHEMA_VERSION) return;
    for (let version = state.userVersion; version < LATEST_SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version]!);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION}`);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('written_by', ?)").run(packageVersion);
  });
  run.immediate();
}
