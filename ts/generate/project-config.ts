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

/** Does the config itself decide tsconfig `paths` (Vite's option or the plugin)? Then it is left as the project has it. */
export function setsTsconfigPaths(configFile: string | null): boolean {
  if (!configFile) return false;
  try {
    // `resolve.tsconfigPaths: ...`, or the vite-tsconfig-paths plugin (`tsconfigPaths()`).
    return /tsconfigPaths\s*[:(]|tsconfig-paths/.test(fs.readFileSync(configFile, 'utf8'));
  } catch {
    return false;
  }
}

/** The nearest tsconfig.json at or above the file (not above the repository's top). */
function nearestTsconfig(file: string): string | null {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir || fs.existsSync(path.join(dir, '.git'))) return null;
    dir = parent;
  }
}

/** `compilerOptions.paths` keys of a tsconfig (JSON with comments and trailing commas, as tsc reads it). */
function pathKeys(tsconfig: string): string[] {
  try {
    const text = fs
      .readFileSync(tsconfig, 'utf8')
      .replace(/"(?:[^"\\]|\\.)*"|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => (m.startsWith('"') ? m : ''))
      .replace(/,(\s*[}\]])/g, '$1');
    const paths = (JSON.parse(text) as { compilerOptions?: { paths?: Record<string, unknown> } }).compilerOptions?.paths;
    return paths ? Object.keys(paths) : [];
  } catch {
    return [];
  }
}

/**
 * Specifiers the file imports that only tsconfig `paths` map: the config neither sets `resolve.tsconfigPaths` nor
 * names the alias. The search and the verify run resolve them (Vite's `resolve.tsconfigPaths`); the project's own
 * `vitest run` does not until its config says so, which the user is told.
 */
export function tsconfigOnlyImports(file: string, configFile: string | null): string[] {
  if (setsTsconfigPaths(configFile)) return [];
  const tsconfig = nearestTsconfig(file);
  const prefixes = tsconfig ? pathKeys(tsconfig).map((key) => key.replace(/\*$/, '')) : [];
  if (prefixes.length === 0) return [];
  let configText = '';
  try {
    configText = configFile ? fs.readFileSync(configFile, 'utf8') : '';
  } catch {
    configText = '';
  }
  let source = '';
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"\n]+)['"]/gm)].map((m) => m[1]);
  const unmapped = (prefix: string) => !configText.includes(`'${prefix.replace(/\/$/, '')}`) && !configText.includes(`"${prefix.replace(/\/$/, '')}`);
  return [...new Set(specifiers.filter((s) => prefixes.some((p) => (p.endsWith('/') ? s.startsWith(p) : s === p || s.startsWith(`${p}/`)) && unmapped(p))))];
}
