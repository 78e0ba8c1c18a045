/** File-system helpers: atomic writes and cross-process lock files (O_EXCL create), shared by templates and locks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the current thread; used only while another process finishes a build we need synchronously. */
export function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

/** Writes via a temp file + rename so readers never observe a half-written file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${threadId}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, data);
  fs.renameSync(temp, file);
}

export interface LockOwner {
  pid: number;
  threadId: number;
  createdAt: number;
}

export function ownerToken(): string {
  const owner: LockOwner = { pid: process.pid, threadId, createdAt: Date.now() };
  return JSON.stringify(owner);
}

export function readOwner(lockFile: string): LockOwner | null {
  try {
    return JSON.parse(fs.readFileSync(lockFile, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/** Whether `pid` runs on this machine (a process we may not signal still runs). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Tries once to create `lockFile` exclusively. A lock left behind by a dead process (or older than `staleMs`) is
 * removed and retried, so a crashed worker cannot block everyone forever.
 */
export function tryCreateLockFile(lockFile: string, token: string, staleMs: number): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, token);
      fs.closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        fs.mkdirSync(path.dirname(lockFile), { recursive: true });
        continue;
      }
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(lockFile);
      const stale =
        owner !== null && (!processIsAlive(owner.pid) || Date.now() - owner.createdAt > staleMs);
      if (!stale) return false;
      try {
        fs.unlinkSync(lockFile);
      } catch {
        // Someone else removed it first; just retry.
      }
    }
  }
  return false;
}

/** Removes the lock only if we still own it (a stale-lock takeover may have replaced it). */
export function removeLockFile(lockFile: string, token: string): void {
  try {
    if (fs.readFileSync(lockFile, 'utf8') === token) fs.unlinkSync(lockFile);
  } catch {
    // Already gone.
  }
}
