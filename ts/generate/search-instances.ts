/**
 * Values of the package's own types (child side): where a parameter is declared as one of its classes or of the
 * interfaces its factories return (`tr: Transform`, `price: Money`, `shape: Shape`), the search passes what a user
 * would, an object the package itself built. The parent lists the ways in from the core's static facts
 * (search-makers.ts): the class's constructor, its static factories (`Money.of`, `Node.fromJSON`) and exported
 * functions whose declared return type is that type. Here each is reached in its loaded module and called with
 * typical arguments built the same way (a `Segment` needs two `Point`s: built first, to a bounded depth, since a type
 * is not built again while it is being built). What each call returns joins the type's instances
 * (instance-registry.ts), tagged with the code that builds it again (`new Point(3, 3)`, `Money.of(3, 'USD')`) and a
 * fresh-copy factory, so every test gets its own instance.
 *
 * The code names the module through a placeholder (instance-registry.ts `moduleToken`); the emitter turns it into the
 * named import a person writes (`import { Point } from './point'`).
 */
import { argsFor, typicalArgs } from './search-args';
import { markBuilt, moduleToken, registerBuilder } from './instance-registry';
import type { SpecCallable } from './search-runtime';
import { memberAccess, tag } from './value-code';
import { clone, FACTORY, secondOf } from './value-shapes';

/** One way to build a value of `type`: `new` on an export, or a call of an export (a static method: a member of it). */
export interface SpecMaker extends SpecCallable {
  type: string;
  /** Index of the declaring module in the batch's module list (its placeholder in code), and its path. */
  module: number;
  file: string;
  /** Property path from the module's exports to the class or function. */
  path: string[];
  kind: 'new' | 'call';
  /** The test file is TypeScript: only arguments that fit the declarations build an instance. */
  typed: boolean;
  load: () => Promise<Record<string, unknown>>;
}

/** Instances per type at most (the first is the typical one). */
const MAX_PER_TYPE = 4;

/** The export at `path` under the module namespace, or under its CommonJS `default`, with the code that reaches it. */
function reachExport(ns: Record<string, unknown>, path: string[], token: string): { value: unknown; code: string } | null {
  for (const [base, prefix] of [
    [ns, token],
    [ns.default, `${token}.default`],
  ] as const) {
    let value: unknown = base;
    for (const key of path) value = value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'function') return { value, code: prefix + path.map(memberAccess).join('') };
  }
  return null;
}

/** A maker reached in its loaded module. */
interface Reached {
  maker: SpecMaker;
  fn: (...a: unknown[]) => unknown;
  code: string;
  /** The class a `new` maker constructs (a factory's result must be an instance of it when the type has one). */
  ctor: unknown;
}

/** Builds one instance with `values`; null when the arguments cannot be written, do not type-check, or the call throws. */
function buildWith(r: Reached, values: unknown[], klass: unknown): object | null {
  const args = argsFor(r.maker, values);
  if (!args || (r.maker.typed && !args.typed)) return null;
  const code = `${r.maker.kind === 'new' ? 'new ' : ''}${r.code}(${args.codes.join(', ')})`;
  const make = (): unknown => {
    const fresh = args.values.map((v) => clone(v));
    return r.maker.kind === 'new' ? new (r.fn as unknown as new (...a: unknown[]) => unknown)(...fresh) : r.fn(...fresh);
  };
  let first: unknown;
  try {
    first = make();
  } catch {
    return null;
  }
  if (first === null || typeof first !== 'object' || first instanceof Promise) return null;
  if (typeof klass === 'function' && !(first instanceof klass)) return null;
  const register = (value: object): object => {
    tag(value, code);
    markBuilt(value, r.maker.type);
    FACTORY.set(value, () => {
      try {
        return register(make() as object);
      } catch {
        return value;
      }
    });
    return value;
  };
  return register(first);
}

/** The type's instances: each maker once with typical arguments, then with second values, in the makers' order. */
function buildType(reached: Reached[]): object[] {
  const klass = reached.find((r) => r.maker.kind === 'new')?.ctor;
  const out: object[] = [];
  for (const pass of ['typical', 'second'] as const) {
    for (const r of reached) {
      if (out.length >= MAX_PER_TYPE) return out;
      const values = pass === 'typical' ? typicalArgs(r.maker) : r.maker.params.map((p) => (p.optional ? undefined : secondOf(p.shape, 0)));
      const built = buildWith(r, values, klass);
      if (built) out.push(built);
    }
  }
  return out;
}

const LOADED = new Map<string, Promise<Record<string, unknown> | null>>();
let registered = false;

/**
 * Loads the makers' modules (once per process: the module runner's cache gives the same instances the module under
 * test sees) and registers a lazy builder per type. A module that fails to load leaves its makers out.
 */
export async function loadMakers(makers: SpecMaker[]): Promise<void> {
  if (registered) return;
  registered = true;
  const byType = new Map<string, Reached[]>();
  for (const maker of makers) {
    if (!LOADED.has(maker.file)) LOADED.set(maker.file, maker.load().catch(() => null));
    const ns = await LOADED.get(maker.file)!;
    if (!ns) continue;
    const found = reachExport(ns, maker.path, moduleToken(maker.module));
    if (!found) continue;
    const list = byType.get(maker.type) ?? [];
    list.push({ maker, fn: found.value as (...a: unknown[]) => unknown, code: found.code, ctor: maker.kind === 'new' ? found.value : undefined });
    byType.set(maker.type, list);
  }
  for (const [type, reached] of byType) registerBuilder(type, () => buildType(reached));
}
