/**
 * The store's background checkpointer (a worker thread with its own connection). It copies the WAL back into the
 * database file when the store asks, so that copy and its fsync never sit on a writer's path. PASSIVE checkpoints
 * never block writers, and a checkpoint is crash-safe at every step, so the process may exit at any moment.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

interface CheckpointWorkerData {
  dbPath: string;
  busyTimeoutMs: number;
  /** [0] = 1 while a checkpoint is requested or running (the worker clears it); [1] = 1 once its connection closed. */
  pending: SharedArrayBuffer;
}

const { dbPath, busyTimeoutMs, pending } = workerData as CheckpointWorkerData;
const flag = new Int32Array(pending);
const db = new Database(dbPath, { timeout: busyTimeoutMs });

parentPort!.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    db.close();
    Atomics.store(flag, 1, 1);
    Atomics.notify(flag, 1);
    parentPort!.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (another process is checkpointing) or closing: the next request tries again.
  } finally {
    Atomics.store(flag, 0, 0);
  }
});
