/**
 * One document's analysis: the editor's buffer (never the disk) through the core's entry point for text in memory
 * (`analyzeSource`), with the project's configuration. Buffers the CLI would refuse (too large, binary, not UTF-8) get
 * one reason instead of an analysis; files the CLI would not analyse (ignored) get nothing.
 *
 * While an edit leaves a syntax error the core may recover only part of the file. The functions of the last analysis
 * without errors that end above both the error and the first edited line are unchanged text, so their report is kept
 * (diagnostics, hover and code lens stay) next to the syntax error.
 */
import { fileURLToPath } from 'node:url';

import { analyzeSource } from '../engine/api';
import type { FileReport } from '../engine/types';
import type { AnalysisCache } from './caches';
import type { OpenDocument } from './documents';
import type { ServerSettings } from './settings';
import type { Project, Workspace } from './workspace';

/** The extensions the core analyses (source.rs `language_of`). */
export const SOURCE_FILE = /\.[cm]?[jt]sx?$/i;

export interface DocumentAnalysis {
  uri: string;
  version: number;
  /** Absolute path of the document (its URI is a file: URI). */
  file: string;
  /** Path relative to the project root, as in the CLI's reports. */
  path: string;
  project: Project;
  /** The report; null when the document was not analysed (`skipped` says why, or it is not analysed at all). */
  report: FileReport | null;
  /** Why this buffer gets one diagnostic instead of an analysis, and where. */
  skipped?: { message: string; line: number; character: number };
  /** Functions kept from the last analysis without syntax errors. */
  kept: number;
}

/** The file path of a file: URI, or null for other schemes (untitled buffers, virtual documents). */
export function fileOf(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

/** The 0-based line and character of a string index. */
function positionOf(text: string, index: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, character: index - lineStart };
}

/** The reason the CLI would give for not analysing this text, or undefined. */
function refusal(text: string, settings: ServerSettings): DocumentAnalysis['skipped'] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > settings.maxFileSize) {
    return {
      message: `file is too large to analyse (${bytes} bytes, limit ${settings.maxFileSize} bytes; raise it with the maxFileSize setting, like --max-file-size)`,
      line: 0,
      character: 0,
    };
  }
  const nul = text.indexOf('\0');
  if (nul !== -1) return { message: 'file looks binary (it contains NUL bytes); not analysed', ...positionOf(text, nul) };
  // The editor decoded the bytes: what was not UTF-8 reached us as U+FFFD, the replacement character.
  const replaced = text.indexOf('\uFFFD');
  if (replaced !== -1) {
    return { message: 'file is not valid UTF-8 (the editor shows a replacement character here); not analysed', ...positionOf(text, replaced) };
  }
  return undefined;
}

/** `report` plus the clean report's functions (and their smells) that end on a line <= `limit`. */
function withEarlierFunctions(report: FileReport, clean: FileReport, limit: number): { report: FileReport; kept: number } {
  const present = new Set(report.functions.map((f) => `${f.name}\0${f.line}`));
  const kept = clean.functions.filter((f) => f.endLine <= limit && !present.has(`${f.name}\0${f.line}`));
  if (kept.length === 0) return { report, kept: 0 };
  const names = new Set(kept.map((f) => f.name));
  const smells = clean.smells.filter((s) => s.function !== null && names.has(s.function) && s.endLine <= limit);
  const functions = [...kept, ...report.functions].sort((a, b) => a.line - b.line);
  return { report: { ...report, functions, smells: [...smells, ...report.smells] }, kept: kept.length };
}

export class Analyzer {
  constructor(
    private readonly workspace: Workspace,
    private readonly settings: ServerSettings,
    private readonly cache: AnalysisCache,
  ) {}

  /** Whether the server analyses this document at all (a JS/TS file the project's walk covers). */
  analyses(uri: string): boolean {
    const file = fileOf(uri);
    return file !== null && SOURCE_FILE.test(file) && this.workspace.projectFor(file).covers(file);
  }

  /** The analysis of the document's current version: from the cache, or computed now. */
  current(open: OpenDocument): DocumentAnalysis | null {
    const { uri, version } = open.document;
    const file = fileOf(uri);
    if (file === null || !SOURCE_FILE.test(file)) return null;
    return this.cache.get(uri, version) ?? this.analyze(open, file);
  }

  private analyze(open: OpenDocument, file: string): DocumentAnalysis {
    const { uri, version } = open.document;
    const project = this.workspace.projectFor(file);
    const analysis: DocumentAnalysis = { uri, version, file, path: project.relative(file), project, report: null, kept: 0 };
    const text = open.document.getText();
    analysis.skipped = refusal(text, this.settings);
    if (!analysis.skipped) {
      const report = analyzeSource(text, analysis.path, {
        root: project.root,
        config: project.configJson,
        maxNesting: this.settings.maxNesting,
        fileTimeLimit: this.settings.fileTimeLimit,
      });
      if (report.errors.length === 0) {
        this.cache.setClean(uri, report);
        open.firstChangedLine = Infinity;
        analysis.report = report;
      } else {
        const clean = this.cache.lastClean(uri);
        const errorLine = Math.min(...report.errors.map((e) => e.line));
        // Lines 1..firstChangedLine (1-based) are the clean version's text; the error line itself is not trusted.
        const limit = Math.min(errorLine - 1, open.firstChangedLine);
        const merged = clean ? withEarlierFunctions(report, clean, limit) : { report, kept: 0 };
        analysis.report = merged.report;
        analysis.kept = merged.kept;
      }
    }
    this.cache.set(analysis);
    return analysis;
  }
}
