/**
 * The module's object vocabulary (child side): the object shapes its functions read from their parameters
 * (`intersects(a, b)` reads `a.minX`, `a.maxY`, ...), as values for the parameters nothing types. In JavaScript the
 * data flows between the functions of a module: `tree.insert(item)` says nothing of `item`, but the module's helpers
 * that read `item.minX` say what an item is. An untyped parameter gets these objects in its pool (and arrays of them),
 * besides strings and numbers: a random value would almost never have the four keys a spatial index compares.
 * Reset per module, like the shared pools of search-candidates.ts.
 */
import type { TypeShape } from './shapes';
import type { SpecFact } from './search-runtime';
import { IDENT } from './value-code';
import { typicalOf, untyped } from './value-shapes';

type ObjectShape = Extract<TypeShape, { kind: 'object'; properties: unknown }>;

/** Shapes of this many properties at least (one key is rarely a record the module passes around). */
const MIN_KEYS = 2;
/** Distinct shapes kept per module, the largest first. */
const MAX_SHAPES = 6;

const VOCABULARY: { shapes: ObjectShape[] } = { shapes: [] };

function objectShapes(shape: TypeShape, out: ObjectShape[], depth = 0): void {
  if (depth > 3) return;
  if (shape.kind === 'object' && 'properties' in shape) {
    if (shape.properties.length >= MIN_KEYS && shape.properties.every((p) => IDENT.test(p.name))) out.push(shape);
    for (const p of shape.properties) objectShapes(p.shape, out, depth + 1);
  } else if (shape.kind === 'array') objectShapes(shape.element, out, depth + 1);
  else if (shape.kind === 'union') for (const t of shape.types) objectShapes(t, out, depth + 1);
}

/** Collects the object shapes the module's functions read from their parameters (call once per loaded module). */
export function setVocabulary(facts: SpecFact[]): void {
  const found: ObjectShape[] = [];
  for (const f of facts) for (const p of f.params) objectShapes(p.shape, found);
  const byKeys = new Map<string, ObjectShape>();
  for (const s of found) {
    const key = s.properties
      .map((p) => p.name)
      .sort()
      .join(',');
    if (!byKeys.has(key)) byKeys.set(key, s);
  }
  // Largest first; a shape whose keys another kept one already holds adds little.
  const sorted = [...byKeys.values()].sort((a, b) => b.properties.length - a.properties.length);
  const kept: ObjectShape[] = [];
  for (const s of sorted) {
    const names = s.properties.map((p) => p.name);
    if (kept.some((k) => names.every((n) => k.properties.some((p) => p.name === n)))) continue;
    if (kept.length < MAX_SHAPES) kept.push(s);
  }
  VOCABULARY.shapes = kept;
}

export function resetVocabulary(): void {
  VOCABULARY.shapes = [];
}

/**
 * Values of one shape: an untyped property (what the reading code compares or adds, most often) as a number, all
 * equal (a point, a zero-width range), then rising by property, then the typical values of the declared types.
 */
function valuesOf(shape: ObjectShape): Array<Record<string, unknown>> {
  const with_ = (value: (t: TypeShape, i: number) => unknown) => Object.fromEntries(shape.properties.map((p, i) => [p.name, value(p.shape, i)]));
  const numeric = (n: (i: number) => number) => with_((t, i) => (untyped(t) ? n(i) : typicalOf(t)));
  return [numeric(() => 1), numeric((i) => i), with_((t) => typicalOf(t))];
}

/** Objects of the module's vocabulary, for the pool of an untyped parameter. */
export function vocabularyObjects(): unknown[] {
  return VOCABULARY.shapes.flatMap((s) => valuesOf(s));
}

/** Elements of the longer array of a shape: enough to fill more than one node of a tree or page of a list. */
const MANY = 12;

/** Arrays of the vocabulary's objects (a few that differ, and many), for an untyped array's pool. */
export function vocabularyArrays(): unknown[] {
  return VOCABULARY.shapes.flatMap((s) => {
    const [point, rising] = valuesOf(s);
    const at = (k: number) => Object.fromEntries(Object.entries(point).map(([name, v]) => [name, typeof v === 'number' ? k : v]));
    return [[point, rising, at(5)], Array.from({ length: MANY }, (_, k) => at(k))];
  });
}
