/**
 * Findings as LSP diagnostics: the document's syntax errors and smells, and the duplicates of the project's last
 * background scan that touch it (each with the other copies as relatedInformation). The project's baseline hides the
 * findings it already knows, exactly as `tdd-fast analyze` does (ci/baseline.ts), so the editor and CI agree.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

import { applyBaseline } from '../ci/baseline';
import type { AnalysisResult, Duplicate, FileReport, Severity } from '../engine/types';
import { DUPLICATE_CODE, PARSE_ERROR } from '../report/findings';
import type { DocumentAnalysis } from './analysis';
import type { Problem, Project } from './workspace';

export const SOURCE = 'tdd-fast';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** From a 1-based line and column to the end of that line (a finding is marked on its first line, not its whole body). */
function lineRange(document: TextDocument, line: number, column: number, endColumn?: number): Range {
  const at = Math.max(0, Math.min(line - 1, document.lineCount - 1));
  const text = document.getText({ start: { line: at, character: 0 }, end: { line: at + 1, character: 0 } }).replace(/\r?\n$/, '');
  const start = Math.max(0, Math.min(column - 1, text.length));
  const end = endColumn !== undefined && endColumn - 1 > start ? Math.min(endColumn - 1, text.length) : text.length;
  return { start: { line: at, character: start }, end: { line: at, character: Math.max(start, end) } };
}

export function fileUri(project: Project, reportPath: string): string {
  return pathToFileURL(path.join(project.root, reportPath)).toString();
}

/** The report and duplicates of this document that the project's baseline does not know. */
function notInBaseline(analysis: DocumentAnalysis, report: FileReport): { report: FileReport; duplicates: Duplicate[] } {
  const here = analysis.path;
  const duplicates = analysis.project.duplicates.filter((d) => d.locations.some((l) => l.path === here));
  const baseline = analysis.project.baseline;
  if (!baseline) return { report, duplicates };
  const result: AnalysisResult = {
    version: 1,
    files: [report],
    duplicates,
    summary: { files: 1, functions: 0, smells: 0, errors: 0, cache: { hits: 0, misses: 0 }, ms: 0 },
  };
  // A duplicate's baseline entry is filed under its first location, which may be the other file.
  const scope = new Set([here, ...duplicates.flatMap((d) => d.locations.map((l) => l.path))]);
  const filtered = applyBaseline(result, baseline, (p) => scope.has(p)).result;
  return { report: filtered.files[0], duplicates: filtered.duplicates };
}

function duplicateDiagnostics(analysis: DocumentAnalysis, document: TextDocument, duplicates: Duplicate[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const dup of duplicates) {
    for (const location of dup.locations.filter((l) => l.path === analysis.path)) {
      const others = dup.locations.filter((l) => l !== location);
      const relatedInformation: DiagnosticRelatedInformation[] = others.map((o) => ({
        location: {
          uri: fileUri(analysis.project, o.path),
          range: { start: { line: o.line - 1, character: 0 }, end: { line: Math.max(o.line, o.endLine) - 1, character: 0 } },
        },
        message: `the same ${dup.lines} lines in ${o.path}:${o.line}-${o.endLine}`,
      }));
      const where = others.map((o) => `${o.path}:${o.line}-${o.endLine}`).join(', ');
      out.push({
        range: lineRange(document, location.line, 1),
        severity: SEVERITY[dup.severity ?? 'warning'],
        source: SOURCE,
        code: DUPLICATE_CODE,
        message: `${dup.lines} duplicated lines (${dup.tokens} tokens), also at ${where}`,
        relatedInformation,
      });
    }
  }
  return out;
}

/** The diagnostics of one analysed document. */
export function documentDiagnostics(analysis: DocumentAnalysis, document: TextDocument): Diagnostic[] {
  if (analysis.skipped) {
    const { line, character, message } = analysis.skipped;
    return [
      {
        range: { start: { line, character }, end: { line, character: character + 1 } },
        severity: DiagnosticSeverity.Error,
        source: SOURCE,
        code: PARSE_ERROR,
        message,
      },
    ];
  }
  if (!analysis.report) return [];
  const { report, duplicates } = notInBaseline(analysis, analysis.report);
  const out: Diagnostic[] = report.errors.map((error) => ({
    range: lineRange(document, error.line, error.column),
    severity: SEVERITY[error.severity ?? 'error'],
    source: SOURCE,
    code: PARSE_ERROR,
    message: error.message,
  }));
  for (const smell of report.smells) {
    out.push({
      range: lineRange(document, smell.line, smell.column ?? 1, smell.endLine === smell.line ? smell.endColumn : undefined),
      severity: SEVERITY[smell.severity],
      source: SOURCE,
      code: smell.id,
      message: smell.message,
    });
  }
  return [...out, ...duplicateDiagnostics(analysis, document, duplicates)];
}

/**
 * A config or baseline problem as a diagnostic on that file: at the first quoted name of the message (the unknown rule
 * or key) when the file holds it, else on its first line.
 */
export function problemDiagnostic(problem: Problem, fileText: string | undefined): Diagnostic {
  let range: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const name = /"([^"]+)"/.exec(problem.message)?.[1];
  const at = name && fileText ? fileText.indexOf(`"${name}"`) : -1;
  if (at !== -1 && fileText) {
    const before = fileText.slice(0, at);
    const line = before.split('\n').length - 1;
    const character = at - (before.lastIndexOf('\n') + 1);
    range = { start: { line, character }, end: { line, character: character + name!.length + 2 } };
  }
  return { range, severity: DiagnosticSeverity.Error, source: SOURCE, message: problem.message };
}
