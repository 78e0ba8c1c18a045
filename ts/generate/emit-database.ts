/**
 * Tests of a database target (parent side, emit): one `describe` per module whose functions take a database handle,
 * a fresh database from `tdd-fast/testing`'s SQLite template before each test and closed after it, the recorded calls
 * in sequence on it (`addBook(db, …)` then `findBook(db, …)`), each asserted, then the rows of the tables the sequence
 * changed. The template is built from where the search found the schema (search-database.ts): the configured
 * migrations folder, the project's `migrate(db)`, or its exported schema string.
 */
import * as path from 'node:path';
import type { RenderOptions } from './render';
import type { Target } from './search';
import type { DatabaseOrigin } from './search-database';
import type { FoundTest, Step } from './search-runtime';
import { assertSpies, declareSpies } from './emit-spies';
import { mutatedArguments } from './emit-mutated';
import { quote } from './value-code';
import { importPathFor } from './import-path';

type AssertCall = (call: string, step: Step, indent: string, name: string, typescript: boolean) => string[];

/** The import of a project module from the test file (relative, as importPathFor writes the module under test's). */
function importFrom(options: RenderOptions, file: string): string {
  const dir = options.outputFile ? path.dirname(options.outputFile) : null;
  if (!dir) return options.importPath;
  if (options.typescript) return importPathFor(options.outputFile!, file);
  const relative = path.relative(dir, file).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** Whether `file` is the module under test (its exports are reached through `mod`, rewritten into its imports). */
function isSelf(options: RenderOptions, file: string): boolean {
  return options.outputFile !== undefined && importFrom(options, file) === options.importPath;
}

/** The template's schema argument(s), and the import of the schema's module when it is not the module under test. */
function schemaSource(origin: DatabaseOrigin, options: RenderOptions): { source: string; imports: string[] } {
  if (origin.kind === 'migrations') return { source: `{ migrationsDir: ${quote(origin.dir)} }`, imports: [] };
  const self = isSelf(options, origin.file);
  const key = origin.kind === 'migrate' ? origin.key : undefined;
  const names = key ? [origin.name, key] : [origin.name];
  const imports = self ? [] : [`import { ${names.join(', ')} } from ${quote(importFrom(options, origin.file))};`];
  const ref = (name: string) => (self ? `mod.${name}` : name);
  if (origin.kind === 'schema') return { source: `{ ddl: ${ref(origin.name)} }`, imports };
  return { source: `{ ddl: '' }, { seed: ${ref(origin.name)}${key ? `, cacheKey: ${ref(key)}` : ''} }`, imports };
}

/** The template's declaration and the imports it needs (the schema's module when it is another one). */
export function templateLines(origin: DatabaseOrigin, options: RenderOptions): { imports: string[]; lines: string[] } {
  const testing = options.typescript ? "import { SqliteTemplate, type SqliteDatabase } from 'tdd-fast/testing';" : "import { SqliteTemplate } from 'tdd-fast/testing';";
  const { source, imports } = schemaSource(origin, options);
  const why = origin.kind === 'migrate' ? ` // built once by ${origin.name}(db), cached by ${origin.key ? `${origin.key} and ` : ''}its source text` : '';
  return { imports: [testing, ...imports], lines: ['', `const template = SqliteTemplate.fromSchema(${source});${why}`] };
}

/** A call of a function with the handle put back where it takes it: `mod.addBook(db, { ... })`. */
function callOf(target: Target, method: string | null, args: string[]): string {
  const entry = target.database?.find((m) => m.name === method);
  const index = entry?.index ?? 0;
  const all = args.slice();
  while (all.length < index) all.push('undefined');
  all.splice(index, 0, 'db');
  // Another module's function (a seeder) is imported by name (seederImports); the module's own through `mod`.
  return `${entry?.file ? '' : 'mod.'}${method}(${all.join(', ')})`;
}

/** Imports of the other modules' functions the recorded tests call to seed rows. */
export function seederImports(target: Target, tests: FoundTest[], options: RenderOptions): string[] {
  const used = new Set(tests.flatMap((t) => t.steps.map((s) => s.method)));
  const byFile = new Map<string, string[]>();
  for (const m of target.database ?? []) if (m.file && used.has(m.name)) byFile.set(m.file, [...(byFile.get(m.file) ?? []), m.name]);
  return [...byFile].map(([file, names]) => `import { ${names.sort().join(', ')} } from ${quote(importFrom(options, file))};`);
}

/** One recorded sequence on a fresh database: each call asserted, then the changed tables' rows. */
export function renderDatabaseTest(target: Target, test: FoundTest, at: { ind: string; typescript: boolean; assertCall: AssertCall }): string[] {
  const { ind, typescript, assertCall } = at;
  const [ctor, ...calls] = test.steps;
  if (!ctor || ctor.outcome.kind !== 'returns') return [];
  const out: string[] = [];
  const spies = new Map<string, string>();
  calls.forEach((step, i) => {
    const { args, declare, assert } = mutatedArguments(step, `arg${i}_`, ind);
    out.push(...declare);
    // The callback's parameter type by its place in the function's own parameters (the handle is one of them).
    const handle = target.database?.find((m) => m.name === step.method)?.index ?? 0;
    const position = (index: number) => (index >= handle ? index + 1 : index);
    const foreign = target.database?.find((m) => m.name === step.method)?.file;
    out.push(...declareSpies(test, i, args, { callee: `${foreign ? '' : 'mod.'}${step.method}`, indent: ind, typescript, names: spies, position }));
    out.push(...assertCall(callOf(target, step.method, args), step, ind, `error${i === 0 ? '' : i}`, typescript));
    out.push(...assert);
  });
  out.push(...assertSpies(test, spies, ind));
  for (const view of test.views ?? []) {
    const observer = view.expr.match(/^instance\.([A-Za-z_$][\w$]*)\(\)$/);
    const expr = observer ? callOf(target, observer[1], []) : view.expr;
    if (expr.startsWith('instance')) continue;
    out.push(`${ind}expect(${expr}).${view.code === 'undefined' ? 'toBeUndefined()' : `toStrictEqual(${view.code})`};`);
  }
  return out;
}

/** The `describe` block's own setup: a fresh database before each test, closed after it. */
export function databaseHooks(typescript: boolean): string[] {
  return [`  let db${typescript ? ': SqliteDatabase' : ''};`, '  beforeEach(() => {', '    db = template.fresh();', '  });', '  afterEach(() => db.close());'];
}
