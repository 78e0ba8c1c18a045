/** Why a session-store operation failed; stable strings so callers and the CLI can branch on them. */
export type SessionStoreErrorCode =
  | 'NOT_A_DATABASE'
  | 'FOREIGN_DATABASE'
  | 'SCHEMA_TOO_NEW'
  | 'CORRUPT'
  | 'READ_ONLY'
  | 'OPEN_FAILED'
  | 'CONTEXT_TOO_LARGE'
  | 'SESSION_NOT_FOUND'
  | 'SESSION_ENDED'
  | 'NO_ACTIVE_SESSION'
  | 'CLOSED';

export class SessionStoreError extends Error {
  readonly code: SessionStoreErrorCode;
  /** The database file the error is about, when there is one. */
  readonly dbPath: string | undefined;

  constructor(code: SessionStoreErrorCode, message: string, options: { dbPath?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SessionStoreError';
    this.code = code;
    this.dbPath = options.dbPath;
  }
}

/** SQLite result codes (from better-sqlite3's SqliteError.code) that mean "this file is damaged or not a database". */
const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE']);
const READ_ONLY_CODES = new Set([
  'SQLITE_READONLY',
  'SQLITE_READONLY_DIRECTORY',
  'SQLITE_READONLY_CANTINIT',
  'SQLITE_READONLY_CANTLOCK',
  'SQLITE_READONLY_RECOVERY',
  'SQLITE_READONLY_ROLLBACK',
  'SQLITE_READONLY_DBMOVED',
  'SQLITE_CANTOPEN',
  'SQLITE_PERM',
]);
const FS_READ_ONLY_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Turns a low-level error (SqliteError, fs error) into a SessionStoreError that names the file and says what to do.
 * Errors that are already SessionStoreErrors, and errors we do not recognise, pass through unchanged.
 */
export function explainStoreError(error: unknown, dbPath: string): unknown {
  if (error instanceof SessionStoreError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  if (CORRUPTION_CODES.has(code)) {
    return new SessionStoreError(
      'CORRUPT',
      `The session database ${dbPath} is corrupt or not a SQLite database (${code}). ` +
        'tdd-fast will not overwrite it: move it aside or delete it to start a fresh history.',
      { dbPath, cause: error },
    );
  }
  if (READ_ONLY_CODES.has(code) || FS_READ_ONLY_CODES.has(code)) {
    return new SessionStoreError(
      'READ_ONLY',
      `Cannot write the session database ${dbPath} (${code}): the project directory or the file is read-only. ` +
        'Make it writable or point dbPath / --db at a writable location.',
      { dbPath, cause: error },
    );
  }
  return error;
}
