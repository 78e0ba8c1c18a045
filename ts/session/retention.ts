import type Database from 'better-sqlite3';
import { DEFAULT_RETENTION } from '../engine/defaults';
import type { RetentionPolicy } from './types';

export { DEFAULT_RETENTION };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Statements are prepared once per connection: cleanup runs at every session start and must stay cheap. */
const statementsByDb = new WeakMap<Database.Database, ReturnType<typeof prepare>>();

function prepare(db: Database.Database) {
  return {
    // Both use the updated_at index; events and file rows go with their session through ON DELETE CASCADE.
    deleteOlderThan: db.prepare('DELETE FROM sessions WHERE updated_at < ? AND id NOT IN (SELECT value FROM json_each(?))'),
    deleteBeyondCount: db.prepare(
      `DELETE FROM sessions WHERE id IN (
         SELECT id FROM sessions ORDER BY updated_at DESC, id DESC LIMIT -1 OFFSET ?
       ) AND id NOT IN (SELECT value FROM json_each(?))`,
    ),
  };
}

export function normaliseRetention(policy: RetentionPolicy = {}): Required<RetentionPolicy> {
  const maxSessions = policy.maxSessions ?? DEFAULT_RETENTION.maxSessions;
  const maxAgeDays = policy.maxAgeDays ?? DEFAULT_RETENTION.maxAgeDays;
  if (!(Number.isInteger(maxSessions) || maxSessions === Infinity) || maxSessions < 0) {
    throw new RangeError(`maxSessions must be a non-negative integer (got ${String(maxSessions)}).`);
  }
  if (!(typeof maxAgeDays === 'number') || Number.isNaN(maxAgeDays) || maxAgeDays < 0) {
    throw new RangeError(`maxAgeDays must be a non-negative number (got ${String(maxAgeDays)}).`);
  }
  return { maxSessions, maxAgeDays };
}

/**
 * Removes sessions older than maxAgeDays (by last update) and all but the newest maxSessions, in one transaction.
 * Returns how many sessions it removed. Ids in `keep` (e.g. the session being started) always survive.
 */
export function cleanupSessionsInDb(
  db: Database.Database,
  policy: RetentionPolicy = {},
  options: { keep?: number[]; now?: number } = {},
): number {
  const { maxSessions, maxAgeDays } = normaliseRetention(policy);
  let statements = statementsByDb.get(db);
  if (!statements) {
    statements = prepare(db);
    statementsByDb.set(db, statements);
  }
  const { deleteOlderThan, deleteBeyondCount } = statements;
  const keep = JSON.stringify(options.keep ?? []);
  const cutoff = (options.now ?? Date.now()) - maxAgeDays * DAY_MS;
  const run = db.transaction(() => {
    const byAge = deleteOlderThan.run(cutoff, keep).changes;
    const byCount = Number.isFinite(maxSessions) ? deleteBeyondCount.run(maxSessions, keep).changes : 0;
    return byAge + byCount;
  });
  return run.immediate();
}
