/** The shapes of vitest fixtures as plain objects, shared by the SQLite and PostgreSQL fixtures (no vitest import: it is ESM-only). */

/** The `use` callback vitest passes to a fixture. */
export type FixtureUse<T> = (value: T) => Promise<void>;
/** A fixture function; the first parameter must be an object pattern (vitest reads it to find dependencies). */
export type FixtureFunction<T, Context = object> = (context: Context, use: FixtureUse<T>) => Promise<void>;
