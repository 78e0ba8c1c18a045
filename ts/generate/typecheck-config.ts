/**
 * Which compiler and which options the type check of emitted TypeScript uses (emitted-typecheck.ts), in one place,
 * so what the check accepts is what the user's `tsc --noEmit --strict` accepts: the project's own `typescript`, the
 * tsconfig that governs the test file (the nearest one, within its package), `strict` forced on. A project without a
 * tsconfig gets the options of a current Vite/vitest project (STANDALONE_OPTIONS); bench/generate/measure.mjs writes
 * the same options into the tsconfig its `tsc` runs with, so the bench and the check cannot drift apart.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import type * as TS from 'typescript';

/**
 * tsconfig `compilerOptions` of a project without a tsconfig (as JSON, the form a tsconfig file holds). `types` is
 * added by standaloneTypes: Node's types when the project can resolve them.
 */
export const STANDALONE_OPTIONS = {
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'Bundler',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  esModuleInterop: true,
  resolveJsonModule: true,
  allowJs: true,
  allowImportingTsExtensions: true,
  skipLibCheck: true,
} as const;

/** What the check forces on whatever the project says: the user's `tsc --noEmit --strict`, nothing written. */
export const FORCED_OPTIONS = { strict: true, noEmit: true } as const;

/**
 * `types` of a project without a tsconfig: `['node']` when `@types/node` resolves from `dir` (a test file runs in
 * Node, and vitest's own types reference Node's), else none, so no other `@types` package the folders above happen
 * to hold changes what the test file means.
 */
export function standaloneTypes(dir: string): string[] {
  try {
    createRequire(path.join(dir, 'noop.js')).resolve('@types/node/package.json');
    return ['node'];
  } catch {
    return [];
  }
}

/** The project's `typescript` (resolved from `dir` up), else the one tdd-fast brings; null when neither loads. */
export function loadTypescript(dir: string): typeof TS | null {
  for (const from of [path.join(dir, 'noop.js'), __filename]) {
    try {
      return createRequire(from)('typescript') as typeof TS;
    } catch {
      // not installed there: try the next
    }
  }
  return null;
}

/** Whether `dir` (or a folder above it) can load its own `typescript`, not only the one tdd-fast brings. */
export function hasOwnTypescript(dir: string): boolean {
  try {
    createRequire(path.join(dir, 'noop.js')).resolve('typescript');
    return true;
  } catch {
    return false;
  }
}

/** The nearest folder at or above `dir` holding a package.json (the package the emitted file belongs to), or null. */
export function packageRoot(dir: string): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) return null;
  }
}

function inside(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export interface ProjectConfig {
  configFile: string;
  parsed: TS.ParsedCommandLine;
}

/**
 * The tsconfig that governs `file`: the nearest one up from its folder, when it lies within the file's package or
 * claims the files beside it (a monorepo's shared config). undefined: none (a config further up that does not is some
 * enclosing project's, not the user's: the standalone options apply). null: one the compiler cannot read.
 */
export function configFor(ts: typeof TS, file: string): ProjectConfig | null | undefined {
  const dir = path.dirname(file);
  const configFile = ts.findConfigFile(dir, ts.sys.fileExists, 'tsconfig.json');
  if (!configFile) return undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) return null;
  const pkg = packageRoot(dir);
  if (pkg !== null && !inside(path.dirname(configFile), pkg) && !parsed.fileNames.some((f) => path.dirname(path.resolve(f)) === dir)) return undefined;
  return { configFile, parsed };
}

/** The compiler options of a project without a tsconfig, for the compiler API. */
export function standaloneOptions(ts: typeof TS, dir: string): TS.CompilerOptions {
  const json = { ...STANDALONE_OPTIONS, lib: [...STANDALONE_OPTIONS.lib], types: standaloneTypes(dir) };
  return ts.convertCompilerOptionsFromJson(json, dir).options;
}

/**
 * The options the check runs with: the project's (or the standalone ones), `strict` and `noEmit` on, nothing of a
 * build (declarations, build info) that `--noEmit` would refuse.
 */
export function checkOptions(ts: typeof TS, config: ProjectConfig | undefined, dir: string): TS.CompilerOptions {
  const base = config ? config.parsed.options : standaloneOptions(ts, dir);
  return { ...base, ...FORCED_OPTIONS, declaration: false, composite: false, incremental: false, tsBuildInfoFile: undefined, emitDeclarationOnly: false };
}

/** The project's global declarations (`vite-env.d.ts`, `global.d.ts`): in the program as `tsc -p` has them. */
export function ambientFiles(config: ProjectConfig | undefined): string[] {
  return config ? config.parsed.fileNames.filter((f) => /\.d\.[cm]?ts$/.test(f)) : [];
}
