/**
 * Hover on a function's name: its metrics and its edge cases, in Markdown, from the document's analysis (nothing is
 * computed here: the core's report is presented as it is).
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

import type { FunctionReport, EdgeCasePattern } from '../engine/types';
import type { DocumentAnalysis } from './analysis';

const IDENTIFIER = /[\p{ID_Continue}$]/u;

/** The identifier under the cursor and its range on the line, or null. */
export function wordAt(document: TextDocument, position: Position): { word: string; start: number; end: number } | null {
  const line = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } });
  let start = Math.min(position.character, line.length);
  let end = start;
  while (start > 0 && IDENTIFIER.test(line[start - 1])) start--;
  while (end < line.length && IDENTIFIER.test(line[end])) end++;
  return end > start ? { word: line.slice(start, end), start, end } : null;
}

/** The last segment of a reported name (`Cart.total` is written `total` in its class). */
export function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** The function whose name is written at this position (on its first lines), innermost first. */
export function functionNamedAt(functions: FunctionReport[], document: TextDocument, position: Position): FunctionReport | null {
  const word = wordAt(document, position);
  if (!word) return null;
  const line = position.line + 1;
  const candidates = functions.filter((f) => shortName(f.name) === word.word && (f.line === line || f.startLine === line));
  return candidates.sort((a, b) => b.line - a.line || b.column - a.column)[0] ?? null;
}

function values(pattern: EdgeCasePattern): string {
  const shown = pattern.values.slice(0, 8).map((v) => `\`${v.replace(/`/g, "'")}\``);
  return shown.join(', ') + (pattern.values.length > 8 ? `, … (${pattern.values.length} in all)` : '');
}

export function hoverMarkdown(fn: FunctionReport): string {
  const m = fn.metrics;
  const lines = [
    `**${fn.name}** · ${fn.kind}${fn.exported ? ' · exported' : ''}${fn.async ? ' · async' : ''}`,
    '',
    '| cyclomatic | cognitive | depth | lines |',
    '|---:|---:|---:|---:|',
    `| ${m.cyclomatic} | ${m.cognitive} | ${m.maxDepth} | ${m.lines} |`,
    '',
  ];
  if (fn.patterns.length === 0) {
    lines.push('No edge cases found.');
  } else {
    lines.push(`**${fn.patterns.length} edge case${fn.patterns.length === 1 ? '' : 's'}**`, '');
    for (const p of fn.patterns) {
      const subject = p.subject ? ` \`${p.subject}\`` : '';
      lines.push(`- \`${p.id}\`${subject} (line ${p.line}): ${values(p)}`);
    }
  }
  return lines.join('\n');
}

export function hoverAt(analysis: DocumentAnalysis, document: TextDocument, position: Position): Hover | null {
  const fn = analysis.report ? functionNamedAt(analysis.report.functions, document, position) : null;
  if (!fn) return null;
  const word = wordAt(document, position)!;
  return {
    contents: { kind: MarkupKind.Markdown, value: hoverMarkdown(fn) },
    range: { start: { line: position.line, character: word.start }, end: { line: position.line, character: word.end } },
  };
}
