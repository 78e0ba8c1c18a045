/**
 * Parent side of database-backed code: the functions of a module that take a database handle (database-handle.ts)
 * become one sequence target, as a class's methods do. Its "object" is a fresh database from `tdd-fast/testing`'s
 * SQLite template, migrated with what the project offers (search-database.ts finds it at run time); each method is
 * one of the functions with the handle bound, so the sequence search calls `addBook(db, …)` then `findBook(db, …)` on
 * the same database, and the test file does the same (emit-database.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles } from '../engine/api';
import type { FunctionReport } from '../engine/types';
import { databaseParamIndex } from './database-handle';
import { callableSource, searchParams } from './search-facts';
import type { Target } from './search';

/** How a database target's handle is made: the schema's sources the search tries, in order. */
export interface DatabaseSetup {
  /** `testing.migrationsDir` of tdd-fast.config.json (project-relative), when set. */
  migrationsDir: string | null;
  /** Project modules that may export a migrate function or an SQL schema string (absolute paths). */
  modules: string[];
  /** Exported functions of those modules that take a handle (seeders for other modules' sequences). */
  foreign: ForeignMethod[];
}

/**
 * The methods of a database target: the function's name and where the handle goes in its arguments; `file`: a
 * function of another project module (absolute path), offered to seed rows (`addBook` for the loans module).
 */
export interface DatabaseMethod {
  name: string;
  index: number;
  file?: string;
  /** The core's facts of another module's function (the search's parameters and seeds come from them). */
  report?: FunctionReport;
}

/** A function of another module that takes the handle: a possible seeder of the target's sequences. */
export interface ForeignMethod {
  file: string;
  report: FunctionReport;
  index: number;
}

/** Targets with the functions that take a database handle moved into one sequence target (none: unchanged). */
export function withDatabaseTarget(targets: Target[], name: string): Target[] {
  const takes = targets.filter((t) => t.kind === 'function' && t.report && !t.functions[0]?.access.method && databaseParamIndex(t.params) >= 0);
  if (takes.length === 0) return targets;
  const database: Target = { id: 'db', kind: 'class', name, functions: [], accessCodes: ['db'], async: false, params: [], report: null, methods: [], database: [] };
  for (const t of takes) {
    const index = databaseParamIndex(t.params);
    const report = t.report as FunctionReport;
    const without: FunctionReport = { ...report, params: report.params.filter((_, i) => i !== index) };
    database.functions.push(t.functions[0]);
    database.methods.push({ name: t.name, fn: t.functions[0], report: without, params: t.params.filter((_, i) => i !== index) });
    database.database!.push({ name: t.name, index });
  }
  return [...targets.filter((t) => !takes.includes(t)), database];
}

/** The database target in the search file: its access makes the facade over a fresh database (search-database.ts). */
export function databaseTargetSource(t: Target, id: string, typescript: boolean): string {
  const methods = t.methods.map((m) => `{ name: ${JSON.stringify(m.name)}, async: ${m.fn.async}, ${callableSource(m.report, m.params, typescript)} }`);
  for (const f of t.database ?? []) {
    if (f.report) methods.push(`{ name: ${JSON.stringify(f.name)}, async: false, seeder: true, ${callableSource(f.report, searchParams(f.report), typescript)} }`);
  }
  const handles = (t.database ?? []).map((m) => ({ name: m.name, index: m.index, ...(m.file ? { file: m.file } : {}) }));
  const access = `{ code: 'db', get: () => database.maker(mod, ${JSON.stringify(handles)}) }`;
  return `{ id: ${JSON.stringify(id)}, kind: 'class', name: ${JSON.stringify(t.name)}, async: false, typed: ${typescript}, construct: 'call', database: true, access: [${access}], ${callableSource(null, [], typescript)}, methods: [${methods.join(', ')}] }`;
}

/**
 * Adds to a module's database target the functions of other modules that take the handle, as possible seeders
 * (the search keeps those that insert rows: `addBook` before the loans module's `lendBook`).
 */
export function addSeeders(targets: Target[], setup: DatabaseSetup | undefined, file: string): void {
  const t = targets.find((x) => x.database);
  if (!t || !setup) return;
  const taken = new Set(t.database!.map((m) => m.name));
  for (const f of setup.foreign) {
    if (f.file === file || taken.has(f.report.name) || f.report.async) continue;
    taken.add(f.report.name);
    const report: FunctionReport = { ...f.report, params: f.report.params.filter((_, i) => i !== f.index) };
    t.database!.push({ name: f.report.name, index: f.index, file: f.file, report });
  }
}

/** The search file's setup of a module's database, after the module loaded (only when it has a database target). */
export function databaseSetupSource(setup: DatabaseSetup, root: string): string {
  const loads = setup.modules.map((file) => `{ file: ${JSON.stringify(file)}, load: () => import(${JSON.stringify(file)}) }`);
  return `const database = await runtime.databaseSetup({ root: ${JSON.stringify(root)}, migrationsDir: ${JSON.stringify(setup.migrationsDir)}, modules: [${loads.join(', ')}] });`;
}

const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage', 'out', '.git']);
const SOURCE = /\.(?:[cm]?[jt]s|tsx)$/;
const NOT_SOURCE = /\.d\.[cm]?ts$|\.(?:test|spec)\.[cm]?[jt]sx?$|\.tdd-fast-/;

/**
 * Where a schema may come from: `testing.migrationsDir` of the project's config, and the project's modules that
 * mention a table (`CREATE TABLE`) or the driver, nearest to the module first. Only these are loaded and tried at
 * run time; what they export decides (search-database.ts).
 */
export async function databaseSetupFor(root: string, near: string): Promise<DatabaseSetup> {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 6 || found.length >= 200) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full, depth + 1);
      else if (SOURCE.test(e.name) && !NOT_SOURCE.test(e.name)) found.push(full);
    }
  };
  walk(root, 0);
  const mentions = found.filter((file) => {
    try {
      const text = fs.readFileSync(file, 'utf8');
      return /create\s+table/i.test(text) || /['"]better-sqlite3['"]/.test(text);
    } catch {
      return false;
    }
  });
  const distance = (file: string) => path.relative(path.dirname(near), file).split(path.sep).length;
  const modules = mentions.sort((a, b) => distance(a) - distance(b) || a.localeCompare(b)).slice(0, 12);
  return { migrationsDir: configuredMigrations(root), modules, foreign: await foreignMethods(root, modules) };
}

/** The exported top-level functions of `modules` that take a handle, from the core's facts of those files. */
async function foreignMethods(root: string, modules: string[]): Promise<ForeignMethod[]> {
  if (modules.length === 0) return [];
  const out: ForeignMethod[] = [];
  try {
    const analysis = await analyzeFiles(modules, { root, cache: false, types: true });
    for (const report of analysis.files) {
      for (const fn of report.functions) {
        if (!fn.exported || fn.exportPath?.length !== 1 || fn.exportPath[0] !== fn.name) continue;
        const index = databaseParamIndex(searchParams(fn));
        if (index >= 0) out.push({ file: path.resolve(root, report.path), report: fn, index });
      }
    }
  } catch {
    // without the other modules' facts, only the module's own functions seed rows
  }
  return out;
}

function configuredMigrations(root: string): string | null {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(root, 'tdd-fast.config.json'), 'utf8')) as { testing?: { migrationsDir?: unknown } };
    return typeof config.testing?.migrationsDir === 'string' ? config.testing.migrationsDir : null;
  } catch {
    return null;
  }
}
