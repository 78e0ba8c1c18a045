/**
 * A preheated connection pool for file-backed SQLite databases. Acquisition is asynchronous and FIFO; when the pool
 * is exhausted the caller waits up to `acquireTimeoutMs` and then gets a PoolExhaustedError that says who holds what,
 * so a forgotten release() shows up as a clear failure, never as a hung test.
 */
import Database from 'better-sqlite3';
import type { SqliteDatabase } from './template';
import { SampleRing, msSince, type LatencySummary } from '../stats';
import { PoolClosedError } from '../pool-closed';

export { PoolClosedError };

export interface PoolOptions {
  /** Creates one connection. Default: `new Database(filename)` with a busy timeout. */
  create?: () => SqliteDatabase;
  /** Database file (used when `create` is not given). */
  filename?: string;
  /** Connections opened up front and kept warm. Default 1. */
  min?: number;
  /** Upper bound on open connections. Default 4. */
  max?: number;
  /** How long acquire() waits for a free connection before failing. Default 5000 ms. */
  acquireTimeoutMs?: number;
  /** Returns false (or throws) when a connection is unusable; it is then replaced. Default: `SELECT 1`. */
  healthCheck?: (db: SqliteDatabase) => boolean;
  /** Run the health check only when a connection sat idle at least this long. Default 0 (always). */
  healthCheckIdleMs?: number;
}

export interface PoolStats {
  size: number;
  idle: number;
  inUse: number;
  waiting: number;
  created: number;
  destroyed: number;
  acquires: number;
  timeouts: number;
  healthCheckFailures: number;
  acquireMs: LatencySummary;
}

export class PoolExhaustedError extends Error {
  readonly code = 'TDD_FAST_POOL_EXHAUSTED';
}

export interface PooledConnection {
  readonly db: SqliteDatabase;
  /** Returns the connection to the pool. Calling it twice is an error (it would hand one connection to two users). */
  release(): void;
}

interface IdleEntry {
  db: SqliteDatabase;
  idleSince: number;
}
interface Waiter {
  resolve: (connection: PooledConnection) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  startedAt: bigint;
}

export class ConnectionPool {
  private readonly create: () => SqliteDatabase;
  private readonly min: number;
  private readonly max: number;
  private readonly acquireTimeoutMs: number;
  private readonly healthCheck: (db: SqliteDatabase) => boolean;
  private readonly healthCheckIdleMs: number;
  private readonly idle: IdleEntry[] = [];
  private readonly inUse = new Set<SqliteDatabase>();
  private readonly waiters: Waiter[] = [];
  private readonly acquireTimes = new SampleRing(10_000);
  private closed = false;
  private counters = { created: 0, destroyed: 0, timeouts: 0, healthCheckFailures: 0 };

  constructor(options: PoolOptions) {
    const filename = options.filename;
    if (!options.create && !filename) throw new Error('tdd-fast: ConnectionPool needs `filename` or `create`');
    this.create =
      options.create ??
      (() => {
        const db = new Database(filename as string);
        db.pragma('busy_timeout = 5000');
        return db;
      });
    this.min = Math.max(0, options.min ?? 1);
    this.max = Math.max(1, options.max ?? 4);
    if (this.min > this.max) throw new Error(`tdd-fast: pool min (${this.min}) > max (${this.max})`);
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? 5000;
    this.healthCheck = options.healthCheck ?? ((db) => db.open && db.prepare('SELECT 1 AS ok').pluck().get() === 1);
    this.healthCheckIdleMs = options.healthCheckIdleMs ?? 0;
    // Preheat: open `min` connections now so the first tests do not pay for them.
    for (let i = 0; i < this.min; i++) this.idle.push({ db: this.open(), idleSince: Date.now() });
  }

  private open(): SqliteDatabase {
    const db = this.create();
    this.counters.created++;
    return db;
  }

  private destroy(db: SqliteDatabase): void {
    this.counters.destroyed++;
    try {
      if (db.open) db.close();
    } catch {
      // A broken connection may refuse to close cleanly; it is gone either way.
    }
  }

  private get size(): number {
    return this.idle.length + this.inUse.size;
  }

  private isHealthy(entry: IdleEntry): boolean {
    if (Date.now() - entry.idleSince < this.healthCheckIdleMs && entry.db.open) return true;
    try {
      return this.healthCheck(entry.db);
    } catch {
      return false;
    }
  }

  private lend(db: SqliteDatabase, startedAt: bigint): PooledConnection {
    this.inUse.add(db);
    this.acquireTimes.record(msSince(startedAt));
    let released = false;
    return {
      db,
      release: () => {
        if (released) throw new Error('tdd-fast: connection released twice');
        released = true;
        this.giveBack(db);
      },
    };
  }

  /** Takes a healthy idle connection or opens a new one under `max`; null when neither is possible. */
  private tryTake(startedAt: bigint): PooledConnection | null {
    while (this.idle.length > 0) {
      const entry = this.idle.pop() as IdleEntry;
      if (this.isHealthy(entry)) return this.lend(entry.db, startedAt);
      this.counters.healthCheckFailures++;
      this.destroy(entry.db);
    }
    if (this.size < this.max) return this.lend(this.open(), startedAt);
    return null;
  }

  acquire(): Promise<PooledConnection> {
    const startedAt = process.hrtime.bigint();
    if (this.closed) return Promise.reject(new PoolClosedError('tdd-fast: pool is closed'));
    // FIFO fairness: newcomers queue behind existing waiters.
    if (this.waiters.length === 0) {
      const connection = this.tryTake(startedAt);
      if (connection) return Promise.resolve(connection);
    }
    return new Promise<PooledConnection>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        startedAt,
        timer: setTimeout(() => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          this.counters.timeouts++;
          reject(
            new PoolExhaustedError(
              `tdd-fast: no connection within ${this.acquireTimeoutMs} ms: all ${this.max} in use, ` +
                `${this.waiters.length} other waiter(s). Release connections (or use pool.use()), or raise max.`,
            ),
          );
        }, this.acquireTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Acquires, runs `work`, and always releases, even when `work` throws. */
  async use<T>(work: (db: SqliteDatabase) => T | Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await work(connection.db);
    } finally {
      connection.release();
    }
  }

  private giveBack(db: SqliteDatabase): void {
    this.inUse.delete(db);
    if (this.closed) {
      this.destroy(db);
      return;
    }
    if (db.open && db.inTransaction) {
      // Never lend a connection with someone else's open transaction.
      try {
        db.exec('ROLLBACK');
      } catch {
        this.counters.healthCheckFailures++;
        this.destroy(db);
      }
    }
    if (db.open) this.idle.push({ db, idleSince: Date.now() });
    else this.destroy(db);
    const waiter = this.waiters[0];
    if (waiter) {
      const connection = this.tryTake(waiter.startedAt);
      if (connection) {
        this.waiters.shift();
        clearTimeout(waiter.timer);
        waiter.resolve(connection);
      }
    }
  }

  stats(): PoolStats {
    return {
      size: this.size,
      idle: this.idle.length,
      inUse: this.inUse.size,
      waiting: this.waiters.length,
      ...this.counters,
      acquires: this.acquireTimes.count,
      acquireMs: this.acquireTimes.summary(),
    };
  }

  /** Closes idle connections, rejects waiters; connections still lent out close when released. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new PoolClosedError('tdd-fast: pool closed while waiting for a connection'));
    }
    for (const entry of this.idle.splice(0)) this.destroy(entry.db);
  }
}
