/**
 * PgliteTemplate: the embedded default when there is no PostgreSQL server. Same interface as PostgresTemplate; the
 * database is PGlite (PostgreSQL compiled to WebAssembly, `@electric-sql/pglite`) running inside the test process.
 * The schema + seed are built once into a data-directory image (a tar file under `<cacheDir>/templates/`, keyed by
 * the same kind of hash), and every `fresh()` is a new PGlite instance loaded from that image. Instances are prepared
 * ahead (`poolSize`), but each one costs a WebAssembly start-up of the order of a second, so for many small tests the
 * transaction mode of the fixtures (one instance per file, a rollback per test) is the fast choice.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveSwitches, type TestingConfig } from '../switches';
import { ownerToken, removeLockFile, tryCreateLockFile, writeFileAtomic } from '../fsutil';
import { PreparedPool, type PreparedPoolCounters } from './prepared-pool';
import { PgMigrationError, PgPoolExhaustedError } from './errors';
import { applyScripts, computePgHash, resolveScripts } from './template';
import type { MigrationScript } from '../migrations';
import type { Queryable } from './fixtures';

/** The part of a PGlite instance the toolkit uses (structural, so the types do not require the package). */
export interface PgliteClient extends Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
  dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<Blob>;
}

export interface PgliteTemplateOptions extends TestingConfig {
  migrationsDir?: string;
  ddl?: string;
  seed?: (client: PgliteClient) => Promise<void> | void;
  name?: string;
  cacheKey?: string;
  /** Instances loaded ahead of demand. Default 1. */
  poolSize?: number;
  /** How long `fresh()` waits. Default 120 s (a loaded machine can take seconds per instance). */
  acquireTimeoutMs?: number;
  root?: string;
}

/** The pool's counters (`cloneMs`: loading one instance from the image) plus the image's facts. */
export interface PgliteTemplateStats extends PreparedPoolCounters {
  backend: 'pglite';
  builds: number;
  reuses: number;
  hash: string;
  imagePath: string;
  imageBytes: number;
  origin: 'built' | 'disk';
  pgliteVersion: string;
}

export interface FreshPgliteDatabase {
  connectionString: null;
  database: string;
  client: PgliteClient;
  release(): void;
}

interface PgliteModule {
  PGlite: { create(options?: Record<string, unknown>): Promise<PgliteClient> };
}

interface Runtime {
  module: PgliteModule;
  options: Record<string, unknown>;
  version: string;
}
let runtime: Promise<Runtime> | null = null;

/** Loads PGlite once per process and compiles its WebAssembly once, so each instance skips the compile. */
function loadRuntime(): Promise<Runtime> {
  runtime ??= (async () => {
    let module: PgliteModule;
    try {
      module = (await import('@electric-sql/pglite')) as unknown as PgliteModule;
    } catch (error) {
      runtime = null;
      throw new Error(`tdd-fast: PgliteTemplate needs @electric-sql/pglite (npm install @electric-sql/pglite): ${(error as Error).message}`);
    }
    const options: Record<string, unknown> = {};
    let version = 'unknown';
    try {
      const entry = require.resolve('@electric-sql/pglite');
      const dist = path.dirname(entry);
      version = (JSON.parse(fs.readFileSync(path.join(dist, '..', 'package.json'), 'utf8')) as { version: string }).version;
      const wasm = path.join(dist, 'pglite.wasm');
      const data = path.join(dist, 'pglite.data');
      if (fs.existsSync(wasm) && fs.existsSync(data)) {
        options.pgliteWasmModule = await WebAssembly.compile(fs.readFileSync(wasm));
        options.fsBundle = new Blob([new Uint8Array(fs.readFileSync(data))]);
      }
    } catch {
      // fall back to PGlite's own loading
    }
    return { module, options, version };
  })();
  return runtime;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function buildImage(rt: Runtime, scripts: MigrationScript[], origin: string, seed: PgliteTemplateOptions['seed']): Promise<Buffer> {
  const db = await rt.module.PGlite.create({ ...rt.options });
  try {
    await applyScripts(db, scripts, origin);
    if (seed) {
      try {
        await seed(db);
      } catch (error) {
        throw new PgMigrationError(`tdd-fast: the seed failed: ${(error as Error).message}`, 'seed()', null, null, error);
      }
    }
    await db.query('CHECKPOINT');
    const blob = await db.dumpDataDir('none');
    return Buffer.from(await blob.arrayBuffer());
  } finally {
    await db.close().catch(() => undefined);
  }
}

export class PgliteTemplate extends PreparedPool<PgliteClient> {
  readonly name: string;
  readonly hash: string;
  readonly imagePath: string;
  private readonly rt: Runtime;
  private readonly image: Blob;
  private readonly imageBytes: number;
  private readonly origin: 'built' | 'disk';
  private readonly acquireTimeoutMs: number;
  private counter = 0;
  private closing: Promise<void> | null = null;

  private constructor(init: { name: string; hash: string; imagePath: string; rt: Runtime; image: Buffer; origin: 'built' | 'disk'; options: PgliteTemplateOptions }) {
    super({
      poolSize: init.options.poolSize ?? 1,
      // One at a time: instances load on this thread, so parallel loads only interleave.
      concurrency: 1,
      maxItems: Number.MAX_SAFE_INTEGER,
      acquireTimeoutMs: init.options.acquireTimeoutMs ?? 120_000,
      // Each instance holds its own WebAssembly memory: close released ones right away.
      deferLimit: 0,
    });
    this.name = init.name;
    this.hash = init.hash;
    this.imagePath = init.imagePath;
    this.rt = init.rt;
    this.image = new Blob([new Uint8Array(init.image)]);
    this.imageBytes = init.image.length;
    this.origin = init.origin;
    this.acquireTimeoutMs = init.options.acquireTimeoutMs ?? 120_000;
  }

  static async create(options: PgliteTemplateOptions): Promise<PgliteTemplate> {
    const root = options.root ?? process.cwd();
    if (!options.migrationsDir && !options.ddl) throw new Error('tdd-fast: PgliteTemplate needs migrationsDir or ddl');
    const { scripts, origin, defaultName } = resolveScripts({ ...options, root });
    const rt = await loadRuntime();
    const hash = computePgHash({ scripts, seed: options.seed, cacheKey: options.cacheKey, serverVersion: rt.version, backend: 'pglite' });
    const name = (options.name ?? defaultName).replace(/[^A-Za-z0-9_.-]/g, '_');
    const dir = path.join(resolveSwitches(options, root).cacheDir.value, 'templates');
    const imagePath = path.join(dir, `pglite-${name}-${hash.slice(0, 16)}.tar`);
    fs.mkdirSync(dir, { recursive: true });
    const { image, built } = await loadOrBuild(imagePath, () => buildImage(rt, scripts, origin, options.seed));
    if (built) fs.appendFileSync(path.join(dir, 'pg-builds.log'), `${new Date().toISOString()} pglite ${name} ${hash} pid=${process.pid}\n`);
    const template = new PgliteTemplate({ name, hash, imagePath, rt, image, origin: built ? 'built' : 'disk', options });
    template.pump();
    try {
      // As PostgresTemplate: the first tests take instances loaded ahead instead of waiting for the first fill.
      await template.warm(template.poolSize, template.acquireTimeoutMs);
    } catch (error) {
      await template.close().catch(() => undefined);
      throw error;
    }
    return template;
  }

  /** A new PGlite instance loaded from the template image. */
  protected produce(): Promise<PgliteClient> {
    return this.rt.module.PGlite.create({ ...this.rt.options, loadDataDir: this.image });
  }

  protected async discard(client: PgliteClient): Promise<void> {
    await client.close().catch(() => undefined);
  }

  protected exhaustedError(state: { inUse: number; creating: number; lastError: Error | null }): Error {
    return new PgPoolExhaustedError(
      `tdd-fast: no PGlite instance within ${this.acquireTimeoutMs} ms (${state.inUse} in use, ${state.creating} loading)` +
        (state.lastError ? `; last error: ${state.lastError.message}` : ''),
    );
  }

  /** A new PGlite instance loaded from the template image. */
  async fresh(): Promise<FreshPgliteDatabase> {
    const client = await this.take();
    this.counter++;
    let released = false;
    return {
      connectionString: null,
      database: `pglite_${this.name}_${this.counter}`,
      client,
      release: () => {
        if (released) return;
        released = true;
        this.giveBack(client);
      },
    };
  }

  stats(): PgliteTemplateStats {
    return {
      backend: 'pglite',
      builds: this.origin === 'built' ? 1 : 0,
      reuses: this.origin === 'disk' ? 1 : 0,
      ...this.poolCounters(),
      hash: this.hash,
      imagePath: this.imagePath,
      imageBytes: this.imageBytes,
      origin: this.origin,
      pgliteVersion: this.rt.version,
    };
  }

  /** Closes every instance (ready and handed out). */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }
}

const BUILD_WAIT_LIMIT_MS = 600_000;

function readImage(imagePath: string): Buffer | null {
  try {
    const image = fs.readFileSync(imagePath);
    return image.length > 1024 ? image : null;
  } catch {
    return null;
  }
}

/** Reads the cached image, or builds it under a lock file so that concurrent workers build it once. */
async function loadOrBuild(imagePath: string, build: () => Promise<Buffer>): Promise<{ image: Buffer; built: boolean }> {
  const lockFile = `${imagePath}.lock`;
  const token = ownerToken();
  const deadline = Date.now() + BUILD_WAIT_LIMIT_MS;
  for (;;) {
    const cached = readImage(imagePath);
    if (cached) return { image: cached, built: false };
    if (tryCreateLockFile(lockFile, token, BUILD_WAIT_LIMIT_MS)) {
      try {
        const raced = readImage(imagePath);
        if (raced) return { image: raced, built: false };
        const image = await build();
        writeFileAtomic(imagePath, image);
        return { image, built: true };
      } finally {
        removeLockFile(lockFile, token);
      }
    }
    if (Date.now() > deadline) throw new Error(`tdd-fast: timed out waiting for another process to build ${imagePath}`);
    await sleep(50);
  }
}
