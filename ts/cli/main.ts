/**
 * The `tdd-fast` program: one command per file in this folder (analyze, generate, session, watch, merge-reports,
 * perf/doctor/testing, lsp), each with its options and its code. Resolves to the exit code.
 */
import { Command, CommanderError } from 'commander';

import { registerAnalyzeCommand } from './analyze';
import { UsageError } from './usage';

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

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The commands other than `analyze`, by the top-level names each registers, loaded only when a run names one of them
 * (or asks for help): `analyze` is the default command and the common one, and it should not pay for loading and
 * building the others' options. A test holds these names equal to what the registrations create.
 */
export const OTHER_COMMANDS: ReadonlyArray<{ names: readonly string[]; register(program: Command, io: CliIO, setExitCode: (code: number) => void): void }> = [
  { names: ['session'], register: (program) => (require('./session') as typeof import('./session')).registerSessionCommands(program) },
  {
    names: ['merge-reports'],
    register: (program, io, setExitCode) => (require('./merge') as typeof import('./merge')).registerMergeCommand(program, io, setExitCode),
  },
  { names: ['perf', 'doctor', 'testing'], register: (program) => (require('./testing') as typeof import('./testing')).registerTestingCommands(program) },
  { names: ['watch'], register: (program, io) => (require('./watch') as typeof import('./watch')).registerWatchCommand(program, io.cwd, io.stdout) },
  {
    names: ['generate'],
    register: (program, io, setExitCode) => (require('./generate') as typeof import('./generate')).registerGenerateCommand(program, io, setExitCode),
  },
  { names: ['lsp'], register: (program) => (require('./lsp') as typeof import('./lsp')).registerLspCommand(program) },
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** Arguments that need every command registered: help (which lists them all) and the commander's `help <command>`. */
const NEEDS_ALL = new Set(['help', '--help', '-h']);

/**
 * Whether `argv` (as process.argv: node, script, then the arguments) may name a command other than `analyze`: any
 * argument equal to such a name, or a help request. When in doubt every command is registered, so the program parses
 * exactly as if all were: an analysis of a folder named like a command costs the registrations and nothing else.
 */
export function needsOtherCommands(argv: readonly string[]): boolean {
  const names = new Set(OTHER_COMMANDS.flatMap((c) => c.names));
  return argv.slice(2).some((arg) => names.has(arg) || NEEDS_ALL.has(arg));
}

/** The program with every command (`all`, the default) or, for a run that names none of the others, `analyze` alone. */
export function buildProgram(io: CliIO, setExitCode: (code: number) => void, all = true): Command {
  const { version } = require('../../package.json') as { version: string };
  const program = new Command('tdd-fast')
    .description('Fast test-driven development: edge cases, code smells and vitest tests from a Rust core.')
    .version(version, '-v, --version')
    .showHelpAfterError('(run tdd-fast --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  registerAnalyzeCommand(program, io, setExitCode);
  if (all) for (const command of OTHER_COMMANDS) command.register(program, io, setExitCode);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  let exitCode: number = EXIT.clean;
  const program = buildProgram(
    io,
    (code) => {
      exitCode = code;
    },
    needsOtherCommands(argv),
  );
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
