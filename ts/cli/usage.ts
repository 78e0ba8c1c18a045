/**
 * Usage errors shared by the commands: how the command was called is wrong (exit 2, the message printed as is, like
 * ESLint's). No runtime dependencies beyond node:fs, so defining the commands stays cheap.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** An error in how a command was called: the CLI prints its message as is and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * ESLint's usage error for a path that is not there: `No files matching the pattern "x" were found.` Checked before a
 * command starts, so a typo is not reported as a file deleted during the run (analyze), an empty plan (generate) or a
 * silent watch of nothing (watch).
 */
export function checkPathsExist(paths: string[], cwd: string): void {
  const missing = paths.filter((p) => !fs.existsSync(path.resolve(cwd, p)));
  if (missing.length) {
    throw new UsageError(missing.map((p) => `No files matching the pattern "${p}" were found.`).join('\n'));
  }
}
