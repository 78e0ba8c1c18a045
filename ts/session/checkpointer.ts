import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** Ask for a checkpoint after this many commits or this many payload bytes since the last request. */
const COMMITS_PER_REQUEST = 64;
const BYTES_PER_REQUEST = 4 * 1024 * 1024;
/** If the WAL still grows past this (the worker cannot keep up), the writer checkpoints itself once. */
const WAL_HARD_LIMIT_BYTES = 64 * 1024 * 1024;
const WAL_CHECK_EVERY_COMMITS = 256;
const CLOSE_WAIT_MS = 2000;

/**
 * Keeps WAL checkpoints off the writer's path. SQLite's automatic checkpoint runs inside the commit that crosses
 * 1,000 pages and copies them with an fsync: 10-80 ms stalls every few hundred writes. The store turns it off and
 * this class has a worker thread (started only once a process has written enough to need it, so a one-shot CLI
 * command never pays for it) run PASSIVE checkpoints beside the writer. Durability is unchanged: commits still go
 * to the WAL exactly as before, and a checkpoint is crash-safe at every step.
 */
export class BackgroundCheckpointer {
  private worker: Worker | undefined;
  /** [0]: a checkpoint is requested or running; [1]: the worker's connection is closed (see checkpoint-worker.ts). */
  private readonly pending = new Int32Array(new SharedArrayBuffer(8));
  private commits = 0;
  private bytes = 0;
  private commitsSinceWalCheck = 0;
  private failed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly dbPath: string,
    private readonly busyTimeoutMs: number,
  ) {}

  /** Called after every commit with roughly how many bytes it wrote. Cheap: counters, rarely a stat. */
  afterCommit(bytes: number): void {
    this.commits++;
    this.bytes += bytes;
    if (this.commits >= COMMITS_PER_REQUEST || this.bytes >= BYTES_PER_REQUEST) this.request();
    if (++this.commitsSinceWalCheck >= WAL_CHECK_EVERY_COMMITS) {
      this.commitsSinceWalCheck = 0;
      this.checkWalSize();
    }
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
        workerData: { dbPath: this.dbPath, busyTimeoutMs: this.busyTimeoutMs, pending: this.pending.buffer },
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

  private checkWalSize(): void {
    let size = 0;
    try {
      size = fs.statSync(`${this.dbPath}-wal`).size;
    } catch {
      return;
    }
    if (size > WAL_HARD_LIMIT_BYTES) this.checkpointHere();
  }

  private checkpointHere(): void {
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // busy: the worker or another process is on it
    }
  }
}
