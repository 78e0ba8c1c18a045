/**
 * Instances of the types a package declares (its classes, the interfaces its factories return), by type name: what
 * the search puts where a parameter's declared type names one (`tr: Transform`, `price: Money`). The builders come
 * from search-instances.ts (the package's constructors, static factories and functions, found at run time); this
 * module only holds them, so value-shapes.ts (typical values, pools) and fits.ts (does a value fit a declaration) can
 * ask without importing the search.
 *
 * Loaded in the search child and by the planner: imports nothing.
 */

/** Instances of one type, built on first use (a type nobody asks for is never built). */
const BUILDERS = new Map<string, () => object[]>();
const BUILT = new Map<string, object[]>();
/** Which type each instance was built as (a value fits a declared class when it was built for that name). */
const TYPE_OF = new WeakMap<object, string>();

/** The placeholder a built value's code names its module by, until the emitter turns it into an import. */
export function moduleToken(index: number): string {
  return `__tdd_fast_module_${index}__`;
}

/** Matches a module placeholder in emitted code (the index is group 1). */
export const MODULE_TOKEN = /__tdd_fast_module_(\d+)__/g;

export function registerBuilder(type: string, build: () => object[]): void {
  BUILDERS.set(type, build);
  BUILT.delete(type);
}

/** Instances built for `type` (none when no builder knows it, or building it threw). */
export function instancesOf(type: string): object[] {
  const done = BUILT.get(type);
  if (done) return done;
  const build = BUILDERS.get(type);
  if (!build) return [];
  // Set before building: a type whose construction needs itself (a tree node's parent) gets none there.
  BUILT.set(type, []);
  const made = build();
  BUILT.set(type, made);
  return made;
}

/** The type names builders know (for a parameter declared as an unresolved name: is it one of ours?). */
export function knownType(type: string): boolean {
  return BUILDERS.has(type);
}

export function markBuilt(value: object, type: string): void {
  TYPE_OF.set(value, type);
}

/** The type a value was built as, when the search built it for one. */
export function builtType(value: unknown): string | undefined {
  return value !== null && (typeof value === 'object' || typeof value === 'function') ? TYPE_OF.get(value as object) : undefined;
}
