/**
 * The search child's entry (`node search-host.js`): sets this process up as a vitest worker would, then runs the
 * search file through Vite's module runner. Modules come from the parent over IPC (project-vitest.ts answers with the
 * project's vitest), so the search runs the code the project's tests run: the same resolution, transforms, `define`,
 * environment and setup files. The process stays a plain Node process otherwise (no test runner loaded), which keeps
 * V8's coverage takes cheap.
 *
 * Setup, in vitest's order: `define`'s globals and script, the environment (jsdom, happy-dom, ...: vitest's own), the setup
 * files (a failing one is logged and skipped: the search goes on without it), then the search file.
 */
import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';

import type { HostSetup } from './project-vitest';
import { RUNTIME_GLOBAL } from './search-host-global';

type Invoke = { type: string; data?: unknown };

/** A request to the parent over the IPC channel, answered by id. */
function ipcTransport(): { invoke(payload: Invoke): Promise<unknown> } {
  const waiting = new Map<number, (answer: unknown) => void>();
  let next = 0;
  // The parent is gone (killed, even with SIGKILL): nobody reads this search any more.
  process.on('disconnect', () => process.exit(3));
  process.on('message', (message: { tddFast?: string; id?: number; answer?: unknown }) => {
    if (message?.tddFast !== 'answer' || message.id === undefined) return;
    waiting.get(message.id)?.(message.answer);
    waiting.delete(message.id);
  });
  return {
    invoke(payload) {
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        process.send!({ tddFast: 'invoke', id, payload });
      });
    },
  };
}

async function importFrom(dir: string, specifier: string): Promise<Record<string, any>> {
  return (await import(pathToFileURL(require.resolve(specifier, { paths: [dir] })).href)) as Record<string, any>;
}

/** vitest's module evaluator (it runs each module with its file name, so coverage and stacks name the file). */
async function evaluator(vitestDir: string): Promise<unknown> {
  try {
    return new (await import(pathToFileURL(path.join(vitestDir, 'dist', 'module-evaluator.js')).href)).VitestModuleEvaluator();
  } catch {
    return new (await importFrom(vitestDir, 'vitest/runtime')).VitestModuleEvaluator();
  }
}

async function main(): Promise<void> {
  const setup = JSON.parse(process.env.TDD_FAST_HOST ?? '{}') as HostSetup & { searchFile: string };
  const log = process.env.TDD_FAST_SEARCH_LOG;
  const note = (text: string) => log && appendFileSync(log, `${JSON.stringify({ t: 'note', text })}\n`);
  Object.assign(process.env, { VITEST: 'true', TEST: 'true', NODE_ENV: process.env.NODE_ENV ?? 'test', SSR: setup.viteEnvironment === 'client' ? '' : '1' });
  Object.assign(globalThis, setup.globals);
  if (setup.defines) runInThisContext(`(() => {\n${setup.defines}})()`, { filename: 'virtual:load-defines.js' });
  if (setup.environment !== 'node') {
    // `vitest/environments` (deprecated in 4.1 for `vitest/runtime`, which loads much more: a heavier heap makes every
    // coverage take slower) while it exists.
    const { builtinEnvironments } = await importFrom(setup.vitestDir, 'vitest/environments').catch(() => importFrom(setup.vitestDir, 'vitest/runtime'));
    const environment = builtinEnvironments[setup.environment];
    if (environment) await environment.setup(globalThis, { [setup.environment]: {}, ...setup.environmentOptions });
    else note(`the environment '${setup.environment}' is not one of vitest's own; the search runs in plain Node`);
  }
  const { ModuleRunner, createNodeImportMeta } = await importFrom(setup.vitestDir, 'vite/module-runner').catch(async () =>
    importFrom(path.dirname(require.resolve('vite/package.json', { paths: [setup.vitestDir] })), 'vite/module-runner'),
  );
  const transport = ipcTransport();
  const runner = new ModuleRunner({ hmr: false, sourcemapInterceptor: false, createImportMeta: createNodeImportMeta, transport }, await evaluator(setup.vitestDir));
  for (const file of setup.setupFiles) {
    try {
      await runner.import(file);
    } catch (error) {
      note(`the setup file ${path.relative(setup.root, file)} failed outside vitest's runner and was skipped: ${String((error as Error)?.message ?? error).split('\n')[0]}`);
    }
  }
  (globalThis as Record<string, unknown>)[RUNTIME_GLOBAL] = require('./search-runtime') as unknown;
  // The search file lives outside the project (search-temp.ts): the browser-like environment of a DOM test resolves
  // `/x` against the root, so it is named by Vite's file-system prefix there.
  await runner.import(setup.viteEnvironment === 'client' ? `/@fs${setup.searchFile}` : setup.searchFile);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`tdd-fast search: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
