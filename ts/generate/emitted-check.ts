/**
 * Every emitted test file is parsed by the core before it is written, as the language of its extension: a `.js`
 * file must hold no TypeScript syntax (`as never`, type annotations), a `.ts` file nothing TypeScript rejects. A case
 * whose block does not parse becomes an `it.todo` that says why, so one bad literal costs one test, not the whole
 * file (vitest fails a file that does not parse, and the verify run would turn every test of it into a TODO).
 */
import * as path from 'node:path';

import { analyzeSource } from '../engine/api';
import { CASE_MARKER } from './markers';

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/** Generated files are large literal-heavy texts: the size guard of `analyze` must not stand in for a syntax check. */
const MAX_SIZE = 256 * 1024 * 1024;

/** The core's syntax errors of `text` parsed as the language of `file`'s extension (`.ts`, `.tsx`, `.js`, ...). */
export function syntaxProblems(text: string, file: string): SyntaxProblem[] {
  const report = analyzeSource(text, path.basename(file), { maxFileSize: MAX_SIZE, config: { rules: { 'parse-error': 'error' } } });
  return report.errors.map((e) => ({ line: e.line, column: e.column, message: e.message }));
}

/** Lines [start, end) of each case block: from its marker to the next marker or the end of its `describe`. */
function caseBlocks(lines: string[]): Array<{ id: string; start: number; end: number }> {
  const blocks: Array<{ id: string; start: number; end: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (!trimmed.startsWith(CASE_MARKER)) continue;
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith(CASE_MARKER) && lines[j] !== '});') j++;
    blocks.push({ id: trimmed.slice(CASE_MARKER.length).trim(), start: i, end: j });
  }
  return blocks;
}

function todoBlock(id: string, lines: string[], start: number, problem: SyntaxProblem): string[] {
  const title = lines.slice(start + 1).find((l) => /^ {2}it(\.todo)?\(/.test(l));
  const literal = title?.match(/^ {2}it(?:\.todo)?\(('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/)?.[1] ?? JSON.stringify(`case ${id}`);
  return [`  ${CASE_MARKER}${id}`, `  it.todo(${literal});`, `  // TODO(tdd-fast): the generated code of this case did not parse (${problem.message.replace(/\n/g, ' ')}); write it by hand.`];
}

export interface CheckedText {
  text: string;
  /** Case ids turned into TODOs, with the syntax error that did it. */
  dropped: Map<string, string>;
  /** Syntax errors outside any case (the header, the helpers): the file cannot be written. */
  problems: SyntaxProblem[];
}

/**
 * Parses `text` as `file`'s language and turns each case block holding a syntax error into a TODO, until the file
 * parses or an error lies outside every case (then `problems` says where).
 */
export function checkEmitted(text: string, file: string): CheckedText {
  const dropped = new Map<string, string>();
  let current = text;
  for (let round = 0; round < 50; round++) {
    const problems = syntaxProblems(current, file);
    if (problems.length === 0) return { text: current, dropped, problems };
    const lines = current.split('\n');
    const blocks = caseBlocks(lines);
    const hit = new Map<string, { block: (typeof blocks)[number]; problem: SyntaxProblem }>();
    for (const problem of problems) {
      const block = blocks.find((b) => problem.line - 1 >= b.start && problem.line - 1 < b.end && !dropped.has(b.id));
      if (block && !hit.has(block.id)) hit.set(block.id, { block, problem });
    }
    if (hit.size === 0) return { text: current, dropped, problems };
    // Replace from the last block up, so earlier line numbers stay valid.
    for (const { block, problem } of [...hit.values()].sort((a, b) => b.block.start - a.block.start)) {
      lines.splice(block.start, block.end - block.start, ...todoBlock(block.id, lines, block.start, problem));
      dropped.set(block.id, problem.message);
    }
    current = lines.join('\n');
  }
  return { text: current, dropped, problems: syntaxProblems(current, file) };
}
