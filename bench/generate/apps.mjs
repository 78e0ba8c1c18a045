/**
 * The application-style projects under bench/generate/apps/: TypeScript with path aliases (tsconfig `paths` and the
 * vitest config's `resolve.alias`), measured like the packages but under their own vitest config and tsconfig.
 *
 * A fresh copy of an app gets `node_modules/tdd-fast` pointing at this checkout, as an installed devDependency would
 * (its tests may import `tdd-fast/testing`); everything else resolves from the repository's node_modules above it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
export const APPS_DIR = path.join(here, 'apps');

export function listApps() {
  if (!fs.existsSync(APPS_DIR)) return [];
  return fs
    .readdirSync(APPS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(APPS_DIR, e.name, 'package.json')))
    .map((e) => e.name)
    .sort();
}

function appSources(dir) {
  const found = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (/\.tsx?$/.test(entry.name) && !/\.d\.ts$|\.(?:test|spec)\.tsx?$/.test(entry.name)) found.push(child);
    }
  };
  walk('src');
  return found.sort();
}

/** A target for measure(): a fresh copy of the app under `runsRoot`. */
export function prepareApp(name, runsRoot) {
  const source = path.join(APPS_DIR, name);
  const dir = path.join(runsRoot, `app-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(runsRoot, { recursive: true });
  fs.cpSync(source, dir, { recursive: true, filter: (f) => !/(?:^|[\\/])(?:node_modules|[^\\/]*\.generated\.test\.[^\\/]+)$/.test(f) });
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(repo, path.join(dir, 'node_modules', 'tdd-fast'), 'dir');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const config = ['vitest.config.ts', 'vitest.config.mts', 'vite.config.ts'].find((f) => fs.existsSync(path.join(dir, f)));
  if (!config) throw new Error(`app ${name}: no vitest.config.ts`);
  const files = appSources(dir);
  return {
    id: `app:${name}`,
    kind: 'app',
    shape: manifest.description ?? 'application',
    dir,
    files,
    mutate: false,
    appConfig: config,
  };
}
