import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const dir = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@domain': dir('./src/domain'),
      '@services': dir('./src/services'),
      '@lib': dir('./src/lib'),
    },
  },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
});
