/** The server-free parts of the PostgreSQL backends: migrations layouts, the statement splitter, backend choice, the
 * reporter's database-vs-body split, the warm-up's statement memory, and PgliteTemplate (embedded, real PGlite). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DB_META_KEY, PerfReporter, PgliteTemplate, PgMigrationError, choosePgBackend, readMigrationsDir, splitStatements, withTransaction } from '../../ts/testing/index';
import { describeDoctor } from '../../ts/testing/doctor';
import { StatementMemory } from '../../ts/testing/pg/warmup';
import { tempDir } from './helpers';

function folder(files: Record<string, string>): string {
  const dir = tempDir('tdd-fast-pg-layout-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('splitStatements', () => {
  it('splits at top-level semicolons only, with 1-based lines', () => {
    const sql = [
      "CREATE TABLE a (t text DEFAULT 'x;y');",
      '-- a comment; with a semicolon',
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$;',
      '/* block; /* nested; */ still comment; */ SELECT $$;$$, E\'it\\\'s;\', "we;ird" FROM a;',
      'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;',
      '--> statement-breakpoint',
      'SELECT 3',
    ].join('\n');
    const statements = splitStatements(sql);
    expect(statements.map((s) => s.line)).toEqual([1, 3, 4, 5, 7]);
    expect(statements[1].sql).toMatch(/^CREATE FUNCTION f\(\).*\$body\$$/);
    expect(statements[2].sql).toContain('"we;ird" FROM a');
    expect(statements[3].sql).toBe('CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END');
    expect(statements[4].sql).toBe('SELECT 3');
  });
  it('returns nothing for comments and whitespace', () => {
    expect(splitStatements('-- only\n/* comments */\n ;\n')).toEqual([]);
  });
});

describe('readMigrationsDir', () => {
  it('orders plain files naturally (2_ before 10_)', () => {
    const dir = folder({ '10_later.sql': 'SELECT 10;', '2_first.sql': 'SELECT 2;', 'notes.txt': 'x' });
    expect(readMigrationsDir(dir).map((s) => s.name)).toEqual(['2_first.sql', '10_later.sql']);
  });
  it('reads the Prisma layout: <timestamp>_<name>/migration.sql in order', () => {
    const dir = folder({
      '20240102000000_add_posts/migration.sql': 'CREATE TABLE posts (id int);',
      '20240101000000_init/migration.sql': 'CREATE TABLE users (id int);',
      'migration_lock.toml': 'provider = "postgresql"',
    });
    expect(readMigrationsDir(dir).map((s) => s.name)).toEqual(['20240101000000_init/migration.sql', '20240102000000_add_posts/migration.sql']);
  });
  it('reads the Drizzle layout in the order of meta/_journal.json', () => {
    const dir = folder({
      '0000_zany_hulk.sql': 'CREATE TABLE users (id int);',
      '0001_alpha.sql': 'CREATE TABLE posts (id int);',
      'meta/_journal.json': JSON.stringify({ entries: [{ idx: 1, tag: '0000_zany_hulk' }, { idx: 0, tag: '0001_alpha' }] }),
    });
    expect(readMigrationsDir(dir).map((s) => s.name)).toEqual(['0001_alpha.sql', '0000_zany_hulk.sql']);
  });
  it('says when the folder is missing or holds no SQL', () => {
    expect(() => readMigrationsDir('/nonexistent/migrations')).toThrow(/migrations directory not found/);
    expect(() => readMigrationsDir(folder({ 'README.md': '#' }))).toThrow(/no \*\.sql migrations/);
  });
});

describe('choosePgBackend', () => {
  it('prefers an explicit URL, then TDD_FAST_PG_URL, then DATABASE_URL, else PGlite; TDD_FAST_PG_BACKEND forces one', () => {
    expect(choosePgBackend('postgresql://a@h/db', {})).toMatchObject({ backend: 'postgres', url: 'postgresql://a@h/db', reason: 'server from connectionString option' });
    expect(choosePgBackend(undefined, { TDD_FAST_PG_URL: 'postgresql://t@h/db', DATABASE_URL: 'postgresql://d@h/db' })).toMatchObject({
      url: 'postgresql://t@h/db',
      reason: 'server from env TDD_FAST_PG_URL',
    });
    expect(choosePgBackend(undefined, { DATABASE_URL: 'postgresql://d@h/db' })).toMatchObject({ backend: 'postgres', reason: 'server from env DATABASE_URL' });
    expect(choosePgBackend(undefined, {})).toMatchObject({ backend: 'pglite', url: null });
    expect(choosePgBackend(undefined, { DATABASE_URL: 'postgresql://d@h/db', TDD_FAST_PG_BACKEND: 'pglite' })).toMatchObject({ backend: 'pglite' });
  });
  it('doctor prints the backend and why', () => {
    const lines = describeDoctor(tempDir(), { TDD_FAST_PG_URL: 'postgresql://alice:pw@db.example:6543/app' });
    const backend = lines.find((l) => l.name === 'PostgreSQL backend');
    expect(backend).toEqual({ name: 'PostgreSQL backend', value: 'PostgresTemplate (db.example:6543 as alice (database app))', reason: 'server from env TDD_FAST_PG_URL' });
    expect(JSON.stringify(lines)).not.toContain(':pw@');
    const embedded = describeDoctor(tempDir(), {}).find((l) => l.name === 'PostgreSQL backend');
    expect(embedded?.value).toBe('PgliteTemplate (embedded)');
  });
});

describe('PerfReporter time split', () => {
  it('splits each test with a database fixture into database time and body time', () => {
    const reporter = new PerfReporter({ historyPath: path.join(tempDir(), 'h.sqlite'), console: false });
    reporter.onInit({ config: { root: '/project' }, logger: { log() {} } });
    reporter.onTestRunStart();
    const tests = [
      { name: 'slow db', duration: 60, db: { backend: 'postgres', mode: 'fresh', acquireMs: 45, releaseMs: 1 } },
      { name: 'slow body', duration: 80, db: { backend: 'postgres', mode: 'fresh', acquireMs: 0.5, releaseMs: 0.5 } },
      { name: 'no db', duration: 5, db: undefined },
    ];
    for (const t of tests) {
      reporter.onTestCaseResult({
        name: t.name,
        fullName: t.name,
        module: { moduleId: '/project/test/a.test.ts' },
        result: () => ({ state: 'passed' }),
        diagnostic: () => ({ duration: t.duration, retryCount: 0, repeatCount: 0, heap: undefined }),
        meta: () => (t.db ? { [DB_META_KEY]: t.db } : {}),
      });
    }
    reporter.onTestRunEnd([], [], 'passed');
    const split = reporter.lastTimeSplit;
    expect(split).toMatchObject({ tests: 2, totalMs: 140, databaseMs: 47, bodyMs: 93 });
    expect(split?.slowest[0]).toMatchObject({ testId: 'test/a.test.ts > slow db', databaseMs: 46, bodyMs: 14 });
    expect(split?.perTest.find((t) => t.testId.endsWith('slow body'))).toMatchObject({ databaseMs: 1, bodyMs: 79 });
  });
});

describe('PgliteTemplate (embedded PostgreSQL, no server)', () => {
  it('builds the image once, hands out isolated instances, reuses the image, and names a failing migration', async () => {
    const cacheDir = tempDir();
    const ddl = `CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE);\nINSERT INTO users (email) VALUES ('a@x.io'), ('b@x.io');`;
    const template = await PgliteTemplate.create({ ddl, name: 'lite', cacheDir, poolSize: 1 });
    expect(template.stats()).toMatchObject({ backend: 'pglite', origin: 'built', builds: 1, ready: 1 }); // create() waited for the first instance
    const a = await template.fresh();
    const b = await template.fresh();
    await a.client.query('DELETE FROM users');
    expect((await a.client.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(0);
    expect((await b.client.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(2);
    // Savepoints nest inside a transaction the same way as on a server.
    await withTransaction(b.client, async () => {
      await b.client.query("INSERT INTO users (email) VALUES ('c@x.io')");
      await withTransaction(b.client, async () => {
        await b.client.query("INSERT INTO users (email) VALUES ('a@x.io')"); // unique violation
      }).catch(() => undefined);
    });
    expect((await b.client.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(3);
    a.release();
    b.release();
    await template.close();
    expect(fs.readdirSync(path.join(cacheDir, 'templates')).filter((f) => f.endsWith('.tar'))).toHaveLength(1);

    const again = await PgliteTemplate.create({ ddl, name: 'lite', cacheDir, poolSize: 0 });
    expect(again.stats()).toMatchObject({ origin: 'disk', builds: 0, reuses: 1 });
    await again.close();

    const broken = await PgliteTemplate.create({ ddl: 'CREATE TABLE t (id int);\nCREATE INDEX ON t (nope);', name: 'broken', cacheDir, poolSize: 0 }).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(PgMigrationError);
    expect((broken as PgMigrationError).line).toBe(2);
    expect((broken as Error).message).toMatch(/column "nope" does not exist/);
  }, 300_000);
});

describe('StatementMemory (what the PostgresTemplate warm-up learns)', () => {
  it('keeps only statements EXPLAIN takes, with plain values, counting each client once; the most used come first', () => {
    const memory = new StatementMemory();
    const a = new Set<string>();
    const b = new Set<string>();
    memory.record('SELECT * FROM users WHERE id = $1', [1], a);
    memory.record('SELECT * FROM users WHERE id = $1', [2], a); // same client: still 1
    memory.record('SELECT * FROM users WHERE id = $1', [3], b);
    memory.record({ text: 'UPDATE users SET name = $1', values: ['x'] }, undefined, b);
    memory.record('  with x as (select 1) select * from x', undefined, a);
    for (const skipped of ['BEGIN', 'CREATE TABLE t (n int)', 'SET search_path = x', 'COPY users FROM STDIN', 'CALL p()']) memory.record(skipped, undefined, a);
    memory.record('INSERT INTO files (data) VALUES ($1)', [Buffer.from('x')], a); // a value that is not plain
    memory.record({ text: 'SELECT 1', submit: () => undefined }, undefined, a); // a cursor or stream object
    expect(memory.size).toBe(3);
    expect(memory.pick(2).map((s) => [s.text, s.count, s.values])).toEqual([
      ['SELECT * FROM users WHERE id = $1', 2, [1]],
      ['UPDATE users SET name = $1', 1, ['x']],
    ]);
  });

  it('saves atomically, merging with what other workers saved, and ignores a missing or foreign file', () => {
    const file = path.join(tempDir(), 'templates', 'pg-warmup-x.json');
    const one = new StatementMemory();
    one.record('SELECT 1', undefined, new Set());
    one.save(file, 10);
    const two = new StatementMemory();
    two.record('SELECT 2', undefined, new Set());
    two.save(file, 10);
    const loaded = new StatementMemory();
    loaded.load(file);
    expect(loaded.pick(10).map((s) => s.text).sort()).toEqual(['SELECT 1', 'SELECT 2']);
    fs.writeFileSync(file, '{"format":99,"statements":[{"text":"SELECT 3","values":[],"count":1}]}');
    const foreign = new StatementMemory();
    foreign.load(file);
    foreign.load(path.join(tempDir(), 'missing.json'));
    expect(foreign.size).toBe(0);
  });
});
