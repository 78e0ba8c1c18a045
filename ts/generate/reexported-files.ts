/**
 * The files a barrel re-exports from (`export { atom } from './atom/index.js'`, `export * from './map'`), from the
 * core's `reexports`, followed a few barrels deep. A re-exported function is located at run time in its own file
 * (search-locate.ts), so that file's facts are what the search joins it to. The core resolves a specifier to its types
 * when a `.d.ts` sits beside the code; the code itself (`.js` next to the `.d.ts`) is what V8 reports, so that is taken.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { analyzeFiles } from '../engine/api';
import type { FileReport } from '../engine/types';

/** How many barrels of barrels are followed. */
const MAX_HOPS = 3;
const DECLARATION = /\.d\.([cm]?)ts$/;

/** The file holding the code of a resolved re-export target (a declaration file's sibling script), or null. */
export function codeFileOf(resolved: string): string | null {
  if (resolved.split(path.sep).includes('node_modules')) return null;
  const declaration = DECLARATION.exec(resolved);
  if (!declaration) return fs.existsSync(resolved) ? resolved : null;
  const base = resolved.slice(0, -declaration[0].length);
  const candidates = [`${base}.${declaration[1]}js`, `${base}.${declaration[1]}ts`, `${base}.js`, `${base}.ts`];
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

/** The reports of the files the given reports re-export from, outside `known` (absolute path -> report). */
export async function reexportedReports(reports: Map<string, FileReport>, root: string): Promise<Map<string, FileReport>> {
  const found = new Map<string, FileReport>();
  const tried = new Set(reports.keys());
  let frontier = [...reports.values()];
  for (let hop = 0; hop < MAX_HOPS && frontier.length; hop++) {
    const files = [...new Set(frontier.flatMap((r) => (r.reexports ?? []).map((e) => codeFileOf(path.resolve(root, e.from)))))].filter((f): f is string => f !== null && !tried.has(f));
    if (files.length === 0) break;
    files.forEach((f) => tried.add(f));
    try {
      const analysis = await analyzeFiles(files, { root, cache: false, types: true });
      frontier = analysis.files;
      for (const report of analysis.files) found.set(path.resolve(root, report.path), report);
    } catch {
      break;
    }
  }
  return found;
}

/** Whether a module re-exports something of its own package (a barrel: its functions live in other files). */
export function reexportsOwnCode(report: FileReport, root: string): boolean {
  return (report.reexports ?? []).some((e) => codeFileOf(path.resolve(root, e.from)) !== null);
}
