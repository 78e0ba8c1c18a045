import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** Ask for a checkpoint after this many commits or this many payload bytes since the last request. */
const COMMITS_PER_REQUEST = 64;
const BYTES_PER_REQUEST = 4 * 1024 * 1024;
/** Past this WAL size the worker also tries a RESTART checkpoint, so a steady writer's WAL stays bounded. */
const WAL_RESTART_ABOVE_BYTES = 64 * 1024 * 1024;
const CLOSE_WAIT_MS = 2000;
/** The longest a writer waits for the worker's RESTART (4-45 ms measured at load 8) before SQLite's own wait. */
const RESTART_WAIT_MS = 50;

/**
 * Keeps WAL checkpoints off the writer's path. SQLite's automatic checkpoint runs inside the commit that crosses
 * 1,000 pages and copies them with an fsync: 10-80 ms stalls every few hundred writes. The store turns it off and
 * this class has a worker thread (started only once a process has written enough to need it, so a one-shot CLI
 * command never pays for it) run PASSIVE checkpoints beside the writer, and RESTART ones when the WAL has grown
 * (see checkpoint-worker.ts). Durability is unchanged: commits still go to the WAL exactly as before, and a
 * checkpoint is crash-safe at every step.
 */
export class BackgroundCheckpointer {
  private worker: Worker | undefined;
  /** [0]: a checkpoint is requested or running; [1]: the worker's connection is closed; [2]: a RESTART holds the lock. */
  private readonly pending = new Int32Array(new SharedArrayBuffer(12));
  private commits = 0;
  private bytes = 0;
  private failed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly dbPath: string,
  ) {}

  /** Called after every commit with roughly how many bytes it wrote. Cheap: counters, no system call. */
  afterCommit(bytes: number): void {
    this.commits++;
    this.bytes += bytes;
    if (this.commits >= COMMITS_PER_REQUEST || this.bytes >= BYTES_PER_REQUEST) this.request();
  }

  /**
   * Called before a write transaction: while the worker holds the write lock for a RESTART, sleep until it lets go
   * (woken the moment it does) rather than in SQLite's busy handler, which polls at 1, 2, 5, 10 ms steps.
   */
  beforeWrite(): void {
    if (Atomics.load(this.pending, 2) === 1) Atomics.wait(this.pending, 2, 1, RESTART_WAIT_MS);
  }

  /**
   * Closes the worker's connection and waits (at most CLOSE_WAIT_MS, the length of one checkpoint) until it has, so
   * that the store's own close is the last one and, as SQLite does, folds the WAL back and removes it: after
   * close() returns nothing touches the files any more.
   */
  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    worker.postMessage('close');
    Atomics.wait(this.pending, 1, 0, CLOSE_WAIT_MS);
  }

  private request(): void {
    this.commits = 0;
    this.bytes = 0;
    if (Atomics.load(this.pending, 0) === 1) return; // one is queued or running already
    const worker = this.ensureWorker();
    if (!worker) {
      this.checkpointHere();
      return;
    }
    Atomics.store(this.pending, 0, 1);
    worker.postMessage('checkpoint');
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    try {
      const worker = new Worker(path.join(__dirname, 'checkpoint-worker.js'), {
        workerData: { dbPath: this.dbPath, restartAboveBytes: WAL_RESTART_ABOVE_BYTES, pending: this.pending.buffer },
      });
      worker.unref(); // never keeps the process alive
      worker.on('error', () => {
        this.failed = true;
        this.worker = undefined;
        Atomics.store(this.pending, 0, 0);
      });
      this.worker = worker;
    } catch {
      this.failed = true; // no worker threads here: fall back to checkpointing on the writer's path
    }
    return this.worker;
  }

  private checkpointHere(): void {
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // busy: the worker or another process is on it
    }
  }
}
