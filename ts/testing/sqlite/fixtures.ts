/**
 * vitest fixtures as plain objects, so this CommonJS module never has to load vitest (which is ESM-only):
 *
 *   import { test as base } from 'vitest';
 *   const test = base.extend(sqliteFixtures(template));
 *   test('creates a user', ({ db }) => { ... });
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SqliteDatabase, SqliteTemplate } from './template';
import { resolveSwitches } from '../switches';
import type { FixtureFunction, FixtureUse } from '../fixture-types';

export type { FixtureFunction, FixtureUse };


export interface SqliteFixtureOptions {
  /**
   * `clone` (default): every test gets its own copy of the template (~0.1 ms), fully isolated.
   * `rollback`: every test runs inside a savepoint on the per-file database and is rolled back afterwards.
   * Tests must not issue BEGIN/COMMIT themselves in this mode (`db.transaction()` is fine: it nests as savepoints).
   */
  mode?: 'clone' | 'rollback';
  /**
   * Storage of `dbPerFile`: `memory` (default) or `file` — a real file per worker, keyed by VITEST_POOL_ID, under
   * `<cacheDir>/workers/`, for code that opens the database by path.
   */
  dbPerFileStorage?: 'memory' | 'file';
}

export interface SqliteFixtures {
  dbPerFile: [FixtureFunction<SqliteDatabase>, { scope: 'file' }];
  db: FixtureFunction<SqliteDatabase, { dbPerFile: SqliteDatabase }>;
}

let fileCounter = 0;

/** A database path private to this vitest worker (VITEST_POOL_ID) and process, so parallel workers never share a file. */
export function workerDatabasePath(template: SqliteTemplate, label = 'db'): string {
  const cacheDir = resolveSwitches().cacheDir.value;
  const poolId = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0';
  fileCounter += 1;
  const fileName = `${template.name}-${template.hash.slice(0, 12)}-pool${poolId}-pid${process.pid}-${label}-${fileCounter}.sqlite`;
  return path.join(cacheDir, 'workers', fileName);
}

function removeDatabaseFiles(filename: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(filename + suffix, { force: true });
}

const SAVEPOINT = 'tdd_fast_test';

export function sqliteFixtures(template: SqliteTemplate, options: SqliteFixtureOptions = {}): SqliteFixtures {
  const mode = options.mode ?? 'clone';
  const storage = options.dbPerFileStorage ?? 'memory';

  // eslint-disable-next-line no-empty-pattern
  const dbPerFile: FixtureFunction<SqliteDatabase> = async ({}, use) => {
    const filename = storage === 'file' ? workerDatabasePath(template, 'file') : null;
    const db = filename ? template.freshFile(filename) : template.fresh();
    // A throwaway test file needs no durability; without fsyncs a savepoint rollback costs microseconds, not ms.
    if (filename) db.pragma('synchronous = OFF');
    try {
      await use(db);
    } finally {
      db.close();
      if (filename) removeDatabaseFiles(filename);
    }
  };

  const cloned: FixtureFunction<SqliteDatabase, { dbPerFile: SqliteDatabase }> = async ({}, use) => {
    const db = template.fresh();
    try {
      await use(db);
    } finally {
      db.close();
    }
  };

  const rolledBack: FixtureFunction<SqliteDatabase, { dbPerFile: SqliteDatabase }> = async ({ dbPerFile }, use) => {
    if (dbPerFile.inTransaction) {
      throw new Error('tdd-fast: rollback mode needs dbPerFile outside a transaction; a previous test left one open');
    }
    dbPerFile.exec(`SAVEPOINT ${SAVEPOINT}`);
    try {
      await use(dbPerFile);
    } finally {
      if (dbPerFile.inTransaction) {
        dbPerFile.exec(`ROLLBACK TO ${SAVEPOINT}`);
        dbPerFile.exec(`RELEASE ${SAVEPOINT}`);
      } else {
        // The test committed or rolled back our savepoint itself: its changes may have escaped.
        // eslint-disable-next-line no-unsafe-finally
        throw new Error('tdd-fast: the test ended the rollback savepoint itself (COMMIT/ROLLBACK); use mode "clone"');
      }
    }
  };

  return { dbPerFile: [dbPerFile, { scope: 'file' }], db: mode === 'rollback' ? rolledBack : cloned };
}
