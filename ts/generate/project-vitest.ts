/**
 * The project's own vitest, opened in this process for record mode's search: `createVitest` from the project's
 * `vitest/node` with the nearest vitest/vite config, so modules are resolved and transformed exactly as the project's
 * tests get them (resolve aliases, plugins, `define`, `server.deps`), plus tsconfig `paths` (Vite's
 * `resolve.tsconfigPaths`) for specifiers no config maps. The search child (search-host.ts) runs Vite's module runner
 * and asks this side for each module, as a vitest worker asks the vitest main process (`fetchModule` over IPC).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { resolveVitest } from './child';
import { nearestConfig, setsTsconfigPaths } from './project-config';

/** What the search child needs to set up as a vitest worker would (see search-host.ts). */
export interface HostSetup {
  /** vitest's root (the config's folder, or the project root without a config). */
  root: string;
  /** The project's vitest package folder: `vite/module-runner` and vitest's evaluator and environments come from it. */
  vitestDir: string;
  /** vitest's `environment` (node, jsdom, happy-dom, edge-runtime) and its options. */
  environment: string;
  environmentOptions: Record<string, unknown>;
  /** The Vite environment modules are fetched from ('ssr', or 'client' for DOM environments). */
  viteEnvironment: string;
  /** Absolute paths of `test.setupFiles`, imported through the runner before the module under test. */
  setupFiles: string[];
  /** The script that defines `define`'s globals (vitest's own `serializedDefines`). */
  defines: string;
  /** `define` entries vitest sets on `globalThis` in each worker (`__VERSION__: '"1.0"'` -> `'1.0'`). */
  globals: Record<string, unknown>;
}

/** A module fetch as Vite's module runner sends it (`{ type: 'custom', event: 'vite:invoke', data: { name, data } }`). */
type InvokePayload = { type: string; data?: { name?: string; data?: unknown[] } };

export interface ProjectVitest {
  configFile: string | null;
  setup: HostSetup;
  /** Answers one module-runner request of the child: `{ result }` or `{ error }` (a plain object). */
  invoke(payload: InvokePayload): Promise<{ result: unknown } | { error: { name: string; message: string; stack?: string } }>;
  close(): Promise<void>;
}

interface VitestProject {
  config: { root: string; environment: string; environmentOptions?: Record<string, unknown>; setupFiles: string[]; defines?: Record<string, unknown> };
  vite: { environments: Record<string, { hot: { handleInvoke(p: unknown): Promise<unknown> }; fetchModule(url: string, importer?: string, options?: unknown): Promise<unknown> }> };
  _fetcher?: (url: string, importer: string | undefined, env: unknown, cacheFs: boolean, options?: unknown) => Promise<Record<string, unknown>>;
  _serializedDefines?: string;
}

interface Vitest {
  projects: VitestProject[];
  getRootProject(): VitestProject;
  close(): Promise<void>;
}

const DOM_ENVIRONMENTS = new Set(['jsdom', 'happy-dom']);

function plainError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  const e = error as { name?: unknown; message?: unknown; stack?: unknown } | null;
  return { name: String(e?.name ?? 'Error'), message: String(e?.message ?? error), stack: typeof e?.stack === 'string' ? e.stack : undefined };
}

/** The project (of a `projects` config) whose root holds the file: the deepest. */
function projectOf(vitest: Vitest, file: string): VitestProject {
  const holding = vitest.projects.filter((p) => file.startsWith(p.config.root.replace(/\/?$/, '/')));
  holding.sort((a, b) => b.config.root.length - a.config.root.length);
  return holding[0] ?? vitest.getRootProject();
}

/**
 * What Vite may serve: its default (the workspace root) plus the OS temp dir, where the search file lives
 * (search-temp.ts); a DOM environment's module graph refuses files outside the allowed folders.
 */
async function servedFolders(vitestDir: string, root: string): Promise<string[]> {
  let workspace = root;
  try {
    const vite = (await import(require.resolve('vite', { paths: [vitestDir] }))) as { searchForWorkspaceRoot?: (root: string) => string };
    workspace = vite.searchForWorkspaceRoot?.(root) ?? root;
  } catch {
    // Vite's default cannot be asked: the config's folder
  }
  return [...new Set([workspace, os.tmpdir(), fs.realpathSync(os.tmpdir())])];
}

/**
 * Opens the project's vitest for `file` (the nearest config; without one, vitest's defaults at `root`). It starts
 * Vite's dev server in middleware mode (no port) and runs no tests.
 */
export async function openProjectVitest(file: string, root: string, vitestBin?: string): Promise<ProjectVitest> {
  const vitestDir = path.dirname(resolveVitest(root, vitestBin));
  const nodeEntry = require.resolve('vitest/node', { paths: [vitestDir] });
  const { createVitest } = (await import(nodeEntry)) as { createVitest: (mode: string, options: object, vite?: object, vitestOptions?: object) => Promise<Vitest> };
  const configFile = nearestConfig(file);
  const vitestRoot = configFile ? path.dirname(configFile) : root;
  const viteOverrides = { ...(setsTsconfigPaths(configFile) ? {} : { resolve: { tsconfigPaths: true } }), server: { fs: { allow: await servedFolders(vitestDir, vitestRoot) } } };
  const vitest = await createVitest('test', { root: vitestRoot, config: configFile ?? false, watch: false, run: true, coverage: { enabled: false } }, viteOverrides, {
    stdout: process.stderr,
  });
  const project = projectOf(vitest, path.resolve(file));
  const environment = project.config.environment || 'node';
  const viteEnvironment = DOM_ENVIRONMENTS.has(environment) ? 'client' : 'ssr';
  const env = project.vite.environments[viteEnvironment] ?? project.vite.environments.ssr;
  const fetcher = project._fetcher;
  return {
    configFile,
    setup: {
      root: project.config.root,
      vitestDir,
      environment,
      environmentOptions: project.config.environmentOptions ?? {},
      viteEnvironment,
      setupFiles: project.config.setupFiles ?? [],
      defines: project._serializedDefines ?? '',
      globals: project.config.defines ?? {},
    },
    async invoke(payload) {
      try {
        const { name, data = [] } = payload.data ?? {};
        // Node's builtins, whatever the environment: the child is a Node process (a DOM environment's own channel
        // does not answer this).
        if (name === 'getBuiltins') return (await project.vite.environments.ssr.hot.handleInvoke(payload)) as { result: unknown };
        if (name !== 'fetchModule') return { error: plainError(new Error(`tdd-fast: unknown module-runner request ${String(name)}`)) };
        const [url, importer, options] = data as [string, string | undefined, unknown];
        // vitest's own fetch (its externalisation rules, `server.deps.inline`); Vite's when a later vitest drops it.
        const result = fetcher ? await fetcher(url, importer, env, false, options) : ((await env.fetchModule(url, importer, options)) as Record<string, unknown>);
        if (typeof result.tmp === 'string') return { result: { ...result, code: fs.readFileSync(result.tmp, 'utf8') } };
        return { result };
      } catch (error) {
        return { error: plainError(error) };
      }
    },
    close: () => vitest.close(),
  };
}
