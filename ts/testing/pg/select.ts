/**
 * Choosing the PostgreSQL backend: a server when one is configured (option, TDD_FAST_PG_URL, DATABASE_URL), the
 * embedded PGlite otherwise; TDD_FAST_PG_BACKEND=postgres|pglite forces one. `describePgBackend` is what
 * `tdd-fast doctor` prints.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveSwitches } from '../switches';
import { describeTarget, pgUrlProblem } from './connection';
import { PgliteTemplate, type PgliteTemplateOptions } from './pglite';
import { findPostgresBinDir, ramDirectory, runningPostgres } from './server';
import { PostgresTemplate, resolvePgUrl, type PostgresTemplateOptions } from './template';

export type PgTemplateChoice = PostgresTemplate | PgliteTemplate;

export interface PgBackendDecision {
  backend: 'postgres' | 'pglite';
  reason: string;
  url: string | null;
}

/** Which backend `pgTemplate()` would use with these options and this environment, and why. */
export function choosePgBackend(connectionString?: string, env: NodeJS.ProcessEnv = process.env): PgBackendDecision {
  const forced = env.TDD_FAST_PG_BACKEND;
  const resolved = resolvePgUrl(connectionString, env);
  if (forced === 'pglite') return { backend: 'pglite', reason: 'env TDD_FAST_PG_BACKEND=pglite', url: null };
  if (forced === 'postgres') {
    if (!resolved) return { backend: 'postgres', reason: 'env TDD_FAST_PG_BACKEND=postgres, but no URL is set (it will fail)', url: null };
    return { backend: 'postgres', reason: `env TDD_FAST_PG_BACKEND=postgres, server from ${resolved.reason}`, url: resolved.url };
  }
  if (resolved) return { backend: 'postgres', reason: `server from ${resolved.reason}`, url: resolved.url };
  return { backend: 'pglite', reason: 'no connectionString, TDD_FAST_PG_URL or DATABASE_URL: embedded PGlite', url: null };
}

/** A PostgresTemplate when a server is configured, else a PgliteTemplate with the same schema and seed. */
export async function pgTemplate(options: PostgresTemplateOptions & PgliteTemplateOptions): Promise<PgTemplateChoice> {
  const decision = choosePgBackend(options.connectionString);
  if (decision.backend === 'postgres') return PostgresTemplate.create({ ...options, connectionString: decision.url ?? undefined });
  return PgliteTemplate.create(options);
}

/**
 * The directory `tdd-fast testing pg start` keeps its cluster in: on the memory filesystem when there is one (see
 * ramDirectory; one cluster per project cache dir, gone after a reboot), else `<cacheDir>/pg/data`.
 */
export function localClusterDir(root: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const cacheDir = path.resolve(resolveSwitches({}, root, env).cacheDir.value);
  const ram = ramDirectory(undefined, env);
  if (!ram) return path.join(cacheDir, 'pg', 'data');
  const project = crypto.createHash('sha256').update(cacheDir).digest('hex').slice(0, 12);
  return path.join(ram, `tdd-fast-pg-${project}`, 'data');
}

export function describePgBackend(root: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): { name: string; value: string; reason: string }[] {
  const decision = choosePgBackend(undefined, env);
  const problem = decision.url ? pgUrlProblem(decision.url) : null;
  const lines = [
    {
      name: 'PostgreSQL backend',
      value: decision.backend === 'postgres' ? `PostgresTemplate (${decision.url ? describeTarget(decision.url) : 'no URL'})` : 'PgliteTemplate (embedded)',
      // A URL pg cannot use: what is wrong with it, before a test run finds out.
      reason: problem ? `${decision.reason}: ${problem}` : decision.reason,
    },
  ];
  let pglite = 'not installed';
  try {
    const entry = require.resolve('@electric-sql/pglite');
    pglite = (JSON.parse(fs.readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // not installed
  }
  lines.push({ name: '@electric-sql/pglite', value: pglite, reason: 'the embedded backend (no server needed)' });
  const bin = findPostgresBinDir();
  lines.push({
    name: 'PostgreSQL server binaries',
    value: bin ?? 'not found',
    reason: bin ? '`npx tdd-fast testing pg start` can start a throwaway server' : 'install postgresql, or use PGlite',
  });
  const dir = localClusterDir(root, env);
  const running = runningPostgres(dir);
  lines.push({
    name: 'local test server',
    value: running ? running.url : 'not running',
    reason: running ? `pid ${running.pid}, data ${dir}; export TDD_FAST_PG_URL=${running.url}` : `${dir} (npx tdd-fast testing pg start)`,
  });
  return lines;
}
