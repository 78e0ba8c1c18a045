/**
 * Errors of the PostgreSQL backends, each naming its cause, and the translation of driver errors into them. Every
 * class has a stable `code` so a test (or a CI log grep) can tell the causes apart without parsing messages.
 */

/** No PostgreSQL answered at the address (refused, no such socket, timed out, unknown host). */
export class PgUnreachableError extends Error {
  readonly code = 'TDD_FAST_PG_UNREACHABLE';
}
/** The server answered but refused the user or password. */
export class PgAuthError extends Error {
  readonly code = 'TDD_FAST_PG_AUTH';
}
/** A migration file (or the seed, or a `migrate` callback) failed; `file` and `statement` say where. */
export class PgMigrationError extends Error {
  readonly code = 'TDD_FAST_PG_MIGRATION';
  constructor(
    message: string,
    readonly file: string,
    readonly statement: string | null,
    readonly line: number | null,
    readonly cause: unknown,
  ) {
    super(message);
  }
}
/** The template database has other sessions, so PostgreSQL refuses to copy it. */
export class PgTemplateInUseError extends Error {
  readonly code = 'TDD_FAST_PG_TEMPLATE_IN_USE';
}
/** No configuration says where the server is (no option, no DATABASE_URL / TDD_FAST_PG_URL). */
export class PgNoServerError extends Error {
  readonly code = 'TDD_FAST_PG_NO_SERVER';
}
/** `fresh()` waited longer than `acquireTimeoutMs` for a database. */
export class PgPoolExhaustedError extends Error {
  readonly code = 'TDD_FAST_POOL_EXHAUSTED';
}
/** A local throwaway server could not be started or stopped. */
export class PgServerError extends Error {
  readonly code = 'TDD_FAST_PG_SERVER';
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET']);

/** Where a connection string points, without its password, for messages. */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const host = url.searchParams.get('host') ?? (url.hostname || 'localhost');
    const port = url.searchParams.get('port') ?? (url.port || '5432');
    const user = decodeURIComponent(url.username || process.env.PGUSER || 'default user');
    return `${host}:${port} as ${user} (database ${decodeURIComponent(url.pathname.slice(1)) || 'default'})`;
  } catch {
    return '(unparsable connection string)';
  }
}

/** Turns a connection failure of `pg` into one of the errors above; other errors are returned as they are. */
export function classifyConnectError(error: unknown, connectionString: string): Error {
  const err = error as { code?: string; message?: string };
  const target = describeTarget(connectionString);
  const message = err?.message ?? String(error);
  if ((err?.code && UNREACHABLE_CODES.has(err.code)) || /timeout expired|Connection terminated due to connection timeout/i.test(message)) {
    return new PgUnreachableError(
      `tdd-fast: cannot reach PostgreSQL at ${target}: ${err.code ?? message}. Is the server running? ` +
        'Start a throwaway one with `npx tdd-fast testing pg start`, or leave the URL unset to use PgliteTemplate.',
    );
  }
  if (err?.code === '28P01' || err?.code === '28000') {
    return new PgAuthError(`tdd-fast: PostgreSQL at ${target} refused the credentials: ${message}`);
  }
  if (err?.code === '3D000') {
    return new PgUnreachableError(`tdd-fast: PostgreSQL at ${target}: ${message} (the admin database must exist)`);
  }
  return error instanceof Error ? error : new Error(message);
}
