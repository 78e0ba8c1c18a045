/**
 * Template databases: build a schema (DDL or a migrations directory, plus an optional seed) once, keep the serialized
 * SQLite image on disk keyed by a content hash, and hand out isolated copies in a fraction of a millisecond.
 *
 * Why a serialized image: `new Database(buffer)` deserializes into a private in-memory database, which is a memcpy plus
 * a header check, far cheaper than replaying DDL (milliseconds) or copying a Postgres template (~10 ms).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { resolveSwitches, type TestingConfig } from '../switches';
import { SampleRing, msSince, type LatencySummary } from '../stats';
import { ownerToken, removeLockFile, sleepSync, tryCreateLockFile, writeFileAtomic } from '../fsutil';
import { migrationsName, readMigrationsDir, type MigrationScript } from '../migrations';

export type SqliteDatabase = Database.Database;

/**
 * A DDL string, an explicit `{ ddl }`, or `{ migrationsDir }`: plain `*.sql` files (natural name order), a Prisma
 * `migrations/` or a Drizzle `drizzle/` folder, read as PostgresTemplate reads them (see ../migrations.ts).
 */
export type SchemaSource = string | { ddl: string } | { migrationsDir: string };

export interface TemplateOptions extends TestingConfig {
  /** Fills the template once after the schema is built. Its source text is part of the cache key. */
  seed?: (db: SqliteDatabase) => void;
  /** Extra text mixed into the cache key, e.g. a seed data version when the seed reads external files. */
  cacheKey?: string;
  /** File-name prefix for the cached image; defaults to the migrations folder name or `schema`. */
  name?: string;
  /** Project root used to resolve the cache directory. Default: `process.cwd()`. */
  root?: string;
  /** How many old images per name to keep on disk. Default 4. */
  keepImages?: number;
}

export interface TemplateStats {
  /** Schema builds done by this process for this template (0 when the image came from the cache). */
  builds: number;
  /** Times an already built image was reused (from disk or from this process's memory). */
  reuses: number;
  /** Copies handed out by `fresh()` / `freshFile()`. */
  clones: number;
  /** Clone latency in milliseconds. */
  cloneMs: LatencySummary;
  /** Size of the serialized image in bytes (0 when the fast path is disabled). */
  imageBytes: number;
  /** Cache key (sha256 hex). */
  hash: string;
  /** Where the image came from for this process. */
  origin: 'built' | 'disk' | 'memory' | 'disabled';
  /** Path of the persistent image, or null when disabled. */
  imagePath: string | null;
  /** False when TDD_FAST_TESTING=0 (or config) turned the fast path off; then each fresh() replays the DDL. */
  fastPath: boolean;
}

interface ResolvedSchema {
  /** SQL scripts in application order. */
  scripts: MigrationScript[];
  defaultName: string;
  /** The migrations folder ('' for a DDL string), for error messages. */
  origin: string;
}

/** Bumped whenever the image layout or build steps change, so old caches are not reused. */
const TEMPLATE_FORMAT_VERSION = 1;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const BUILD_WAIT_LIMIT_MS = 120_000;

interface ProcessTemplateCache {
  images: Map<string, Buffer>;
}
const processCacheKey = Symbol.for('tdd-fast.testing.templates');
function processCache(): ProcessTemplateCache {
  const holder = globalThis as unknown as Record<symbol, ProcessTemplateCache | undefined>;
  holder[processCacheKey] ??= { images: new Map() };
  return holder[processCacheKey];
}

function resolveSchema(source: SchemaSource, root: string): ResolvedSchema {
  if (typeof source === 'object' && 'migrationsDir' in source) {
    const dir = path.resolve(root, source.migrationsDir);
    return { scripts: readMigrationsDir(dir), defaultName: migrationsName(dir), origin: dir };
  }
  const ddl = typeof source === 'string' ? source : source.ddl;
  // A bare string without SQL punctuation that names a directory is treated as a migrations folder.
  if (typeof source === 'string' && !/[;\n(]/.test(ddl)) {
    const candidate = path.resolve(root, ddl);
    if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) {
      return resolveSchema({ migrationsDir: candidate }, root);
    }
  }
  return { scripts: [{ name: 'ddl', sql: ddl }], defaultName: 'schema', origin: '' };
}

function computeHash(schema: ResolvedSchema, options: TemplateOptions): string {
  const hash = crypto.createHash('sha256');
  const driverVersion = (require('better-sqlite3/package.json') as { version: string }).version;
  hash.update(`tdd-fast-template:${TEMPLATE_FORMAT_VERSION}\0better-sqlite3:${driverVersion}\0`);
  for (const script of schema.scripts) hash.update(`${script.name}\0${script.sql}\0`);
  hash.update(`seed\0${options.seed ? options.seed.toString() : ''}\0key\0${options.cacheKey ?? ''}`);
  return hash.digest('hex');
}

function applySchema(db: SqliteDatabase, schema: ResolvedSchema, seed: TemplateOptions['seed']): void {
  for (const script of schema.scripts) {
    try {
      db.exec(script.sql);
    } catch (error) {
      const file = schema.origin ? path.join(schema.origin, script.name) : script.name;
      throw new Error(`tdd-fast: schema script "${file}" failed: ${(error as Error).message}`);
    }
  }
  if (seed) seed(db);
}

function buildImage(schema: ResolvedSchema, seed: TemplateOptions['seed']): Buffer {
  const db = new Database(':memory:');
  try {
    applySchema(db, schema, seed);
    db.exec('VACUUM'); // compact: a smaller image is a faster clone
    const image = db.serialize();
    markRollbackJournal(image);
    return image;
  } finally {
    db.close();
  }
}

/** Header bytes 18/19 = 2 mean WAL; a WAL image cannot be deserialized into memory, so force legacy mode (1). */
function markRollbackJournal(image: Buffer): void {
  if (image.length >= 20 && (image[18] === 2 || image[19] === 2)) {
    image[18] = 1;
    image[19] = 1;
  }
}

function isSqliteImage(image: Buffer): boolean {
  return image.length >= 100 && image.subarray(0, 16).equals(SQLITE_HEADER);
}

function pruneOldImages(dir: string, name: string, keep: number): void {
  const prefix = `${name}-`;
  const images = fs
    .readdirSync(dir)
    .filter((file) => file.startsWith(prefix) && file.endsWith('.sqlite'))
    .map((file) => ({ file, mtime: fs.statSync(path.join(dir, file)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of images.slice(keep)) {
    try {
      fs.unlinkSync(path.join(dir, old.file));
    } catch {
      // Another process pruned it already.
    }
  }
}

export class SqliteTemplate {
  readonly hash: string;
  readonly name: string;
  readonly imagePath: string | null;
  private readonly schema: ResolvedSchema;
  private readonly seed: TemplateOptions['seed'];
  private readonly image: Buffer | null;
  private readonly origin: TemplateStats['origin'];
  private readonly cloneTimes = new SampleRing(10_000);
  private builds = 0;
  private reuses = 0;

  private constructor(init: {
    schema: ResolvedSchema;
    seed: TemplateOptions['seed'];
    hash: string;
    name: string;
    image: Buffer | null;
    imagePath: string | null;
    origin: TemplateStats['origin'];
  }) {
    this.schema = init.schema;
    this.seed = init.seed;
    this.hash = init.hash;
    this.name = init.name;
    this.image = init.image;
    this.imagePath = init.imagePath;
    this.origin = init.origin;
    if (init.origin === 'built') this.builds = 1;
    if (init.origin === 'disk' || init.origin === 'memory') this.reuses = 1;
  }

  /**
   * Builds (or loads the cached) template for a schema. The persistent image lives under
   * `<cacheDir>/templates/<name>-<hash>.sqlite`; concurrent workers build it exactly once (a lock file serializes them).
   */
  static fromSchema(source: SchemaSource, options: TemplateOptions = {}): SqliteTemplate {
    const root = options.root ?? process.cwd();
    const switches = resolveSwitches(options, root);
    const schema = resolveSchema(source, root);
    const hash = computeHash(schema, options);
    const name = (options.name ?? schema.defaultName).replace(/[^A-Za-z0-9_.-]/g, '_');
    const base = { schema, seed: options.seed, hash, name };

    if (!switches.testing.value) {
      // Validate the schema once so a broken DDL fails at setup, not in every test.
      const probe = new Database(':memory:');
      try {
        applySchema(probe, schema, options.seed);
      } finally {
        probe.close();
      }
      return new SqliteTemplate({ ...base, image: null, imagePath: null, origin: 'disabled' });
    }

    const dir = path.join(switches.cacheDir.value, 'templates');
    const imagePath = path.join(dir, `${name}-${hash.slice(0, 16)}.sqlite`);
    const memo = processCache().images;
    const remembered = memo.get(imagePath);
    if (remembered && fs.existsSync(imagePath)) {
      return new SqliteTemplate({ ...base, image: remembered, imagePath, origin: 'memory' });
    }

    fs.mkdirSync(dir, { recursive: true });
    const { image, built } = loadOrBuild(imagePath, () => buildImage(schema, options.seed));
    if (built) {
      fs.appendFileSync(path.join(dir, 'builds.log'), `${new Date().toISOString()} ${name} ${hash} pid=${process.pid}\n`);
      pruneOldImages(dir, name, options.keepImages ?? 4);
    }
    memo.set(imagePath, image);
    return new SqliteTemplate({ ...base, image, imagePath, origin: built ? 'built' : 'disk' });
  }

  /** An isolated in-memory database with the template's schema and seed rows. Close it when done. */
  fresh(): SqliteDatabase {
    const start = process.hrtime.bigint();
    let db: SqliteDatabase;
    if (this.image) {
      db = new Database(this.image);
    } else {
      db = new Database(':memory:');
      applySchema(db, this.schema, this.seed);
    }
    this.cloneTimes.record(msSince(start));
    return db;
  }

  /**
   * An isolated file-backed copy at `filename` (overwritten), for code that needs a real file, several
   * connections, or a pool. The file uses the rollback journal; switch to WAL yourself if you want it.
   */
  freshFile(filename: string): SqliteDatabase {
    const start = process.hrtime.bigint();
    fs.mkdirSync(path.dirname(filename), { recursive: true });
    for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(filename + suffix, { force: true });
    let db: SqliteDatabase;
    if (this.image) {
      fs.writeFileSync(filename, this.image);
      db = new Database(filename);
    } else {
      fs.rmSync(filename, { force: true });
      db = new Database(filename);
      applySchema(db, this.schema, this.seed);
    }
    this.cloneTimes.record(msSince(start));
    return db;
  }

  /** A copy of the serialized image (e.g. to ship it elsewhere). Null when the fast path is disabled. */
  serialize(): Buffer | null {
    return this.image ? Buffer.from(this.image) : null;
  }

  stats(): TemplateStats {
    return {
      builds: this.builds,
      reuses: this.reuses,
      clones: this.cloneTimes.count,
      cloneMs: this.cloneTimes.summary(),
      imageBytes: this.image ? this.image.length : 0,
      hash: this.hash,
      origin: this.origin,
      imagePath: this.imagePath,
      fastPath: this.image !== null,
    };
  }
}

function readValidImage(imagePath: string): Buffer | null {
  try {
    const image = fs.readFileSync(imagePath);
    return isSqliteImage(image) ? image : null;
  } catch {
    return null;
  }
}

/** Reads the cached image, or builds it under a cross-process lock so exactly one worker does the work. */
function loadOrBuild(imagePath: string, build: () => Buffer): { image: Buffer; built: boolean } {
  const lockFile = `${imagePath}.lock`;
  const token = ownerToken();
  const deadline = Date.now() + BUILD_WAIT_LIMIT_MS;
  let pause = 2;
  for (;;) {
    const cached = readValidImage(imagePath);
    if (cached) return { image: cached, built: false };
    if (tryCreateLockFile(lockFile, token, BUILD_WAIT_LIMIT_MS)) {
      try {
        const raced = readValidImage(imagePath);
        if (raced) return { image: raced, built: false };
        const image = build();
        writeFileAtomic(imagePath, image);
        return { image, built: true };
      } finally {
        removeLockFile(lockFile, token);
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`tdd-fast: timed out waiting for another process to build ${imagePath} (lock ${lockFile})`);
    }
    sleepSync(pause);
    pause = Math.min(pause * 2, 50);
  }
}
