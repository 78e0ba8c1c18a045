/**
 * Where the package builds its own types (parent side): for every class, and every named interface a factory
 * returns, that a searched parameter is declared as (`tr: Transform`, `unit: Money`, `shape: Shape`), the ways a user
 * gets one, from the core's static facts: the class's constructor, its static methods and the exported functions
 * whose declared return type is that type. The declaring file of a class comes from the core's class shape (`path`,
 * `exportPath`); a file outside the batch is analysed here for its facts. A maker's own parameters may name more of
 * the package's types (a `Segment` takes `Point`s): those are listed too, a few hops deep.
 *
 * The search child calls the makers (search-instances.ts); the emitter imports what the chosen ones name.
 */
import * as path from 'node:path';

import { analyzeFiles } from '../engine/api';
import type { ClassReport, FileReport, FunctionReport, TypeShape } from '../engine/types';
import { callableSource, factsSource, searchParams } from './search-facts';
import { moduleToken } from './instance-registry';
import { reexportedReports } from './reexported-files';

/** One way to build a value of `type` (see SpecMaker in search-instances.ts). */
export interface Maker {
  type: string;
  file: string;
  path: string[];
  kind: 'new' | 'call';
  fn: FunctionReport | null;
  params: ReturnType<typeof searchParams>;
}

/** The modules makers live in, by index (a value's code names them by `moduleToken(index)`), and the makers. */
export interface Makers {
  modules: string[];
  makers: Maker[];
  /** The core's report of each module (its functions' facts join the methods of what it builds). */
  reports: Map<string, FileReport>;
}

/** How many rounds of "this maker needs another type" are followed. */
const MAX_HOPS = 3;
const MAX_SHAPE_DEPTH = 6;
const TYPE_NAME = /^[A-Za-z_$][\w$]*$/;

/** The named types a shape mentions: classes with their declaring file, and interface/alias names. */
function namedTypes(shape: TypeShape | null | undefined, out: Map<string, string | null>, depth = 0): void {
  if (!shape || depth > MAX_SHAPE_DEPTH) return;
  const name = typeName(shape);
  if (name !== null && !out.get(name)) out.set(name, shape.kind === 'class' ? shape.path : (out.get(name) ?? null));
  for (const part of parts(shape)) namedTypes(part, out, depth + 1);
}

/** The name a shape is declared by (a class, a cut recursion, an interface, an unresolved identifier), or null. */
function typeName(shape: TypeShape): string | null {
  if (shape.kind === 'class' || shape.kind === 'ref') return shape.name;
  if (shape.kind === 'object') return shape.name;
  if (shape.kind === 'unresolved' && TYPE_NAME.test(shape.text)) return shape.text;
  return null;
}

/** The shapes a shape is made of. */
function parts(shape: TypeShape): TypeShape[] {
  switch (shape.kind) {
    case 'object':
      return shape.properties.map((p) => p.shape);
    case 'union':
    case 'intersection':
      return shape.types;
    case 'array':
    case 'set':
      return [shape.element];
    case 'tuple':
      return shape.elements.map((e) => e.shape);
    case 'record':
    case 'map':
    case 'promise':
      return [shape.value];
    default:
      return [];
  }
}

/** The name of the type a function declares it returns, when it is a named one. */
function returnedType(fn: FunctionReport): string | null {
  return fn.returns ? typeName(fn.returns) : null;
}

function staticMethod(cls: ClassReport | undefined, name: string): boolean {
  return Boolean(cls?.methods.some((m) => m.name === name && m.static && !m.private && m.kind === 'method'));
}

/** The makers one file's facts give for the wanted types: static factories first, then constructors, then functions. */
function makersIn(report: FileReport, file: string, wanted: Map<string, string | null>): Maker[] {
  const factories: Maker[] = [];
  const constructors: Maker[] = [];
  const functions: Maker[] = [];
  const classes = new Map((report.classes ?? []).map((c) => [c.name, c]));
  for (const cls of report.classes ?? []) {
    // A private or protected constructor: only the class's own factories build it.
    if (!wanted.has(cls.name) || !cls.exportPath || cls.methods.some((m) => m.kind === 'constructor')) continue;
    const ctor = report.functions.find((f) => f.name === `${cls.name}.constructor`) ?? null;
    constructors.push({ type: cls.name, file, path: cls.exportPath, kind: 'new', fn: ctor, params: ctor ? searchParams(ctor) : cls.constructorParams.map((p) => ({ name: p.name, optional: p.optional || p.defaultValue !== null, rest: p.rest, shape: p.shape ?? { kind: 'any' }, inferred: !p.shape })) });
  }
  for (const fn of report.functions) {
    const type = returnedType(fn);
    if (!type || !wanted.has(type) || !fn.exportPath || fn.async || fn.kind === 'constructor') continue;
    const [owner, member, extra] = fn.name.split('.');
    if (extra !== undefined) continue;
    if (member === undefined) functions.push({ type, file, path: fn.exportPath, kind: 'call', fn, params: searchParams(fn) });
    else if (staticMethod(classes.get(owner), member)) factories.push({ type, file, path: [...fn.exportPath, member], kind: 'call', fn, params: searchParams(fn) });
  }
  return [...factories, ...constructors, ...functions];
}

/**
 * The makers for the types the batch's parameters name. `reports` are the batch's files (absolute path -> report);
 * declaring files of classes outside the batch are analysed here.
 */
export async function findMakers(reports: Map<string, FileReport>, root: string): Promise<Makers> {
  const wanted = new Map<string, string | null>();
  const collect = (report: FileReport) => report.functions.forEach((fn) => fn.params.forEach((p) => namedTypes(p.shape, wanted)));
  reports.forEach(collect);
  // A barrel's functions are located in the files it re-exports from: their facts join them (and may hold makers).
  const reexported = await reexportedReports(reports, root);
  reexported.forEach(collect);
  const all = new Map([...reports, ...reexported]);
  const tried = new Set(all.keys());
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const missing = [...new Set([...wanted.values()].filter((p): p is string => Boolean(p)).map((p) => path.resolve(root, p)))].filter((p) => !tried.has(p));
    if (missing.length === 0) break;
    missing.forEach((p) => tried.add(p));
    try {
      const analysis = await analyzeFiles(missing, { root, cache: false, types: true });
      for (const report of analysis.files) {
        all.set(path.resolve(root, report.path), report);
        // Only what a maker of a wanted type takes is wanted next (not every parameter of the other file).
        for (const maker of makersIn(report, '', wanted)) maker.params.forEach((p) => namedTypes(p.shape, wanted));
      }
    } catch {
      break;
    }
  }
  const modules: string[] = [];
  const makers: Maker[] = [];
  const used = new Map<string, FileReport>();
  for (const [file, report] of all) {
    const found = makersIn(report, file, wanted);
    if (reexported.has(file)) used.set(file, report);
    if (found.length === 0) continue;
    modules.push(file);
    makers.push(...found);
    used.set(file, report);
  }
  return { modules, makers: orderByType(makers), reports: used };
}

/** Makers grouped by type, each type's in the order found (files in batch order). */
function orderByType(makers: Maker[]): Maker[] {
  const types = [...new Set(makers.map((m) => m.type))];
  return types.flatMap((t) => makers.filter((m) => m.type === t));
}

/** The makers as search-spec source text (search-instances.ts reads it). */
export function makersSource(found: Makers, typescript: boolean): string {
  const entries = found.makers.map((m) => {
    const module = found.modules.indexOf(m.file);
    const callable = callableSource(m.fn, m.params, typescript);
    return `{ type: ${JSON.stringify(m.type)}, module: ${module}, file: ${JSON.stringify(m.file)}, path: ${JSON.stringify(m.path)}, kind: ${JSON.stringify(m.kind)}, typed: ${typescript}, name: ${JSON.stringify(m.path.join('.'))}, async: false, load: () => import(${JSON.stringify(m.file)}), ${callable} }`;
  });
  return `[${entries.join(',\n    ')}]`;
}

/** The facts of the makers' modules as search-spec source text (search-discover.ts joins by them too). */
export function moduleFactsSource(found: Makers, typescript: boolean): string {
  const entries = [...found.reports].map(([file, report]) => `{ file: ${JSON.stringify(file)}, facts: ${factsSource(report, typescript)} }`);
  return `[${entries.join(',\n    ')}]`;
}

/** The placeholder of each maker module, for the emitter (token -> absolute path). */
export function moduleTokens(found: Makers): Array<{ token: string; file: string }> {
  return found.modules.map((file, i) => ({ token: moduleToken(i), file }));
}
