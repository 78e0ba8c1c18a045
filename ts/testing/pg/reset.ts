/**
 * PostgresTemplate's `recycle: 'reset'`: a released database is given back clean on the test's own connection
 * instead of being dropped and cloned anew. The template carries the tracking and the seed copies (reset-sql.ts);
 * here the connection's session state is reset (what DISCARD ALL does, except forgetting prepared statements, which
 * the `pg` client keeps track of) and `tdd_fast_reset.reset()` puts back the rows the test changed in the tables it
 * wrote and the sequences that moved.
 *
 * When the reset cannot prove the database clean (another connection is still open, a prepared transaction or a
 * lock of another session is left, the schema or the database's settings changed, the client is broken) it changes
 * nothing and the database is dropped and replaced by a clone, as without reset; `stats().reset` counts the causes and
 * keeps the last one's message.
 */
import type { Client } from 'pg';
import { SampleRing, msSince, type LatencySummary } from '../stats';
import { quoteLiteral } from './sql-text';
import { INSTALL_RESET_SQL } from './reset-sql';

export type RecycleMode = 'reset' | 'drop';

/** A handed-out database as the reset sees it. */
export interface ResettableClone {
  database: string;
  client: Client;
}

/** What `stats().reset` shows. */
export interface ResetStats {
  /** The mode in use (`drop` when `reset` was asked for but is off: `reason` says why). */
  mode: RecycleMode;
  reason: string | null;
  /** Databases given back clean. */
  resets: number;
  /** Databases dropped instead, by cause. */
  fallbacks: { connections: number; prepared: number; locks: number; schema: number; other: number };
  /** The last fallback's cause, naming the database. */
  lastFallback: string | null;
  /** One reset (in the background, after release; not the test's time). */
  resetMs: LatencySummary;
}

/** The session state a test may leave on its connection (DISCARD ALL without DEALLOCATE ALL and DISCARD PLANS). */
const SESSION_RESET = 'CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES';

/** How long the reset waits for connections the test closed to be gone (their backends exit after the client's end()). */
const CONNECTION_GRACE_MS = 100;

/** Installs the tracking and seed copies in the template being built (its superuser runs this). */
export async function installResetTracking(client: Client): Promise<void> {
  await client.query(INSTALL_RESET_SQL);
}

/** Whether the connected user may install event triggers (only a superuser may). */
export async function canReset(admin: Client): Promise<boolean> {
  const row = (await admin.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows[0];
  return row?.rolsuper === true;
}

function causeKind(cause: string): keyof ResetStats['fallbacks'] {
  if (cause.startsWith('open connections')) return 'connections';
  if (cause.startsWith('prepared transactions')) return 'prepared';
  if (cause.startsWith('locks')) return 'locks';
  if (cause.startsWith('schema')) return 'schema';
  return 'other';
}

/** The `pg` client's own view of its connection: ended or broken clients cannot be reused. */
function usable(client: Client): boolean {
  const state = client as unknown as { _ending?: boolean; _connectionError?: boolean; _queryable?: boolean };
  return !state._ending && !state._connectionError && state._queryable !== false;
}

/** Rolls back the prepared transactions of the client's database (it is about to be dropped). */
async function rollbackPrepared(client: Client): Promise<void> {
  const prepared = await client.query('SELECT gid FROM pg_prepared_xacts WHERE database = current_database()');
  for (const row of prepared.rows) await client.query(`ROLLBACK PREPARED ${quoteLiteral(row.gid as string)}`);
}

export class ResetRecycler {
  private mode: RecycleMode;
  private reason: string | null;
  private readonly marker: string;
  private readonly counts = { resets: 0, fallbacks: { connections: 0, prepared: 0, locks: 0, schema: 0, other: 0 } };
  private lastFallback: string | null = null;
  private readonly times = new SampleRing(10_000);

  /** `mode`: what was asked and allowed; `reason`: why reset is off when asked for and not allowed. */
  constructor(setup: { mode: RecycleMode; reason: string | null; cloneMarker: string }) {
    this.mode = setup.mode;
    this.reason = setup.reason;
    this.marker = setup.cloneMarker;
  }

  /** True when released databases are reset (their connection stays open for it). */
  get enabled(): boolean {
    return this.mode === 'reset';
  }

  /**
   * Resets a released database on its own connection. Resolves to the clone, ready again, or null when it must be
   * dropped instead (the client is then ended). Null instead of a promise: reset is off.
   */
  recycle<T extends ResettableClone>(item: T): Promise<T | null> | null {
    if (!this.enabled) return null;
    return this.reset(item);
  }

  private async reset<T extends ResettableClone>(item: T): Promise<T | null> {
    const started = process.hrtime.bigint();
    let cause: string | null;
    try {
      cause = usable(item.client) ? await this.resetOn(item.client) : 'other: the test ended or broke the connection';
    } catch (error) {
      cause = `other: ${(error as Error).message}`;
    }
    this.times.record(msSince(started));
    if (cause === null) {
      this.counts.resets++;
      return item;
    }
    if (cause.startsWith('off: ')) this.stop(cause.slice(5));
    else {
      this.counts.fallbacks[causeKind(cause)]++;
      this.lastFallback = `tdd-fast: database ${item.database} could not be reset (${cause}); it was dropped and replaced by a clone`;
    }
    // A prepared transaction keeps its database from being dropped; only a session in that database can end it.
    if (causeKind(cause) === 'prepared') await rollbackPrepared(item.client).catch(() => undefined);
    await item.client.end().catch(() => undefined);
    return null;
  }

  /** NULL when reset, else the cause. Retries while connections the test closed are still on their way out. */
  private async resetOn(client: Client): Promise<string | null> {
    // What the test listened for on this client is not the next test's business.
    client.removeAllListeners('notification');
    client.removeAllListeners('notice');
    // A transaction the test left open (or failed) is rolled back: nothing it did is kept.
    if (client.getTransactionStatus() !== 'I') await client.query('ROLLBACK');
    const cause = await this.resetWithGrace(client);
    // A query the test did not wait for (a BEGIN) may have run before ours: the reset is then not committed.
    if (cause === null && client.getTransactionStatus() !== 'I') return 'other: the connection was left inside a transaction';
    return cause;
  }

  private async resetWithGrace(client: Client): Promise<string | null> {
    for (let waited = 0; ; waited += 5) {
      const results = (await client.query(`${SESSION_RESET}; SELECT * FROM tdd_fast_reset.reset(${quoteLiteral(this.marker)})`)) as unknown as {
        rows: { cause: string | null; vacuum: string | null }[];
      }[];
      const { cause, vacuum } = results[results.length - 1].rows[0];
      // Deleted seed rows pile up in the files of tables reset again and again; a VACUUM lets the next refill reuse the room.
      if (cause === null && vacuum) await client.query(`VACUUM ${vacuum}`);
      if (cause === null || !cause.startsWith('open connections') || waited >= CONNECTION_GRACE_MS) return cause;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private stop(reason: string): void {
    this.mode = 'drop';
    this.reason = reason;
  }

  stats(): ResetStats {
    return {
      mode: this.mode,
      reason: this.reason,
      resets: this.counts.resets,
      fallbacks: { ...this.counts.fallbacks },
      lastFallback: this.lastFallback,
      resetMs: this.times.summary(),
    };
  }
}
