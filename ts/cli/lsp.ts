/**
 * `tdd-fast lsp --stdio`: the language server for editors (diagnostics as you type, edge cases on hover, "Generate
 * tests" as a code lens and code action). The server (../lsp) is required only when this command runs.
 */
import type { Command } from 'commander';

export function registerLspCommand(program: Command): void {
  program
    .command('lsp')
    .description('run the language server for editors (LSP over stdin/stdout; see docs/editors.md)')
    .option('--stdio', 'speak LSP on stdin/stdout (the only transport, and the default)')
    .action(async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { startStdioServer } = require('../lsp/server') as typeof import('../lsp/server');
      const connection = startStdioServer();
      // The server runs until the client sends `exit` or closes stdin (the library ends the process then).
      await new Promise<void>((resolve) => connection.onExit(resolve));
    });
}
