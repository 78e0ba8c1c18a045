/**
 * Named locks for tests that share an external resource (a port, a bucket, a fixture file) across vitest workers,
 * which may be threads or processes. Locks are files created with O_EXCL under `<cacheDir>/locks/`; several names are
 * always taken in sorted order, so two tests asking for {a, b} and {b, a} cannot deadlock, and every wait is bounded.
 */
import * as path from 'node:path';
import { resolveSwitches, type TestingConfig } from './switches';
import { ownerToken, readOwner, removeLockFile, tryCreateLockFile } from './fsutil';

export interface LockOptions extends TestingConfig {
  /** Give up after this long. Default 10 000 ms. */
  timeoutMs?: number;
  /** A lock older than this is considered abandoned and taken over. Default 5 minutes. */
  staleMs?: number;
  /** Directory holding the lock files. Default `<cacheDir>/locks`. */
  dir?: string;
}

export class LockTimeoutError extends Error {
  readonly code = 'TDD_FAST_LOCK_TIMEOUT';
}

export interface HeldLocks {
  readonly names: readonly string[];
  release(): void;
}

function lockFileFor(dir: string, name: string): string {
  return path.join(dir, `${encodeURIComponent(name)}.lock`);
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Acquires all `names` (deduplicated, in sorted order) or none: on timeout the ones already taken are released. */
export async function acquireLocks(names: string | readonly string[], options: LockOptions = {}): Promise<HeldLocks> {
  const ordered = [...new Set(typeof names === 'string' ? [names] : names)].sort();
  if (ordered.length === 0) throw new Error('tdd-fast: acquireLocks needs at least one name');
  const dir = options.dir ?? path.join(resolveSwitches(options).cacheDir.value, 'locks');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 5 * 60_000;
  const deadline = Date.now() + timeoutMs;
  const token = ownerToken();
  const held: string[] = [];
  const releaseHeld = () => {
    for (const name of held.splice(0).reverse()) removeLockFile(lockFileFor(dir, name), token);
  };
  try {
    for (const name of ordered) {
      const file = lockFileFor(dir, name);
      let pause = 1;
      while (!tryCreateLockFile(file, token, staleMs)) {
        if (Date.now() >= deadline) {
          const owner = readOwner(file);
          const holder = owner ? `pid ${owner.pid} thread ${owner.threadId}` : 'unknown holder';
          throw new LockTimeoutError(
            `tdd-fast: lock "${name}" not acquired within ${timeoutMs} ms (held by ${holder}; wanted [${ordered.join(', ')}])`,
          );
        }
        await wait(pause);
        pause = Math.min(pause * 2, 25);
      }
      held.push(name);
    }
  } catch (error) {
    releaseHeld();
    throw error;
  }
  let released = false;
  return {
    names: ordered,
    release() {
      if (released) return;
      released = true;
      releaseHeld();
    },
  };
}

/** Runs `work` while holding all `names`; always releases. */
export async function withLocks<T>(
  names: string | readonly string[],
  work: () => T | Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const locks = await acquireLocks(names, options);
  try {
    return await work();
  } finally {
    locks.release();
  }
}
