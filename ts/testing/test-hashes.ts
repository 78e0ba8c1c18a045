/**
 * What a test's outcome can depend on, as two hashes the perf reporter stores with every sample:
 * - the test's own source: the lines from its `test(...)` call up to the next test of the same file when vitest
 *   reports locations (`includeTaskLocation`), else the whole test file;
 * - the code it imported: every inlined module of its test file's graph in vitest's module graph (the project's own
 *   sources, setup files included), by content.
 * A pass/fail flip with both hashes unchanged is flakiness; a flip with a hash changed is a code change.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

/** The parts of a Vite module-graph node this module reads (structural, so vitest is never loaded here). */
export interface GraphModule {
  readonly id: string | null;
  readonly file: string | null;
  readonly importedModules: Set<GraphModule>;
}

/** The parts of a vitest project the reporter reads to find a test file's module graph. */
export interface ReportedProject {
  readonly config?: { readonly setupFiles?: readonly string[] };
  readonly vite?: {
    readonly environments?: Record<string, { readonly moduleGraph: { getModuleById(id: string): GraphModule | undefined } }>;
  };
}

function sha(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Hashes of files read during one end-of-run pass (each file read once however many tests import it). */
export class TestHashes {
  private readonly fileText = new Map<string, string | null>();
  private readonly graphHash = new Map<string, string | null>();

  private read(file: string): string | null {
    let text = this.fileText.get(file);
    if (text === undefined) {
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        text = null; // deleted since the run: the hash of its absence
      }
      this.fileText.set(file, text);
    }
    return text;
  }

  /**
   * The hash of one test's own source. `line` is the test's 1-based line when vitest reported it, `nextLine` the line
   * of the next test in the same file (undefined for the last one).
   */
  testSource(file: string, line: number | undefined, nextLine: number | undefined): string | null {
    const text = this.read(file);
    if (text === null) return null;
    if (line === undefined) return sha(text);
    const lines = text.split('\n');
    return sha(lines.slice(line - 1, nextLine === undefined ? lines.length : nextLine - 1).join('\n'));
  }

  /**
   * The hash of what the test file imported, from the module graph of the environment that ran it; null when the
   * graph is not available (another runner, or a pool without Vite's module runner).
   */
  imports(project: ReportedProject | undefined, testFile: string): string | null {
    if (this.graphHash.has(testFile)) return this.graphHash.get(testFile) ?? null;
    const hash = this.computeImports(project, testFile);
    this.graphHash.set(testFile, hash);
    return hash;
  }

  private computeImports(project: ReportedProject | undefined, testFile: string): string | null {
    const environments = project?.vite?.environments;
    if (!environments) return null;
    let root: GraphModule | undefined;
    for (const name of Object.keys(environments)) {
      root = environments[name].moduleGraph.getModuleById(testFile);
      if (root) break;
    }
    if (!root) return null;
    const files = new Set<string>();
    const seen = new Set<GraphModule>();
    const visit = (mod: GraphModule | undefined): void => {
      if (!mod || seen.has(mod)) return;
      seen.add(mod);
      const file = mod.file;
      // vitest's own runtime and installed packages are not the project's code.
      if (!file || file.includes('/node_modules/')) return;
      if (file !== testFile) files.add(file);
      for (const next of mod.importedModules) visit(next);
    };
    visit(root);
    for (const setup of project?.config?.setupFiles ?? []) {
      for (const name of Object.keys(environments)) visit(environments[name].moduleGraph.getModuleById(setup));
    }
    const hash = createHash('sha256');
    for (const file of [...files].sort()) {
      hash.update(file);
      hash.update('\0');
      hash.update(this.read(file) ?? '\u0000missing');
      hash.update('\0');
    }
    return hash.digest('hex').slice(0, 16);
  }
}
