/**
 * `--function NAME` at run time (child side): the planner keeps only the named function, and the walk of the loaded
 * module (search-discover.ts) must not add the rest of the file back. A found target is kept when it is that function
 * (its full dotted name or its last segment, as the planner matches), or the class of `Class.method` with only that
 * method.
 */
import type { SpecTarget } from './search-runtime';

/** The found target as `--function` scopes it: itself, the class with only the named method, or nothing. */
export function inScope(target: SpecTarget, only: string | null): SpecTarget[] {
  if (!only) return [target];
  if (target.name === only || target.name.split('.').pop() === only) return [target];
  const dot = only.lastIndexOf('.');
  if (target.kind !== 'class' || dot < 0) return [];
  const [owner, method] = [only.slice(0, dot), only.slice(dot + 1)];
  if (target.name !== owner && target.name.split('.').pop() !== owner) return [];
  const methods = (target.methods ?? []).filter((m) => m.name === method);
  return methods.length ? [{ ...target, methods }] : [];
}
