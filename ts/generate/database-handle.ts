/**
 * Which parameters take a database handle, by where their declared type comes from (the core's `origin` of an
 * unresolved name: the module it was imported from and its name there), never by the parameter's name: `db: Database`
 * imported from `better-sqlite3` is a handle, a project's own `Database` class is not. The search gives such a
 * parameter a real fresh database (search-database.ts) instead of a value it cannot build.
 *
 * Only better-sqlite3 is known today; a PostgreSQL client (`pg`'s `Client`/`Pool`, PGlite) would be another entry
 * here with its own template (docs/generate.md, "Database handles").
 */
import type { TypeShape } from './shapes';

export type DatabaseKind = 'better-sqlite3';

/** The handle types by package: the name each has in its module (a default import reaches it as `default.Database`). */
const HANDLES: Array<{ kind: DatabaseKind; module: string; names: RegExp }> = [{ kind: 'better-sqlite3', module: 'better-sqlite3', names: /^(default\.)?Database$/ }];

/** The database a parameter of this declared type takes, or null (`Database | undefined` counts, other unions not). */
export function databaseKindOf(shape: TypeShape | null | undefined): DatabaseKind | null {
  if (!shape) return null;
  if (shape.kind === 'union') {
    const rest = shape.types.filter((t) => t.kind !== 'undefined' && t.kind !== 'null');
    return rest.length === 1 ? databaseKindOf(rest[0]) : null;
  }
  if (shape.kind !== 'unresolved' || !shape.origin) return null;
  const { module, name } = shape.origin;
  return HANDLES.find((h) => h.module === module && h.names.test(name))?.kind ?? null;
}

/** The index of the first parameter that takes a database handle, or -1. */
export function databaseParamIndex(params: Array<{ shape: TypeShape; declared?: TypeShape | null }>): number {
  return params.findIndex((p) => databaseKindOf(p.declared ?? p.shape) !== null);
}
