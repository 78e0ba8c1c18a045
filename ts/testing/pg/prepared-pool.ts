/**
 * The part PostgresTemplate and PgliteTemplate share: databases made ahead of demand by a background refill of
 * bounded concurrency (IntegreSQL's pool idea), handed out by `take()` without waiting while one is ready, and
 * disposed of after release. The subclass says how to make one (`produce`), how to get rid of one (`discard`) and
 * what to say when none comes in time; the base keeps the queue, the waiters, the retries and the statistics.
 *
 * Disposals are deferred while the refill is busy or a test waits (dropping competes with cloning for the same
 * server), up to `deferLimit` of them; they run when the refill is idle, and all of them at `shutdown()`.
 *
 * When the pool is full and nothing is being made, the refill is idle: it then `polish`es ready items, one at a
 * time, oldest first (PostgresTemplate warms the clone's connection). Polishing only ever uses that idle time, so a
 * refill that cannot keep up never spends anything on it; a polish stops early when its item is handed out.
 */
import { PoolClosedError } from '../pool-closed';
import { SampleRing, msSince, type LatencySummary } from '../stats';

export interface PreparedPoolLimits {
  /** Items kept ready ahead of demand (0: made on demand inside `take()`). */
  poolSize: number;
  /** Items made at the same time. */
  concurrency: number;
  /** Upper bound on ready + handed out + being made. */
  maxItems: number;
  acquireTimeoutMs: number;
  /** Released items whose disposal may wait for an idle refill. */
  deferLimit: number;
}

/** What a pool counts; PostgresTemplate's and PgliteTemplate's `stats()` extend it. */
export interface PreparedPoolCounters {
  /** Items made (databases cloned, instances loaded from the image). */
  clones: number;
  handouts: number;
  drops: number;
  /** `fresh()` calls that found no ready item and had to wait. */
  poolMisses: number;
  /** Time `fresh()` took, every call. */
  handoutMs: LatencySummary;
  /** Time of the misses only (what a test waits when the refill does not keep up). */
  missWaitMs: LatencySummary;
  /** Making one item. */
  cloneMs: LatencySummary;
  dropMs: LatencySummary;
  ready: number;
  inUse: number;
}

interface Waiter<T> {
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** After this many failures in a row, waiting tests are failed instead of left to their timeout. */
const FAILURES_BEFORE_GIVING_UP = 3;

/** What a subclass may add to the pool's life cycle; both are optional (the default is neither). */
export interface PreparedPoolHooks<T> {
  /**
   * Extra preparation of a ready item, run only while the refill is otherwise idle. `handedOut()` turns true when a
   * test took the item meanwhile: stop then (the item is the test's). Must not throw. Null: nothing to do.
   */
  polish?(item: T, handedOut: () => boolean): Promise<void> | null;
  /**
   * A released item checked for reuse. Resolves to the item to make ready again (it then goes back to the pool
   * instead of being disposed of and made anew), or null to dispose of it. Null instead of a promise: not reused.
   */
  recycle?(item: T): Promise<T | null> | null;
  /** True when most recycled items come back: the refill then counts those being recycled as on their way. */
  recycleRefills?(): boolean;
}

export abstract class PreparedPool<T> {
  private readonly limits: PreparedPoolLimits;
  private readonly readyItems: T[] = [];
  private readonly handedOut = new Set<T>();
  private readonly waiters: Waiter<T>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly disposals: T[] = [];
  /** `seen`: ready items polished (or being polished), see `hooks.polish`; `running`: one is under way. */
  private readonly polishing = { seen: new WeakSet<object>(), running: false, done: 0, cut: 0 };
  private disposing: Promise<void> | null = null;
  private creating = 0;
  /** Released items being checked by `hooks.recycle` (they may come back ready). */
  private recycling = 0;
  private consecutiveFailures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The last error of `produce`, for the exhausted message. */
  protected lastError: Error | null = null;
  private readonly handoutTimes = new SampleRing(10_000);
  private readonly missTimes = new SampleRing(10_000);
  private readonly produceTimes = new SampleRing(10_000);
  private readonly discardTimes = new SampleRing(10_000);
  private readonly counts = { clones: 0, handouts: 0, drops: 0, misses: 0 };

  protected constructor(limits: PreparedPoolLimits) {
    this.limits = {
      poolSize: Math.max(0, limits.poolSize),
      concurrency: Math.max(1, limits.concurrency),
      maxItems: Math.max(1, limits.maxItems),
      acquireTimeoutMs: limits.acquireTimeoutMs,
      deferLimit: Math.max(0, limits.deferLimit),
    };
  }

  /** Makes one item; throws when it cannot (after cleaning up what it made). */
  protected abstract produce(): Promise<T>;
  /** Gets rid of a released (or never handed out) item; must not throw for an item that is already gone. */
  protected abstract discard(item: T): Promise<void>;
  /** The error `take()` rejects with after `acquireTimeoutMs`. */
  protected abstract exhaustedError(state: { inUse: number; ready: number; creating: number; lastError: Error | null }): Error;
  /** A failure that will not go away by retrying: waiting tests fail now. Default: every failure. */
  protected isPermanent(_error: unknown): boolean {
    return true;
  }

  protected get poolSize(): number {
    return this.limits.poolSize;
  }

  /** True once `shutdown()` began: nothing is made any more. */
  protected get stopping(): boolean {
    return this.stopped;
  }

  /** The optional polish and recycle steps (see PreparedPoolHooks); a subclass sets its own. Default: neither. */
  protected readonly hooks: PreparedPoolHooks<T> = {};

  /** Disposals run at the same time at shutdown (while the refill works, one at a time). Default 1. */
  protected shutdownDisposalLanes(): number {
    return 1;
  }

  /** Starts items while fewer than wanted are ready or being made, within the limits. */
  protected pump(): void {
    if (this.stopped) return;
    const wanted = Math.max(this.limits.poolSize, this.waiters.length);
    while (
      this.creating < this.limits.concurrency &&
      // A released item being checked does not hold the refill back unless most come back (see recycleRefills).
      this.readyItems.length + this.creating + (this.hooks.recycleRefills?.() ? this.recycling : 0) < wanted &&
      this.readyItems.length + this.creating + this.recycling + this.handedOut.size < this.limits.maxItems &&
      this.retryTimer === null
    ) {
      this.creating++;
      const job = this.produceOne().finally(() => this.inFlight.delete(job));
      this.inFlight.add(job);
    }
    if (this.creating === 0 && this.waiters.length === 0) {
      this.startPolish();
      this.startDisposals();
    }
  }

  /** Polishes the oldest unpolished ready item while the pool is full and nothing is being made. */
  private startPolish(): void {
    const state = this.polishing;
    if (state.running || this.stopped || this.readyItems.length < this.limits.poolSize) return;
    const item = this.readyItems.find((ready) => !state.seen.has(ready as object));
    if (item === undefined) return;
    state.seen.add(item as object);
    const handedOut = () => this.handedOut.has(item) || this.stopped;
    const job = this.hooks.polish?.(item, handedOut) ?? null;
    if (!job) return;
    state.running = true;
    const done = job
      .catch(() => undefined)
      .then(() => {
        if (handedOut()) state.cut++;
        else state.done++;
        state.running = false;
        this.inFlight.delete(done);
        this.pump();
      });
    this.inFlight.add(done);
  }

  /** Items polished to the end, and polishes cut short by a handout. */
  protected polishStats(): { done: number; cut: number } {
    return { done: this.polishing.done, cut: this.polishing.cut };
  }

  private async produceOne(): Promise<void> {
    const started = process.hrtime.bigint();
    let item: T;
    try {
      item = await this.produce();
    } catch (error) {
      this.creating--;
      this.onProduceFailure(error);
      this.pump();
      return;
    }
    this.produceTimes.record(msSince(started));
    this.counts.clones++;
    this.consecutiveFailures = 0;
    this.lastError = null;
    this.creating--;
    this.offer(item);
    this.pump();
  }

  private onProduceFailure(error: unknown): void {
    this.lastError = error instanceof Error ? error : new Error(String(error));
    this.consecutiveFailures++;
    // A cause that will not go away by itself fails the waiters now instead of at their timeout.
    if (this.isPermanent(error) || this.consecutiveFailures >= FAILURES_BEFORE_GIVING_UP) {
      for (const waiter of this.waiters.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.reject(this.lastError);
      }
    }
    if (this.stopped || this.retryTimer !== null) return;
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = null;
        if (this.waiters.length > 0 || this.consecutiveFailures < FAILURES_BEFORE_GIVING_UP) this.pump();
      },
      Math.min(1000, 50 * 2 ** this.consecutiveFailures),
    );
    this.retryTimer.unref();
  }

  /** A ready item (sub-millisecond), or the next one made. Rejects after `acquireTimeoutMs`. */
  protected take(): Promise<T> {
    const started = process.hrtime.bigint();
    if (this.stopped) return Promise.reject(new PoolClosedError('tdd-fast: the template is closed'));
    const item = this.waiters.length === 0 ? this.readyItems.shift() : undefined;
    if (item !== undefined) {
      this.handedOut.add(item);
      this.counts.handouts++;
      this.handoutTimes.record(msSince(started));
      // The refill starts after this task: the handout returns before the next CREATE DATABASE, drop or warm-up
      // query is sent, which would lengthen every handout (and widen the window a busy machine preempts it in).
      setImmediate(() => this.pump());
      return Promise.resolve(item);
    }
    this.counts.misses++;
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(this.exhaustedError({ inUse: this.handedOut.size, ready: this.readyItems.length, creating: this.creating, lastError: this.lastError }));
        }, this.limits.acquireTimeoutMs),
      };
      this.waiters.push(waiter);
      this.pump();
    }).then((got) => {
      const ms = msSince(started);
      this.counts.handouts++;
      this.handoutTimes.record(ms);
      this.missTimes.record(ms);
      return got;
    });
  }

  /** Returns a handed-out item: it is disposed of in the background. Releasing twice is harmless. */
  protected giveBack(item: T): void {
    if (!this.handedOut.delete(item)) return;
    const check = this.stopped ? null : (this.hooks.recycle?.(item) ?? null);
    if (!check) {
      this.pump(); // first: a refill under way defers the drop
      this.disposeLater(item);
      return;
    }
    this.recycling++;
    const done = check
      .catch(() => null)
      .then((again) => {
        this.recycling--;
        this.inFlight.delete(done);
        if (again === null) this.disposeLater(item);
        else this.offer(again);
        this.pump();
      });
    this.inFlight.add(done);
  }

  /** A made (or recycled) item: to the oldest waiter, else ready (after shutdown began, shutdown() disposes of it). */
  private offer(item: T): void {
    const waiter = this.stopped ? undefined : this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      this.handedOut.add(item);
      waiter.resolve(item);
    } else {
      this.readyItems.push(item);
    }
  }

  /** Queues an item for disposal (deferred while the refill works, see the file comment). */
  protected disposeLater(item: T): void {
    this.disposals.push(item);
    if (this.stopped || this.disposals.length > this.limits.deferLimit || (this.creating === 0 && this.waiters.length === 0)) this.startDisposals();
  }

  private startDisposals(): void {
    if (this.disposals.length === 0) return;
    this.disposing ??= this.drainDisposals().finally(() => {
      this.disposing = null;
    });
  }

  private async drainDisposals(): Promise<void> {
    // While the refill works: one at a time, and only while over the limit or the refill is idle. At shutdown all
    // that is left goes, several at a time (nothing else needs the server then, and close() waits for them).
    const atShutdown = this.stopped;
    const lane = async () => {
      while (this.disposals.length > 0 && (this.stopped || this.disposals.length > this.limits.deferLimit || (this.creating === 0 && this.waiters.length === 0))) {
        if (this.stopped && !atShutdown) return; // shutdown() starts the parallel drain once this one is done
        const item = this.disposals.shift() as T;
        const started = process.hrtime.bigint();
        try {
          await this.discard(item);
          this.counts.drops++;
          this.discardTimes.record(msSince(started));
        } catch {
          // The server went away or the item is gone; the next start reaps leftovers.
        }
      }
    };
    const lanes = atShutdown ? Math.max(1, this.shutdownDisposalLanes()) : 1;
    await Promise.all(Array.from({ length: lanes }, lane));
  }

  /** Waits until `n` items are ready (create(), benchmarks); fails with the cause when making them keeps failing. */
  async warm(n = this.limits.poolSize, timeoutMs = this.limits.acquireTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const target = Math.min(n, this.limits.maxItems);
    if (this.readyItems.length < target && this.limits.poolSize < target) {
      throw new Error(`tdd-fast: warm(${n}) can never finish: poolSize is ${this.limits.poolSize}`);
    }
    while (this.readyItems.length < target) {
      // A cause that will not go away (as for waiters, see onProduceFailure) fails now, not at the deadline.
      if (this.lastError && (this.isPermanent(this.lastError) || this.consecutiveFailures >= FAILURES_BEFORE_GIVING_UP)) throw this.lastError;
      if (Date.now() > deadline) throw this.exhaustedError({ inUse: this.handedOut.size, ready: this.readyItems.length, creating: this.creating, lastError: this.lastError });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  protected poolCounters(): PreparedPoolCounters {
    return {
      clones: this.counts.clones,
      handouts: this.counts.handouts,
      drops: this.counts.drops,
      poolMisses: this.counts.misses,
      handoutMs: this.handoutTimes.summary(),
      missWaitMs: this.missTimes.summary(),
      cloneMs: this.produceTimes.summary(),
      dropMs: this.discardTimes.summary(),
      ready: this.readyItems.length,
      inUse: this.handedOut.size,
    };
  }

  /** Stops the refill, fails the waiters, waits for items being made, then disposes of every item. */
  protected async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new PoolClosedError('tdd-fast: the template was closed while a test waited for a database'));
    }
    await Promise.allSettled([...this.inFlight]);
    this.disposals.push(...this.readyItems.splice(0), ...this.handedOut);
    this.handedOut.clear();
    if (this.disposing) await this.disposing;
    this.startDisposals();
    if (this.disposing) await this.disposing;
  }
}
