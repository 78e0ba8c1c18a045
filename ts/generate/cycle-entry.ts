/**
 * A module inside an import cycle often loads only when the cycle is entered where the package enters it: mobx's
 * `src/utils/utils.ts` imported first fails with "(0, assign) is not a function", because `../internal` (the barrel
 * that orders every module) is then half-evaluated; imported after `src/mobx.ts` it loads. The project's own tests
 * import the entry, so the search and the test file do too: when the file is in a cycle of relative imports and the
 * package's entry (package.json `source`, `module`/`main` when they name a source, else `src/index.*`, `index.*`,
 * `src/<name>.*`) reaches it, that entry is imported first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importPathFor } from './import-path';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"\n]*)['"]/gm;
/** Files read at most when following imports (a bound on a huge tree). */
const MAX_FILES = 3000;

function resolveRelative(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  // TypeScript's ESM style names the output: `./x.js` for `./x.ts`.
  const stripped = base.replace(/\.(m|c)?js$/, '');
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => stripped + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  for (const c of candidates) {
    try {
      if (fs.statSync(c).isFile()) return c;
    } catch {
      // next
    }
  }
  return null;
}

/** The project files a file imports by relative specifiers (memoised: make one per run, files change between runs). */
export class ImportGraph {
  private readonly edges = new Map<string, string[]>();

  importsOf(file: string): string[] {
    let out = this.edges.get(file);
    if (out) return out;
    out = [];
    if (this.edges.size < MAX_FILES && !file.includes(`${path.sep}node_modules${path.sep}`)) {
      let text = '';
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        text = '';
      }
      for (const m of text.matchAll(SPECIFIER)) {
        const target = resolveRelative(file, m[1]);
        if (target && /\.[cm]?[jt]sx?$/.test(target) && !target.endsWith('.d.ts')) out.push(target);
      }
    }
    this.edges.set(file, out);
    return out;
  }

  /** Whether `to` is reachable from `from`'s imports. */
  reaches(from: string, to: string): boolean {
    const seen = new Set<string>();
    const queue = [...this.importsOf(from)];
    while (queue.length) {
      const next = queue.shift()!;
      if (next === to) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...this.importsOf(next));
    }
    return false;
  }
}

function entryCandidates(root: string): string[] {
  let pkg: { name?: string; source?: string; module?: string; main?: string } = {};
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  } catch {
    pkg = {};
  }
  const named = [pkg.source, pkg.module, pkg.main].filter((p): p is string => typeof p === 'string').map((p) => path.resolve(root, p));
  const stem = (pkg.name ?? '').split('/').pop() ?? '';
  const stems = ['src/index', 'index', 'lib/index', ...(stem ? [`src/${stem}`, stem] : [])];
  return [...named, ...stems.flatMap((s) => EXTENSIONS.map((e) => path.join(root, s + e)))].filter((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

/** The entry to import before `file` (absolute path), or null when the file is in no cycle or no entry reaches it. */
export function cycleEntry(file: string, root: string, graph = new ImportGraph()): string | null {
  const at = path.resolve(file);
  if (!graph.reaches(at, at)) return null;
  return entryCandidates(root).find((entry) => entry !== at && graph.reaches(entry, at)) ?? null;
}

/** The entry as the test file imports it (relative to the output; TypeScript sources without their extension). */
export function entrySpecifier(output: string, entry: string): string {
  return importPathFor(output, entry);
}
