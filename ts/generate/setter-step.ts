/**
 * A sequence step that sets a property instead of calling a method (`instance.isEnabled = false`): its method name is
 * the property's behind SET_PREFIX (`=isEnabled`), which no method name can be. Shared by the search child (which
 * runs the step), the titles and the emitter (which write it as an assignment); imports nothing.
 */

/** The method name of a step that sets a property (`=isEnabled`: `instance.isEnabled = value`), not a call. */
export const SET_PREFIX = '=';

/** The property a step sets, or null when the step calls a method. */
export function setterOf(method: string | null | undefined): string | null {
  return typeof method === 'string' && method.startsWith(SET_PREFIX) ? method.slice(SET_PREFIX.length) : null;
}
