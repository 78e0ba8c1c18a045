/**
 * Database-backed code in the search (child side). A module's functions that take a database handle form one
 * sequence target (database-target.ts): its object is a facade over a fresh database from `tdd-fast/testing`'s
 * SQLite template, with each function as a method that passes the handle, so a sequence is "insert, then find /
 * update / delete" on one database, as the emitted test runs it (emit-database.ts).
 *
 * The schema comes from what the project offers, found here at run time: the migrations folder the config names
 * (`testing.migrationsDir`), else an exported function that, given an empty database, creates tables (`migrate(db)`),
 * else an exported string that does (`export const SCHEMA = 'CREATE TABLE ...'`). Each is tried on an empty
 * in-memory database; the first that leaves a table is used.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteTemplate, type SqliteDatabase } from '../testing/sqlite/template';
import { typicalArgs } from './search-args';
import { SHARED, type StepPlan, type TargetSearch } from './search-candidates';
import { searchSequences } from './search-sequences';
import { EXTRA_VIEWS, type View } from './search-values';
import { quote, toCode } from './value-code';
import { clone } from './value-shapes';

/** Where the test file's template gets its schema (the parent writes the template line from it). */
export type DatabaseOrigin =
  | { kind: 'migrations'; dir: string }
  /** `file` exports `name(db)`; `key`: a schema string the same module exports, the image's cache key. */
  | { kind: 'migrate'; file: string; name: string; key?: string }
  | { kind: 'schema'; file: string; name: string };

interface SetupInput {
  root: string;
  migrationsDir: string | null;
  modules: Array<{ file: string; load: () => Promise<Record<string, unknown>> }>;
}

/** A facade maker per module, and the origin its template was built from (null: no schema found, `error` says why). */
export interface DatabaseSetup {
  origin: DatabaseOrigin | null;
  error?: string;
  maker: (mod: Record<string, unknown>, methods: Array<{ name: string; index: number; file?: string }>) => () => object;
}

const ORIGIN = Symbol('tdd-fast.database-origin');
/** Handles opened by facades, closed once far behind (a search opens hundreds; a few recent ones may still run). */
const OPEN: SqliteDatabase[] = [];

function tableNames(db: SqliteDatabase): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
}

/** Whether `apply` builds a schema on an empty database. */
function createsTables(apply: (db: SqliteDatabase) => unknown): boolean {
  const probe = new Database(':memory:');
  try {
    const r = apply(probe);
    return !(r && typeof (r as { then?: unknown }).then === 'function') && tableNames(probe).length > 0;
  } catch {
    return false;
  } finally {
    probe.close();
  }
}

const SQL_SCHEMA = /\bcreate\s+table\b/i;

/** The schema's origin among the candidates: the configured migrations, a migrate function, a schema string. */
async function loadAll(input: SetupInput): Promise<Array<{ file: string; ns: Record<string, unknown> }>> {
  const loaded: Array<{ file: string; ns: Record<string, unknown> }> = [];
  for (const m of input.modules) {
    try {
      loaded.push({ file: m.file, ns: await m.load() });
    } catch {
      // a module that does not load offers no schema and no seeder
    }
  }
  return loaded;
}

type Loaded = Array<{ file: string; ns: Record<string, unknown> }>;
type Found = { origin: DatabaseOrigin; template: SqliteTemplate; migrate?: unknown };
const CACHE_DIR = path.join(os.tmpdir(), 'tdd-fast-search-templates');

/** The exported strings of a module that hold `CREATE TABLE` and build tables on an empty database. */
function schemaStrings(ns: Record<string, unknown>): string[] {
  return Object.keys(ns).filter((k) => typeof ns[k] === 'string' && SQL_SCHEMA.test(ns[k] as string) && createsTables((db) => db.exec(ns[k] as string)));
}

/** An exported function of one parameter that creates tables on an empty database (`migrate(db)`). */
function fromMigrate(loaded: Loaded, root: string): Found | null {
  for (const { file, ns } of loaded) {
    for (const name of Object.keys(ns)) {
      const fn = ns[name];
      if (typeof fn !== 'function' || fn.length !== 1 || /^class\b/.test(Function.prototype.toString.call(fn))) continue;
      if (!createsTables((db) => (fn as (db: SqliteDatabase) => unknown)(db))) continue;
      // The schema string the same module exports keys the image (migrate's source text alone does not change).
      const key = schemaStrings(ns)[0];
      const template = SqliteTemplate.fromSchema({ ddl: '' }, { seed: fn as (db: SqliteDatabase) => void, cacheKey: key ? (ns[key] as string) : undefined, root, cacheDir: CACHE_DIR });
      return { origin: { kind: 'migrate', file, name, ...(key ? { key } : {}) }, template, migrate: fn };
    }
  }
  return null;
}

/** An exported SQL string that creates tables. */
function fromSchemaString(loaded: Loaded, root: string): Found | null {
  for (const { file, ns } of loaded) {
    const name = schemaStrings(ns)[0];
    if (name) return { origin: { kind: 'schema', file, name }, template: SqliteTemplate.fromSchema({ ddl: ns[name] as string }, { root, cacheDir: CACHE_DIR }) };
  }
  return null;
}

/** The schema's origin: the configured migrations, else a migrate function, else a schema string. */
function findOrigin(input: SetupInput, loaded: Loaded): Found | { error: string } {
  if (input.migrationsDir) {
    try {
      const template = SqliteTemplate.fromSchema({ migrationsDir: input.migrationsDir }, { root: input.root, cacheDir: CACHE_DIR });
      return { origin: { kind: 'migrations', dir: input.migrationsDir }, template };
    } catch (error) {
      return { error: `the migrations in ${input.migrationsDir} (testing.migrationsDir) failed: ${String((error as Error)?.message ?? error).split('\n')[0]}` };
    }
  }
  return (
    fromMigrate(loaded, input.root) ??
    fromSchemaString(loaded, input.root) ?? {
      error: 'no schema for its database: set testing.migrationsDir in tdd-fast.config.json, or export a function that takes the database and creates the tables (migrate(db)), or the SQL schema as a string',
    }
  );
}

/** Every table's rows (the facade's state: two sequences that leave the same rows assert the same). */
function tableState(db: SqliteDatabase): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of tableNames(db)) out[t] = db.prepare(`SELECT * FROM "${t.replace(/"/g, '""')}"`).all();
  return out;
}

const MAX_ROWS = 20;

/** What the test asserts of the tables a sequence changed: their rows, or their row count when there are many. */
function tableViews(db: SqliteDatabase, before: Record<string, unknown[]>): View[] {
  const views: View[] = [];
  for (const [table, rows] of Object.entries(tableState(db))) {
    const code = toCode(rows);
    if (code === toCode(before[table] ?? [])) continue;
    const from = /^[A-Za-z_][\w]*$/.test(table) ? table : `"${table.replace(/"/g, '""')}"`;
    if (code !== null && rows.length <= MAX_ROWS && code.length < 4000) views.push({ expr: `db.prepare(${quote(`SELECT * FROM ${from}`)}).all()`, code });
    else views.push({ expr: `db.prepare(${quote(`SELECT COUNT(*) AS n FROM ${from}`)}).get()`, code: `{ n: ${rows.length} }` });
  }
  return views;
}

/** The function a facade method calls: the module's export of that name (an ES module's, or CommonJS's default). */
function exportOf(mod: Record<string, unknown>, name: string): (...a: unknown[]) => unknown {
  const direct = mod[name] ?? (mod.default as Record<string, unknown> | undefined)?.[name];
  if (typeof direct !== 'function') throw new TypeError(`${name} is not a function of the module`);
  return direct as (...a: unknown[]) => unknown;
}

/** Builds the database setup of a module (called once per module by the search file, after the module loaded). */
export async function databaseSetup(input: SetupInput): Promise<DatabaseSetup> {
  const loaded = await loadAll(input);
  const found = findOrigin(input, loaded);
  if ('error' in found) {
    return { origin: null, error: found.error, maker: () => Object.assign(() => { throw new Error(found.error); }, { [ORIGIN]: { error: found.error } }) };
  }
  const { template, origin, migrate } = found;
  const empty = template.fresh();
  const baseline = tableState(empty);
  empty.close();
  const maker = (mod: Record<string, unknown>, methods: Array<{ name: string; index: number; file?: string }>) => {
    const make = (): object => {
      const db = template.fresh();
      OPEN.push(db);
      if (OPEN.length > 32) OPEN.shift()!.close();
      const facade: Record<string | symbol, unknown> = {};
      for (const m of methods) {
        const owner = m.file ? loaded.find((l) => l.file === m.file)?.ns : mod;
        if (!owner) continue;
        const fn = exportOf(owner, m.name);
        // The template already ran the migration: calling it again tests nothing the template does not.
        if (fn === migrate) continue;
        facade[m.name] = (...args: unknown[]) => {
          const all = args.slice();
          while (all.length < m.index) all.push(undefined);
          all.splice(m.index, 0, db);
          return fn(...all);
        };
      }
      Object.defineProperty(facade, 'tables', { enumerable: true, get: () => tableState(db) });
      facade[EXTRA_VIEWS] = () => tableViews(db, baseline);
      return facade;
    };
    return Object.assign(make, { [ORIGIN]: { origin } });
  };
  return { origin, maker };
}

type Maker = (() => object) & { [ORIGIN]?: { origin?: DatabaseOrigin; error?: string } };

/** Total rows of a facade's database (its `tables` state). */
function rowCount(facade: object): number {
  return Object.values((facade as { tables: Record<string, unknown[]> }).tables).reduce((n, rows) => n + rows.length, 0);
}

/**
 * The methods that add rows when called alone on a fresh database, with the arguments that did (typical ones, else
 * the first seed that did): the rows later calls can find.
 */
function inserters(s: TargetSearch, make: () => object): StepPlan[] {
  const out: StepPlan[] = [];
  for (const m of s.methods) {
    const tries = [typicalArgs(m), ...m.seeds.map((seed) => s.seedValues(seed)).filter((v): v is unknown[] => v !== null)].slice(0, 6);
    for (const values of tries) {
      const facade = make();
      try {
        const r = (facade as Record<string, (...a: unknown[]) => unknown>)[m.name](...values.map((v) => clone(v)));
        if (r && typeof (r as { then?: unknown }).then === 'function') break;
      } catch {
        continue;
      }
      if (rowCount(facade) > 0) {
        out.push({ method: m.name, c: m, values });
        break;
      }
    }
  }
  return out;
}

/** What a call gives, as text: its value or its error's message (to compare two runs). */
function outcomeText(run: () => unknown): string {
  try {
    return `= ${toCode(run()) ?? '?'}`;
  } catch (error) {
    return `! ${String((error as Error)?.message ?? error)}`;
  }
}

/** Whether the module's own functions give something else after `seeder` ran (they read the rows it inserts). */
function changesOwnCalls(s: TargetSearch, make: () => object, seeder: StepPlan): boolean {
  for (const m of s.methods.filter((x) => !x.seeder)) {
    const plain = make() as Record<string, (...a: unknown[]) => unknown>;
    const seeded = make() as Record<string, (...a: unknown[]) => unknown>;
    try {
      seeded[seeder.method!](...seeder.values.map((v) => clone(v)));
    } catch {
      return false;
    }
    const found = rowValues(make, [seeder]);
    for (const values of [typicalArgs(m), ...withRowValues(m, found)]) {
      if (outcomeText(() => plain[m.name](...values.map((v) => clone(v)))) !== outcomeText(() => seeded[m.name](...values.map((v) => clone(v))))) return true;
    }
  }
  return false;
}

/** Numbers and strings of the rows the inserters left (ids, emails): the arguments a query finds them by. */
function rowValues(make: () => object, seed: StepPlan[]): unknown[] {
  if (seed.length === 0) return [];
  const facade = make() as Record<string, (...a: unknown[]) => unknown>;
  try {
    for (const st of seed) facade[st.method!](...st.values.map((v) => clone(v)));
  } catch {
    return [];
  }
  const out: unknown[] = [];
  for (const rows of Object.values((facade as unknown as { tables: Record<string, Array<Record<string, unknown>>> }).tables)) {
    for (const row of rows.slice(0, 4)) for (const v of Object.values(row)) if ((typeof v === 'number' || typeof v === 'string') && !out.includes(v)) out.push(v);
  }
  return out.slice(0, 24);
}

/**
 * A function's typical call with one argument set to a value of the inserted rows of the same type, or one more than
 * a number there (a stored quantity and the first that exceeds it); the same again with the first argument set to the
 * first such value (the row's id, where a repository's functions take it first).
 */
function withRowValues(m: StepPlan['c'], found: unknown[]): unknown[][] {
  const near = [...found, ...found.filter((f): f is number => typeof f === 'number').map((n) => n + 1)];
  const variants = (base: unknown[]): unknown[][] =>
    base.flatMap((v, i) =>
      near
        .filter((f) => typeof f === typeof v && f !== v)
        .slice(0, 4)
        .map((x) => base.map((b, j) => (j === i ? x : b))),
    );
  const typical = typicalArgs(m);
  const id = typical.length > 1 ? found.find((f) => typeof f === typeof typical[0]) : undefined;
  const keyed = id === undefined ? [] : variants([id, ...typical.slice(1)]).filter((v) => v[0] === id);
  return [...variants(typical).slice(0, 12), ...keyed.slice(0, 8)];
}

/** Drops the methods `keep` rejects (the array is the search's own list). */
function dropMethods(s: TargetSearch, keep: (m: TargetSearch['methods'][number]) => boolean): void {
  for (let i = s.methods.length - 1; i >= 0; i--) if (!keep(s.methods[i])) s.methods.splice(i, 1);
}

/**
 * The steps that put rows in a fresh database before a call: the module's own inserters and the other modules' that
 * change what the module's functions give (those come first). Other modules' functions not kept are dropped.
 */
function seedingSteps(s: TargetSearch, make: () => object): StepPlan[] {
  const seed = inserters(s, make)
    .filter((st) => !st.c.seeder || changesOwnCalls(s, make, st))
    .sort((a, b) => Number(Boolean(b.c.seeder)) - Number(Boolean(a.c.seeder)));
  dropMethods(s, (m) => !m.seeder || seed.some((st) => st.c === m));
  return seed;
}

/** The inserted rows' values join the pools the mutations draw from (a query's id is one of them). */
function sharePoolValues(found: unknown[]): void {
  for (const v of found) {
    if (typeof v === 'number' && !SHARED.numbers.includes(v)) SHARED.numbers.push(v);
    if (typeof v === 'string' && v.length < 40 && !SHARED.strings.includes(v)) SHARED.strings.push(v);
  }
}

/** Each of the module's functions after the seeding steps, typical and with the inserted rows' values. */
async function afterSeeding(s: TargetSearch, seed: StepPlan[], found: unknown[]): Promise<void> {
  for (const m of s.methods.filter((x) => !x.seeder)) {
    const prefix = seed.filter((st) => st.method !== m.name);
    if (prefix.length === 0) continue;
    for (const values of [typicalArgs(m), ...withRowValues(m, found)]) {
      if (!s.budgetLeft()) return;
      await s.propose([], [...prefix, { method: m.name, c: m, values }]);
    }
  }
  for (const st of seed) {
    if (!s.budgetLeft()) return;
    await s.propose([], [st, st]);
  }
}

/**
 * The search of a database target: each function on its own, then after the functions that insert rows (so a query
 * finds what they inserted, also called with the inserted rows' ids and values), then the sequence search's
 * mutations (search-sequences.ts), whose pools then hold those values too.
 */
export async function searchDatabase(s: TargetSearch): Promise<void> {
  const make = s.runner.init.callee as Maker;
  const tag = make[ORIGIN];
  if (!tag?.origin) {
    s.result.error = tag?.error ?? 'no database';
    return;
  }
  s.result.database = tag.origin;
  // Methods the facade leaves out (the migration the template ran) are not called.
  const facade = make() as Record<string, unknown>;
  dropMethods(s, (m) => typeof facade[m.name] === 'function');
  const seed = seedingSteps(s, make);
  const found = rowValues(make, seed);
  sharePoolValues(found);
  await afterSeeding(s, seed, found);
  await searchSequences(s);
}
