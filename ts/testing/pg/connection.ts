/**
 * Connection strings, read the way `pg` reads them (its own parser, pg-connection-string): URLs with a host or a Unix
 * socket directory (`postgresql://user@/db?host=/run/postgresql&port=5432`, `postgresql://user@%2Frun%2Fpostgresql/db`),
 * `socket:/dir?db=name` and `/dir dbname`; `sslmode`, `options` and every other parameter pass through untouched. A
 * string `pg` cannot use becomes a PgUrlError naming the cause (never a bare `TypeError: Invalid URL`), and a failed
 * connection one of the errors in errors.ts naming where it tried to go (never with the password).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from 'pg';
import { parse, type ConnectionOptions } from 'pg-connection-string';
import { PgAuthError, PgUnreachableError, PgUrlError } from './errors';

/** Where a connection string points: what messages and the socket checks need. */
export interface PgTarget {
  /** A host name or address, a socket directory (starts with `/`), or '' for pg's default (PGHOST, then localhost). */
  host: string;
  port: string;
  user: string;
  database: string;
}

/** The connection string without its password (in the URL or as a `password=` parameter), for messages. */
export function redactPgUrl(connectionString: string): string {
  return connectionString.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1:***@').replace(/([?&]password=)[^&#]*/i, '$1***');
}

/**
 * Parses a connection string exactly as `pg` will, and checks what `pg` would only trip over later: an unknown
 * scheme, an unparsable URL, a port that is not a number. `source` says where the string came from, for the message.
 */
export function parsePgUrl(connectionString: string, source = 'the connection string'): ConnectionOptions {
  const shown = redactPgUrl(connectionString);
  const fail = (why: string) =>
    new PgUrlError(
      `tdd-fast: ${source} is not a PostgreSQL connection string pg can use: ${why} (got "${shown}"). ` +
        'Expected postgresql://user:password@host:port/database, or postgresql://user@/database?host=/socket/dir&port=5432 for a Unix socket',
    );
  if (connectionString.trim() === '') throw fail('it is empty');
  if (!/^(postgres|postgresql|socket):/i.test(connectionString) && !connectionString.startsWith('/')) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(connectionString)?.[1];
    throw fail(scheme ? `the scheme is ${scheme}:, not postgresql:` : 'it is neither a postgresql:// URL nor a socket path');
  }
  let options: ConnectionOptions;
  try {
    options = parse(connectionString);
  } catch (error) {
    throw fail(`${(error as Error).message} (a port that is not a number, a space or an unencoded @, /, # or ? in the user or password?)`);
  }
  if (options.port !== undefined && options.port !== null && options.port !== '') {
    const port = Number(options.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw fail(`the port "${options.port}" is not a number in 1..65535`);
  }
  return options;
}

/** Why `pg` cannot use a connection string (the PgUrlError message), or null when it can. */
export function pgUrlProblem(connectionString: string, source?: string): string | null {
  try {
    parsePgUrl(connectionString, source);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Where a connection string points, or null when it does not parse. */
export function pgTarget(connectionString: string): PgTarget | null {
  let options: ConnectionOptions;
  try {
    options = parsePgUrl(connectionString);
  } catch {
    return null;
  }
  return {
    host: options.host ?? '',
    port: options.port || process.env.PGPORT || '5432',
    user: options.user || process.env.PGUSER || '',
    database: options.database ?? '',
  };
}

/** Where a connection string points, without its password, for messages. */
export function describeTarget(connectionString: string): string {
  const target = pgTarget(connectionString);
  if (!target) return '(unparsable connection string)';
  const host = target.host || process.env.PGHOST || 'localhost';
  const where = host.startsWith('/') ? `socket directory ${host}, port ${target.port}` : `${host}:${target.port}`;
  return `${where} as ${target.user || 'the default user'} (database ${target.database || 'default'})`;
}

/** The same connection string with another database; everything else (host, socket, user, parameters) is kept as written. */
export function withDatabase(connectionString: string, database: string): string {
  parsePgUrl(connectionString);
  if (connectionString.startsWith('/')) return `${connectionString.split(' ')[0]} ${database}`;
  if (/^socket:/i.test(connectionString)) {
    const url = new URL(connectionString);
    url.searchParams.set('db', database);
    return url.toString();
  }
  // Only the path changes: a URL with an empty host (`user@/db?host=/dir`) is what libpq and pg accept, not WHATWG URL.
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(\/[^?#]*)?(.*)$/is.exec(connectionString);
  if (!match) throw new PgUrlError(`tdd-fast: cannot set the database in "${redactPgUrl(connectionString)}"`);
  return `${match[1]}/${encodeURIComponent(database)}${match[3]}`;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET']);

/** Why a Unix socket connection failed, from the file system: no such directory, or no server socket in it. */
function socketProblem(target: PgTarget): string | null {
  if (!target.host.startsWith('/')) return null;
  if (!fs.existsSync(target.host)) return `the socket directory ${target.host} does not exist`;
  const socket = path.join(target.host, `.s.PGSQL.${target.port}`);
  if (!fs.existsSync(socket)) {
    return `no server socket ${socket} (is a server running with unix_socket_directories = '${target.host}' and port ${target.port}?)`;
  }
  return null;
}

/** Turns a connection failure of `pg` into PgUnreachableError or PgAuthError; other errors are returned as they are. */
export function classifyConnectError(error: unknown, connectionString: string): Error {
  const err = error as { code?: string; message?: string };
  const target = describeTarget(connectionString);
  const message = err?.message ?? String(error);
  if ((err?.code && UNREACHABLE_CODES.has(err.code)) || /timeout expired|Connection terminated due to connection timeout/i.test(message)) {
    const parsed = pgTarget(connectionString);
    const why = (parsed && socketProblem(parsed)) ?? err.code ?? message;
    return new PgUnreachableError(
      `tdd-fast: cannot reach PostgreSQL at ${target}: ${why}. Is the server running? ` +
        'Start a throwaway one with `npx tdd-fast testing pg start`, or leave the URL unset to use PgliteTemplate.',
    );
  }
  if (err?.code === '28P01' || err?.code === '28000') {
    return new PgAuthError(`tdd-fast: PostgreSQL at ${target} refused the credentials: ${message}`);
  }
  if (err?.code === '3D000') {
    return new PgUnreachableError(`tdd-fast: PostgreSQL at ${target}: ${message} (the admin database must exist)`);
  }
  return error instanceof Error ? error : new Error(message);
}

/** A connected `pg` client; a string pg cannot use, or a server it cannot reach or log in to, throws an error naming why. */
export async function connect(connectionString: string, timeoutMs: number, applicationName: string): Promise<Client> {
  parsePgUrl(connectionString);
  // Loaded on first use, so `tdd-fast/testing` costs SQLite-only suites nothing for the PostgreSQL driver.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client: PgClient } = require('pg') as typeof import('pg');
  const client = new PgClient({ connectionString, connectionTimeoutMillis: timeoutMs, application_name: applicationName });
  // An idle client whose server goes away emits 'error'; without a listener that would crash the worker.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw classifyConnectError(error, connectionString);
  }
  return client;
}
