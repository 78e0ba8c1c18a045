import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { PerfReporter } from '../../ts/testing/perf-reporter';

const root = fileURLToPath(new URL('.', import.meta.url));
const quiet = process.env.SHOP_QUIET === '1';

export default defineConfig({
  test: {
    root,
    include: [process.env.SHOP_STRESS === '1' ? 'stress/**/*.test.ts' : 'test/**/*.test.ts'],
    pool: 'forks',
    // --expose-gc lets the memory fixture force a GC so heap deltas measure retained memory, not garbage.
    execArgv: ['--expose-gc'],
    reporters: [quiet ? 'dot' : 'default', new PerfReporter({ budgetMs: 100, console: !quiet })],
  },
});
