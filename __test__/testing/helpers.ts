import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll } from 'vitest';

import { startPostgres, type PostgresServer } from '../../ts/testing/index';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const distTesting = path.join(repoRoot, 'dist', 'testing', 'index.js');

export function tempDir(prefix = 'tdd-fast-testing-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs `fn` with environment variables set, restoring them afterwards. */
export function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved: Record<string, string | undefined> = {};
  for (const key of Object.keys(vars)) {
    saved[key] = process.env[key];
    if (vars[key] === undefined) delete process.env[key];
    else process.env[key] = vars[key];
  }
  try {
    return fn();
  } finally {
    for (const key of Object.keys(saved)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

export function requireBuiltPackage(): void {
  if (!fs.existsSync(distTesting)) {
    throw new Error(`${distTesting} is missing: run \`npm run build:ts\` before these tests`);
  }
}

/** The environment of a user's shell: none of this repository's or the outer vitest's switches. */
export function userShellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' };
  for (const key of Object.keys(env)) {
    if (key.startsWith('TDD_FAST_') || key.startsWith('VITEST') || key === 'NODE_OPTIONS') delete env[key];
  }
  env.GITHUB_ACTIONS = 'false';
  return env;
}

/** Installs vitest and tdd-fast (symlinks to this repository's) into a user project's node_modules. */
export function linkUserProjectModules(project: string): void {
  const modules = path.join(project, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  const linkType = process.platform === 'win32' ? 'junction' : 'dir';
  fs.symlinkSync(path.join(repoRoot, 'node_modules', 'vitest'), path.join(modules, 'vitest'), linkType);
  fs.symlinkSync(repoRoot, path.join(modules, 'tdd-fast'), linkType);
}

/** A PostgreSQL server for one test file's tests, with an admin connection (fields set once `beforeAll` ran). */
export interface TestPostgres {
  /** The throwaway cluster this file started (null when TDD_FAST_PG_TEST_URL names the server). */
  server: PostgresServer | null;
  /** How the tests connect: the server's TCP URL, or its Unix socket with `socket`. */
  url: string;
  /** A connection as the superuser, for looking at what the tests left (none with `admin: false`). */
  admin: Client;
}

/**
 * The PostgreSQL setup the pg tests share: the server TDD_FAST_PG_TEST_URL names (with `external`), else a throwaway
 * cluster started with startPostgres() (its binaries must be installed; .ci/run installs them) and stopped after the
 * file's tests. Registers beforeAll/afterAll: call it at the top of a test file or describe block.
 */
export function usePostgres(options: { external?: boolean; socket?: boolean; admin?: boolean; settings?: Record<string, string | number> } = {}): TestPostgres {
  const pg: TestPostgres = { server: null, url: '', admin: undefined as unknown as Client };
  beforeAll(async () => {
    if (options.external && process.env.TDD_FAST_PG_TEST_URL) pg.url = process.env.TDD_FAST_PG_TEST_URL;
    else {
      pg.server = await startPostgres({ settings: options.settings });
      pg.url = options.socket ? pg.server.socketUrl : pg.server.url;
    }
    if (options.admin === false) return;
    pg.admin = new Client({ connectionString: pg.url });
    await pg.admin.connect();
  }, 120_000);
  afterAll(async () => {
    await pg.admin?.end();
    await pg.server?.stop();
  }, 60_000);
  return pg;
}
