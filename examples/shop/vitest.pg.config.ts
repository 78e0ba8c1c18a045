import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { PerfReporter } from '../../ts/testing/perf-reporter';

const root = fileURLToPath(new URL('./pg', import.meta.url));
const quiet = process.env.SHOP_QUIET === '1';

/**
 * The shop suite on PostgreSQL (SHOP_PG_MODE, see pg/test/fixtures.ts); SHOP_STRESS=1 runs the 1,000-test stress,
 * SHOP_PG_SUITE=writes3 the 200 tests that each write to three tables.
 */
export default defineConfig({
  test: {
    root,
    include: [process.env.SHOP_STRESS === '1' ? 'stress/**/*.test.ts' : process.env.SHOP_PG_SUITE === 'writes3' ? 'writes/**/*.test.ts' : 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: [quiet ? 'dot' : 'default', new PerfReporter({ console: !quiet })],
  },
});
