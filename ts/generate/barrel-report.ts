/**
 * A barrel's functions as the barrel exports them, for static generation (without `--record`): the functions and
 * classes of the files it re-exports from (ES `export { a as b } from`, `export * from`, CommonJS `module.exports =
 * { a: require('./a') }`, the core's `reexports`), each with the export path it has in the barrel, so the plan calls
 * `clamp` through `./index` as a user of the package would, with the facts (types, guards, constants) of the file it
 * is written in. Barrels of barrels are followed a few deep.
 */
import * as path from 'node:path';

import { analyzeFiles } from '../engine/api';
import type { ClassReport, FileReport, FunctionReport, ReExport } from '../engine/types';
import { codeFileOf } from './reexported-files';

const MAX_HOPS = 3;

/** `path` (in the re-exported file) as the barrel exports it through `e`, or null when `e` does not re-export it. */
export function pathThrough(e: ReExport, inner: string[], esm: boolean): string[] | null {
  const prefix = e.name === '*' ? [] : e.name.split('.');
  if (e.imported === '*') {
    // `export * from` leaves the default export out (ES); a CommonJS spread or `Object.assign` takes every key.
    if (esm && e.name === '*' && inner[0] === 'default') return null;
    return [...prefix, ...inner];
  }
  if (inner[0] !== e.imported) return null;
  return [...prefix, ...inner.slice(1)];
}

function moved(fn: FunctionReport, to: string[]): FunctionReport {
  const usage = fn.usage ? { ...fn.usage, defaultExport: to.length === 0 || (to.length === 1 && to[0] === 'default') } : fn.usage;
  return { ...fn, exported: true, exportPath: to, usage };
}

async function reportsOf(files: string[], root: string): Promise<Map<string, FileReport>> {
  if (files.length === 0) return new Map();
  const analysis = await analyzeFiles(files, { root, cache: false, types: true });
  return new Map(analysis.files.map((r) => [path.resolve(root, r.path), r]));
}

/** The functions and classes of one re-exported file, at the paths the barrel gives them. */
function through(e: ReExport, inner: FileReport, esm: boolean): { functions: FunctionReport[]; classes: ClassReport[] } {
  const functions: FunctionReport[] = [];
  for (const fn of inner.functions) {
    const to = fn.exportPath == null ? null : pathThrough(e, fn.exportPath, esm);
    if (to !== null) functions.push(moved(fn, to));
  }
  const classes = (inner.classes ?? []).flatMap((cls) => {
    const to = cls.exportPath == null ? null : pathThrough(e, cls.exportPath, esm);
    return to === null ? [] : [{ ...cls, exportPath: to }];
  });
  return { functions, classes };
}

/** A barrel of barrels: the inner barrel's report as it exports what it re-exports (itself when it is not one). */
async function flattened(inner: FileReport, root: string, hops: number): Promise<FileReport> {
  const ownNone = inner.functions.every((f) => f.exportPath == null);
  if (!ownNone || (inner.reexports ?? []).length === 0) return inner;
  return (await barrelReport(inner, root, hops - 1)) ?? inner;
}

/**
 * The barrel's report with the re-exported functions and classes in place of its own (none), or null when nothing it
 * re-exports is a function of the package.
 */
export async function barrelReport(report: FileReport, root: string, hops = MAX_HOPS): Promise<FileReport | null> {
  const targets = (report.reexports ?? []).map((e) => ({ e, file: codeFileOf(path.resolve(root, e.from)) })).filter((t): t is { e: ReExport; file: string } => t.file !== null);
  if (targets.length === 0 || hops === 0) return null;
  const reports = await reportsOf([...new Set(targets.map((t) => t.file))], root);
  const functions = new Map<string, FunctionReport>();
  const classes: ClassReport[] = [];
  for (const { e, file } of targets) {
    const inner = reports.get(file);
    if (!inner) continue;
    const found = through(e, await flattened(inner, root, hops), report.moduleFormat === 'esm');
    for (const fn of found.functions) if (!functions.has(`${fn.name}\0${fn.exportPath!.join('.')}`)) functions.set(`${fn.name}\0${fn.exportPath!.join('.')}`, fn);
    classes.push(...found.classes);
  }
  if (functions.size === 0) return null;
  return { ...report, functions: [...functions.values()], classes };
}
