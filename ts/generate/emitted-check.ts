/**
 * Every emitted test file is parsed by the core before it is written, as the language of its extension: a `.js`
 * file must hold no TypeScript syntax (`as never`, type annotations), a `.ts` file nothing TypeScript rejects. A case
 * whose block does not parse becomes an `it.todo` that says why, so one bad literal costs one test, not the whole
 * file (vitest fails a file that does not parse, and the verify run would turn every test of it into a TODO).
 */
import * as path from 'node:path';

import { analyzeSource } from '../engine/api';
import { caseBlocks, caseOfLine, replaceCases } from './case-blocks';

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
    const blocks = caseBlocks(current.split('\n'));
    const hit = new Map<string, string>();
    for (const problem of problems) {
      const id = caseOfLine(blocks, problem.line);
      if (id !== null && !dropped.has(id) && !hit.has(id)) hit.set(id, problem.message);
    }
    if (hit.size === 0) return { text: current, dropped, problems };
    current = replaceCases(current, hit, (message) => `the generated code of this case did not parse (${message}); write it by hand.`);
    for (const [id, message] of hit) dropped.set(id, message);
  }
  return { text: current, dropped, problems: syntaxProblems(current, file) };
}
