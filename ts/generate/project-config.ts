/**
 * Which vitest/vite config applies to a file, and what it decides itself. Shared by the search (project-vitest.ts)
 * and the verify run (child.ts), so both load a module the same way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Config file names in the order vitest looks for them. */
const CONFIG_NAMES = ['vitest.config', 'vite.config'].flatMap((stem) => ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'].map((ext) => `${stem}.${ext}`));

/**
 * The vitest/vite config that applies to a file: the nearest one in its folder or above (a monorepo package's own
 * config before the workspace's), not above the repository's top (a `.git` folder). Null: none, vitest's defaults.
 */
export function nearestConfig(file: string): string | null {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir || fs.existsSync(path.join(dir, '.git'))) return null;
    dir = parent;
  }
}

/** Does the config itself set `resolve.tsconfigPaths`? Then it is left as the project has it. */
export function setsTsconfigPaths(configFile: string | null): boolean {
  if (!configFile) return false;
  try {
    return /tsconfigPaths\s*:/.test(fs.readFileSync(configFile, 'utf8'));
  } catch {
    return false;
  }
}
