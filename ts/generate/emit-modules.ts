/**
 * The other modules a recorded test imports (emit.ts): a value the search built from the package's own constructors
 * or factories (search-instances.ts) names its module by a placeholder; here the module under test's placeholder
 * becomes `mod` and the others are handed to imports.ts, which binds them as a person writes them
 * (`import { Point } from './point'`). Titles name such a value by its class alone.
 */
import { MODULE_TOKEN } from './instance-registry';
import type { ModuleImport } from './imports';

/**
 * Where the modules that built recorded arguments are imported from (search-makers.ts): by placeholder, the import
 * specifier from the test file, or null for the module under test itself (reached as `mod`).
 */
export type ModuleSpecifiers = Map<string, string | null>;

/** A title names a built value by its class, not the placeholder of its module. */
export function withoutTokens(text: string): string {
  return text.replace(new RegExp(`${MODULE_TOKEN.source}\\.`, 'g'), '');
}

/** The body's placeholders of the module under test become `mod`; the others stay for imports.ts to bind. */
export function resolveTokens(body: string[], modules: ModuleSpecifiers): { body: string[]; others: ModuleImport[] } {
  const others: ModuleImport[] = [];
  const own = [...modules].filter(([, importPath]) => importPath === null).map(([token]) => token);
  for (const [token, importPath] of modules) if (importPath !== null) others.push({ namespace: token, importPath, ownName: null });
  if (own.length === 0) return { body, others };
  const pattern = new RegExp(own.join('|'), 'g');
  return { body: body.map((line) => line.replace(pattern, 'mod')), others };
}
