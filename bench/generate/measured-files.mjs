/**
 * The files whose coverage a package's row reports: its listed sources and the package files their re-exports lead
 * to. A listed barrel (`module.exports = { Heap: require('./heap.js') }`, `export * from './parse'`) is tested through
 * what it re-exports, so those files are measured too; measuring the barrel alone would report its few `require`
 * lines. Files under node_modules are never measured.
 */
import * as path from 'node:path';
import { codeFile } from './exports-code.mjs';

const HOPS = 3;

/**
 * The listed files (absolute paths) and, up to three hops, the local files their re-exports name, read from the
 * core's report (`reexports`, ES and CommonJS alike, each resolved
 * to a project-relative path). `api` is the built package (`analyzeFiles`).
 * @returns {Promise<string[]>}
 */
export async function measuredFiles(api, files, root) {
  const measured = new Set(files);
  let frontier = files;
  for (let hop = 0; hop < HOPS && frontier.length; hop++) {
    const analysis = await api.analyzeFiles(frontier, { root, cache: false });
    const next = [];
    for (const report of analysis.files) {
      for (const r of report.reexports ?? []) {
        const target = codeFile(path.resolve(root, r.from));
        if (target && !measured.has(target)) {
          measured.add(target);
          next.push(target);
        }
      }
    }
    frontier = next;
  }
  return [...measured];
}
