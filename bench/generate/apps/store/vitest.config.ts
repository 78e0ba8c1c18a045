import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = fileURLToPath(new URL('./src', import.meta.url));

export default defineConfig({
  resolve: {
    // the same map as tsconfig's `paths`; the exact `@store` entry comes first so it does not swallow `@store/...`
    alias: [
      { find: /^@store$/, replacement: `${src}/store/index.ts` },
      { find: /^@store\/(.*)$/, replacement: `${src}/store/$1` },
      { find: /^@features\/(.*)$/, replacement: `${src}/features/$1` },
    ],
  },
  test: { include: ['src/**/*.test.ts'] },
});
