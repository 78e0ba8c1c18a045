/**
 * PostgresTemplate: a template database built once from migrations (+ seed), kept between runs under a name that
 * carries the hash of its inputs, and a pool of clones made ahead of demand (IntegreSQL's idea), each with a
 * connected `pg` client, so `fresh()` only hands one out. `release()` drops the clone in the background.
 *
 * Names: template `tdf_<name>_t<hash12>`; clones `tdf_<name>_w<VITEST_POOL_ID>_<owner>_<n>`, where `<owner>` is a
 * random id per PostgresTemplate instance that also holds a session advisory lock while it lives. A clone whose
 * owner's lock is free belongs to a dead run and is dropped by the next `create()`; databases without that name shape
 * (or with a foreign owner marker in their comment) are never touched.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from 'pg';
import { resolveSwitches, type TestingConfig } from '../switches';
import { migrationsName, readMigrationsDir, type MigrationScript } from '../migrations';
import { splitStatements } from './split-statements';
import { PgMigrationError, PgNoServerError, PgPoolExhaustedError, PgTemplateInUseError } from './errors';
import { connect, describeTarget, parsePgUrl, withDatabase } from './connection';
import { ownerApplicationName, reapDeadClones, refillApplicationName } from './reap';
import { PreparedPool, type PreparedPoolCounters, type PreparedPoolHooks } from './prepared-pool';
import { CleanReuse, type ReusableClone, type ReuseStats } from './reuse';
import { ResetRecycler, canReset, installResetTracking, type RecycleMode, type ResetStats } from './reset';
import { INSTALL_RESET_SQL } from './reset-sql';
import { lockKey, quoteIdent, quoteLiteral } from './sql-text';
import { SampleRing, msSince, type LatencySummary } from '../stats';
import { StatementMemory, recordQueries } from './warmup';

/** Bumped whenever the build steps change, so templates of an older version are rebuilt. */
const PG_TEMPLATE_FORMAT = 4;

export interface PostgresTemplateOptions extends TestingConfig {
  /** Admin connection string (a URL). Default: env TDD_FAST_PG_URL, then DATABASE_URL. */
  connectionString?: string;
  /** Folder of migrations: plain `*.sql`, Prisma's `migrations/` or Drizzle's `drizzle/`. */
  migrationsDir?: string;
  /** Schema as one SQL text (instead of, or before, `migrationsDir`). */
  ddl?: string;
  /** For code-based migration tools (Knex, TypeORM, ...): migrate the database at this URL. Runs after ddl/migrationsDir. */
  migrate?: (connectionString: string) => Promise<void> | void;
  /** Fills the template once after the schema is built. Its source text is part of the cache key. */
  seed?: (client: Client) => Promise<void> | void;
  /** Database name part; default the migrations folder name or `schema`. Lower-cased, [a-z0-9_], 20 chars at most. */
  name?: string;
  /** Extra text mixed into the cache key (e.g. the source of the seed's helpers). */
  cacheKey?: string;
  /** Clones kept ready ahead of demand. Default 4 (with `recycle: 'reset'`, 1). 0 = clone on demand in `fresh()` (pgtestdb's way). */
  poolSize?: number;
  /** How many clones are made at the same time. Default 3. */
  refillConcurrency?: number;
  /** Released databases whose DROP may wait until the refill is idle (dropping competes with cloning). Default 16. */
  deferredDrops?: number;
  /** Upper bound on this instance's databases (ready + handed out + being made). Default 64. */
  maxDatabases?: number;
  /** How long `fresh()` waits for a database before PgPoolExhaustedError. Default 15 s. */
  acquireTimeoutMs?: number;
  /** Connection timeout for every client. Default 5 s. */
  connectTimeoutMs?: number;
  /**
   * `CREATE DATABASE ... STRATEGY` on PostgreSQL 15+. `auto` (default): `file_copy` when the server runs with fsync
   * off (a test server, such as startPostgres()'s), where copying the template's files beats writing every page
   * through the WAL (`wal_log`, the server's own default); with fsync on, the server's default. `server` never adds
   * the clause.
   */
  strategy?: 'auto' | 'server' | 'wal_log' | 'file_copy';
  /** Old templates of the same name kept on the server. Default 2. */
  keepTemplates?: number;
  /** Project root used to resolve the cache directory (build log). Default `process.cwd()`. */
  root?: string;
  /**
   * Warm ready clones' connections while the refill is otherwise idle (the pool full), so a test's first queries do
   * not pay for a new backend's empty caches. `true` (default): `EXPLAIN` (plans, runs nothing) of the statements
   * the tests ran most on their `client`, learned as they run and kept in the cache directory. A function: that, then
   * your function on the connected client (for what planning does not load, such as trigger functions; it must leave
   * no trace in the database). `false`: never. A refill that cannot keep up with the tests never warms.
   */
  warmup?: boolean | ((client: Client) => Promise<void> | void);
  /** How many of the learned statements (the most run first) the warm-up EXPLAINs on each clone. Default 16. */
  warmupStatements?: number;
  /**
   * Give a released database back to the pool, with a new connection, when nothing was written to it, instead of
   * dropping it and cloning another. "Nothing written" is proven from the server's write-ahead log (pg_walinspect):
   * no WAL record since the clone was made (or last checked) names the database, by any connection, after all of
   * them are gone; plus its pg_database row, settings and comment unchanged. Needs a superuser and the
   * pg_walinspect extension (contrib; it is installed in a database `tdf_walinspect` of its own); without them, or
   * when the template has unlogged tables (their writes are not logged), databases are always dropped. Default false.
   */
  reuseClean?: boolean;
  /**
   * What happens to a released database. `reset` (default): given back clean on its own connection: the tables the
   * test wrote are emptied and refilled from the seed copy the template keeps, the sequences put back; when that
   * cannot be proven clean (schema changed, connections, prepared transactions or locks left) it is dropped and
   * replaced by a clone (see reset.ts). Needs a superuser (event triggers); without one it is `drop`. `drop`: DROP and
   * a new clone for every test (with `reuseClean`, unwritten databases are kept).
   */
  recycle?: RecycleMode;
}

export interface FreshPgDatabase {
  /** URL of this database (for Prisma, Drizzle, Kysely, Knex, or your own pool). */
  connectionString: string;
  database: string;
  /** A connected `pg` client on this database. Do not end it; `release()` does. */
  client: Client;
  /**
   * Gives the database back: reset in place on this client (`recycle: 'reset'`), or the client ended and the database
   * dropped, in the background. Calling it twice is harmless.
   */
  release(): void;
}

/**
 * The pool's counters (`clones`: databases cloned, or built by replay with the fast path off; `cloneMs`: CREATE
 * DATABASE ... TEMPLATE + connect of one clone) plus the template's facts.
 */
export interface PostgresTemplateStats extends PreparedPoolCounters {
  backend: 'postgres';
  /** Template builds done by this process (0 when the template was already on the server). */
  builds: number;
  reuses: number;
  template: string;
  hash: string;
  origin: 'built' | 'reused' | 'replay';
  serverVersion: string;
  /** Databases of dead runs this instance dropped at start. */
  reaped: number;
  fastPath: boolean;
  /** The CREATE DATABASE strategy the clones use: `file_copy`, `wal_log` or `server default`. */
  strategy: string;
  /**
   * The warm-up of ready clones in the refill's idle time: statements learned, clones warmed to the end (`done`) and
   * handed out half-way (`cut`), and the time of a whole warm-up.
   */
  warmup: { enabled: boolean; statements: number; done: number; cut: number; ms: LatencySummary };
  /**
   * `reuseClean`: whether it is on (and why not), released databases given back to the pool (`reused`) and dropped
   * because something was written (`written`), and the time of one check (in the background, not the test's).
   */
  reuse: ReuseStats;
  /** `recycle`: the mode in use (and why `reset` is off), databases reset, fallbacks by cause, the time of a reset. */
  reset: ResetStats;
}

/** A clone in the pool (with `reuseClean`, also the facts its reuse check needs: see reuse.ts). */
type Ready = ReusableClone;

async function dropDatabase(admin: Client, database: string, force: boolean, serverVersion: string): Promise<void> {
  const isTemplate = await admin.query('SELECT datistemplate FROM pg_database WHERE datname = $1', [database]);
  if (isTemplate.rows[0]?.datistemplate) await admin.query(`ALTER DATABASE ${quoteIdent(database)} WITH IS_TEMPLATE false`);
  const forced = force && serverMajor(serverVersion) >= 13 ? ' WITH (FORCE)' : '';
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}${forced}`);
}

/** Schema + migrate callback + seed into an empty database. */
async function fillDatabase(client: Client, url: string, source: { scripts: MigrationScript[]; origin: string }, options: PostgresTemplateOptions): Promise<void> {
  await applyScripts(client, source.scripts, source.origin);
  if (options.migrate) {
    try {
      await options.migrate(url);
    } catch (error) {
      throw new PgMigrationError(`tdd-fast: the migrate callback failed: ${(error as Error).message}`, 'migrate()', null, null, error);
    }
  }
  if (options.seed) {
    try {
      await options.seed(client);
    } catch (error) {
      throw new PgMigrationError(`tdd-fast: the seed failed: ${(error as Error).message}`, 'seed()', null, null, error);
    }
  }
}

/** Drops older templates of the same name beyond `keepTemplates` (those not in use). */
async function pruneTemplates(admin: Client, prefix: string, keepTemplates: number | undefined, serverVersion: string): Promise<void> {
  const keep = Math.max(1, keepTemplates ?? 2);
  const rows = await admin.query(
    `SELECT datname, shobj_description(oid, 'pg_database') AS marker FROM pg_database
     WHERE starts_with(datname, $1) AND datistemplate ORDER BY oid DESC`,
    [`${prefix}t`],
  );
  const templates = rows.rows.filter((r) => parseMarker(r.marker as string | null)?.kind === 'template' && /_t[0-9a-f]{12}$/.test(r.datname as string));
  for (const old of templates.slice(keep)) {
    await dropDatabase(admin, old.datname as string, false, serverVersion).catch(() => undefined);
  }
}

/**
 * Every clone leaves dead rows in the shared catalogs pg_database and pg_shdescription (its row and its comment). A
 * server without autovacuum (startPostgres()'s) would keep them run after run, so past a few thousand this vacuums
 * them (a non-superuser only gets a warning, which is ignored).
 */
async function vacuumSharedCatalogs(admin: Client): Promise<void> {
  const dead = await admin.query(
    `SELECT COALESCE(sum(n_dead_tup), 0)::int AS dead FROM pg_stat_all_tables
     WHERE relid IN ('pg_catalog.pg_database'::regclass, 'pg_catalog.pg_shdescription'::regclass)`,
  );
  if ((dead.rows[0]?.dead as number) < 2_000) return;
  await admin.query('VACUUM pg_catalog.pg_database, pg_catalog.pg_shdescription').catch(() => undefined);
}

/** "source database is being accessed by other users" becomes PgTemplateInUseError naming those sessions. */
async function explainCloneError(creator: Client, template: string, error: unknown): Promise<Error> {
  const err = error as { code?: string; message?: string };
  if (err.code === '55006') {
    let who = '';
    try {
      const sessions = await creator.query(
        'SELECT pid, usename, application_name, client_addr FROM pg_stat_activity WHERE datname = $1',
        [template],
      );
      who = sessions.rows.map((s) => `pid ${s.pid} (${s.usename}${s.application_name ? `, ${s.application_name}` : ''}${s.client_addr ? `, ${s.client_addr}` : ''})`).join('; ');
    } catch {
      // best effort
    }
    return new PgTemplateInUseError(
      `tdd-fast: template database ${template} is in use, so PostgreSQL cannot copy it: ${who || err.message}. ` +
        'Close the sessions connected to it (a psql or GUI client?); tests must use fresh() databases, not the template.',
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** CREATE DATABASE ... TEMPLATE (a template in use becomes PgTemplateInUseError). */
async function cloneTemplate(creator: Client, database: string, template: string, strategy: 'file_copy' | 'wal_log' | null): Promise<void> {
  const clause = strategy ? ` STRATEGY ${strategy}` : '';
  try {
    await creator.query(`CREATE DATABASE ${quoteIdent(database)} TEMPLATE ${quoteIdent(template)}${clause}`);
  } catch (error) {
    throw await explainCloneError(creator, template, error);
  }
}

/** The warm-up of a ready clone's connection, in the refill's idle time (see the `warmup` option). */
async function warmClone(
  client: Client,
  warm: { statements: StatementMemory; times: SampleRing },
  options: PostgresTemplateOptions,
  handedOut: () => boolean,
): Promise<void> {
  const started = process.hrtime.bigint();
  await warm.statements.warm(client, options.warmupStatements ?? DEFAULT_WARMUP_STATEMENTS, handedOut);
  if (typeof options.warmup === 'function' && !handedOut()) {
    try {
      await options.warmup(client);
    } catch {
      // a warm-up only saves time; the test shows what is wrong when it runs the same queries
    }
  }
  if (!handedOut()) warm.times.record(msSince(started));
}

/** Clones kept ready per instance, and made at the same time (3 at once beat 1 and 2 on 2 cores: part of a clone is waiting). */
const DEFAULT_POOL_SIZE = 4;
const DEFAULT_REFILL_CONCURRENCY = 3;
const DEFAULT_RESET_POOL_SIZE = 1;
/** Learned statements EXPLAINed on each clone (the most used first), and kept in the cache file. */
const DEFAULT_WARMUP_STATEMENTS = 16;
const WARMUP_KEPT = 500;

/** The admin connection string with another database (kept here too: it has been exported from this module). */
export { withDatabase };

function sanitizeName(name: string): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^_+|_+$/g, '').slice(0, 20);
  return clean || 'schema';
}

function functionSource(fn: unknown): string {
  return typeof fn === 'function' ? fn.toString() : '';
}

interface Marker {
  tddFast?: number;
  kind?: string;
  owner?: string;
  state?: string;
  hash?: string;
}
function parseMarker(text: string | null): Marker | null {
  if (!text) return null;
  try {
    const marker = JSON.parse(text) as Marker;
    return marker && marker.tddFast === 1 ? marker : null;
  } catch {
    return null;
  }
}

/**
 * The CREATE DATABASE strategy for clones. FILE_COPY checkpoints twice per clone, cheap only when the server does not
 * fsync; WAL_LOG (the server's default since 15) writes every page of the template to the WAL instead.
 */
export function chooseStrategy(wanted: 'auto' | 'server' | 'wal_log' | 'file_copy', serverMajor: number, fsyncOff: boolean): 'file_copy' | 'wal_log' | null {
  if (serverMajor < 15 || wanted === 'server') return null;
  if (wanted === 'auto') return fsyncOff ? 'file_copy' : null;
  return wanted;
}

/** 150004 -> 15. */
function serverMajor(versionNum: string): number {
  return Math.floor(Number(versionNum) / 10000);
}

/** Resolves the admin URL from the option or the environment. */
export function resolvePgUrl(explicit?: string, env: NodeJS.ProcessEnv = process.env): { url: string; reason: string } | null {
  if (explicit) return { url: explicit, reason: 'connectionString option' };
  if (env.TDD_FAST_PG_URL) return { url: env.TDD_FAST_PG_URL, reason: 'env TDD_FAST_PG_URL' };
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, reason: 'env DATABASE_URL' };
  return null;
}

/** Applies migration scripts statement by statement, so a failure names the file, statement and line. */
export async function applyScripts(client: { query(sql: string): Promise<unknown> }, scripts: MigrationScript[], origin: string): Promise<void> {
  for (const script of scripts) {
    for (const statement of splitStatements(script.sql)) {
      try {
        await client.query(statement.sql);
      } catch (error) {
        const short = statement.sql.length > 300 ? `${statement.sql.slice(0, 300)}...` : statement.sql;
        throw new PgMigrationError(
          `tdd-fast: migration ${path.join(origin, script.name)} failed at line ${statement.line}: ${(error as Error).message}\n  statement: ${short}`,
          script.name,
          statement.sql,
          statement.line,
          error,
        );
      }
    }
  }
}

export function resolveScripts(options: { migrationsDir?: string; ddl?: string; root?: string }): { scripts: MigrationScript[]; origin: string; defaultName: string } {
  const root = options.root ?? process.cwd();
  const scripts: MigrationScript[] = [];
  if (options.ddl) scripts.push({ name: 'ddl', sql: options.ddl });
  let origin = '';
  let defaultName = 'schema';
  if (options.migrationsDir) {
    const dir = path.resolve(root, options.migrationsDir);
    scripts.push(...readMigrationsDir(dir));
    origin = dir;
    defaultName = migrationsName(dir);
  }
  return { scripts, origin, defaultName };
}

export function computePgHash(parts: { scripts: MigrationScript[]; seed?: unknown; migrate?: unknown; cacheKey?: string; serverVersion: string; backend: string }): string {
  const hash = crypto.createHash('sha256');
  hash.update(`tdd-fast-pg-template:${PG_TEMPLATE_FORMAT}\0${parts.backend}\0${parts.serverVersion}\0`);
  for (const script of parts.scripts) hash.update(`${script.name}\0${script.sql}\0`);
  hash.update(`seed\0${functionSource(parts.seed)}\0migrate\0${functionSource(parts.migrate)}\0key\0${parts.cacheKey ?? ''}`);
  return hash.digest('hex');
}

/** What building (or finding) the template needs from its PostgresTemplate. */
interface TemplateBuild {
  admin: Client;
  adminUrl: string;
  template: string;
  hash: string;
  prefix: string;
  serverVersion: string;
  connectTimeoutMs: number;
  source: { scripts: MigrationScript[]; origin: string };
  options: PostgresTemplateOptions;
  marker: (kind: 'template', extra: Record<string, unknown>) => string;
  counters: { builds: number; reuses: number };
  /** `recycle: 'reset'`: install the tracking and seed copies (reset-sql.ts) after the seed. */
  resetTracking: boolean;
}

/** Fills the just-created template database, seals it and closes it to connections (see ensureTemplate). */
async function buildTemplate(b: TemplateBuild): Promise<void> {
  await b.admin.query(`COMMENT ON DATABASE ${quoteIdent(b.template)} IS ${quoteLiteral(b.marker('template', { state: 'building' }))}`);
  const url = withDatabase(b.adminUrl, b.template);
  const client = await connect(url, b.connectTimeoutMs, 'tdd-fast template build');
  try {
    await fillDatabase(client, url, b.source, b.options);
    if (b.resetTracking) await installResetTracking(client);
    // Compact (the seed's updates leave dead rows; ~12% smaller for the example shop, and every clone copies every
    // page), freeze (clones never need an anti-wraparound vacuum) and analyze (clones plan with real statistics).
    await client.query('VACUUM (FULL, FREEZE, ANALYZE)');
    // ANALYZE's updates of pg_statistic leave dead rows; a plain VACUUM removes them. Otherwise the first read of
    // those pages in every clone prunes them, which costs the test and writes WAL (a reuseClean check would see a
    // write where the test only read).
    await client.query('VACUUM (FREEZE)');
  } finally {
    await client.end().catch(() => undefined);
  }
  await sealTemplate(url, b.connectTimeoutMs);
  // No connections to the template from now on: a session on it would make every clone fail.
  await b.admin.query(`ALTER DATABASE ${quoteIdent(b.template)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  await b.admin.query(`COMMENT ON DATABASE ${quoteIdent(b.template)} IS ${quoteLiteral(b.marker('template', { state: 'ready', hash: b.hash }))}`);
}

/**
 * Builds the template under an advisory lock, so concurrent workers build it exactly once. Resolves to `reused` when
 * the server has it ready already.
 */
async function ensureTemplate(b: TemplateBuild, cacheDir: string): Promise<'built' | 'reused'> {
  const admin = b.admin;
  const key = lockKey(`tdd-fast-build:${b.template}`);
  await admin.query("SET lock_timeout = '120s'");
  try {
    await admin.query('SELECT pg_advisory_lock($1::bigint)', [key]);
  } catch (error) {
    throw new Error(`tdd-fast: timed out after 120 s waiting for another process to build template ${b.template}: ${(error as Error).message}`);
  } finally {
    await admin.query('RESET lock_timeout');
  }
  try {
    const existing = await admin.query('SELECT shobj_description(oid, \'pg_database\') AS marker FROM pg_database WHERE datname = $1', [b.template]);
    const marker = existing.rows.length ? parseMarker(existing.rows[0].marker as string | null) : null;
    if (marker?.state === 'ready') {
      b.counters.reuses++;
      return 'reused';
    }
    if (existing.rows.length) await dropDatabase(admin, b.template, true, b.serverVersion); // a build that died half-way
    await admin.query(`CREATE DATABASE ${quoteIdent(b.template)}`);
    try {
      await buildTemplate(b);
    } catch (error) {
      // Whatever failed (the migrations, a connection, the seal), a half-built template is not left on the server.
      await dropDatabase(admin, b.template, true, b.serverVersion).catch(() => undefined);
      throw error;
    }
    b.counters.builds++;
    try {
      const logDir = path.join(cacheDir, 'templates');
      fs.mkdirSync(logDir, { recursive: true });
      fs.appendFileSync(path.join(logDir, 'pg-builds.log'), `${new Date().toISOString()} ${b.template} ${b.hash} pid=${process.pid}\n`);
    } catch {
      // the log is informational
    }
    await pruneTemplates(admin, b.prefix, b.options.keepTemplates, b.serverVersion);
    return 'built';
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
  }
}

/**
 * The last session on the template before it is closed to connections. VACUUM FULL rewrote the catalogs, which
 * removed the database's relation cache init file (pg_internal.init); connecting writes it again, and CREATE DATABASE
 * ... FILE_COPY copies it into every clone (without it the first backend in each clone rebuilds it from the catalogs:
 * ~3 ms of server CPU per clone, measured). Then the template's activity counters are reset: the build's counts
 * would make autovacuum visit the template (it does visit databases closed to connections), and a vacuum or analyze
 * of a catalog there deletes the init file again. A user without the right to reset (not superuser) only loses the
 * speed-up.
 */
async function sealTemplate(url: string, connectTimeoutMs: number): Promise<void> {
  const writer = await connect(url, connectTimeoutMs, 'tdd-fast template build');
  try {
    // The build's sessions (ours, a migrate() callback's) flush their counters when their backends exit, which can be
    // after client.end() returned.
    for (let waited = 0; waited < 5_000; waited += 10) {
      const alive = await writer.query('SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      if (alive.rows.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await writer.query('SELECT pg_stat_reset()').catch(() => undefined);
  } finally {
    await writer.end().catch(() => undefined);
  }
}

/** `recycle`: `reset` (the default) needs the fast path and a superuser (event triggers); otherwise `drop`, with the reason. */
async function chooseRecycle(options: PostgresTemplateOptions, fastPath: boolean, admin: Client): Promise<{ mode: RecycleMode; reason: string | null }> {
  const wanted = options.recycle ?? 'reset';
  if (wanted === 'drop') return { mode: 'drop', reason: null };
  if (options.reuseClean) return { mode: 'drop', reason: 'reuseClean is on' };
  if (!fastPath) return { mode: 'drop', reason: 'the fast path is off' };
  if (!(await canReset(admin))) return { mode: 'drop', reason: 'the user is not a superuser (event triggers need one)' };
  return { mode: 'reset', reason: null };
}

/** A template with the reset's tracking is another template than one without: its hash differs. */
function hashBackend(mode: RecycleMode): string {
  return mode === 'reset' ? `postgres+reset\0${INSTALL_RESET_SQL}` : 'postgres';
}

export class PostgresTemplate extends PreparedPool<Ready> {
  readonly name: string;
  readonly hash: string;
  /** The template database's name. */
  readonly template: string;
  readonly adminUrl: string;
  readonly serverVersion: string;
  /** This instance's owner id (in its clones' names and advisory lock). */
  readonly owner: string;

  private readonly options: PostgresTemplateOptions;
  /** The migration scripts and the folder they came from (for error messages). */
  private readonly source: { scripts: MigrationScript[]; origin: string };
  private readonly fastPath: boolean;
  private readonly bounds: { maxDatabases: number; acquireTimeoutMs: number; connectTimeoutMs: number };
  /** `file_copy`, `wal_log`, or null for the server's default. */
  private readonly strategy: 'file_copy' | 'wal_log' | null;
  private readonly ownerClient: Client;
  /** One admin connection per clone made at the same time (CREATE DATABASE cannot share a session); idle ones here. */
  private readonly idleCreators: Client[] = [];
  private closing: Promise<void> | null = null;
  /** `named`: databases named so far (the `<n>` of clone names). */
  private counters = { builds: 0, reuses: 0, reaped: 0, named: 0 };
  private builtHere: 'built' | 'reused' | 'replay' = 'reused';
  /**
   * The warm-up: the statements the tests ran on handed-out clients (see warmup.ts), the file they are kept in
   * between runs, and the time of a whole warm-up.
   */
  private readonly warmup = { statements: new StatementMemory(), file: null as string | null, times: new SampleRing(10_000) };
  /** `reuseClean` (see reuse.ts). */
  private readonly reuse: CleanReuse;
  /** `recycle: 'reset'` (see reset.ts). */
  private readonly resetter: ResetRecycler;
  /** The warm-up of a ready clone in the refill's idle time, and `reuseClean`'s check of a released one. */
  protected readonly hooks: PreparedPoolHooks<Ready> = {
    polish: (item, handedOut) => (this.warming ? warmClone(item.client, this.warmup, this.options, handedOut) : null),
    recycle: (item) => (this.stopping ? null : (this.resetter.recycle(item) ?? this.reuse.recycle(item))),
    recycleRefills: () => this.resetter.enabled,
  };

  private constructor(init: {
    options: PostgresTemplateOptions;
    name: string;
    hash: string;
    adminUrl: string;
    serverVersion: string;
    scripts: MigrationScript[];
    origin: string;
    fastPath: boolean;
    ownerClient: Client;
    owner: string;
    fsyncOff: boolean;
    recycle: { mode: RecycleMode; reason: string | null };
  }) {
    const options = init.options;
    super({
      // With reset, one ready database beside the test's is enough: the released one comes back in a few ms.
      poolSize: init.fastPath ? (options.poolSize ?? (init.recycle.mode === 'reset' ? DEFAULT_RESET_POOL_SIZE : DEFAULT_POOL_SIZE)) : 0,
      concurrency: options.refillConcurrency ?? DEFAULT_REFILL_CONCURRENCY,
      maxItems: options.maxDatabases ?? 64,
      acquireTimeoutMs: options.acquireTimeoutMs ?? 15_000,
      deferLimit: options.deferredDrops ?? 16,
    });
    this.options = options;
    this.name = init.name;
    this.hash = init.hash;
    this.template = `tdf_${init.name}_t${init.hash.slice(0, 12)}`;
    this.adminUrl = init.adminUrl;
    this.serverVersion = init.serverVersion;
    this.source = { scripts: init.scripts, origin: init.origin };
    this.fastPath = init.fastPath;
    this.ownerClient = init.ownerClient;
    this.owner = init.owner;
    this.bounds = {
      maxDatabases: Math.max(1, options.maxDatabases ?? 64),
      acquireTimeoutMs: options.acquireTimeoutMs ?? 15_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    };
    this.strategy = chooseStrategy(options.strategy ?? 'auto', serverMajor(init.serverVersion), init.fsyncOff);
    this.reuse = new CleanReuse({
      connectTo: (database, applicationName) => connect(withDatabase(this.adminUrl, database), this.bounds.connectTimeoutMs, applicationName),
      cloneMarker: this.marker('clone'),
    });
    this.resetter = new ResetRecycler({ ...init.recycle, cloneMarker: this.marker('clone') });
  }

  /**
   * Connects, reaps dead runs' clones, builds the template unless the server has it already, starts the refill and
   * resolves once `poolSize` clones are ready (none with the fast path off).
   */
  static async create(options: PostgresTemplateOptions): Promise<PostgresTemplate> {
    const root = options.root ?? process.cwd();
    const resolved = resolvePgUrl(options.connectionString);
    if (!resolved) {
      throw new PgNoServerError(
        'tdd-fast: PostgresTemplate needs a server: pass connectionString, or set TDD_FAST_PG_URL or DATABASE_URL ' +
          '(`npx tdd-fast testing pg start` prints one), or use PgliteTemplate, which needs no server',
      );
    }
    parsePgUrl(resolved.url, `the ${resolved.reason}`);
    if (!options.migrationsDir && !options.ddl && !options.migrate) {
      throw new Error('tdd-fast: PostgresTemplate needs migrationsDir, ddl or migrate');
    }
    const { scripts, origin, defaultName } = resolveScripts({ ...options, root });
    const switches = resolveSwitches(options, root);
    const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    const owner = crypto.randomBytes(4).toString('hex');
    const ownerClient = await connect(resolved.url, connectTimeoutMs, ownerApplicationName(owner));
    let template: PostgresTemplate;
    try {
      const settings = (await ownerClient.query("SELECT current_setting('server_version_num') AS version, current_setting('fsync') AS fsync")).rows[0];
      const versionNum = settings.version as string;
      const recycle = await chooseRecycle(options, switches.testing.value, ownerClient);
      const hash = computePgHash({ scripts, seed: options.seed, migrate: options.migrate, cacheKey: options.cacheKey, serverVersion: versionNum, backend: hashBackend(recycle.mode) });
      // Liveness of this instance: the lock is held as long as this session lives (a SIGKILL releases it).
      await ownerClient.query('SELECT pg_advisory_lock($1::bigint)', [lockKey(`tdd-fast-owner:${owner}`)]);
      template = new PostgresTemplate({
        options,
        name: sanitizeName(options.name ?? defaultName),
        hash,
        adminUrl: resolved.url,
        serverVersion: versionNum,
        scripts,
        origin,
        fastPath: switches.testing.value,
        ownerClient,
        owner,
        fsyncOff: settings.fsync === 'off',
        recycle,
      });
    } catch (error) {
      await ownerClient.end().catch(() => undefined);
      throw error;
    }
    try {
      template.counters.reaped += await reapDeadClones(template.ownerClient, {
        prefix: template.prefix,
        self: template.owner,
        // Only ours: our marker naming the same owner, or no comment yet (killed mid-clone).
        isClone: (text, owner) => text === null || (parseMarker(text)?.kind === 'clone' && parseMarker(text)?.owner === owner),
        drop: (database) => dropDatabase(template.ownerClient, database, true, template.serverVersion),
      });
      await vacuumSharedCatalogs(template.ownerClient);
      const t = template;
      const build = { admin: t.ownerClient, adminUrl: t.adminUrl, template: t.template, hash: t.hash, prefix: t.prefix, serverVersion: t.serverVersion };
      t.builtHere = t.fastPath
        ? await ensureTemplate({ ...build, connectTimeoutMs, source: t.source, options, marker: (kind, extra) => t.marker(kind, extra), counters: t.counters, resetTracking: t.resetter.enabled }, switches.cacheDir.value)
        : 'replay';
      if (template.warming) {
        template.warmup.file = path.join(switches.cacheDir.value, 'templates', `pg-warmup-${template.template}.json`);
        template.warmup.statements.load(template.warmup.file);
      }
      await template.reuse.start(options.reuseClean === true, template.fastPath, template.ownerClient, owner);
      const slots = Math.max(1, options.refillConcurrency ?? DEFAULT_REFILL_CONCURRENCY);
      const connecting = Array.from({ length: slots }, () => connect(resolved.url, connectTimeoutMs, refillApplicationName(owner)));
      const settled = await Promise.allSettled(connecting);
      for (const result of settled) if (result.status === 'fulfilled') template.idleCreators.push(result.value);
      const failed = settled.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      template.pump();
      // The first tests take clones made ahead instead of waiting for the first fill.
      await template.warm(template.poolSize, template.bounds.acquireTimeoutMs);
    } catch (error) {
      await template.close().catch(() => undefined);
      throw error;
    }
    return template;
  }

  /** Whether clones are warmed before handout (the fast path only: with it off every test replays anyway). */
  private get warming(): boolean {
    return this.fastPath && this.options.warmup !== false;
  }

  private get prefix(): string {
    return `tdf_${this.name}_`;
  }

  private marker(kind: 'template' | 'clone', extra: Record<string, unknown> = {}): string {
    return JSON.stringify({ tddFast: 1, kind, owner: this.owner, pid: process.pid, host: os.hostname(), ...extra });
  }

  private nextName(): string {
    const worker = (process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0').toLowerCase().replace(/[^0-9a-z]/g, '');
    this.counters.named++;
    return `${this.prefix}w${worker || '0'}_${this.owner}_${this.counters.named}`;
  }

  /** One clone (or, with the fast path off, one database built by replay) with a connected client. */
  protected async produce(): Promise<Ready> {
    const creator = this.idleCreators.pop() as Client; // the pool never runs more produce() than creators
    const database = this.nextName();
    let client: Client | null = null;
    try {
      if (this.fastPath) await cloneTemplate(creator, database, this.template, this.strategy);
      else await creator.query(`CREATE DATABASE ${quoteIdent(database)}`);
      await creator.query(`COMMENT ON DATABASE ${quoteIdent(database)} IS ${quoteLiteral(this.marker('clone'))}`);
      // Read before anything connects (null unless reuseClean is on, which needs the fast path).
      const start = await this.reuse.startOf(creator, database);
      const url = withDatabase(this.adminUrl, database);
      client = await connect(url, this.bounds.connectTimeoutMs, 'tdd-fast test');
      if (!this.fastPath) await fillDatabase(client, url, this.source, this.options);
      return await this.reuse.adopt({ database, client }, start);
    } catch (error) {
      if (client) await client.end().catch(() => undefined);
      await dropDatabase(creator, database, true, this.serverVersion).catch(() => undefined);
      throw error;
    } finally {
      this.idleCreators.push(creator);
    }
  }

  protected async discard(item: Ready): Promise<void> {
    await item.client.end().catch(() => undefined);
    // At shutdown the refill's connections are idle: they drop beside the owner's (see shutdownDisposalLanes).
    const lane = this.stopping ? this.idleCreators.pop() : undefined;
    try {
      await dropDatabase(lane ?? this.ownerClient, item.database, true, this.serverVersion);
    } finally {
      if (lane) this.idleCreators.push(lane);
    }
  }

  /** close() drops on the owner's and every refill connection at once: on 2 cores 4 lanes took ~half the time of 1. */
  protected shutdownDisposalLanes(): number {
    return 1 + this.idleCreators.length;
  }

  protected isPermanent(error: unknown): boolean {
    return error instanceof PgTemplateInUseError || error instanceof PgMigrationError;
  }

  protected exhaustedError(state: { inUse: number; ready: number; creating: number; lastError: Error | null }): Error {
    return new PgPoolExhaustedError(
      `tdd-fast: no database within ${this.bounds.acquireTimeoutMs} ms from ${describeTarget(this.adminUrl)}: ` +
        `${state.inUse} handed out and not released, ${state.ready} ready, ${state.creating} being cloned, ` +
        `maxDatabases ${this.bounds.maxDatabases}` +
        (state.lastError ? `; last clone error: ${state.lastError.message}` : '') +
        '. Release databases you are done with (the fixtures do), or raise maxDatabases / acquireTimeoutMs.',
    );
  }

  /** An isolated database cloned from the template, with a connected client. Usually already made: sub-millisecond. */
  async fresh(): Promise<FreshPgDatabase> {
    const item = await this.take();
    const stopRecording = this.warming ? recordQueries(item.client as unknown as { query: (...args: unknown[]) => unknown }, this.warmup.statements) : null;
    let released = false;
    return {
      database: item.database,
      client: item.client,
      connectionString: withDatabase(this.adminUrl, item.database),
      release: () => {
        if (released) return;
        released = true;
        stopRecording?.();
        // The session ends now (it would keep a server process); the DROP may wait for an idle refill. A reset
        // keeps it: the reset runs on it, and the next test gets it warm.
        if (!this.resetter.enabled) item.ending = item.client.end().catch(() => undefined);
        this.giveBack(item);
      },
    };
  }

  stats(): PostgresTemplateStats {
    return {
      backend: 'postgres',
      builds: this.counters.builds,
      reuses: this.counters.reuses,
      ...this.poolCounters(),
      template: this.template,
      hash: this.hash,
      origin: this.builtHere,
      serverVersion: this.serverVersion,
      reaped: this.counters.reaped,
      fastPath: this.fastPath,
      strategy: this.strategy ?? 'server default',
      warmup: { enabled: this.warming, statements: this.warmup.statements.size, ...this.polishStats(), ms: this.warmup.times.summary() },
      reuse: this.reuse.stats(),
      reset: this.resetter.stats(),
    };
  }

  /** Drops every database this instance created (ready, handed out, queued), then disconnects. */
  close(): Promise<void> {
    this.closing ??= this.shutdown().then(async () => {
      if (this.warmup.file && this.warmup.statements.size > 0) {
        try {
          this.warmup.statements.save(this.warmup.file, WARMUP_KEPT);
        } catch {
          // the file only speeds up the next run
        }
      }
      // Every clone under way has finished: all creators are idle.
      for (const creator of this.idleCreators.splice(0)) await creator.end().catch(() => undefined);
      await this.reuse.close();
      await this.ownerClient.end().catch(() => undefined);
    });
    return this.closing;
  }
}
