import type { AnalysisResult, Severity } from '../engine/types';
import { palette, type Palette } from './colors';
import { github } from './github';
import { html } from './html';
import { json } from './json';
import { junit } from './junit';
import type { FormatName } from './load';
import { sarif } from './sarif';
import { stylish } from './stylish';

export interface FormatContext {
  palette: Palette;
  /** Stylish output lists every function with its metrics too (`--functions`); off by default: findings only. */
  showFunctions: boolean;
  cwd: string;
  /** The result's findings by severity when the core counted them (the totals line uses them instead of counting). */
  counts?: Record<Severity, number>;
}

/** A formatter is a pure function of the result object (like ESLint formatters and vitest reporters). */
export type Formatter = (result: AnalysisResult, context: FormatContext) => string;

/** Every formatter, loaded. (The CLI goes through ./load instead, which loads only the one it uses: same names, same order.) */
export const formatters = {
  stylish,
  json,
  sarif,
  github,
  junit,
  html,
} satisfies Record<FormatName, Formatter>;

export type FormatterName = keyof typeof formatters;

export function format(result: AnalysisResult, name: FormatterName = 'stylish', context: Partial<FormatContext> = {}): string {
  const formatter: Formatter = formatters[name];
  if (!formatter) throw new Error(`tdd-fast: unknown format '${String(name)}' (known: ${Object.keys(formatters).join(', ')})`);
  return formatter(result, { palette: palette(false), showFunctions: false, cwd: process.cwd(), ...context });
}
