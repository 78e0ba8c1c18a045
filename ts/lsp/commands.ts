/**
 * The commands the server executes (`workspace/executeCommand`), which code lenses and code actions carry, and the
 * target they take. Clients show them; only the server runs them.
 */
import * as path from 'node:path';

import { DECLARATION_FILE, TEST_FILE } from '../engine/defaults';

export const GENERATE_TESTS = 'tdd-fast.generateTests';
export const SHOW_GENERATED_TESTS = 'tdd-fast.showGeneratedTests';
export const COMMANDS = [GENERATE_TESTS, SHOW_GENERATED_TESTS];

/** What to generate tests for: a document, and one function of it (its reported name) or the whole file. */
export interface GenerateTarget {
  uri: string;
  function?: string;
}

/** Tests are generated for source files only: never for a test (generated or not) or a declaration file. */
export function canGenerateFor(file: string): boolean {
  const name = path.basename(file);
  return !TEST_FILE.test(name) && !DECLARATION_FILE.test(name);
}

/** The generated test file of a source file, beside it (the generator's own naming), loaded only when asked. */
export function generatedTestFile(file: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { outputPathFor, findProjectRoot } = require('../generate') as typeof import('../generate');
  return outputPathFor(file, findProjectRoot(file));
}
