/**
 * The verify run's entry (`node verify-host.js`): the project's own vitest (`startVitest` from its `vitest/node`) with
 * its nearest config, so the generated files run with the project's aliases, plugins, setup files and environment, as
 * `vitest run` runs them. Only what the verify run must control is overridden: which files, time limits, a JSON
 * report, no coverage, no watch; and tsconfig `paths` resolve (Vite's `resolve.tsconfigPaths`) unless the config
 * decides that itself, as for the search.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface VerifyRequest {
  vitestDir: string;
  /** vitest's root: the config's folder, or the project root without a config. */
  root: string;
  configFile: string | null;
  tsconfigPaths: boolean;
  files: string[];
  testTimeout: number;
  parallel: boolean;
  jsonFile: string;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.env.TDD_FAST_VERIFY ?? '{}') as VerifyRequest;
  const entry = require.resolve('vitest/node', { paths: [request.vitestDir] });
  const { startVitest } = (await import(pathToFileURL(entry).href)) as { startVitest: (mode: string, filters: string[], options: object, vite?: object) => Promise<{ close(): Promise<void> }> };
  const include = request.files.map((f) => path.relative(request.root, f).split(path.sep).join('/'));
  await startVitest(
    'test',
    [],
    {
      root: request.root,
      config: request.configFile ?? false,
      dir: request.root,
      include,
      run: true,
      watch: false,
      testTimeout: request.testTimeout,
      hookTimeout: request.testTimeout * 5,
      pool: 'forks',
      fileParallelism: request.parallel,
      passWithNoTests: true,
      reporters: ['default', 'json'],
      outputFile: { json: request.jsonFile },
      coverage: { enabled: false },
    },
    request.tsconfigPaths ? { resolve: { tsconfigPaths: true } } : {},
  );
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`tdd-fast verify: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(2);
  },
);
