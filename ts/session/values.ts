import type Database from 'better-sqlite3';
import { BlobFiles } from './blobs';
import { SessionStoreError } from './errors';
import { JsonBytes } from './json-bytes';

/** A value as a row stores it: its JSON inline, or 'null' and the name of the file that holds it. */
export interface StoredValue {
  inline: string;
  file: string | null;
  bytes: Buffer | undefined;
  /** The JSON itself (for the blob cache), when it lives in a file and the caller had it as a string. */
  json: string | undefined;
}

/** The columns of a row that holds a context: inline JSON, or the name of its file. */
export interface ContextRow {
  context: string;
  context_file: string | null;
}

/** What a row holds in place of a value that lives in a file. */
const IN_FILE = 'null';

/**
 * The JSON values of a store (contexts and event data): the size limit, the choice between inline and a file
 * (blobs.ts), and reading them back. The transactions that name files stay with the store.
 */
export class SessionValues {
  private readonly blobs: BlobFiles;
  private readonly encoder = new JsonBytes();
  private swept = false;

  constructor(
    private readonly db: Database.Database,
    private readonly dbPath: string,
    private readonly options: { maxContextBytes: number; fileValueChars: number; durable: boolean },
  ) {
    this.blobs = new BlobFiles(db, dbPath, options.durable);
  }

  /** The row's form of a JSON text: inline when short, else a file name (hashed here, outside the transaction). */
  toStored(json: string): StoredValue {
    if (!this.inFile(json)) return { inline: json, file: null, bytes: undefined, json: undefined };
    const bytes = this.encoder.encodeText(json);
    return { inline: IN_FILE, file: BlobFiles.nameFor(bytes), bytes, json };
  }

  /**
   * The row's form of a value, serialised as JSON.stringify would, straight into bytes (json-bytes.ts: a large value
   * never becomes one large string). A context must have a JSON form and fit maxContextBytes; event data without
   * one is stored as `{}`.
   */
  fromValue(value: unknown, kind: 'context' | 'data'): StoredValue {
    const bytes = this.encoder.encode(value);
    if (bytes === undefined) {
      if (kind === 'context') throw new TypeError('A session context must be JSON-serialisable (got undefined).');
      return this.toStored('{}');
    }
    if (kind === 'context') this.assertContextBytes(bytes.length);
    if (bytes.length < this.options.fileValueChars) {
      return { inline: bytes.toString('utf8'), file: null, bytes: undefined, json: undefined };
    }
    return { inline: IN_FILE, file: BlobFiles.nameFor(bytes), bytes, json: undefined };
  }

  /** Whether this JSON is kept in a file: at least fileValueChars bytes of UTF-8. */
  inFile(json: string): boolean {
    const threshold = this.options.fileValueChars;
    // A UTF-16 unit is 1 to 3 UTF-8 bytes, so most lengths decide without the exact (O(n)) byte count.
    if (json.length >= threshold) return true;
    return json.length * 3 >= threshold && Buffer.byteLength(json, 'utf8') >= threshold;
  }

  /** The most a commit of this value adds to the WAL (a file value only adds its row). */
  walChars(json: string): number {
    return Math.min(json.length, this.options.fileValueChars);
  }

  /** Writes the value's file if it has one. Call inside the transaction that commits the row naming it. */
  put(value: StoredValue): void {
    if (value.file) this.blobs.put(value.file, value.bytes!, value.json);
  }

  assertContextSize(json: string): void {
    // A UTF-16 unit is at most 3 UTF-8 bytes, so short strings skip the exact (O(n)) byte count.
    if (json.length * 3 > this.options.maxContextBytes) this.assertContextBytes(Buffer.byteLength(json, 'utf8'));
  }

  private assertContextBytes(bytes: number): void {
    const max = this.options.maxContextBytes;
    if (bytes > max) {
      throw new SessionStoreError(
        'CONTEXT_TOO_LARGE',
        `Session context is ${bytes} bytes; the limit is ${max} (maxContextBytes). ` +
          'Keep large artefacts in files and store their paths.',
        { dbPath: this.dbPath },
      );
    }
  }

  /**
   * The context's JSON; undefined when the session went away between reading its row and reading its file.
   * `reread` reads the row again: another process may have replaced the context and deleted the old file between
   * our two reads.
   */
  contextText(row: ContextRow, reread: () => ContextRow | undefined): string | undefined {
    if (!row.context_file) return row.context;
    const text = this.blobs.read(row.context_file);
    if (text !== undefined) return text;
    const again = reread();
    if (!again) return undefined;
    if (!again.context_file) return again.context;
    return this.blobs.read(again.context_file) ?? throwError(this.blobs.missing(again.context_file, this.dbPath));
  }

  /** An event's data file (events are never rewritten, only deleted with their session). */
  fileText(name: string): string {
    return this.blobs.read(name) ?? throwError(this.blobs.missing(name, this.dbPath));
  }

  /** After a commit that may have dropped the last row naming a file: delete such files. */
  collectGarbage(): void {
    // Inside a caller's transaction() nothing is committed yet (a rollback would bring the names back): its own
    // collectGarbage, after the commit, collects.
    if (!this.db.inTransaction && this.blobs.hasGarbage()) this.blobs.collect();
  }

  /**
   * Files of writers killed before their commit named them: the first retention run of each open store collects
   * them (a directory listing per startSession would grow with the folder; leftovers only come from kills).
   */
  sweepOnce(): void {
    if (this.swept || this.db.inTransaction) return;
    this.swept = true;
    this.blobs.sweep();
  }
}

function throwError(error: Error): never {
  throw error;
}
