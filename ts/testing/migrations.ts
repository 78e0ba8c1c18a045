/**
 * The one reader of a `migrationsDir`, for every backend (SqliteTemplate, PostgresTemplate, PgliteTemplate): a folder
 * of plain `*.sql` files (natural order), a Prisma `migrations/` folder (`<timestamp>_<name>/migration.sql`), or a
 * Drizzle folder (`drizzle/*.sql`, ordered by its `meta/_journal.json` when present). Each backend applies the
 * scripts its own way (PostgreSQL statement by statement, see pg/split-statements.ts, so a failure names the line).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface MigrationScript {
  /** File path relative to the migrations folder (or `ddl`). */
  name: string;
  sql: string;
}

const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Reads the migrations of a folder in application order; recognises the Prisma and Drizzle layouts. */
export function readMigrationsDir(dir: string): MigrationScript[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`tdd-fast: migrations directory not found: ${dir}`);
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  const scripts: MigrationScript[] = [];
  // Prisma: one folder per migration holding migration.sql (migration_lock.toml beside them).
  const prismaDirs = entries
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort(natural);
  for (const sub of prismaDirs) {
    const name = `${sub}/migration.sql`;
    scripts.push({ name, sql: fs.readFileSync(path.join(dir, name), 'utf8') });
  }
  let files = entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.sql')).map((e) => e.name);
  // Drizzle: meta/_journal.json lists the migrations in order ("entries": [{ "idx", "tag" }]).
  const journal = path.join(dir, 'meta', '_journal.json');
  if (fs.existsSync(journal)) {
    try {
      const parsed = JSON.parse(fs.readFileSync(journal, 'utf8')) as { entries?: { idx: number; tag: string }[] };
      const order = new Map((parsed.entries ?? []).map((e) => [`${e.tag}.sql`, e.idx]));
      files = files.sort((a, b) => (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER) || natural(a, b));
    } catch {
      files = files.sort(natural);
    }
  } else {
    files = files.sort(natural);
  }
  for (const file of files) scripts.push({ name: file, sql: fs.readFileSync(path.join(dir, file), 'utf8') });
  if (scripts.length === 0) throw new Error(`tdd-fast: no *.sql migrations (plain, Prisma or Drizzle layout) in ${dir}`);
  return scripts;
}

/** The default template name of a migrations folder: its name, or its parent's for Prisma's `migrations/` and Drizzle's `drizzle/`. */
export function migrationsName(dir: string): string {
  const name = path.basename(dir);
  return name === 'migrations' || name === 'drizzle' ? path.basename(path.dirname(dir)) || name : name;
}
