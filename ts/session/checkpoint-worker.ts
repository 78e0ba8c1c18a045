/**
 * The store's background checkpointer (a worker thread with its own connection). It copies the WAL back into the
 * database file when the store asks, so that copy and its fsync never sit on a writer's path. A checkpoint is
 * crash-safe at every step, so the process may exit at any moment.
 */
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

interface CheckpointWorkerData {
  dbPath: string;
  /** Above this WAL size the worker also tries to restart the WAL (see below). */
  restartAboveBytes: number;
  /**
   * [0] = 1 while a checkpoint is requested or running (the worker clears it); [1] = 1 once its connection closed;
   * [2] = 1 while the worker holds the write lock for a RESTART (the writer waits on it instead of polling).
   */
  pending: SharedArrayBuffer;
}

const { dbPath, restartAboveBytes, pending } = workerData as CheckpointWorkerData;
const flag = new Int32Array(pending);
// Never waits for a lock: a checkpoint that finds the writer busy does what it can and the next request goes on.
const db = new Database(dbPath, { timeout: 0 });

function walBytes(): number {
  try {
    return fs.statSync(`${dbPath}-wal`).size;
  } catch {
    return 0;
  }
}

parentPort!.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    db.close();
    Atomics.store(flag, 1, 1);
    Atomics.notify(flag, 1);
    parentPort!.close();
    return;
  }
  try {
    // PASSIVE: copies what is in the WAL without ever blocking the writer.
    db.pragma('wal_checkpoint(PASSIVE)');
    // Under a steady writer PASSIVE never copies the last frame (new ones arrive during its fsyncs), so SQLite never
    // starts the WAL over and it grows without bound. RESTART copies the few frames written since, then lets the
    // next commit start the WAL from the top. It holds the write lock for that short copy; with a zero timeout it
    // gives up at once (doing a PASSIVE's work) when the writer is mid-transaction, and the next request tries again.
    if (walBytes() > restartAboveBytes) {
      Atomics.store(flag, 2, 1);
      try {
        db.pragma('wal_checkpoint(RESTART)');
      } finally {
        Atomics.store(flag, 2, 0);
        Atomics.notify(flag, 2);
      }
    }
  } catch {
    // Busy (another process is checkpointing) or closing: the next request tries again.
  } finally {
    Atomics.store(flag, 0, 0);
  }
});
