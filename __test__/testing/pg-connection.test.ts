/**
 * Connection strings as `pg` reads them (pg-connection-string), against a real server listening on a Unix socket
 * directory, and bad input that must fail with an error naming its cause: a malformed URL, an unreachable socket
 * directory, wrong credentials, a migration that fails. A failed template build leaves nothing on the server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { parse } from 'pg-connection-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PgAuthError,
  PgMigrationError,
  PgTemplateInUseError,
  PgUnreachableError,
  PgUrlError,
  PostgresTemplate,
  describePgBackend,
  startPostgres,
  withDatabase,
  type PostgresServer,
} from '../../ts/testing/index';
import { tempDir } from './helpers';

describe('withDatabase keeps everything but the database, in every form pg reads', () => {
  const cases = [
    'postgresql://postgres@/postgres?host=/tmp/pgsock&port=5432',
    'postgresql://postgres@%2Ftmp%2Fpgsock/postgres?port=5432',
    'postgresql:///postgres?host=/tmp/pgsock',
    'postgres://u:p%40ss@db.example:6543/app?sslmode=disable&options=-c%20search_path%3Dshop',
    'socket:/tmp/pgsock?db=postgres',
    '/tmp/pgsock postgres',
  ];
  it.each(cases)('%s', (url) => {
    const before = parse(url);
    const after = parse(withDatabase(url, 'tdf_x_w0_1'));
    // (socket: URLs name the database in db=, which pg-connection-string also returns as it is)
    expect(after).toEqual({ ...before, database: 'tdf_x_w0_1', ...('db' in before ? { db: 'tdf_x_w0_1' } : {}) });
  });

  it('says what is wrong with a string pg cannot use, without the password', () => {
    const bad = (url: string) => {
      try {
        withDatabase(url, 'x');
      } catch (error) {
        expect(error).toBeInstanceOf(PgUrlError);
        expect((error as Error).message).not.toContain('hunter2');
        return (error as Error).message;
      }
      throw new Error(`no error for ${url}`);
    };
    expect(bad('postgresql://u:hunter2@db:port/app')).toMatch(/not a PostgreSQL connection string pg can use: Invalid URL.*port that is not a number/);
    expect(bad('mysql://u:hunter2@db/app')).toMatch(/the scheme is mysql:, not postgresql:/);
    expect(bad('postgresql://u:hunter2@db/app?port=fifty')).toMatch(/the port "fifty" is not a number/);
    expect(bad('')).toMatch(/it is empty/);
  });
});

describe('tdd-fast doctor', () => {
  it('says what is wrong with the configured URL before a test run finds out', () => {
    const [backend] = describePgBackend(tempDir(), { TDD_FAST_PG_URL: 'postgresql://u:hunter2@db/app?port=54x32' });
    expect(backend.reason).toMatch(/^server from env TDD_FAST_PG_URL: .*the port "54x32" is not a number/);
    expect(backend.reason).not.toContain('hunter2');
  });
});

describe('against a real server on a Unix socket directory', () => {
  let server: PostgresServer;
  let socketDir = '';
  let admin: Client;
  /** The libpq form docs/testing.md promises: no host in the authority, the socket directory in `host=`. */
  let socketUrl = '';

  beforeAll(async () => {
    server = await startPostgres();
    socketDir = server.dataDir;
    socketUrl = `postgresql://postgres@/postgres?host=${socketDir}&port=${server.port}`;
    admin = new Client({ connectionString: socketUrl });
    await admin.connect();
  }, 120_000);

  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  }, 60_000);

  const databases = async (prefix: string) =>
    (await admin.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname', [prefix])).rows.map((r) => r.datname as string);

  it('builds, clones and hands out over postgresql://user@/db?host=/dir; create() resolves with poolSize clones ready', async () => {
    const name = 'sock';
    // options= reaches every connection: the clones' clients and the URL handed to other drivers.
    const url = `${socketUrl}&sslmode=disable&options=${encodeURIComponent('-c statement_timeout=4321')}`;
    const template = await PostgresTemplate.create({ connectionString: url, ddl: 'CREATE TABLE t (id int)', name, cacheDir: tempDir(), poolSize: 3 });
    try {
      expect(template.stats()).toMatchObject({ ready: 3, poolMisses: 0 });
      const db = await template.fresh();
      expect(template.stats().poolMisses).toBe(0);
      expect((await db.client.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('4321ms');
      expect(parse(db.connectionString)).toMatchObject({ host: socketDir, port: String(server.port), database: db.database, sslmode: 'disable', ssl: false });
      const other = new Client({ connectionString: db.connectionString });
      await other.connect();
      expect((await other.query('SELECT current_database() AS d, current_setting($1) AS t', ['statement_timeout'])).rows[0]).toEqual({ d: db.database, t: '4321ms' });
      await other.end();
      db.release();
    } finally {
      await template.close();
    }
    expect(await databases(`tdf_${name}_w`)).toEqual([]);
  });

  it('a malformed URL fails before anything is created, naming the cause and where the URL came from', async () => {
    const error = await PostgresTemplate.create({ connectionString: 'postgresql://postgres:s3cret@/postgres?host=/tmp&port=54x32', ddl: 'SELECT 1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgUrlError);
    expect((error as Error).message).toMatch(/the connectionString option is not a PostgreSQL connection string pg can use: the port "54x32" is not a number/);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('an unreachable socket directory says whether the directory or the socket is missing', async () => {
    const missing = await PostgresTemplate.create({ connectionString: `postgresql://postgres@/postgres?host=/nonexistent/pgsock&port=${server.port}`, ddl: 'SELECT 1' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PgUnreachableError);
    expect((missing as Error).message).toMatch(/socket directory \/nonexistent\/pgsock, port \d+ .*: the socket directory \/nonexistent\/pgsock does not exist/);

    const empty = tempDir('tdd-fast-nosock-');
    const noServer = await PostgresTemplate.create({ connectionString: `postgresql://postgres@/postgres?host=${empty}&port=${server.port}`, ddl: 'SELECT 1' }).catch((e: unknown) => e);
    expect(noServer).toBeInstanceOf(PgUnreachableError);
    expect((noServer as Error).message).toContain(`no server socket ${path.join(empty, `.s.PGSQL.${server.port}`)}`);
  });

  it('wrong credentials fail with PgAuthError naming the user, never the password', async () => {
    // The throwaway server trusts everyone; this role must give a password (over the socket and TCP).
    await admin.query("CREATE ROLE tdf_pw_user LOGIN CREATEDB PASSWORD 'right-password'");
    const hba = path.join(server.dataDir, 'pg_hba.conf');
    const original = fs.readFileSync(hba, 'utf8');
    fs.writeFileSync(hba, `local all tdf_pw_user scram-sha-256\nhost all tdf_pw_user all scram-sha-256\n${original}`);
    await admin.query('SELECT pg_reload_conf()');
    try {
      const wrong = `postgresql://tdf_pw_user:wrong-password@/postgres?host=${socketDir}&port=${server.port}`;
      const error = await PostgresTemplate.create({ connectionString: wrong, ddl: 'SELECT 1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PgAuthError);
      expect((error as Error).message).toMatch(/PostgreSQL at socket directory .* as tdf_pw_user .*refused the credentials: password authentication failed for user "tdf_pw_user"/);
      expect((error as Error).message).not.toContain('wrong-password');
      // The right password works through the same socket URL form.
      const right = await PostgresTemplate.create({ connectionString: wrong.replace('wrong-password', 'right-password'), ddl: 'SELECT 1', name: 'pw', cacheDir: tempDir(), poolSize: 1 });
      await right.close();
    } finally {
      fs.writeFileSync(hba, original);
      await admin.query('SELECT pg_reload_conf()');
    }
  });

  it('a failing migration names the file and the statement, and its half-built template is dropped', async () => {
    const dir = tempDir('tdd-fast-pg-badmig-');
    fs.writeFileSync(path.join(dir, '001_users.sql'), 'CREATE TABLE users (id serial PRIMARY KEY);');
    fs.writeFileSync(path.join(dir, '002_orders.sql'), 'CREATE TABLE orders (id serial PRIMARY KEY);\n\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);\n');
    const name = 'badmig';
    const error = await PostgresTemplate.create({ connectionString: socketUrl, migrationsDir: dir, name, cacheDir: tempDir() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgMigrationError);
    expect(error).toMatchObject({ file: '002_orders.sql', line: 3, statement: 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id)' });
    expect((error as Error).message).toMatch(/002_orders\.sql failed at line 3: column "user_id" referenced in foreign key constraint does not exist/);
    expect(await databases(`tdf_${name}_`)).toEqual([]);

    // A seed that throws after the schema was built: nothing is left either.
    const seeded = await PostgresTemplate.create({
      connectionString: socketUrl,
      ddl: 'CREATE TABLE t (id int)',
      name: 'badseed',
      cacheDir: tempDir(),
      seed: () => {
        throw new Error('seed data file missing');
      },
    }).catch((e: unknown) => e);
    expect((seeded as Error).message).toMatch(/the seed failed: seed data file missing/);
    expect(await databases('tdf_badseed_')).toEqual([]);
  });

  it('a build that fails after its migrations (here: the template refuses connections when it is sealed) drops the half-built template', async () => {
    const name = 'badseal';
    const error = await PostgresTemplate.create({
      connectionString: socketUrl,
      ddl: 'CREATE TABLE t (id int)',
      name,
      cacheDir: tempDir(),
      migrate: async (templateUrl) => {
        await admin.query(`ALTER DATABASE "${parse(templateUrl).database}" WITH ALLOW_CONNECTIONS false`);
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/is not currently accepting connections/);
    expect(await databases(`tdf_${name}_`)).toEqual([]);
  });
  it('create() fails with the cause, not after acquireTimeoutMs, when its first clones cannot be made', async () => {
    const options = { connectionString: socketUrl, ddl: 'CREATE TABLE t (id int)', name: 'busytpl', cacheDir: tempDir(), poolSize: 2 };
    const built = await PostgresTemplate.create(options);
    await built.close();
    await admin.query(`ALTER DATABASE ${built.template} WITH ALLOW_CONNECTIONS true`);
    const squatter = new Client({ connectionString: withDatabase(socketUrl, built.template), application_name: 'squatter-gui' });
    await squatter.connect();
    try {
      const error = await PostgresTemplate.create({ ...options, acquireTimeoutMs: 600_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PgTemplateInUseError);
      expect((error as Error).message).toMatch(/is in use.*squatter-gui/);
    } finally {
      await squatter.end();
      await admin.query(`ALTER DATABASE ${built.template} WITH ALLOW_CONNECTIONS false`);
    }
    expect(await databases('tdf_busytpl_w')).toEqual([]);
  });
});
