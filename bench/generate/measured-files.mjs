/**
 * The files whose coverage a package's row reports: its listed sources and the package files their re-exports lead
 * to. A listed barrel (`module.exports = { Heap: require('./heap.js') }`, `export * from './parse'`) is tested through
 * what it re-exports, so those files are measured too; measuring the barrel alone would report its few `require`
 * lines. Files under node_modules are never measured.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const HOPS = 3;
const DECLARATION = /\.d\.([cm]?)ts$/;

/** A re-export's resolved file (project-relative, as the core reports it) as a source inside the package, or null. */
function localFile(root, from) {
  const file = path.resolve(root, from);
  if (file.split(path.sep).includes('node_modules')) return null;
  const declaration = DECLARATION.exec(file);
  // a `.d.ts` stands for the code beside it
  const candidates = declaration
    ? ['js', 'ts'].map((ext) => `${file.slice(0, -declaration[0].length)}.${declaration[1]}${ext}`)
    : [file];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? null;
}

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
        const target = localFile(root, r.from);
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
