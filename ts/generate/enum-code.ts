/**
 * Arguments written with the enum members their declared types name (search child side). TypeScript does not accept
 * the string `'courier'` where a string enum `Carrier` is declared, even though it is the member's value at run time:
 * the test must say `Carrier.Courier`. The enum is written through the module under test (`mod.Carrier.Courier`,
 * which imports.ts turns into `import { Carrier }`) only when the loaded module exports that enum object with that
 * member, so the emitted import always exists; anywhere else the plain literal stays (the type check decides then).
 *
 * Loaded in the search child: imports nothing heavy.
 */
import type { TypeShape } from './shapes';
import { memberAccess, propertyKey, toCode } from './value-code';

/** The exports of the module being searched (set when it loads). */
let exported: Record<string, unknown> = {};

export function setEnumSource(mod: unknown): void {
  exported = mod !== null && (typeof mod === 'object' || typeof mod === 'function') ? (mod as Record<string, unknown>) : {};
}

const withEnum = new WeakMap<TypeShape, boolean>();

/** Whether an enum appears anywhere in `shape` (most shapes hold none: their arguments are written as before). */
function holdsEnum(shape: TypeShape, depth = 0): boolean {
  if (depth > 6) return false;
  const known = withEnum.get(shape);
  if (known !== undefined) return known;
  let out = false;
  switch (shape.kind) {
    case 'enum':
      out = true;
      break;
    case 'union':
    case 'intersection':
      out = shape.types.some((t) => holdsEnum(t, depth + 1));
      break;
    case 'array':
      out = holdsEnum(shape.element, depth + 1);
      break;
    case 'object':
      out = shape.properties.some((p) => holdsEnum(p.shape, depth + 1));
      break;
  }
  withEnum.set(shape, out);
  return out;
}

/** `mod.Carrier.Courier` when the module exports `Carrier` and its member `Courier` holds `value`. */
function memberCode(value: unknown, shape: Extract<TypeShape, { kind: 'enum' }>): string | null {
  const object = exported[shape.name];
  if (object === null || typeof object !== 'object') return null;
  const member = shape.members.find((m) => Object.is(m.value, value) && Object.is((object as Record<string, unknown>)[m.name], value));
  return member ? `mod${memberAccess(shape.name)}${memberAccess(member.name)}` : null;
}

function typed(value: unknown, shape: TypeShape, depth: number): string | null {
  if (depth > 6 || !holdsEnum(shape)) return toCode(value);
  switch (shape.kind) {
    case 'enum':
      return memberCode(value, shape) ?? toCode(value);
    case 'union': {
      for (const member of shape.types) {
        if (member.kind === 'enum' && member.members.some((m) => Object.is(m.value, value))) return memberCode(value, member) ?? toCode(value);
      }
      const objects = shape.types.filter((t) => t.kind === 'object' || t.kind === 'array');
      return objects.length === 1 ? typed(value, objects[0], depth + 1) : toCode(value);
    }
    case 'array':
      if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype || Object.keys(value).length !== value.length) return toCode(value);
      return joined(value.map((v) => typed(v, shape.element, depth + 1)), (codes) => `[${codes.join(', ')}]`);
    case 'object': {
      if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype || Object.getOwnPropertySymbols(value).length) return toCode(value);
      const parts = Object.keys(value).map((key) => {
        const desc = Object.getOwnPropertyDescriptor(value, key)!;
        if (desc.get || desc.set) return null;
        const prop = shape.properties.find((p) => p.name === key);
        const code = prop ? typed(desc.value, prop.shape, depth + 1) : toCode(desc.value);
        return code === null ? null : `${propertyKey(key)}: ${code}`;
      });
      return joined(parts, (codes) => (codes.length ? `{ ${codes.join(', ')} }` : '{}'));
    }
    default:
      return toCode(value);
  }
}

function joined(parts: Array<string | null>, join: (codes: string[]) => string): string | null {
  return parts.some((p) => p === null) ? null : join(parts as string[]);
}

/** `value` as code for a parameter declared as `shape`: enum members by name where the module exports the enum. */
export function typedCode(value: unknown, shape: TypeShape): string | null {
  return typed(value, shape, 0);
}
