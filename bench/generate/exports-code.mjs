/**
 * Which measured source files export code, for the bench's "0-test files" count (issue 22: no file that exports code
 * ends with 0 recorded tests). A file that exports only types, interfaces and constants has nothing a test could
 * call: it is left out of the count and the row says how many were left out. Everything else counts, so a real miss
 * is never hidden:
 * - an exported function or class (the core's `exportPath`);
 * - a barrel (ES `export ... from`, or a CommonJS `module.exports = { a: require('./a') }`) re-exporting a file of
 *   the package that exports code itself (followed a few barrels deep);
 * - a CommonJS, UMD or script file with any function: the core's export recognition is a hint there (a factory, an
 *   IIFE), and the generator walks what the loaded module exports;
 * - a file the generator planned functions for, or wrote a test file for (the caller adds those).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const HOPS = 3;
const DECLARATION = /\.d\.([cm]?)ts$/;

/** The code file of a re-export target (a `.d.ts` stands for the script beside it), or null outside the package. */
function codeFile(resolved) {
  if (resolved.split(path.sep).includes('node_modules')) return null;
  const declaration = DECLARATION.exec(resolved);
  if (!declaration) return fs.existsSync(resolved) ? resolved : null;
  const base = resolved.slice(0, -declaration[0].length);
  return [`${base}.${declaration[1]}js`, `${base}.${declaration[1]}ts`, `${base}.js`, `${base}.ts`].find((c) => fs.existsSync(c)) ?? null;
}

/** Whether the report's own code is exported (without following re-exports). */
function ownCodeExported(report) {
  if (report.functions.some((f) => f.exported || (f.exportPath ?? null) !== null)) return true;
  if ((report.classes ?? []).some((c) => (c.exportPath ?? null) !== null)) return true;
  return report.moduleFormat !== 'esm' && report.functions.length > 0;
}

/**
 * For each file (absolute paths), whether it exports code. `api` is the built package (`analyzeFiles`).
 * @returns {Promise<Map<string, boolean>>}
 */
export async function filesExportingCode(api, files, root) {
  const reports = new Map();
  const analyse = async (list) => {
    const fresh = list.filter((f) => !reports.has(f));
    if (fresh.length === 0) return;
    const analysis = await api.analyzeFiles(fresh, { root, cache: false });
    for (const r of analysis.files) reports.set(path.resolve(root, r.path), r);
  };
  await analyse(files);
  // the files barrels re-export from, a few barrels deep
  let frontier = [...reports.values()];
  for (let hop = 0; hop < HOPS && frontier.length; hop++) {
    const next = [...new Set(frontier.flatMap((r) => (r.reexports ?? []).map((e) => codeFile(path.resolve(root, e.from))).filter(Boolean)))].filter((f) => !reports.has(f));
    await analyse(next);
    frontier = next.map((f) => reports.get(f)).filter(Boolean);
  }
  const memo = new Map();
  const exportsCode = (file, depth) => {
    if (memo.has(file)) return memo.get(file);
    const report = reports.get(file);
    memo.set(file, false);
    const answer =
      report !== undefined &&
      (ownCodeExported(report) ||
        (depth < HOPS &&
          (report.reexports ?? []).some((e) => {
            const target = codeFile(path.resolve(root, e.from));
            return target !== null && exportsCode(target, depth + 1);
          })));
    memo.set(file, answer);
    return answer;
  };
  return new Map(files.map((f) => [f, exportsCode(f, 0)]));
}
