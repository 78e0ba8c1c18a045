import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { SessionStoreError } from './errors';

const WRITE_CHUNK_BYTES = 64 * 1024;
/**
 * The texts of the files this store wrote or read last, up to this many characters in all. A name is the hash of
 * its content, so an entry can never be stale, and the usual load-after-save skips the file read, as SQLite's own
 * page cache does for values inside the database.
 */
const RECENT_MAX_CHARS = 8 * 1024 * 1024;

/**
 * Large values (contexts, event data) as files beside the database, one per distinct value, named by the SHA-256 of
 * its JSON. Why: a 1 MB value in SQLite is 64 WAL frames that a checkpoint must copy back and fsync; under a steady
 * writer the checkpoint never catches up, the WAL never restarts and the writes stall on it (SQLite's own
 * measurements put the break-even between internal and external BLOBs near 100 KB). A file is one write and one
 * rename, and the WAL only carries the row that names it.
 *
 * Crash safety: the file is complete (temp file + rename) before the transaction that names it commits, so a
 * committed row always names a complete file. A SIGKILL cannot lose either: both are in the page cache, which
 * outlives the process. With durability 'full' the file and its folder are fsynced before that commit as well.
 *
 * Concurrency: a file is created, reused and deleted only while its writer holds the database's write lock (inside
 * a `BEGIN IMMEDIATE` transaction), so "does the file exist / does any row name it" never races with another
 * process. Deletion happens after the commit that drops the last row naming it: the triggers of schema v2 list such
 * files in `blob_garbage`, and collect() deletes the ones no row names any more.
 */
export class BlobFiles {
  readonly dir: string;
  private dirReady = false;
  private readonly statements: ReturnType<typeof prepare>;
  private readonly recent = new Map<string, string>();
  private recentChars = 0;

  constructor(
    private readonly db: Database.Database,
    dbPath: string,
    private readonly durable: boolean,
  ) {
    this.dir = `${dbPath}-blobs`;
    this.statements = prepare(db);
  }

  /** The file name a value gets: computed outside the transaction, it is the slow part of a put. */
  static nameFor(bytes: Buffer): string {
    return `${createHash('sha256').update(bytes).digest('hex')}.json`;
  }

  /**
   * Makes sure the file exists. Call inside the write transaction that will name it. `text`, when the caller has the
   * JSON as a string anyway, is kept for the next read.
   */
  put(name: string, bytes: Buffer, text: string | undefined): void {
    if (text !== undefined) this.remember(name, text);
    const file = path.join(this.dir, name);
    if (this.dirReady && fs.existsSync(file)) return; // the same value is stored already
    this.ensureDir();
    if (fs.existsSync(file)) return;
    const temp = path.join(this.dir, `${name}.${process.pid}-${threadId}.tmp`);
    const fd = fs.openSync(temp, 'w');
    try {
      // In 64 KiB pieces: one 1 MB write() to a new file measured 4.2 ms at p50 here, sixteen 64 KiB writes 0.6 ms
      // (Linux 6.18, ext4; the kernel's reason not investigated), and SQLite writes its pages in pieces too.
      for (let offset = 0; offset < bytes.length; offset += WRITE_CHUNK_BYTES) {
        fs.writeSync(fd, bytes, offset, Math.min(WRITE_CHUNK_BYTES, bytes.length - offset));
      }
      if (this.durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
    if (this.durable) syncDir(this.dir);
  }

  /** The file's text, or undefined when it does not exist (the caller decides whether that is a race or damage). */
  read(name: string): string | undefined {
    const cached = this.recent.get(name);
    // A cached text is only returned while its file exists: a missing file must read as missing, cache or not.
    if (cached !== undefined && fs.existsSync(path.join(this.dir, name))) {
      this.remember(name, cached);
      return cached;
    }
    try {
      const text = fs.readFileSync(path.join(this.dir, name), 'utf8');
      this.remember(name, text);
      return text;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  missing(name: string, dbPath: string): SessionStoreError {
    return new SessionStoreError(
      'CORRUPT',
      `The session store ${dbPath} names the file ${path.join(this.dir, name)}, which is missing ` +
        '(deleted by hand, or lost in a power failure with durability "normal").',
      { dbPath },
    );
  }

  /** Cheap check after a commit that may have dropped a file name (one indexed probe). */
  hasGarbage(): boolean {
    return this.statements.anyGarbage.get() !== undefined;
  }

  /** Deletes the listed files no row names any more. Runs in its own transaction, after the commit that listed them. */
  collect(): number {
    const s = this.statements;
    let removed = 0;
    this.db
      .transaction(() => {
        for (const { name } of s.listGarbage.all() as { name: string }[]) {
          if (!s.isNamed.get(name, name)) {
            if (this.unlink(name)) removed++;
          }
          s.dropGarbage.run(name);
        }
      })
      .immediate();
    return removed;
  }

  /**
   * Deletes files that no row names and nothing lists: left by a process killed between writing a file and
   * committing its row, or temp files of a write cut short. Safe under the write lock: a live writer only has an
   * unnamed file while it holds that lock.
   */
  sweep(): number {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return 0; // no folder: no file was ever written
    }
    if (names.length === 0) return 0;
    const s = this.statements;
    let removed = 0;
    this.db
      .transaction(() => {
        for (const name of names) {
          const orphan = name.endsWith('.tmp') || (name.endsWith('.json') && !s.isNamed.get(name, name));
          if (orphan && this.unlink(name)) removed++;
        }
      })
      .immediate();
    return removed;
  }

  /** Most recently used last; the oldest entries go once the texts pass RECENT_MAX_CHARS. */
  private remember(name: string, text: string): void {
    if (text.length > RECENT_MAX_CHARS) return;
    const previous = this.recent.get(name);
    if (previous !== undefined) {
      this.recent.delete(name);
      this.recentChars -= previous.length;
    }
    this.recent.set(name, text);
    this.recentChars += text.length;
    for (const [oldest, oldText] of this.recent) {
      if (this.recentChars <= RECENT_MAX_CHARS) break;
      this.recent.delete(oldest);
      this.recentChars -= oldText.length;
    }
  }

  private unlink(name: string): boolean {
    const cached = this.recent.get(name);
    if (cached !== undefined) {
      this.recent.delete(name);
      this.recentChars -= cached.length;
    }
    try {
      fs.unlinkSync(path.join(this.dir, name));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  private ensureDir(): void {
    if (this.dirReady) return;
    fs.mkdirSync(this.dir, { recursive: true });
    this.dirReady = true;
  }
}

function prepare(db: Database.Database) {
  return {
    anyGarbage: db.prepare('SELECT 1 FROM blob_garbage LIMIT 1'),
    listGarbage: db.prepare('SELECT name FROM blob_garbage'),
    dropGarbage: db.prepare('DELETE FROM blob_garbage WHERE name = ?'),
    isNamed: db.prepare(
      'SELECT 1 WHERE EXISTS (SELECT 1 FROM sessions WHERE context_file = ?) ' +
        'OR EXISTS (SELECT 1 FROM session_events WHERE data_file = ?)',
    ),
  };
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
