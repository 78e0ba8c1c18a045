/**
 * The Postgres suite's `test`. SHOP_PG_MODE picks how each test gets its database:
 *   template     (default with a server) PostgresTemplate with recycle 'drop': a clone made ahead of demand per test
 *                (SHOP_PG_WARM=0: handed out without the refill's warm-up; =n: n statements in it;
 *                SHOP_PG_REUSE=1: databases a test did not write to go back to the pool)
 *   reset        PostgresTemplate with recycle 'reset': a released database is emptied of the test's writes and
 *                refilled from the template's seed copy on its own connection, then handed out again
 *   transaction  PostgresTemplate, one database per file, every test in a rolled-back transaction
 *   clone        PostgresTemplate with poolSize 0 and the server's default strategy: CREATE DATABASE ... TEMPLATE
 *                inside every test (pgtestdb's way)
 *   replay       the fast path off: every test gets an empty database and replays migrations + seed
 *   pglite       (default without a server) PgliteTemplate, one embedded instance per file, rolled-back transactions
 *   pglite-fresh PgliteTemplate, a new embedded instance per test
 * The server comes from TDD_FAST_PG_URL (or DATABASE_URL); `npx tdd-fast testing pg start` prints one.
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, test as base } from 'vitest';
import { PgliteTemplate, PostgresTemplate, pgFixtures, resolvePgUrl, type PgDatabaseHandle } from '../../../../ts/testing/index';
import { seedShopPg } from '../src/seed';
import type { Db } from '../src/shop';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));
// The seed calls helpers and shares SEED_COUNTS with the SQLite seed: hash both files.
const cacheKey = ['../src/seed.ts', '../../src/seed.ts'].map((f) => fs.readFileSync(fileURLToPath(new URL(f, import.meta.url)), 'utf8')).join('\0');

export const mode = process.env.SHOP_PG_MODE ?? (resolvePgUrl() ? 'template' : 'pglite');
const common = { migrationsDir, name: 'shop', seed: seedShopPg, cacheKey };

async function makeTemplate() {
  switch (mode) {
    case 'template':
    case 'transaction':
    case 'reset':
      return PostgresTemplate.create({
        ...common,
        // The transaction floor and the clone-per-test mode without the reset's tracking triggers.
        recycle: mode === 'reset' ? 'reset' : 'drop',
        poolSize: process.env.SHOP_PG_POOL === undefined ? undefined : Number(process.env.SHOP_PG_POOL),
        refillConcurrency: Number(process.env.SHOP_PG_REFILL ?? 3),
        deferredDrops: process.env.SHOP_PG_DEFER === undefined ? undefined : Number(process.env.SHOP_PG_DEFER),
        warmup: process.env.SHOP_PG_WARM !== '0',
        warmupStatements: process.env.SHOP_PG_WARM ? Number(process.env.SHOP_PG_WARM) : undefined,
        // SHOP_PG_REUSE=1: give databases a test did not write to back to the pool (see reuseClean).
        reuseClean: mode === 'template' && process.env.SHOP_PG_REUSE === '1',
      });
    case 'clone':
      // pgtestdb's way: nothing ahead of the test and nothing extra inside it.
      return PostgresTemplate.create({ ...common, poolSize: 0, strategy: 'server', warmup: false, recycle: 'drop' });
    case 'replay':
      return PostgresTemplate.create({ ...common, enabled: false });
    case 'pglite':
      return PgliteTemplate.create({ ...common, poolSize: 1 });
    case 'pglite-fresh':
      return PgliteTemplate.create({ ...common, poolSize: 2 });
    default:
      throw new Error(`unknown SHOP_PG_MODE ${mode}`);
  }
}

export const template = await makeTemplate();
afterAll(async () => {
  await template.close();
  // SHOP_PG_STATS=1: what the pool did for this file (handouts, misses and their waits, clone and drop times).
  if (process.env.SHOP_PG_STATS === '1') process.stderr.write(`pool stats ${JSON.stringify(template.stats())}\n`);
});

const fixtures = pgFixtures(template as unknown as PostgresTemplate, {
  mode: mode === 'transaction' || mode === 'pglite' ? 'transaction' : 'fresh',
  isolationLevel: process.env.SHOP_PG_ISOLATION as 'serializable' | undefined,
});

/** `db` is the test's database client (a pg Client or a PGlite instance). */
export const test = base.extend<{ pg: PgDatabaseHandle<Db>; db: Db }>({
  ...(fixtures as unknown as Record<string, never>),
  db: async ({ pg }, use) => {
    await use(pg.client as unknown as Db);
  },
});

export { expect, describe } from 'vitest';
