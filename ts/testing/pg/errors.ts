/**
 * Errors of the PostgreSQL backends, each naming its cause (connection.ts translates driver errors into them). Every
 * class has a stable `code` so a test (or a CI log grep) can tell the causes apart without parsing messages.
 */

/** A connection string `pg` cannot use (unparsable, not postgresql:, a port that is not a number). */
export class PgUrlError extends Error {
  readonly code = 'TDD_FAST_PG_URL';
}

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
