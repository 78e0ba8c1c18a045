/**
 * The server-free parts of the PostgreSQL speed work: the refill pool both templates share (with a small in-memory
 * item type, so the ordering rules can be checked exactly), the CREATE DATABASE strategy choice, and where a
 * throwaway cluster's data directory goes.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PreparedPool, type PreparedPoolHooks } from '../../ts/testing/pg/prepared-pool';
import { chooseStrategy } from '../../ts/testing/pg/template';
import { ramDirectory } from '../../ts/testing/pg/server';
import { localClusterDir } from '../../ts/testing/pg/select';
import { PoolClosedError } from '../../ts/testing/pool-closed';
import { skipWithoutPrerequisite } from '../helpers';
import { tempDir } from './helpers';

interface Box {
  id: number;
}

/** Items are numbered boxes; each produce() waits for the test to let it finish, so the test controls the timing. */
class BoxPool extends PreparedPool<Box> {
  made = 0;
  readonly log: string[] = [];
  private readonly gates: (() => void)[] = [];
  failNext: Error | null = null;

  constructor(limits: { poolSize: number; concurrency: number; deferLimit: number; maxItems?: number; acquireTimeoutMs?: number }) {
    super({ maxItems: 100, acquireTimeoutMs: 1000, ...limits });
    this.pump();
  }
  protected async produce(): Promise<Box> {
    await new Promise<void>((resolve) => this.gates.push(resolve));
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = null;
      throw error;
    }
    const box = { id: ++this.made };
    this.log.push(`made ${box.id}`);
    return box;
  }
  protected async discard(box: Box): Promise<void> {
    this.log.push(`dropped ${box.id}`);
  }
  protected exhaustedError(state: { inUse: number }): Error {
    return new Error(`no box (${state.inUse} in use)`);
  }
  /** Lets every produce() under way finish (after a handout the refill starts in the next task: wait for it first). */
  async finishProducing(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.gates.length > 0) (this.gates.shift() as () => void)();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  get pending(): number {
    return this.gates.length;
  }
  fresh = () => this.take();
  release = (box: Box) => this.giveBack(box);
  close = () => this.shutdown();
  stats = () => this.poolCounters();
}

/** A BoxPool that polishes (each polish waits for the test) and drops in `lanes` lanes at shutdown. */
class PolishingPool extends BoxPool {
  private readonly polishGates: (() => void)[] = [];
  inDiscard = 0;
  maxInDiscard = 0;
  constructor(
    limits: { poolSize: number; concurrency: number; deferLimit: number },
    private readonly lanes = 1,
    private readonly polishes = true,
  ) {
    super(limits);
  }
  protected readonly hooks: PreparedPoolHooks<Box> = {
    polish: (box, handedOut) => {
      if (!this.polishes) return null;
      this.log.push(`polish ${box.id}`);
      return new Promise<void>((resolve) => this.polishGates.push(resolve)).then(() => {
        this.log.push(handedOut() ? `cut ${box.id}` : `polished ${box.id}`);
      });
    },
  };
  protected async discard(box: Box): Promise<void> {
    this.inDiscard++;
    this.maxInDiscard = Math.max(this.maxInDiscard, this.inDiscard);
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.inDiscard--;
    await super.discard(box);
  }
  protected shutdownDisposalLanes(): number {
    return this.lanes;
  }
  async finishPolish(): Promise<void> {
    (this.polishGates.shift() as () => void)();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  polishTally = () => this.polishStats();
}

/** A BoxPool whose released boxes come back through `recycle` when the test says so (a reset that succeeds or not). */
class RecyclingPool extends BoxPool {
  private readonly recycleGates: ((back: boolean) => void)[] = [];
  constructor(
    limits: { poolSize: number; concurrency: number; deferLimit: number },
    private readonly refills: boolean,
  ) {
    super(limits);
  }
  protected readonly hooks: PreparedPoolHooks<Box> = {
    recycle: (box) => new Promise<boolean>((resolve) => this.recycleGates.push(resolve)).then((back) => (back ? box : null)),
    recycleRefills: () => this.refills,
  };
  /** Ends the oldest recycle under way: the box comes back (true) or is dropped (false). */
  async finishRecycle(back: boolean): Promise<void> {
    (this.recycleGates.shift() as (back: boolean) => void)(back);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('PreparedPool (the refill both PostgreSQL templates use)', () => {
  it('makes poolSize items ahead, never more than concurrency at once, and hands a ready one out without waiting', async () => {
    const pool = new BoxPool({ poolSize: 3, concurrency: 2, deferLimit: 0 });
    expect(pool.pending).toBe(2);
    await pool.finishProducing();
    expect(pool.pending).toBe(1); // the third, now that a slot is free
    await pool.finishProducing();
    expect(pool.stats()).toMatchObject({ ready: 3, clones: 3, poolMisses: 0 });
    const box = await pool.fresh();
    expect(box.id).toBe(1);
    expect(pool.stats()).toMatchObject({ ready: 2, inUse: 1, handouts: 1, poolMisses: 0 });
    expect(pool.pending).toBe(0); // the handout returned before the refill started anything
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.pending).toBe(1); // refilling the one handed out
    await pool.finishProducing();
    await pool.close();
  });

  it('a test that finds the pool empty waits for the next item and is counted as a miss', async () => {
    const pool = new BoxPool({ poolSize: 0, concurrency: 1, deferLimit: 0 });
    const waiting = pool.fresh();
    expect(pool.pending).toBe(1);
    await pool.finishProducing();
    expect((await waiting).id).toBe(1);
    expect(pool.stats()).toMatchObject({ poolMisses: 1, handouts: 1 });
    expect(pool.stats().missWaitMs.count).toBe(1);
    await pool.close();
  });

  it('defers drops while the refill is busy, drops them when it is idle, and drops everything at close', async () => {
    const pool = new BoxPool({ poolSize: 2, concurrency: 1, deferLimit: 4 });
    await pool.finishProducing();
    await pool.finishProducing();
    const a = await pool.fresh(); // starts a refill
    pool.release(a);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(pool.log).not.toContain('dropped 1'); // the refill is working: the drop waits
    await pool.finishProducing(); // the refill is idle now
    expect(pool.log.indexOf('dropped 1')).toBeGreaterThan(pool.log.indexOf('made 3'));
    const b = await pool.fresh();
    await pool.finishProducing();
    await pool.close(); // b is still handed out: close drops it and the ready ones
    expect(pool.log.filter((line) => line.startsWith('dropped')).sort()).toEqual(['dropped 1', 'dropped 2', 'dropped 3', 'dropped 4']);
    expect(b.id).toBe(2);
    await expect(pool.fresh()).rejects.toBeInstanceOf(PoolClosedError);
  });

  it('drops at once past deferLimit, even while the refill is busy', async () => {
    const pool = new BoxPool({ poolSize: 3, concurrency: 1, deferLimit: 1 });
    for (let i = 0; i < 3; i++) await pool.finishProducing();
    const a = await pool.fresh();
    const b = await pool.fresh();
    pool.release(a);
    pool.release(b); // two deferred, limit 1: one goes now
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(pool.pending).toBe(1);
    expect(pool.log.filter((line) => line.startsWith('dropped'))).toEqual(['dropped 1']);
    await pool.finishProducing();
    await pool.finishProducing();
    await pool.close();
  });

  it('fails a waiting test at once when making an item fails for good, instead of at its timeout', async () => {
    const pool = new BoxPool({ poolSize: 0, concurrency: 1, deferLimit: 0, acquireTimeoutMs: 60_000 });
    const waiting = expect(pool.fresh()).rejects.toThrow('the template is broken');
    pool.failNext = new Error('the template is broken');
    await pool.finishProducing();
    await waiting;
    await pool.close();
  });

  it('polishes ready items only while the pool is full and nothing is being made, oldest first; a handout cuts one short', async () => {
    const pool = new PolishingPool({ poolSize: 2, concurrency: 1, deferLimit: 0 });
    await pool.finishProducing();
    expect(pool.log).toEqual(['made 1']); // one ready of two: the refill is still working, nothing is polished
    await pool.finishProducing();
    expect(pool.log).toEqual(['made 1', 'made 2', 'polish 1']);
    await pool.finishPolish();
    expect(pool.log.slice(-2)).toEqual(['polished 1', 'polish 2']);
    const first = await pool.fresh(); // box 1 (polished); box 2's polish goes on while the refill makes box 3
    expect(first.id).toBe(1);
    const second = await pool.fresh(); // box 2, taken while being polished
    await pool.finishPolish();
    expect(pool.log).toContain('cut 2');
    expect(second.id).toBe(2);
    expect(pool.polishTally()).toEqual({ done: 1, cut: 1 });
    await pool.finishProducing(); // box 3; the refill goes on with box 4, so nothing is polished
    expect(pool.log.at(-1)).toBe('made 3');
    const closing = pool.close();
    await pool.finishProducing();
    await closing;
    expect(pool.log.filter((line) => line.startsWith('polish '))).toEqual(['polish 1', 'polish 2']);
  });

  it('with recycleRefills, a box being recycled counts as coming back: no new one is made unless the recycle fails', async () => {
    for (const refills of [true, false]) {
      const pool = new RecyclingPool({ poolSize: 1, concurrency: 1, deferLimit: 0 }, refills);
      await pool.finishProducing();
      const box = await pool.fresh();
      await pool.finishProducing(); // the pool refills the one handed out
      pool.release(box); // being recycled
      const next = await pool.fresh();
      await new Promise((resolve) => setImmediate(resolve)); // the refill starts in the task after a handout
      expect(next.id).toBe(2);
      // Without recycleRefills the refill replaces box 2 at once; with it, box 1 is on its way back.
      expect(pool.pending).toBe(refills ? 0 : 1);
      await pool.finishRecycle(true);
      expect((await pool.fresh()).id).toBe(1); // back, ready again
      if (refills) {
        pool.release(next);
        await pool.finishRecycle(false); // the recycle failed: box 2 is dropped and a new box made
        await new Promise((resolve) => setImmediate(resolve));
        expect(pool.log).toContain('dropped 2');
        expect(pool.pending).toBe(1);
      }
      const closing = pool.close();
      await pool.finishProducing();
      await closing;
    }
  });

  it('at shutdown drops in shutdownDisposalLanes() lanes at once, and still drops every item', async () => {
    for (const lanes of [1, 3]) {
      const pool = new PolishingPool({ poolSize: 6, concurrency: 6, deferLimit: 0 }, lanes, false);
      await pool.finishProducing();
      await pool.close();
      expect(pool.maxInDiscard).toBe(lanes);
      expect(pool.log.filter((line) => line.startsWith('dropped'))).toHaveLength(6);
    }
  });

  it('rejects a waiter with the exhausted error after acquireTimeoutMs when every item is handed out', async () => {
    const pool = new BoxPool({ poolSize: 1, concurrency: 1, deferLimit: 0, maxItems: 1, acquireTimeoutMs: 50 });
    await pool.finishProducing();
    await pool.fresh();
    await expect(pool.fresh()).rejects.toThrow('no box (1 in use)');
    await pool.close();
  });
});

describe('chooseStrategy', () => {
  it('uses FILE_COPY on a server without fsync, the server default otherwise, and nothing before PostgreSQL 15', () => {
    expect(chooseStrategy('auto', 15, true)).toBe('file_copy');
    expect(chooseStrategy('auto', 16, false)).toBeNull();
    expect(chooseStrategy('server', 15, true)).toBeNull();
    expect(chooseStrategy('wal_log', 15, true)).toBe('wal_log');
    expect(chooseStrategy('file_copy', 14, true)).toBeNull();
  });
});

describe('throwaway cluster storage', () => {
  it('TDD_FAST_PG_STORAGE=disk keeps clusters off the memory filesystem; pg start then uses <cacheDir>/pg/data', () => {
    const root = tempDir('tdd-fast-pg-storage-');
    const env = { TDD_FAST_PG_STORAGE: 'disk', TDD_FAST_CACHE_DIR: path.join(root, 'cache') };
    expect(ramDirectory(undefined, env)).toBeNull();
    expect(ramDirectory('disk', {})).toBeNull();
    expect(localClusterDir(root, env)).toBe(path.join(root, 'cache', 'pg', 'data'));
  });
  const noRoomyShm =
    process.platform === 'linux' &&
    skipWithoutPrerequisite(
      ramDirectory('ram', {}) !== null,
      'a writable /dev/shm with 1 GiB free',
      'give the container more shared memory (docker run --shm-size=2g, or a tmpfs on /dev/shm in the CI job)',
    );
  it.runIf(process.platform === 'linux' && !noRoomyShm)('on Linux with /dev/shm, pg start keeps one cluster per project cache dir there', () => {
    const a = localClusterDir(tempDir('tdd-fast-pg-storage-'), {});
    const b = localClusterDir(tempDir('tdd-fast-pg-storage-'), {});
    expect(a.startsWith('/dev/shm/tdd-fast-pg-')).toBe(true);
    expect(a).not.toBe(b);
  });
});
