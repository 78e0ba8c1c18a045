/**
 * Build-time flags a project declares but nothing defines at run time: `declare const __DEV__: boolean` in a `.d.ts`,
 * replaced by the project's bundler (Babel, Rollup's replace, esbuild's `define`) and by its own test config, which a
 * published package does not ship. Loaded as is, every module that reads one throws "__DEV__ is not defined". The
 * search defines them before it loads the module, and the test file does the same before its imports (`vi.hoisted`).
 *
 * Only names in the `__NAME__` convention of such flags, with a primitive type, are taken: a declared `window` or
 * `chrome` is an environment, never faked. Values: booleans named like a development or test switch (`__DEV__`,
 * `__TEST__`, `__DEBUG__`) are true, as vitest's own `import.meta.env.DEV` is; other booleans false (`__BROWSER__`:
 * the search runs in Node); strings ''; numbers 0.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AmbientGlobal {
  name: string;
  /** The value as code (`true`, `''`, `0`). */
  code: string;
  /** The declaration file, relative to the root (for the test file's comment). */
  from: string;
}

const DECLARATION = /^\s*(?:export\s+)?(?:declare\s+)?(?:const|var|let)\s+(__[A-Za-z0-9_]+__)\s*:\s*(boolean|string|number)\s*[;\n]/gm;
/** Folders besides the file's own and its parents where projects keep global declarations. */
const TYPE_FOLDERS = ['types', 'typings', '@types'];

function valueCode(name: string, type: string): string {
  if (type === 'string') return "''";
  if (type === 'number') return '0';
  return /DEV|TEST|DEBUG/i.test(name) ? 'true' : 'false';
}

/** Declaration files that apply to `file`: in its folder and every folder up to the root, and the root's type folders. */
function declarationFiles(file: string, root: string): string[] {
  const folders: string[] = [];
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    folders.push(dir);
    if (dir === root || !dir.startsWith(root) || path.dirname(dir) === dir) break;
  }
  folders.push(...TYPE_FOLDERS.map((f) => path.join(root, f)));
  const out: string[] = [];
  for (const folder of folders) {
    try {
      for (const name of fs.readdirSync(folder)) if (name.endsWith('.d.ts')) out.push(path.join(folder, name));
    } catch {
      // no such folder
    }
  }
  return out;
}

/** Whether a `declare const X` sits at the top level or in `declare global { ... }` (not in a module's own scope). */
function isGlobalDeclaration(text: string, index: number, line: string): boolean {
  const before = text.slice(0, index);
  const openGlobal = before.lastIndexOf('declare global');
  const isModule = /^\s*(?:import|export)\s/m.test(text);
  if (!isModule) return /\bdeclare\b/.test(line);
  return openGlobal >= 0 && !/^\s*export\s/.test(line);
}

/** The build-time flags the project declares for `file` (nearest declaration first), minus those `defined` sets. */
export function ambientGlobals(file: string, root: string, defined: Iterable<string> = []): AmbientGlobal[] {
  const skip = new Set(defined);
  const out = new Map<string, AmbientGlobal>();
  for (const decl of declarationFiles(file, path.resolve(root))) {
    let text = '';
    try {
      text = fs.readFileSync(decl, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(DECLARATION)) {
      const [line, name, type] = m;
      if (skip.has(name) || out.has(name) || !isGlobalDeclaration(text, m.index ?? 0, line)) continue;
      out.set(name, { name, code: valueCode(name, type), from: path.relative(root, decl).split(path.sep).join('/') });
    }
  }
  return [...out.values()];
}

/** The statement that defines them where they are missing (the search file's load, the test file's `vi.hoisted`). */
export function defineSource(globals: AmbientGlobal[]): string {
  const entries = globals.map((g) => `${g.name}: ${g.code}`).join(', ');
  return `Object.assign(globalThis, { ${entries} })`;
}
