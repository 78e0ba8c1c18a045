import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '~db': fileURLToPath(new URL('./src/db', import.meta.url)),
      '~domain': fileURLToPath(new URL('./src/domain', import.meta.url)),
      '~repositories': fileURLToPath(new URL('./src/repositories', import.meta.url)),
    },
  },
  test: { include: ['src/**/*.test.ts'], pool: 'forks' },
});
