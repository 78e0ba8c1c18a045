/**
 * The suite's `test`: vitest's test extended with tdd-fast fixtures. The template is built once per schema change
 * (cached under node_modules/.cache/tdd-fast/templates); each test gets its own copy in ~0.1 ms.
 *
 * SHOP_DB_MODE=rollback switches every test to savepoint rollback on one per-file database instead of clones.
 * TDD_FAST_TESTING=0 turns the fast path off: each test then replays all migrations and the seed (the baseline).
 */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base } from 'vitest';
import { SqliteTemplate, memoryTracking, sqliteFixtures } from '../../../ts/testing/index';
import { seedShop } from '../src/seed';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));
const seedSource = fs.readFileSync(fileURLToPath(new URL('../src/seed.ts', import.meta.url)), 'utf8');

export const template = SqliteTemplate.fromSchema({ migrationsDir }, {
  name: 'shop',
  seed: seedShop,
  // The seed function's own text is hashed automatically; hash the whole seed module too, since it has helpers.
  cacheKey: seedSource,
});

const mode = process.env.SHOP_DB_MODE === 'rollback' ? 'rollback' : 'clone';

export const test = base.extend({
  ...sqliteFixtures(template, {
    mode,
    dbPerFileStorage: process.env.SHOP_DB_FILE === '1' ? 'file' : 'memory',
  }),
  ...(process.env.SHOP_MEMORY === '0' ? {} : memoryTracking()),
});

export { expect, describe } from 'vitest';
