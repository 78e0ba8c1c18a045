/**
 * Every emitted TypeScript test file is type-checked before it is written, with the TypeScript compiler API: the
 * project's own `typescript` when it has one (else ours), under the nearest tsconfig with `strict` forced on, in a
 * language service whose only in-memory file is the emitted text (the sources are read from disk). A case (`it`
 * block) holding a diagnostic becomes an `it.todo` naming the first one, so a test that passes an argument the
 * declared type rejects (and throws because of it) is never kept, and the file passes the user's `tsc --noEmit`.
 *
 * One language service per tsconfig and process: the program of the next file (or of the next round on the same
 * file) reuses every parsed source file, so a generate run parses the project once.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import type * as TS from 'typescript';

import { caseBlocks, caseOfLine, replaceCases } from './emitted-check';

export interface TypeProblem {
  line: number;
  code: number;
  message: string;
}

export interface TypecheckedText {
  text: string;
  /** Case ids turned into TODOs, with the first diagnostic of each. */
  dropped: Map<string, string>;
  /** Diagnostics outside every case (imports, helpers): the check says nothing about the cases then; the text is kept. */
  problems: TypeProblem[];
  /** Wall time of the check (all rounds), for the cost report. */
  ms: number;
}

interface Checker {
  ts: typeof TS;
  service: TS.LanguageService;
  /** The emitted files, held in memory (never read from disk: an older generated file may sit there). */
  virtual: Map<string, { text: string; version: number }>;
  roots: string[];
}

/** Checkers by tsconfig path ('' when the project has none), for the whole process. */
const checkers = new Map<string, Checker | null>();

/** Time and files of every check of this process: what the check costs per file (see docs/generate.md). */
export const typecheckCost = { files: 0, ms: 0 };

/** The project's `typescript` (resolved from `dir` up), else the one tdd-fast depends on; null when neither loads. */
function loadTypescript(dir: string): typeof TS | null {
  for (const from of [path.join(dir, 'noop.js'), __filename]) {
    try {
      return createRequire(from)('typescript') as typeof TS;
    } catch {
      // not installed there: try the next
    }
  }
  return null;
}

/** Options of a project without a tsconfig: what a current Vite/vitest project compiles with. */
function defaultOptions(ts: typeof TS): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    esModuleInterop: true,
    resolveJsonModule: true,
    allowJs: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
  };
}

function createChecker(ts: typeof TS, configFile: string | undefined, root: string): Checker | null {
  let options = defaultOptions(ts);
  let ambient: string[] = [];
  if (configFile) {
    const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (!parsed) return null;
    options = parsed.options;
    // Global declarations of the project (`vite-env.d.ts`, `global.d.ts`); other sources come in through imports.
    ambient = parsed.fileNames.filter((f) => /\.d\.[cm]?ts$/.test(f));
  }
  // The user's `tsc --noEmit` under `strict`: nothing is written, no build info is kept.
  options = { ...options, strict: true, noEmit: true, declaration: false, composite: false, incremental: false, tsBuildInfoFile: undefined, emitDeclarationOnly: false };
  const virtual = new Map<string, { text: string; version: number }>();
  const roots = [...ambient];
  const currentDirectory = configFile ? path.dirname(configFile) : root;
  const mtime = (file: string): string => {
    try {
      return String(fs.statSync(file).mtimeMs);
    } catch {
      return '0';
    }
  };
  const host: TS.LanguageServiceHost = {
    getScriptFileNames: () => roots,
    getScriptVersion: (file) => (virtual.has(file) ? String(virtual.get(file)?.version) : mtime(file)),
    getScriptSnapshot: (file) => {
      const held = virtual.get(file);
      if (held) return ts.ScriptSnapshot.fromString(held.text);
      const text = ts.sys.readFile(file);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => currentDirectory,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (file) => virtual.has(file) || ts.sys.fileExists(file),
    readFile: (file, encoding) => virtual.get(file)?.text ?? ts.sys.readFile(file, encoding),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
  };
  return { ts, service: ts.createLanguageService(host, ts.createDocumentRegistry()), virtual, roots };
}

function checkerFor(file: string): Checker | null {
  const root = path.dirname(file);
  const ts = loadTypescript(root);
  if (!ts) return null;
  const configFile = ts.findConfigFile(path.dirname(file), ts.sys.fileExists, 'tsconfig.json');
  const key = `${configFile ?? ''}\0${configFile ? '' : root}`;
  if (!checkers.has(key)) checkers.set(key, createChecker(ts, configFile, root));
  return checkers.get(key) ?? null;
}

/** The errors tsc reports for `text` as the file `file` (its imports resolved from where it will be written). */
function problemsOf(checker: Checker, file: string, text: string): TypeProblem[] {
  const { ts, service, virtual, roots } = checker;
  const held = virtual.get(file);
  virtual.set(file, { text, version: (held?.version ?? 0) + 1 });
  if (!roots.includes(file)) roots.push(file);
  const diagnostics = [...service.getSyntacticDiagnostics(file), ...service.getSemanticDiagnostics(file)];
  const source = service.getProgram()?.getSourceFile(file);
  return diagnostics
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => ({
      line: source && d.start !== undefined ? source.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\s+/g, ' '),
    }));
}

/** `TS2345: Argument of type ...`, cut to a readable length. */
export function describeProblem(problem: TypeProblem): string {
  const text = `TS${problem.code}: ${problem.message}`;
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/**
 * Type-checks `text` as the TypeScript file `file` (where it will be written) and turns every case holding an error
 * into a TODO, until the file checks or the errors left lie outside every case. A project where the compiler cannot
 * run (no `typescript` to load, a tsconfig it cannot parse) gets the text back unchanged.
 */
export function typecheckEmitted(text: string, file: string): TypecheckedText {
  const started = performance.now();
  const absolute = path.resolve(file).split(path.sep).join('/');
  const checker = checkerFor(absolute);
  const dropped = new Map<string, string>();
  let current = text;
  let problems: TypeProblem[] = [];
  if (checker) {
    for (let round = 0; round < 5; round++) {
      problems = problemsOf(checker, absolute, current);
      const hit = new Map<string, string>();
      const outside: TypeProblem[] = [];
      const blocks = caseBlocks(current.split('\n'));
      for (const problem of problems) {
        const id = caseOfLine(blocks, problem.line);
        if (id === null || dropped.has(id)) outside.push(problem);
        else if (!hit.has(id)) hit.set(id, describeProblem(problem));
      }
      if (hit.size === 0) {
        problems = outside;
        break;
      }
      current = replaceCases(current, hit, (reason) => `the generated code of this case does not type-check (${reason}); write it by hand.`);
      for (const [id, reason] of hit) dropped.set(id, reason);
      problems = [];
    }
  }
  const ms = performance.now() - started;
  typecheckCost.files++;
  typecheckCost.ms += ms;
  return { text: current, dropped, problems, ms };
}
