import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteTemplate } from '../../ts/testing/sqlite/template';
import { distTesting, requireBuiltPackage, tempDir, withEnv } from './helpers';

const DDL = `
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL);
CREATE INDEX users_email ON users(email);
`;

function buildLog(cacheDir: string): string[] {
  const file = path.join(cacheDir, 'templates', 'builds.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
}

describe('SqliteTemplate', () => {
  it('builds once, then reuses the persisted image while the DDL is unchanged, and rebuilds after a change', () => {
    const cacheDir = tempDir();
    const first = SqliteTemplate.fromSchema(DDL, { cacheDir, name: 'users' });
    expect(first.stats()).toMatchObject({ builds: 1, reuses: 0, origin: 'built', fastPath: true });
    const again = SqliteTemplate.fromSchema(DDL, { cacheDir, name: 'users' });
    expect(again.stats()).toMatchObject({ builds: 0, reuses: 1 });
    expect(again.hash).toBe(first.hash);
    expect(buildLog(cacheDir)).toHaveLength(1);

    const changed = SqliteTemplate.fromSchema(`${DDL}\nCREATE TABLE posts (id INTEGER PRIMARY KEY);`, { cacheDir, name: 'users' });
    expect(changed.hash).not.toBe(first.hash);
    expect(changed.stats().builds).toBe(1);
    expect(buildLog(cacheDir)).toHaveLength(2);
    const db = changed.fresh();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(['posts', 'users']);
    db.close();
  });

  it('reuses the on-disk image in a new process memory (cleared cache) without rebuilding', () => {
    const cacheDir = tempDir();
    SqliteTemplate.fromSchema(DDL, { cacheDir, name: 'disk' });
    (globalThis as unknown as Record<symbol, unknown>)[Symbol.for('tdd-fast.testing.templates')] = undefined;
    const reloaded = SqliteTemplate.fromSchema(DDL, { cacheDir, name: 'disk' });
    expect(reloaded.stats()).toMatchObject({ origin: 'disk', builds: 0, reuses: 1 });
    expect(buildLog(cacheDir)).toHaveLength(1);
  });

  it('includes the seed function in the cache key and gives every fresh() copy the seed rows, isolated', () => {
    const cacheDir = tempDir();
    const seed = (db: import('better-sqlite3').Database) => {
      const insert = db.prepare('INSERT INTO users (email) VALUES (?)');
      for (let i = 0; i < 3; i++) insert.run(`u${i}@x.io`);
    };
    const seeded = SqliteTemplate.fromSchema(DDL, { cacheDir, seed });
    const unseeded = SqliteTemplate.fromSchema(DDL, { cacheDir });
    expect(seeded.hash).not.toBe(unseeded.hash);
    const a = seeded.fresh();
    const b = seeded.fresh();
    a.prepare('DELETE FROM users').run();
    expect(a.prepare('SELECT COUNT(*) FROM users').pluck().get()).toBe(0);
    expect(b.prepare('SELECT COUNT(*) FROM users').pluck().get()).toBe(3);
    a.close();
    b.close();
    const stats = seeded.stats();
    expect(stats.clones).toBe(2);
    expect(stats.cloneMs.p50).toBeGreaterThan(0);
    expect(stats.cloneMs.p99).toBeGreaterThanOrEqual(stats.cloneMs.p50);
  });

  it('applies a migrations directory in natural order (2 before 10) and keys the cache on file contents', () => {
    const cacheDir = tempDir();
    const dir = tempDir('tdd-fast-migrations-');
    fs.writeFileSync(path.join(dir, '10_add_column.sql'), 'ALTER TABLE items ADD COLUMN price INTEGER;');
    fs.writeFileSync(path.join(dir, '2_items.sql'), 'CREATE TABLE items (id INTEGER PRIMARY KEY);');
    fs.writeFileSync(path.join(dir, 'README.md'), 'not a migration');
    const template = SqliteTemplate.fromSchema(dir, { cacheDir });
    const db = template.fresh();
    expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('items')).toEqual(['id', 'price']);
    db.close();
    fs.writeFileSync(path.join(dir, '11_index.sql'), 'CREATE INDEX items_price ON items(price);');
    const changed = SqliteTemplate.fromSchema({ migrationsDir: dir }, { cacheDir });
    expect(changed.hash).not.toBe(template.hash);
    expect(changed.stats().builds).toBe(1);
  });

  it('never ships a WAL image, even when the seed switches to WAL', () => {
    const cacheDir = tempDir();
    const template = SqliteTemplate.fromSchema(DDL, { cacheDir, seed: (db) => db.pragma('journal_mode = WAL') });
    const image = fs.readFileSync(template.imagePath as string);
    expect([image[18], image[19]]).toEqual([1, 1]);
    const file = path.join(tempDir(), 'copy.sqlite');
    const db = template.freshFile(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    db.close();
  });

  it('reports a broken schema with the failing script name', () => {
    expect(() => SqliteTemplate.fromSchema('CREATE TABLE broken (', { cacheDir: tempDir() })).toThrow(/schema script "ddl" failed/);
  });

  it('reads Prisma and Drizzle migration folders as PostgresTemplate does (one reader for both backends)', () => {
    const write = (root: string, files: Record<string, string>) => {
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
        fs.writeFileSync(path.join(root, name), text);
      }
    };
    const project = tempDir('tdd-fast-sqlite-prisma-');
    write(project, {
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);',
      'prisma/migrations/20240202000000_posts/migration.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));',
      'prisma/migrations/migration_lock.toml': 'provider = "sqlite"',
    });
    const prisma = SqliteTemplate.fromSchema({ migrationsDir: path.join(project, 'prisma', 'migrations') }, { cacheDir: tempDir() });
    expect(prisma.name).toBe('prisma'); // the folder holding migrations/, as PostgresTemplate names it
    const tables = (db: ReturnType<SqliteTemplate['fresh']>) =>
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables(prisma.fresh())).toEqual(['posts', 'users']);

    // Drizzle: the journal's order, not the file names' (a_posts needs b_users first), and its breakpoint comments.
    const drizzle = path.join(tempDir('tdd-fast-sqlite-drizzle-'), 'drizzle');
    write(drizzle, {
      'b_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n--> statement-breakpoint\nCREATE INDEX users_id ON users (id);',
      'a_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER);\nCREATE TRIGGER posts_need_user BEFORE INSERT ON posts BEGIN SELECT RAISE(ABORT, \'no user\') WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id); END;',
      'meta/_journal.json': JSON.stringify({ entries: [{ idx: 0, tag: 'b_users' }, { idx: 1, tag: 'a_posts' }] }),
    });
    const db = SqliteTemplate.fromSchema({ migrationsDir: drizzle }, { cacheDir: tempDir() }).fresh();
    expect(tables(db)).toEqual(['posts', 'users']);
    expect(() => db.prepare('INSERT INTO posts (user_id) VALUES (7)').run()).toThrow('no user');

    // A failing migration names its file in its folder.
    fs.writeFileSync(path.join(drizzle, 'c_broken.sql'), 'CREATE TABLE broken (');
    expect(() => SqliteTemplate.fromSchema({ migrationsDir: drizzle }, { cacheDir: tempDir() })).toThrow(
      `schema script "${path.join(drizzle, 'c_broken.sql')}" failed`,
    );
  });

  it('with TDD_FAST_TESTING=0 replays the DDL per fresh() and writes no cache', () => {
    const cacheDir = tempDir();
    const template = withEnv({ TDD_FAST_TESTING: '0' }, () => SqliteTemplate.fromSchema(DDL, { cacheDir }));
    expect(template.stats()).toMatchObject({ fastPath: false, origin: 'disabled', imageBytes: 0 });
    const db = template.fresh();
    expect(db.prepare('SELECT COUNT(*) FROM users').pluck().get()).toBe(0);
    db.close();
    expect(fs.existsSync(path.join(cacheDir, 'templates'))).toBe(false);
  });

  it('is built exactly once when several processes ask for it at the same time', async () => {
    requireBuiltPackage();
    const cacheDir = tempDir();
    const script = `
      const { SqliteTemplate } = require(${JSON.stringify(distTesting)});
      const t = SqliteTemplate.fromSchema(${JSON.stringify(DDL)}, { cacheDir: ${JSON.stringify(cacheDir)}, name: 'race',
        seed: (db) => { for (let i = 0; i < 20000; i++) db.prepare('INSERT INTO users (email) VALUES (?)').run('u' + i); } });
      const db = t.fresh();
      process.stdout.write(String(db.prepare('SELECT COUNT(*) FROM users').pluck().get()));`;
    const outputs = await Promise.all(
      Array.from({ length: 4 }, () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (chunk) => (out += chunk));
          child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}`))));
        }),
      ),
    );
    expect(outputs).toEqual(['20000', '20000', '20000', '20000']);
    expect(buildLog(cacheDir)).toHaveLength(1);
  });
});
