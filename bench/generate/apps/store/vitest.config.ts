import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // the same map as tsconfig's `paths`; the exact `@store` entry comes first so it does not swallow `@store/...`
    alias: [
      { find: /^@store$/, replacement: path.resolve(__dirname, 'src/store/index.ts') },
      { find: /^@store\/(.*)$/, replacement: path.resolve(__dirname, 'src/store/$1') },
      { find: /^@features\/(.*)$/, replacement: path.resolve(__dirname, 'src/features/$1') },
    ],
  },
  test: { include: ['src/**/*.test.ts'] },
});
