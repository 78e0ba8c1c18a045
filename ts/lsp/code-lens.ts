/**
 * A code lens on each exported function: "N edge cases · Generate tests" (runs the generate command for it) and, when
 * the file's generated tests exist, their file name (opens it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import type { CodeLens } from 'vscode-languageserver';

import type { DocumentAnalysis } from './analysis';
import { canGenerateFor, generatedTestFile, GENERATE_TESTS, SHOW_GENERATED_TESTS, type GenerateTarget } from './commands';

export function codeLenses(analysis: DocumentAnalysis): CodeLens[] {
  if (!analysis.report || !canGenerateFor(analysis.file)) return [];
  const exported = analysis.report.functions.filter((f) => f.exported);
  if (exported.length === 0) return [];
  const generated = generatedTestFile(analysis.file);
  const existing = fs.existsSync(generated) ? generated : null;
  const lenses: CodeLens[] = [];
  for (const fn of exported) {
    const at = { line: fn.line - 1, character: Math.max(0, fn.column - 1) };
    const range = { start: at, end: at };
    const n = fn.patterns.length;
    const target: GenerateTarget = { uri: analysis.uri, function: fn.name };
    lenses.push({ range, command: { title: `${n} edge case${n === 1 ? '' : 's'} · Generate tests`, command: GENERATE_TESTS, arguments: [target] } });
    if (existing) {
      const show: GenerateTarget = { uri: pathToFileURL(existing).toString() };
      lenses.push({ range, command: { title: path.basename(existing), command: SHOW_GENERATED_TESTS, arguments: [show] } });
    }
  }
  return lenses;
}
