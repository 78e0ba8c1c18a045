import * as path from 'node:path';

import { native } from './native';
import { checkConfig } from './config';
import type { AnalysisResult, AnalyzeOptions, CacheStats, FileReport, Severity } from './types';

export function defaultCacheLocation(root: string): string {
  return path.join(root, 'node_modules', '.cache', 'tdd-fast', 'analysis.bin');
}

function nativeOptions(options: AnalyzeOptions, root: string) {
  const cache = options.cache ?? true;
  return {
    root,
    maxFileSize: options.maxFileSize,
    maxNesting: options.maxNesting,
    fileTimeLimit: options.fileTimeLimit,
    threads: options.threads,
    cache,
    cacheLocation: cache ? path.resolve(root, options.cacheLocation ?? defaultCacheLocation(root)) : undefined,
    profile: options.profile,
    config: configJson(options),
    fingerprints: options.fingerprints,
    types: options.types,
  };
}

/** The configuration as JSON text for the core, validated (throws an Error naming the offending key). */
function configJson(options: AnalyzeOptions): string | undefined {
  if (options.config === undefined) return undefined;
  const json = typeof options.config === 'string' ? options.config : JSON.stringify(options.config);
  checkConfig(json);
  return json;
}

/**
 * Analyses files and folders (walked with .gitignore respected) in the native core, off the JS thread.
 * Paths are resolved against `options.root` (default: the current directory); report paths are relative to it.
 */
export async function analyzeFiles(paths: string[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  return (await analyzeFilesWithText(paths, options)).result;
}

/**
 * `analyzeFiles` plus the JSON text the result was parsed from (compact, as the native core spliced it): the CLI's
 * `--format json` prints that text as is instead of re-serialising a large result. Internal.
 */
export async function analyzeFilesWithText(
  paths: string[],
  options: AnalyzeOptions = {},
): Promise<{ result: AnalysisResult; json: string }> {
  const root = path.resolve(options.root ?? process.cwd());
  const absolute = (paths.length ? paths : ['.']).map((p) => path.resolve(root, p));
  const json = await native().analyzeFilesJson(absolute, nativeOptions(options, root), options.onProgress);
  return { result: JSON.parse(json) as AnalysisResult, json };
}

/**
 * For printing the JSON as is (the CLI's `--format json`): the full JSON text, never parsed, plus `result`, the parsed
 * result without its files (`files` empty; summary, duplicates, warnings and profile intact), and `counts`, the
 * findings by severity over the whole result (what the exit code needs). Parsing a large result costs more than
 * analysing it warm. With `parseFiles`, `result` is the whole result (the counts still the core's). Internal.
 */
export async function analyzeFilesForPrinting(
  paths: string[],
  options: AnalyzeOptions = {},
  how: PrintingMode = {},
): Promise<{ result: AnalysisResult; counts: Record<Severity, number>; json: Buffer }> {
  const root = path.resolve(options.root ?? process.cwd());
  const absolute = (paths.length ? paths : ['.']).map((p) => path.resolve(root, p));
  const findingsOnly = how.findingsOnly ?? false;
  const out = await native().analyzeFilesText(absolute, { ...nativeOptions(options, root), findingsOnly }, options.onProgress);
  // The core counted every finding (file errors, smells, duplicates) at its rule's severity: nothing is counted here.
  const counts: Record<Severity, number> = { error: out.errors, warning: out.warnings, info: out.infos };
  const parseFiles = how.parseFiles || findingsOnly;
  const result = JSON.parse(parseFiles ? out.json.toString('utf8') : out.envelope) as AnalysisResult;
  return { result, counts, json: out.json };
}

/**
 * What `analyzeFilesForPrinting` parses. `parseFiles`: the whole result, not only its envelope. `findingsOnly`: the
 * core's findings product, parsed whole (it is small): each file a `FindingsFileReport` (./findings-report), for a
 * front end that prints findings only; `json` is then that product's text, not the result's.
 */
export interface PrintingMode {
  parseFiles?: boolean;
  findingsOnly?: boolean;
}

/** Analyses source text in memory (synchronously). The filename's extension picks the language. */
export interface AnalyzeSourceOptions extends AnalyzeOptions {
  /**
   * Keep only this function (by its reported name, e.g. `Cart.total`): its report, the smells naming it and the
   * file's syntax errors. Throws, listing the known names, when there is no such function.
   */
  function?: string;
}

export function analyzeSource(code: string, filename = 'input.ts', options: AnalyzeSourceOptions = {}): FileReport {
  const root = path.resolve(options.root ?? process.cwd());
  const json = native().analyzeSourceJson(
    code,
    filename,
    {
      root,
      maxFileSize: options.maxFileSize,
      maxNesting: options.maxNesting,
      fileTimeLimit: options.fileTimeLimit,
      config: configJson(options),
      types: options.types,
      fingerprints: options.fingerprints,
    },
    options.function,
  );
  return JSON.parse(json) as FileReport;
}

/** The version of the native engine (part of every cache key). */
export function nativeVersion(): string {
  return native().nativeVersion();
}

/** Stats of the analysis cache held by this process (hits, misses, evictions, entries, bytes, hit rate). */
export function getCacheStats(): CacheStats {
  const stats = JSON.parse(native().cacheStatsJson()) as Omit<CacheStats, 'hitRate'>;
  const lookups = stats.hits + stats.misses;
  return { ...stats, hitRate: lookups ? stats.hits / lookups : 0 };
}

/** Empties the in-memory analysis cache and deletes its file. */
export function clearCaches(): void {
  native().clearCaches();
}
