/**
 * Every emitted TypeScript test file is type-checked before it is written, with the TypeScript compiler API: the
 * project's own `typescript` when it has one (else ours), under the nearest tsconfig with `strict` forced on, in a
 * language service whose only in-memory file is the emitted text (the sources are read from disk). A case (`it`
 * block) holding a diagnostic becomes an `it.todo` naming the first one, so a test that passes an argument the
 * declared type rejects (and throws because of it) is never kept, and the file passes the user's `tsc --noEmit`.
 *
 * One language service per tsconfig and process: the program of the next batch of files reuses every parsed source
 * file, so a generate run parses the project, its libraries and the test framework's declarations once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type * as TS from 'typescript';

import { caseBlocks, caseOfLine, replaceCases } from './case-blocks';
import { repairCase, type CaseProblem } from './emitted-repairs';
import { pruneUnusedImports, unusedImport } from './emitted-unused-imports';
import { ambientFiles, checkOptions, configFor, loadTypescript, packageRoot, type ProjectConfig } from './typecheck-config';

export interface TypeProblem {
  line: number;
  /** 0-based column of the diagnostic's start on its line. */
  column?: number;
  code: number;
  message: string;
  /** Offset and length of what the diagnostic is about. */
  start?: number;
  length?: number;
}

export interface TypecheckedText {
  text: string;
  /** Case ids turned into TODOs, with the first diagnostic of each. */
  dropped: Map<string, string>;
  /** Cases kept because a repair (emitted-repairs.ts) made them type-check. */
  repaired: number;
  /** Diagnostics outside every case (an import that does not resolve): reported once; they drop nothing. */
  problems: TypeProblem[];
  /** Why the file was not checked at all (no `typescript` to load, a tsconfig the compiler cannot read). */
  unchecked?: string;
  /** Wall time of the check (all rounds; a batch's time shared by its files), for the cost report. */
  ms: number;
}

interface Checker {
  ts: typeof TS;
  service: TS.LanguageService;
  /** The emitted files, held in memory (never read from disk: an older generated file may sit there). */
  virtual: Map<string, { text: string; version: number }>;
  roots: string[];
  /**
   * Whether a file that lost cases is checked again: only under `noUnusedLocals`, where an import only a dropped case
   * used becomes an error. Otherwise cases are independent `it` blocks: dropping one cannot make another ill-typed,
   * and a check costs seconds on a large file.
   */
  recheck: boolean;
}

/** Checkers by tsconfig path (by package folder when there is none), for the whole process. */
const checkers = new Map<string, Checker | null>();

/**
 * One document registry per compiler for the whole process: checkers of two tsconfigs (a monorepo's packages) share
 * the parsed declaration files of the libraries both read, when their options allow it.
 */
const registries = new WeakMap<typeof TS, TS.DocumentRegistry>();

function registryOf(ts: typeof TS): TS.DocumentRegistry {
  let registry = registries.get(ts);
  if (!registry) registries.set(ts, (registry = ts.createDocumentRegistry()));
  return registry;
}


function createChecker(ts: typeof TS, config: ProjectConfig | undefined, root: string): Checker {
  const options = checkOptions(ts, config, root);
  // Global declarations of the project; other sources come in through imports.
  const ambient = ambientFiles(config);
  const virtual = new Map<string, { text: string; version: number }>();
  const roots = [...ambient];
  const currentDirectory = config ? path.dirname(config.configFile) : root;
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
  return { ts, service: ts.createLanguageService(host, registryOf(ts)), virtual, roots, recheck: Boolean(options.noUnusedLocals) };
}

function checkerFor(file: string): Checker | null {
  const dir = path.dirname(file);
  const ts = loadTypescript(dir);
  if (!ts) return null;
  const config = configFor(ts, file);
  // a tsconfig the compiler cannot read: no check rather than one under options the user does not have
  if (config === null) return null;
  const key = config ? config.configFile : `\0${packageRoot(dir) ?? dir}`;
  if (!checkers.has(key)) checkers.set(key, createChecker(ts, config, packageRoot(dir) ?? dir));
  return checkers.get(key) ?? null;
}

/** Holds `text` as the file `file` (where it will be written, so its imports resolve from there). */
function hold(checker: Checker, file: string, text: string): void {
  const held = checker.virtual.get(file);
  if (held?.text === text) return;
  checker.virtual.set(file, { text, version: (held?.version ?? 0) + 1 });
  if (!checker.roots.includes(file)) checker.roots.push(file);
}

/** The errors tsc reports for the held file `file`. */
function problemsOf(checker: Checker, file: string): TypeProblem[] {
  const { ts, service } = checker;
  const diagnostics = [...service.getSyntacticDiagnostics(file), ...service.getSemanticDiagnostics(file)];
  const source = service.getProgram()?.getSourceFile(file);
  return diagnostics
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => ({
      line: source && d.start !== undefined ? source.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
      column: source && d.start !== undefined ? source.getLineAndCharacterOfPosition(d.start).character : 0,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\s+/g, ' '),
      start: d.start,
      length: d.length,
    }));
}

/** `TS2345: Argument of type ...`, cut to a readable length. */
export function describeProblem(problem: TypeProblem): string {
  const text = `TS${problem.code}: ${problem.message}`;
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/**
 * Type-checks each emitted `text` as the TypeScript file `file` (where it will be written) and turns every case
 * holding an error into a TODO, until the file checks or the errors left lie outside every case. All files of a call
 * share one program per round (the compiler resolves the test framework's and the sources' types once). A project
 * where the compiler cannot run (no `typescript` to load, a tsconfig it cannot parse) gets its text back unchanged.
 */
export function typecheckEmittedAll(files: Array<{ text: string; file: string }>): TypecheckedText[] {
  const started = performance.now();
  const states: FileState[] = files.map(({ text, file }) => {
    const absolute = path.resolve(file).split(path.sep).join('/');
    const checker = checkerFor(absolute);
    return { file: absolute, checker, text, dropped: new Map<string, string>(), repaired: new Map<string, number>(), problems: [], partial: null, changed: false, done: checker === null };
  });
  for (let round = 0; round < 8 && states.some((st) => !st.done); round++) {
    const pending = states.filter((st) => !st.done);
    // every text first, so the diagnostics of all files come from one program
    for (const st of pending) hold(st.checker!, st.file, st.partial ? onlyCases(st.text, st.partial) : st.text);
    for (const st of pending) checkRound(st);
  }
  const ms = (performance.now() - started) / Math.max(1, files.length);
  return states.map((st) => ({
    text: st.text,
    dropped: st.dropped,
    repaired: [...st.repaired.keys()].filter((id) => !st.dropped.has(id)).length,
    problems: st.problems,
    ms,
    ...(st.checker ? {} : { unchecked: uncheckedWhy(st.file) }),
  }));
}

interface FileState {
  file: string;
  checker: Checker | null;
  text: string;
  dropped: Map<string, string>;
  /** Cases rewritten by a repair (emitted-repairs.ts), with how many repairs each had. */
  repaired: Map<string, number>;
  problems: TypeProblem[];
  /** The cases the next round checks alone (the ones just repaired), or null: the whole file. */
  partial: Set<string> | null;
  /** Whether a case changed since the whole file was last checked (an import only it used may be unused now). */
  changed: boolean;
  done: boolean;
}

/** A case's repairs at most: the second one covers what the first uncovered (an excess argument under a spy). */
const MAX_REPAIRS = 2;

/**
 * `text` with only the cases of `ids` (the describes, imports and helpers around them kept): a repaired case is
 * checked again alone, so a repair costs the check of its own lines, not of the whole file.
 */
function onlyCases(text: string, ids: Set<string>): string {
  const lines = text.split('\n');
  const drop = new Set<number>();
  for (const b of caseBlocks(lines)) if (!ids.has(b.id)) for (let i = b.start; i < b.end; i++) drop.add(i);
  return lines.filter((_, i) => !drop.has(i)).join('\n');
}

/** `text` with the lines of each case of `blocks` (id -> its new lines, marker included) replaced. */
function replaceBlocks(text: string, replacements: Map<string, string[]>): string {
  const lines = text.split('\n');
  for (const b of caseBlocks(lines).filter((b) => replacements.has(b.id)).sort((x, y) => y.start - x.start)) lines.splice(b.start, b.end - b.start, ...replacements.get(b.id)!);
  return lines.join('\n');
}

/** What a case that does not type-check says in its TODO. */
function illTyped(reason: string): string {
  return `the generated code of this case does not type-check (${reason}); write it by hand.`;
}

/**
 * A static TODO with a body (`it.todo(title, () => { // TODO(tdd-fast): why ... the call ... })`, the plan's case
 * the search could not run) whose code does not type-check: its code lines become comments, so its reason and the
 * call stay for the person who writes the test, and the file passes tsc. null for any other case.
 */
function commentedTodo(lines: string[], reason: string): string[] | null {
  const open = lines.findIndex((l) => /^ {2}it\.todo\(.*\(\) => \{$/.test(l));
  const close = lines.lastIndexOf('  });');
  if (open < 0 || close <= open) return null;
  const body = lines.slice(open + 1, close).map((l) => (/^\s*\/\//.test(l) || l.trim() === '' ? l : l.replace(/^(\s*)/, '$1// ')));
  return [...lines.slice(0, open + 1), `    // TODO(tdd-fast): ${illTyped(reason)}`, ...body, ...lines.slice(close)];
}

interface RoundProblems {
  perCase: Map<string, CaseProblem[]>;
  /** Unused imports and helpers (only once a case changed). */
  unused: TypeProblem[];
  outside: TypeProblem[];
}

/** The held text's diagnostics: by case (with their row and column in it), unused imports, the rest. */
function sortProblems(st: FileState, checked: string[], blocks: ReturnType<typeof caseBlocks>): RoundProblems {
  const out: RoundProblems = { perCase: new Map(), unused: [], outside: [] };
  for (const problem of problemsOf(st.checker!, st.file)) {
    const id = caseOfLine(blocks, problem.line);
    const block = id === null ? undefined : blocks.find((b) => b.id === id);
    if (id !== null && block && !st.dropped.has(id)) {
      out.perCase.set(id, [...(out.perCase.get(id) ?? []), { ...problem, row: problem.line - 1 - block.start, column: problem.column ?? 0 }]);
    } else if (st.changed && unusedImport(problem, checked)) out.unused.push(problem);
    else out.outside.push(problem);
  }
  return out;
}

/** Per case holding a diagnostic: its repaired lines, or the reason it becomes a TODO. */
function repairOrDrop(st: FileState, perCase: Map<string, CaseProblem[]>, checked: string[], blocks: ReturnType<typeof caseBlocks>): { hit: Map<string, string>; repairs: Map<string, string[]> } {
  const hit = new Map<string, string>();
  const repairs = new Map<string, string[]>();
  for (const [id, problems] of perCase) {
    const block = blocks.find((b) => b.id === id)!;
    const tries = st.repaired.get(id) ?? 0;
    const fixed = tries < MAX_REPAIRS ? repairCase(checked.slice(block.start, block.end), problems) : null;
    if (fixed) {
      repairs.set(id, fixed);
      st.repaired.set(id, tries + 1);
    } else hit.set(id, describeProblem(problems[0]));
  }
  return { hit, repairs };
}

/**
 * One round on one held file (the whole of it, or only its repaired cases): each case holding a diagnostic is
 * repaired when every diagnostic of it has a repair, else it becomes a TODO; done when no case holds one.
 */
function checkRound(st: FileState): void {
  const partial = st.partial;
  const checked = (partial ? onlyCases(st.text, partial) : st.text).split('\n');
  const blocks = caseBlocks(checked);
  const { perCase, unused, outside } = sortProblems(st, checked, blocks);
  st.partial = null;
  // a file holding only some cases has errors of its own outside them (an import the removed cases used): not the file's
  if (!partial) st.problems = outside;
  // An error outside every case on the first look (an import that does not resolve, `vitest` not installed where the
  // file will be) leaves the types of the cases unknown: their errors are no fault of theirs, nothing is dropped.
  if (!partial && st.dropped.size === 0 && st.repaired.size === 0 && outside.length > 0) {
    st.done = true;
    return;
  }
  const { hit, repairs } = repairOrDrop(st, perCase, checked, blocks);
  // an import only dropped cases used goes too (same offsets: imports precede every case); only on a whole-file check
  const pruned = !partial && unused.length > 0;
  if (pruned) st.text = pruneUnusedImports(st.text, unused);
  for (const [id, reason] of hit) {
    const block = blocks.find((b) => b.id === id)!;
    const kept = commentedTodo(checked.slice(block.start, block.end), reason);
    if (kept) {
      repairs.set(id, kept);
      hit.delete(id);
      st.dropped.set(id, reason);
    }
  }
  st.text = replaceCases(replaceBlocks(st.text, repairs), hit, illTyped);
  for (const [id, reason] of hit) st.dropped.set(id, reason);
  st.changed = hit.size > 0 || repairs.size > 0 || (st.changed && !pruned);
  const recheck = [...repairs.keys()].filter((id) => !st.dropped.has(id));
  if (recheck.length) {
    st.partial = new Set(recheck);
    return;
  }
  // Cases are independent \`it\` blocks: dropping one cannot make another ill-typed. Only under noUnusedLocals is the
  // whole file checked again, for an import that only changed cases used.
  st.done = !(st.checker!.recheck && st.changed && (partial !== null || hit.size > 0));
}

function uncheckedWhy(file: string): string {
  return loadTypescript(path.dirname(file))
    ? 'its tsconfig could not be read by the TypeScript compiler'
    : 'the project has no `typescript` package (`npm install --save-dev typescript`), so cases whose arguments do not fit the declared types may remain in it';
}

/**
 * Builds the program a later check of `files` will need (the test framework's declarations, the module under test
 * and what it imports, parsed and bound), with a stand-in text at each output that imports what the test will:
 * called while the search runs, so the check after it only checks the test file itself.
 */
export function warmTypecheck(files: Array<{ file: string; importPath: string }>): void {
  for (const { file, importPath } of files) {
    const absolute = path.resolve(file).split(path.sep).join('/');
    const checker = checkerFor(absolute);
    // a real test's text is held already: nothing to warm
    if (!checker || checker.virtual.has(absolute)) continue;
    hold(checker, absolute, `import { expect, vi } from 'vitest';\nimport * as mod from ${JSON.stringify(importPath)};\nexpect(mod).toBeDefined();\nvi.fn();\n`);
    checker.service.getSemanticDiagnostics(absolute);
  }
}

/**
 * After edits made after the check (the verify run's TODOs): under `noUnusedLocals`, the imports and the
 * `thrown`/`rejected` helper no case uses any more are removed, so the file still passes the user's `tsc`. Files
 * under other options come back unchanged, unchecked.
 */
export function pruneUnusedAll(files: Array<{ text: string; file: string }>): string[] {
  return files.map(({ text, file }) => {
    const absolute = path.resolve(file).split(path.sep).join('/');
    const checker = checkerFor(absolute);
    if (!checker?.recheck) return text;
    hold(checker, absolute, text);
    const lines = text.split('\n');
    const unused = problemsOf(checker, absolute).filter((p) => unusedImport(p, lines));
    return unused.length ? pruneUnusedImports(text, unused) : text;
  });
}

/** typecheckEmittedAll for one file. */
export function typecheckEmitted(text: string, file: string): TypecheckedText {
  return typecheckEmittedAll([{ text, file }])[0];
}
