/**
 * Reaping: the clones of runs that died (a SIGKILL, a crash, a closed laptop) are dropped by the next `create()` of
 * the same template name, before its refill starts.
 *
 * An owner (one PostgresTemplate instance) is alive while its session holds the advisory lock `tdd-fast-owner:<id>`.
 * Two things a killed run leaves behind make a plain "is the lock free?" race with the next run:
 * - its owner session outlives it for a moment (the server notices the closed socket, then ends the backend): while
 *   the process named in the session's application_name is gone on this machine, the reaper waits for the lock;
 * - a `CREATE DATABASE` it had sent keeps running on the server and creates its clone after the reaper listed the
 *   databases: the reaper waits until the dead owner's sessions are gone, then lists its databases again.
 */
import type { Client } from 'pg';
import { lockKey } from './sql-text';

export interface ReapOptions {
  /** `tdf_<name>_`: only clones of this template name are dropped. */
  prefix: string;
  /** This instance's owner id (never reaped). */
  self: string;
  /** Whether a clone's comment (null: none yet, killed mid-clone) lets us drop it as a clone of `owner`. */
  isClone(marker: string | null, owner: string): boolean;
  drop(database: string): Promise<void>;
  /** How long to wait for a dead owner's lock and sessions. Default 5 s. */
  waitMs?: number;
}

/** The application_name of an owner's session: its id and its process (so a reaper can tell a killed run). */
export function ownerApplicationName(owner: string): string {
  return `tdd-fast owner ${owner} pid ${process.pid}`;
}

/** The application_name of the connections a refill clones with. */
export function refillApplicationName(owner: string): string {
  return `tdd-fast refill ${owner}`;
}

const SESSION_NAME = /^tdd-fast (?:owner|refill) ([0-9a-f]{8})(?: pid ([0-9]+))?$/;

/** Whether `pid` is a process on this machine that no longer runs. */
function deadHere(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function clonesByOwner(admin: Client, options: ReapOptions): Promise<Map<string, string[]>> {
  const rows = await admin.query(
    `SELECT datname, shobj_description(oid, 'pg_database') AS marker FROM pg_database WHERE starts_with(datname, $1) AND NOT datistemplate`,
    [options.prefix],
  );
  const shape = new RegExp(`^${options.prefix}w[0-9a-z]+_([0-9a-f]{8})_[0-9]+$`);
  const byOwner = new Map<string, string[]>();
  for (const row of rows.rows) {
    const match = shape.exec(row.datname as string);
    if (!match || match[1] === options.self || !options.isClone(row.marker as string | null, match[1])) continue;
    byOwner.set(match[1], [...(byOwner.get(match[1]) ?? []), row.datname as string]);
  }
  return byOwner;
}

interface OwnerSessions {
  /** Owners with a clone of this prefix being created right now. */
  creating: Set<string>;
  /** Owners whose owner session is local and whose process is gone. */
  killed: Set<string>;
}

async function ownerSessions(admin: Client, prefix: string): Promise<OwnerSessions> {
  const rows = await admin.query(
    `SELECT application_name, state, query, client_addr::text IS NULL OR client_addr::text IN ('127.0.0.1/32', '::1/128') AS local
     FROM pg_stat_activity WHERE starts_with(application_name, 'tdd-fast ') AND pid <> pg_backend_pid()`,
  );
  const sessions: OwnerSessions = { creating: new Set(), killed: new Set() };
  for (const row of rows.rows) {
    const match = SESSION_NAME.exec(row.application_name as string);
    if (!match) continue;
    if (row.state === 'active' && (row.query as string).includes(`"${prefix}w`)) sessions.creating.add(match[1]);
    if (match[2] && row.local && deadHere(Number(match[2]))) sessions.killed.add(match[1]);
  }
  return sessions;
}

/** Takes a dead owner's lock: at once when it is free, after a wait when its process is gone. False: it is alive. */
async function lockDeadOwner(admin: Client, owner: string, killed: boolean, waitMs: number): Promise<boolean> {
  const key = lockKey(`tdd-fast-owner:${owner}`);
  if ((await admin.query('SELECT pg_try_advisory_lock($1::bigint) AS free', [key])).rows[0].free) return true;
  if (!killed) return false;
  await admin.query(`SET lock_timeout = ${Math.max(1, Math.round(waitMs))}`);
  try {
    await admin.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    return true;
  } catch {
    return false; // still held: perhaps a process of the same pid on another machine
  } finally {
    await admin.query('RESET lock_timeout');
  }
}

/** Waits (at most `waitMs`) until no session of `owner` is left, so nothing it sent can still create a clone. */
async function waitForSessions(admin: Client, owner: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const left = await admin.query(
      `SELECT 1 FROM pg_stat_activity WHERE application_name IN ($1, $2) OR starts_with(application_name, $3)`,
      [refillApplicationName(owner), `tdd-fast owner ${owner}`, `tdd-fast owner ${owner} `],
    );
    if (left.rows.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Drops the clones of this template name whose owner is dead. Returns how many. */
export async function reapDeadClones(admin: Client, options: ReapOptions): Promise<number> {
  const waitMs = options.waitMs ?? 5_000;
  const sessions = await ownerSessions(admin, options.prefix);
  const owners = new Set([...(await clonesByOwner(admin, options)).keys(), ...sessions.creating]);
  owners.delete(options.self);
  let reaped = 0;
  for (const owner of owners) {
    if (!(await lockDeadOwner(admin, owner, sessions.killed.has(owner), waitMs))) continue; // that run is alive
    const key = lockKey(`tdd-fast-owner:${owner}`);
    try {
      await waitForSessions(admin, owner, waitMs);
      // Listed again: a clone the dead run was creating exists only now.
      for (const database of (await clonesByOwner(admin, options)).get(owner) ?? []) {
        await options.drop(database);
        reaped++;
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    }
  }
  return reaped;
}
