import * as path from 'node:path';

import { native } from './native';
import type { AnalysisResult, AnalyzeOptions, FileReport } from './types';

function nativeOptions(options: AnalyzeOptions, root: string) {
  return { root, maxFileSize: options.maxFileSize, threads: options.threads };
}

/**
 * Analyses files and folders (walked with .gitignore respected) in the native core, off the JS thread.
 * Paths are resolved against `options.root` (default: the current directory); report paths are relative to it.
 */
export async function analyzeFiles(paths: string[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const root = path.resolve(options.root ?? process.cwd());
  const absolute = (paths.length ? paths : ['.']).map((p) => path.resolve(root, p));
  const json = await native().analyzeFilesJson(absolute, nativeOptions(options, root));
  return JSON.parse(json) as AnalysisResult;
}

/** Analyses source text in memory (synchronously). The filename's extension picks the language. */
export function analyzeSource(code: string, filename = 'input.ts', options: AnalyzeOptions = {}): FileReport {
  const root = path.resolve(options.root ?? process.cwd());
  return JSON.parse(native().analyzeSourceJson(code, filename, nativeOptions(options, root))) as FileReport;
}

/** The version of the native engine (part of every cache key). */
export function nativeVersion(): string {
  return native().nativeVersion();
}
