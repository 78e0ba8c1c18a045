/**
 * PostgresTemplate's `reuseClean`: a released clone nothing wrote to goes back to the pool (with a new connection)
 * instead of being dropped and cloned anew. "Nothing written" is proven from the server's write-ahead log with
 * pg_walinspect, on one session of its own in INSPECT_DATABASE; the checks run one at a time on it. This class owns
 * that session, the reason reuse is off, the check of the template for unlogged tables, the counts and the timings.
 */
import type { Client } from 'pg';
import { SampleRing, msSince, type LatencySummary } from '../stats';
import { lockKey, quoteIdent, quoteLiteral } from './sql-text';

/** A clone as the pool holds it. The check's facts are set only while reuse is on. */
export interface ReusableClone {
  database: string;
  client: Client;
  /** The database's oid, its pg_database row's xmin, and the WAL position its check starts from. */
  oid?: number;
  xmin?: string;
  lsn?: string;
  /** pg_stat_database's rows inserted + updated + deleted at the last check (a bigint as text). */
  rowsWritten?: string;
  /** The client's end(), once release() started it. */
  ending?: Promise<void>;
}

/** Where a new clone's check starts, read right after its CREATE DATABASE. */
export interface CloneStart {
  oid: number;
  xmin: string;
  lsn: string;
}

export interface ReuseSetup {
  /** A connection to another database of the server (the admin URL with that database). */
  connectTo(database: string, applicationName: string): Promise<Client>;
  /** The comment every clone of this instance carries: a changed comment is a write. */
  cloneMarker: string;
}

/** What `stats().reuse` shows. */
export interface ReuseStats {
  enabled: boolean;
  reason: string | null;
  reused: number;
  written: number;
  checkMs: LatencySummary;
}

/** The database that holds pg_walinspect for `reuseClean` (shared by every template on the server). */
const INSPECT_DATABASE = 'tdf_walinspect';

/**
 * A session in INSPECT_DATABASE with pg_walinspect, created under an advisory lock so concurrent workers create the
 * database and the extension once. Its commits are synchronous: a commit flushes the WAL, which pg_walinspect can only
 * read up to the flushed position.
 */
async function openInspector(admin: Client, setup: ReuseSetup, owner: string): Promise<Client> {
  const superuser = (await admin.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows[0]?.rolsuper;
  if (!superuser) throw new Error('the user is not a superuser (pg_walinspect needs one)');
  const key = lockKey('tdd-fast-walinspect');
  await admin.query('SELECT pg_advisory_lock($1::bigint)', [key]);
  let client: Client | null = null;
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [INSPECT_DATABASE]);
    if (exists.rows.length === 0) {
      await admin.query(`CREATE DATABASE ${quoteIdent(INSPECT_DATABASE)}`);
      await admin.query(`COMMENT ON DATABASE ${quoteIdent(INSPECT_DATABASE)} IS ${quoteLiteral(JSON.stringify({ tddFast: 1, kind: 'tools' }))}`);
    }
    client = await setup.connectTo(INSPECT_DATABASE, `tdd-fast inspect ${owner}`);
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
    await client.query('SET synchronous_commit = on');
    return client;
  } catch (error) {
    await client?.end().catch(() => undefined);
    throw error;
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
  }
}

export class CleanReuse {
  private readonly setup: ReuseSetup;
  /** The session in INSPECT_DATABASE (null: off, `reason` says why). */
  private inspector: Client | null = null;
  private reason: string | null = 'reuseClean is false';
  /** Whether the template was checked for unlogged tables (before that, nothing is reused). */
  private unloggedChecked = false;
  /** The checks, one at a time on the inspector's session. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly counts = { reused: 0, written: 0 };
  private readonly checkTimes = new SampleRing(10_000);

  constructor(setup: ReuseSetup) {
    this.setup = setup;
  }

  /** Opens the inspector when `reuseClean` asks for it and the fast path is on; otherwise notes why reuse is off. */
  async start(wanted: boolean, fastPath: boolean, admin: Client, owner: string): Promise<void> {
    if (!wanted) return;
    if (!fastPath) {
      this.reason = 'the fast path is off';
      return;
    }
    try {
      this.inspector = await openInspector(admin, this.setup, owner);
      this.reason = null;
    } catch (error) {
      this.reason = `no pg_walinspect: ${(error as Error).message}`;
    }
  }

  /** Where a new clone's check starts (every write to it comes after this WAL position); null while reuse is off. */
  async startOf(creator: Client, database: string): Promise<CloneStart | null> {
    if (!this.inspector) return null;
    const row = (await creator.query('SELECT oid, xmin::text AS xmin, pg_current_wal_insert_lsn()::text AS lsn FROM pg_database WHERE datname = $1', [database])).rows[0];
    return { oid: row.oid as number, xmin: row.xmin as string, lsn: row.lsn as string };
  }

  /** The new clone with its check's facts (the first one also checks the template for unlogged tables). */
  async adopt(clone: ReusableClone, start: CloneStart | null): Promise<ReusableClone> {
    if (!start) return clone;
    if (!this.unloggedChecked) {
      // Writes to unlogged tables leave no WAL: with such a table in the template, the check could not see them.
      const unlogged = await clone.client.query("SELECT 1 FROM pg_class WHERE relpersistence = 'u' LIMIT 1");
      if (unlogged.rows.length > 0) this.stop('the template has unlogged tables, whose writes leave no WAL');
      this.unloggedChecked = true;
    }
    return this.inspector ? { ...clone, ...start } : clone;
  }

  /**
   * After the test's connections are gone, is there any WAL record naming this database since its last check (or
   * its clone), any change to its pg_database row, settings, comment or security label, a prepared transaction or a
   * replication slot in it? If none, it gets a new connection and resolves to the clone to make ready again; else
   * null (dropped). Null instead of a promise: reuse is off, or the clone was made without the facts.
   */
  recycle(item: ReusableClone): Promise<ReusableClone | null> | null {
    const inspector = this.inspector;
    if (!inspector || !this.unloggedChecked || item.oid === undefined) return null;
    const check = this.queue.then(async (): Promise<ReusableClone | null> => {
      const started = process.hrtime.bigint();
      await item.ending;
      const clean = await this.isUnwritten(inspector, item).catch(() => null);
      this.checkTimes.record(msSince(started));
      if (!clean) {
        this.counts.written++;
        return null;
      }
      let client: Client;
      try {
        client = await this.setup.connectTo(item.database, 'tdd-fast test');
      } catch {
        return null;
      }
      this.counts.reused++;
      return { database: item.database, client, oid: item.oid, xmin: item.xmin, lsn: clean.lsn, rowsWritten: clean.rowsWritten };
    });
    this.queue = check.catch(() => undefined);
    return check;
  }

  /** The check of `recycle`; resolves to the WAL position the next check starts from, or null when written to. */
  private async isUnwritten(inspector: Client, item: ReusableClone): Promise<{ lsn: string; rowsWritten: string } | null> {
    // The test's backends (ours and any it opened by URL) must have exited: a live one could still write.
    for (let attempt = 0; ; attempt++) {
      const live = await inspector.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datid = $1', [item.oid]);
      if (live.rows[0].n === 0) break;
      if (attempt >= 50) return null; // a connection the test left open: dropped WITH (FORCE) as without reuse
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    // Cheap first: rows inserted, updated or deleted (backends report them when they exit) prove a write, and most
    // tests that write do that. Counters that show nothing prove nothing (row locks, sequences, a reset): the WAL decides.
    const counted = await inspector.query('SELECT (tup_inserted + tup_updated + tup_deleted)::text AS rows FROM pg_stat_database WHERE datid = $1', [item.oid]);
    if (BigInt((counted.rows[0]?.rows as string | undefined) ?? '0') > BigInt(item.rowsWritten ?? '0')) return null;
    // A synchronous commit that wrote WAL flushes it, up to and past every record of those (now gone) backends.
    await inspector.query("SELECT pg_logical_emit_message(true, 'tdd-fast', 'reuse check')");
    const oid = String(item.oid);
    const result = await inspector.query(
      `WITH upto AS MATERIALIZED (SELECT pg_current_wal_flush_lsn() AS lsn)
       SELECT upto.lsn::text AS lsn,
         (SELECT count(*) FROM pg_get_wal_records_info($1::pg_lsn, upto.lsn)
           WHERE block_ref ~ $2 OR description ~ $3)::int AS records,
         (SELECT xmin::text FROM pg_database WHERE oid = $4::oid) AS xmin,
         shobj_description($4::oid, 'pg_database') AS marker,
         EXISTS (SELECT 1 FROM pg_db_role_setting WHERE setdatabase = $4::oid)
           OR EXISTS (SELECT 1 FROM pg_shseclabel WHERE objoid = $4::oid AND classoid = 'pg_database'::regclass)
           OR EXISTS (SELECT 1 FROM pg_prepared_xacts WHERE database = $5)
           OR EXISTS (SELECT 1 FROM pg_replication_slots WHERE datoid = $4::oid)
           OR EXISTS (SELECT 1 FROM pg_stat_activity WHERE datid = $4::oid) AS other
       FROM upto`,
      // A block reference names spcOid/dbOid/relfilenode; other records (file creation, locks) name the oid in the text.
      [item.lsn, `/${oid}/`, `(^|[^0-9])${oid}([^0-9]|$)`, oid, item.database],
    );
    const row = result.rows[0];
    const unwritten = row.records === 0 && row.xmin === item.xmin && row.marker === this.setup.cloneMarker && !row.other;
    return unwritten ? { lsn: row.lsn as string, rowsWritten: (counted.rows[0]?.rows as string | undefined) ?? '0' } : null;
  }

  private stop(reason: string): void {
    this.reason = reason;
    const inspector = this.inspector;
    this.inspector = null;
    void this.queue.then(() => inspector?.end()).catch(() => undefined);
  }

  stats(): ReuseStats {
    return { enabled: this.inspector !== null, reason: this.reason, reused: this.counts.reused, written: this.counts.written, checkMs: this.checkTimes.summary() };
  }

  /** Waits for the checks under way, then ends the inspector's session. */
  async close(): Promise<void> {
    await this.queue;
    await this.inspector?.end().catch(() => undefined);
  }
}
