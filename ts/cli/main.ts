/**
 * The `tdd-fast` program: one command per file in this folder (analyze, generate, session, watch, merge-reports,
 * perf/doctor/testing, lsp), each with its options and its code. Resolves to the exit code.
 */
import { Command, CommanderError } from 'commander';

import { registerAnalyzeCommand } from './analyze';
import { registerGenerateCommand } from './generate';
import { registerLspCommand } from './lsp';
import { registerMergeCommand } from './merge';
import { registerSessionCommands } from './session';
import { registerTestingCommands } from './testing';
import { UsageError } from './usage';
import { registerWatchCommand } from './watch';

/** Exit codes follow ESLint: 0 clean, 1 findings over the gate, 2 usage or internal error. */
export const EXIT = { clean: 0, findings: 1, failure: 2 } as const;

export interface CliIO {
  cwd: string;
  stdout(text: string | Uint8Array): void;
  stderr(text: string): void;
}

const defaultIO: CliIO = {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const { version } = require('../../package.json') as { version: string };
  const program = new Command('tdd-fast')
    .description('Fast test-driven development: edge cases, code smells and vitest tests from a Rust core.')
    .version(version, '-v, --version')
    .showHelpAfterError('(run tdd-fast --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  registerAnalyzeCommand(program, io, setExitCode);
  registerSessionCommands(program);
  registerMergeCommand(program, io, setExitCode);
  registerTestingCommands(program);
  registerWatchCommand(program, io.cwd, io.stdout);
  registerGenerateCommand(program, io, setExitCode);
  registerLspCommand(program);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  let exitCode: number = EXIT.clean;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    // The session and testing commands report through process.exitCode: bin/tdd-fast.js sets process.exitCode from
    // what this returns, so a clean code here would erase theirs.
    return exitCode !== EXIT.clean ? exitCode : Number(process.exitCode ?? EXIT.clean);
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
      return ok ? EXIT.clean : EXIT.failure;
    }
    if (error instanceof UsageError) io.stderr(`${error.message}\n`);
    else io.stderr(`tdd-fast: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}
