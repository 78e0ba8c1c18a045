/**
 * Where a PostgreSQL schema comes from: a DDL string, a folder of plain `*.sql` files (natural order), a Prisma
 * `migrations/` folder (`<timestamp>_<name>/migration.sql`), or a Drizzle folder (`drizzle/*.sql`, ordered by its
 * `meta/_journal.json` when present). Files are split into statements so a failure names the file, the statement and
 * its line.
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

export interface SqlStatement {
  sql: string;
  /** 1-based line of the statement's first character in its file. */
  line: number;
}

/**
 * Splits SQL text into statements at top-level semicolons, skipping those inside quotes ('', "", E'', dollar quotes
 * $tag$...$tag$), comments (--, nested /* *\/) and `BEGIN ATOMIC ... END` bodies. Drizzle's
 * `--> statement-breakpoint` markers are ordinary comments here.
 */
export function splitStatements(text: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let start = 0;
  let i = 0;
  let atomicDepth = 0;
  const n = text.length;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const trimmed = raw.trim();
    if (trimmed && !isOnlyComments(trimmed)) {
      // The line of the statement's first token, after any leading comments.
      let offset = start;
      for (;;) {
        while (offset < end && /\s/.test(text[offset])) offset++;
        if (text.startsWith('--', offset)) {
          const eol = text.indexOf('\n', offset);
          offset = eol < 0 || eol > end ? end : eol + 1;
        } else if (text.startsWith('/*', offset)) {
          const close = text.indexOf('*/', offset + 2);
          offset = close < 0 || close > end ? end : close + 2;
        } else break;
      }
      out.push({ sql: text.slice(offset, end).trim(), line: lineAt(text, offset) });
    }
  };
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') (depth++, (i += 2));
        else if (text[i] === '*' && text[i + 1] === '/') (depth--, (i += 2));
        else i++;
      }
    } else if (c === "'" || c === '"') {
      const escapes = c === "'" && (text[i - 1] === 'E' || text[i - 1] === 'e');
      i++;
      while (i < n) {
        if (escapes && text[i] === '\\') i += 2;
        else if (text[i] === c && text[i + 1] === c) i += 2;
        else if (text[i] === c) {
          i++;
          break;
        } else i++;
      }
    } else if (c === '$' && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
      } else i++;
    } else if (/[A-Za-z]/.test(c) && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
      const word = /^[A-Za-z_]+/.exec(text.slice(i, i + 16))?.[0] ?? c;
      const upper = word.toUpperCase();
      if (upper === 'ATOMIC' && /BEGIN\s+$/i.test(text.slice(Math.max(0, i - 12), i))) atomicDepth++;
      else if (upper === 'END' && atomicDepth > 0 && /^END\s*;/i.test(text.slice(i, i + 8))) atomicDepth--;
      i += word.length;
    } else if (c === ';' && atomicDepth === 0) {
      push(i);
      start = i + 1;
      i++;
    } else {
      i++;
    }
  }
  push(n);
  return out;
}

function isOnlyComments(sql: string): boolean {
  return sql.replace(/--[^\n]*(\n|$)/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim() === '';
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
