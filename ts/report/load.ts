/**
 * The output formats by name, each formatter's module loaded when that format is used: the CLI formats through
 * this, so a run loads only the formatter it prints with (`--format json` usually none: it prints the native text).
 * `formatters` in ./index is the eager public equivalent, with exactly these names (checked there).
 *
 * Loads with `require`, so it works on the compiled dist/ (CommonJS) only, not on the TypeScript sources under vitest.
 */
import type { AnalysisResult } from '../engine/types';
import { palette } from './colors';
import type { FormatContext, Formatter } from './index';

export type FormatName = 'stylish' | 'json' | 'sarif' | 'github' | 'junit' | 'html';

/* eslint-disable @typescript-eslint/no-require-imports */
const loaders: Record<FormatName, () => Formatter> = {
  stylish: () => (require('./stylish') as typeof import('./stylish')).stylish,
  json: () => (require('./json') as typeof import('./json')).json,
  sarif: () => (require('./sarif') as typeof import('./sarif')).sarif,
  github: () => (require('./github') as typeof import('./github')).github,
  junit: () => (require('./junit') as typeof import('./junit')).junit,
  html: () => (require('./html') as typeof import('./html')).html,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The formats that read only a result's findings (errors, smells, duplicates), its summary and, for stylish's list of
 * the most complex functions with findings, the functions its smells name: they print the core's findings product
 * (engine/findings-report). Stylish with `--functions` lists every function, so it needs the whole result.
 */
export const FINDINGS_FORMATS: ReadonlySet<FormatName> = new Set(['stylish', 'github', 'junit', 'sarif']);

/** The format names, in the order `--format` lists them (the order of `formatters` in ./index). */
export const FORMAT_NAMES = Object.keys(loaders) as FormatName[];

/** `format` from ./index, loading only the named formatter's module. */
export function format(result: AnalysisResult, name: FormatName = 'stylish', context: Partial<FormatContext> = {}): string {
  const load = Object.hasOwn(loaders, name) ? loaders[name] : undefined;
  if (!load) throw new Error(`tdd-fast: unknown format '${String(name)}' (known: ${FORMAT_NAMES.join(', ')})`);
  return load()(result, { palette: palette(false), showFunctions: false, cwd: process.cwd(), ...context });
}
