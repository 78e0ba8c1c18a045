/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temporary (or cache) directory, a server on a free
 * loopback port and a unix socket in that directory, durability off (fsync, synchronous_commit, full_page_writes),
 * autovacuum off,
 * trust authentication for the local superuser `postgres`. A temporary directory goes on a memory filesystem
 * (Linux /dev/shm) when there is one: a clone of a template is mostly the creation of ~330 small files (one per
 * catalog table, index, free-space and visibility map), which costs several times more on a disk filesystem. PostgreSQL refuses to run as root, so when this process is
 * root the cluster belongs to the `postgres` system user and the binaries run through `runuser`.
 *
 *   const server = await startPostgres();   // { url, socketUrl, dataDir, port, pid, stop() }
 *   ...
 *   await server.stop();                     // fast shutdown; a temporary data directory is removed
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PgServerError } from './errors';
import { processIsAlive as alive } from '../fsutil';

export interface StartPostgresOptions {
  /** Keep the cluster here (reused when it already holds one; a running server there is reused too). Default: a new temp dir. */
  dataDir?: string;
  /** Directory of initdb/postgres. Default: `pg_config --bindir`, the newest /usr/lib/postgresql/N/bin, or PATH. */
  binDir?: string;
  /** TCP port on 127.0.0.1. Default: a free one. */
  port?: number;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  /** How long to wait for initdb plus start-up. Default 60 s. */
  timeoutMs?: number;
  /** Leave the server running when this process exits (the CLI's `pg start`). Default false. */
  detached?: boolean;
  /**
   * Where a temporary data directory goes (ignored when `dataDir` is given): `ram` on a memory filesystem (Linux
   * /dev/shm; lost at reboot, which a throwaway cluster does not mind), `disk` in the OS temp dir. Default: env
   * TDD_FAST_PG_STORAGE, else `ram` when a memory filesystem with room is available, else `disk`.
   */
  storage?: 'ram' | 'disk';
}

export interface PostgresServer {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` (works for pg, Prisma, Drizzle, Kysely, Knex). */
  url: string;
  /** The same server over its unix socket (faster; `?host=<dir>`). */
  socketUrl: string;
  dataDir: string;
  port: number;
  /** Process id of the postmaster. */
  pid: number;
  /** Server version, e.g. `15.10`. */
  version: string;
  /** True when this call found the server already running and reused it. */
  reused: boolean;
  /** Fast shutdown; waits until the server is gone (SIGKILL after `timeoutMs`). Removes a temporary data dir. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Room a memory filesystem needs before clusters go there: the cluster, its WAL and a pool of clones. */
const RAM_MIN_FREE_BYTES = 1024 ** 3;

/**
 * The memory filesystem to keep throwaway clusters on, or null: /dev/shm when it is a writable directory with at
 * least 1 GiB free, unless `storage` (or env TDD_FAST_PG_STORAGE) says `disk`.
 */
export function ramDirectory(storage?: 'ram' | 'disk', env: NodeJS.ProcessEnv = process.env): string | null {
  const wanted = storage ?? (env.TDD_FAST_PG_STORAGE === 'disk' || env.TDD_FAST_PG_STORAGE === 'ram' ? env.TDD_FAST_PG_STORAGE : undefined);
  if (wanted === 'disk' || process.platform !== 'linux') return null;
  const dir = '/dev/shm';
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    const stats = fs.statfsSync(dir);
    if (stats.bavail * stats.bsize < RAM_MIN_FREE_BYTES) return null;
    return dir;
  } catch {
    return null;
  }
}

/** Finds the directory holding `initdb` and `postgres`. */
export function findPostgresBinDir(explicit?: string): string | null {
  const candidates: string[] = [];
  if (explicit) candidates.push(explicit);
  if (process.env.TDD_FAST_PG_BIN) candidates.push(process.env.TDD_FAST_PG_BIN);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).toString().trim());
  } catch {
    // no pg_config on PATH
  }
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    const versions = fs
      .readdirSync(debianRoot)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join(debianRoot, v, 'bin'));
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(dir);
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'postgres'))) return dir;
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function asServerUser(command: string, args: string[]): { command: string; args: string[] } {
  return isRoot ? { command: 'runuser', args: ['-u', 'postgres', '--', command, ...args] } : { command, args };
}

function run(command: string, args: string[], timeoutMs: number): void {
  const real = asServerUser(command, args);
  try {
    execFileSync(real.command, real.args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
  } catch (error) {
    const e = error as { stderr?: Buffer; stdout?: Buffer; message: string };
    const output = `${e.stderr?.toString() ?? ''}${e.stdout?.toString() ?? ''}`.trim().split('\n').slice(-8).join('\n');
    throw new PgServerError(`tdd-fast: ${path.basename(command)} failed: ${output || e.message}`);
  }
}

function chownToServerUser(dir: string): void {
  if (!isRoot) return;
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  } catch {
    throw new PgServerError(
      'tdd-fast: running as root, and PostgreSQL refuses root, but there is no `postgres` system user to run it as ' +
        '(install the postgresql package, or run as a normal user)',
    );
  }
  fs.chownSync(dir, uid, gid);
  fs.chmodSync(dir, 0o700);
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-w', dir], { stdio: 'ignore', timeout: 5000 });
  } catch {
    throw new PgServerError(
      `tdd-fast: the postgres system user cannot reach ${dir}: a parent directory is not searchable by it ` +
        '(e.g. a 0700 temp dir). Use a data directory under a directory others can enter, such as the default.',
    );
  }
}

function readPostmasterPid(dataDir: string): { pid: number; port: number } | null {
  try {
    const lines = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** In a temporary cluster's data directory: which process started it, so a later start can tell it was orphaned. */
const OWNER_FILE = 'tdd-fast-owner.json';
const TEMP_PREFIX = 'tdd-fast-pg-';

interface ClusterOwner {
  pid: number;
  host: string;
  startedAt: string;
}

function writeOwnerFile(dataDir: string): void {
  const owner: ClusterOwner = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  fs.writeFileSync(path.join(dataDir, OWNER_FILE), JSON.stringify(owner));
}

/**
 * Stops and removes the temporary clusters (in /dev/shm and the OS temp dir) whose starting process is gone: a test
 * run that was SIGKILLed, or ended without `stop()`, leaves its postmaster running, and on /dev/shm its memory in
 * use. Only directories this module made (`tdd-fast-pg-*` with an owner file of this host) whose owner process no
 * longer exists are touched; `pg start` clusters (detached, no owner file) never are. Returns the removed directories.
 */
export async function reapOrphanedClusters(parents: string[] = [ramDirectory(), os.tmpdir()].filter((d): d is string => d !== null)): Promise<string[]> {
  const removed: string[] = [];
  for (const parent of new Set(parents)) {
    let entries: string[];
    try {
      entries = fs.readdirSync(parent).filter((name) => name.startsWith(TEMP_PREFIX));
    } catch {
      continue;
    }
    for (const name of entries) {
      const dir = path.join(parent, name);
      let owner: ClusterOwner;
      try {
        owner = JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as ClusterOwner;
      } catch {
        continue; // not ours, not finished starting, or already being removed
      }
      if (owner.host !== os.hostname() || !Number.isInteger(owner.pid) || alive(owner.pid)) continue;
      try {
        await stopPostgresAt(dir, 10_000);
        fs.rmSync(dir, { recursive: true, force: true });
        removed.push(dir);
      } catch {
        // another process reaps it at the same moment, or it is not ours to remove
      }
    }
  }
  return removed;
}

/** Waits until the server accepts connections: its socket exists and postmaster.pid says "ready". */
async function waitReady(dataDir: string, port: number, deadline: number, child: { exited: boolean; code: number | null }, log: string): Promise<number> {
  for (;;) {
    const info = readPostmasterPid(dataDir);
    if (info && info.port === port) {
      const status = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim();
      if (status === 'ready' && fs.existsSync(path.join(dataDir, `.s.PGSQL.${port}`))) return info.pid;
    }
    if (child.exited) {
      throw new PgServerError(`tdd-fast: postgres exited with code ${child.code} while starting; log ${log}:\n${tail(log)}`);
    }
    if (Date.now() > deadline) throw new PgServerError(`tdd-fast: postgres did not become ready in time; log ${log}:\n${tail(log)}`);
    await sleep(25);
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-10).join('\n');
  } catch {
    return '(no log)';
  }
}

function serverVersion(binDir: string): string {
  try {
    const text = execFileSync(path.join(binDir, 'postgres'), ['--version'], { timeout: 5000 }).toString();
    return /(\d+(?:\.\d+)?)/.exec(text)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function urls(dataDir: string, port: number): { url: string; socketUrl: string } {
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    socketUrl: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dataDir)}&port=${port}`,
  };
}

/** Stops the postmaster of a data directory (fast shutdown, then SIGKILL). Returns false when none was running. */
export async function stopPostgresAt(dataDir: string, timeoutMs = 15_000): Promise<boolean> {
  const info = readPostmasterPid(dataDir);
  if (!info || !alive(info.pid)) return false;
  process.kill(info.pid, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (alive(info.pid)) {
    if (Date.now() > deadline) {
      process.kill(info.pid, 'SIGKILL');
      await sleep(100);
      break;
    }
    await sleep(20);
  }
  return true;
}

/** Describes the server running in `dataDir`, or null. */
export function runningPostgres(dataDir: string): { url: string; socketUrl: string; pid: number; port: number } | null {
  const info = readPostmasterPid(dataDir);
  if (!info || !alive(info.pid)) return null;
  return { ...urls(dataDir, info.port), pid: info.pid, port: info.port };
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const binDir = findPostgresBinDir(options.binDir);
  if (!binDir) {
    throw new PgServerError(
      'tdd-fast: no PostgreSQL server binaries (initdb, postgres) found: install them (Debian: apt-get install postgresql), ' +
        'set TDD_FAST_PG_BIN, or use PgliteTemplate, which needs no server',
    );
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const temporary = !options.dataDir;
  await reapOrphanedClusters();
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : fs.mkdtempSync(path.join(ramDirectory(options.storage) ?? os.tmpdir(), 'tdd-fast-pg-'));
  const version = serverVersion(binDir);
  const make = (pid: number, port: number, reused: boolean): PostgresServer => ({
    ...urls(dataDir, port),
    dataDir,
    port,
    pid,
    version,
    reused,
    stop: async (stopOptions = {}) => {
      await stopPostgresAt(dataDir, stopOptions.timeoutMs ?? 15_000);
      if (temporary) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });

  const running = runningPostgres(dataDir);
  if (running) return make(running.pid, running.port, true);

  fs.mkdirSync(dataDir, { recursive: true });
  chownToServerUser(dataDir);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C'], timeoutMs);
  }
  fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true }); // stale after a SIGKILL; the process is gone

  const port = options.port ?? (await freePort());
  const settings: Record<string, string | number> = {
    port,
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dataDir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: 300,
    shared_buffers: '128MB',
    max_wal_size: '1GB',
    checkpoint_timeout: '1h',
    // Its databases live for one test or one file. Autovacuum would spend the CPU the tests need on them, and it
    // visits templates too (closed to connections or not), deleting their relation cache init file: see
    // PostgresTemplate's sealTemplate. Anti-wraparound vacuums still run when needed.
    autovacuum: 'off',
    log_min_messages: 'warning',
    ...options.settings,
  };
  const args = ['-D', dataDir];
  for (const [key, value] of Object.entries(settings)) args.push('-c', `${key}=${value}`);
  const log = path.join(dataDir, 'tdd-fast-server.log');
  const logFd = fs.openSync(log, 'a');
  if (isRoot) fs.fchownSync(logFd, fs.statSync(dataDir).uid, fs.statSync(dataDir).gid);
  const real = asServerUser(path.join(binDir, 'postgres'), args);
  const child = spawn(real.command, real.args, { stdio: ['ignore', logFd, logFd], detached: options.detached === true });
  fs.closeSync(logFd);
  const state = { exited: false, code: null as number | null };
  child.on('exit', (code) => {
    state.exited = true;
    state.code = code;
  });
  if (options.detached) child.unref();
  let pid: number;
  try {
    pid = await waitReady(dataDir, port, deadline, state, log);
  } catch (error) {
    if (!state.exited) child.kill('SIGKILL');
    throw error;
  }
  if (!options.detached) child.unref(); // the server must not keep this process alive; stop() ends it
  // Written once the server runs: a cluster without it is still starting and is never reaped.
  if (temporary && !options.detached) writeOwnerFile(dataDir);
  return make(pid, port, false);
}
