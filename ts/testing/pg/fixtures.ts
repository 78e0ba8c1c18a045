/**
 * vitest fixtures for the PostgreSQL backends (PostgresTemplate and PgliteTemplate alike), as plain objects:
 *
 *   const test = base.extend(pgFixtures(template));                       // a fresh database per test
 *   const test = base.extend(pgFixtures(template, { mode: 'transaction', isolationLevel: 'serializable' }));
 *   test('x', async ({ pg }) => { await pg.client.query('...'); });
 *
 * Each fixture writes how long it took to get its database into the test's meta (`tddFastDb`), which the perf
 * reporter subtracts from the test's duration: database time vs. test body.
 */
import type { FixtureFunction } from '../fixture-types';

/** What both templates hand out. */
export interface PgDatabaseHandle<C> {
  /** URL of the database (null for PGlite, which has no server). */
  connectionString: string | null;
  database: string;
  client: C;
  release(): void;
}
export interface PgTemplateLike<C> {
  readonly name: string;
  fresh(): Promise<PgDatabaseHandle<C>>;
  stats(): { backend: string };
}
/** Anything with `query(sql)`: a `pg` Client, a PGlite instance, a pool client. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

export interface PgFixtureOptions {
  /**
   * `fresh` (default): every test gets its own database (`pg`), cloned ahead of demand.
   * `transaction`: every test runs inside a transaction on the per-file database and is rolled back. Code under test
   * must not COMMIT: use `withTransaction(client, fn)`, which becomes a savepoint inside the test's transaction.
   */
  mode?: 'fresh' | 'transaction';
  /** Isolation level of the test transaction in `transaction` mode. Default `read committed`. */
  isolationLevel?: IsolationLevel;
}

/** Stored in `task.meta[DB_META_KEY]` by the fixtures. */
export interface DbTimingMeta {
  backend: string;
  mode: 'fresh' | 'transaction';
  /** Waiting for the database (fresh) or opening the test transaction (transaction mode). */
  acquireMs: number;
  /** Release / rollback after the test. */
  releaseMs: number;
}
export const DB_META_KEY = 'tddFastDb';

interface TaskContext {
  task: { meta: Record<string, unknown> };
}

export interface PgFixtures<C> {
  pgPerFile: [FixtureFunction<PgDatabaseHandle<C>>, { scope: 'file' }];
  pg: FixtureFunction<PgDatabaseHandle<C>, TaskContext & { pgPerFile: PgDatabaseHandle<C> }>;
}

const depth = new WeakMap<object, number>();

/**
 * Runs `fn` in a transaction on `client`: BEGIN/COMMIT at the top level, a SAVEPOINT when already inside one opened
 * by withTransaction or by the transaction-mode fixture. Rolls back (to the savepoint) when `fn` throws.
 */
export async function withTransaction<T, C extends Queryable>(client: C, fn: (client: C) => Promise<T>, isolationLevel?: IsolationLevel): Promise<T> {
  const level = depth.get(client) ?? 0;
  const savepoint = `tdd_fast_sp_${level}`;
  await client.query(level === 0 ? `BEGIN${isolationLevel ? ` ISOLATION LEVEL ${isolationLevel.toUpperCase()}` : ''}` : `SAVEPOINT ${savepoint}`);
  depth.set(client, level + 1);
  try {
    const result = await fn(client);
    await client.query(level === 0 ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`);
    return result;
  } catch (error) {
    await client.query(level === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => undefined);
    throw error;
  } finally {
    depth.set(client, level);
  }
}

const now = () => process.hrtime.bigint();
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

export function pgFixtures<C extends Queryable>(template: PgTemplateLike<C>, options: PgFixtureOptions = {}): PgFixtures<C> {
  const mode = options.mode ?? 'fresh';
  const level = (options.isolationLevel ?? 'read committed').toUpperCase();
  if (!['READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'].includes(level)) {
    throw new Error(`tdd-fast: unknown isolationLevel "${options.isolationLevel}" (read committed, repeatable read, serializable)`);
  }
  const backend = () => template.stats().backend;

  // eslint-disable-next-line no-empty-pattern
  const pgPerFile: FixtureFunction<PgDatabaseHandle<C>> = async ({}, use) => {
    const db = await template.fresh();
    try {
      await use(db);
    } finally {
      db.release();
    }
  };

  const fresh: PgFixtures<C>['pg'] = async ({ task }, use) => {
    const started = now();
    const db = await template.fresh();
    const meta: DbTimingMeta = { backend: backend(), mode: 'fresh', acquireMs: since(started), releaseMs: 0 };
    task.meta[DB_META_KEY] = meta;
    try {
      await use(db);
    } finally {
      const releasing = now();
      db.release();
      meta.releaseMs = since(releasing);
    }
  };

  const transaction: PgFixtures<C>['pg'] = async ({ pgPerFile, task }, use) => {
    const started = now();
    const client = pgPerFile.client;
    await client.query(`BEGIN ISOLATION LEVEL ${level}`);
    // A transaction-local marker: gone if the test COMMITs or ROLLBACKs our transaction itself.
    await client.query("SET LOCAL tdd_fast.in_test = 'on'");
    depth.set(client, 1);
    const meta: DbTimingMeta = { backend: backend(), mode: 'transaction', acquireMs: since(started), releaseMs: 0 };
    task.meta[DB_META_KEY] = meta;
    let escaped = false;
    try {
      await use(pgPerFile);
    } finally {
      const releasing = now();
      depth.set(client, 0);
      try {
        const result = (await client.query("SELECT current_setting('tdd_fast.in_test', true) AS marker")) as { rows: { marker: string | null }[] };
        escaped = result.rows[0]?.marker !== 'on';
      } catch {
        // "current transaction is aborted": still ours; the rollback below ends it
      }
      await client.query('ROLLBACK');
      meta.releaseMs = since(releasing);
    }
    if (escaped) {
      throw new Error(
        'tdd-fast: the test ended its transaction itself (COMMIT or ROLLBACK), so its writes may have escaped into the ' +
          "per-file database; use withTransaction() in the code under test (it nests as a savepoint), or mode 'fresh'",
      );
    }
  };

  return { pgPerFile: [pgPerFile, { scope: 'file' }], pg: mode === 'transaction' ? transaction : fresh };
}
