/**
 * Code actions "Generate tests for <function>" (the innermost function at the cursor) and "Generate tests for this
 * file". They carry the generate command; the server runs it when the client executes it (generation.ts).
 */
import { CodeActionKind, type CodeAction, type Range } from 'vscode-languageserver';

import type { FunctionReport } from '../engine/types';
import type { DocumentAnalysis } from './analysis';
import { canGenerateFor, GENERATE_TESTS, type GenerateTarget } from './commands';

export const GENERATE_FUNCTION_KIND = `${CodeActionKind.Refactor}.generateTests`;
export const GENERATE_FILE_KIND = `${CodeActionKind.Source}.generateTests`;

/** The innermost function whose lines hold `line` (1-based). */
function functionAt(functions: FunctionReport[], line: number): FunctionReport | undefined {
  return functions
    .filter((f) => f.startLine <= line && line <= f.endLine)
    .sort((a, b) => b.startLine - a.startLine || a.endLine - b.endLine)[0];
}

function allowed(kind: string, only: string[] | undefined): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

export function codeActions(analysis: DocumentAnalysis, range: Range, only?: string[]): CodeAction[] {
  if (!canGenerateFor(analysis.file)) return [];
  const actions: CodeAction[] = [];
  const fn = analysis.report ? functionAt(analysis.report.functions, range.start.line + 1) : undefined;
  if (fn && allowed(GENERATE_FUNCTION_KIND, only)) {
    const target: GenerateTarget = { uri: analysis.uri, function: fn.name };
    const title = `Generate tests for ${fn.name}`;
    actions.push({ title, kind: GENERATE_FUNCTION_KIND, command: { title, command: GENERATE_TESTS, arguments: [target] } });
  }
  if (allowed(GENERATE_FILE_KIND, only)) {
    const target: GenerateTarget = { uri: analysis.uri };
    const title = 'Generate tests for this file';
    actions.push({ title, kind: GENERATE_FILE_KIND, command: { title, command: GENERATE_TESTS, arguments: [target] } });
  }
  return actions;
}
