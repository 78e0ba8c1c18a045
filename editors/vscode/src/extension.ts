/**
 * The VS Code client of the tdd-fast language server: it starts `tdd-fast lsp --stdio` (vscode-languageclient) from
 * the workspace's node_modules when the project installs tdd-fast, so the editor and CI run the same version, and
 * the server bundled in this extension otherwise. Everything else (diagnostics, hover, code lens, generate actions,
 * progress, showing the generated file) is standard LSP that vscode-languageclient handles.
 */
import * as path from 'node:path';

import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

import { initializationOptions } from './init-options';
import { serverModule } from './server-module';

const LANGUAGES = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact'];

let client: LanguageClient | undefined;

/** Starts the server with the current settings. */
async function start(context: ExtensionContext): Promise<void> {
  const config = workspace.getConfiguration('tdd-fast');
  const folders = (workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const server = serverModule(folders, context.asAbsolutePath(path.join('server', 'bin', 'tdd-fast.js')));
  const nodePath = config.get<string>('nodePath') || undefined;
  // TransportKind.stdio adds `--stdio` to the arguments.
  const run = { module: server.module, args: ['lsp'], transport: TransportKind.stdio, runtime: nodePath };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.map((language) => ({ scheme: 'file', language })),
    initializationOptions: initializationOptions(config),
    outputChannelName: 'tdd-fast',
  };
  client = new LanguageClient('tdd-fast', 'tdd-fast', serverOptions, clientOptions);
  await client.start();
  client.outputChannel.appendLine(`tdd-fast language server: ${server.module} (${server.from})`);
}

export async function activate(context: ExtensionContext): Promise<void> {
  await start(context);
  // The settings reach the server when it starts: a change restarts it with the new ones.
  context.subscriptions.push(
    workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('tdd-fast')) return;
      await client?.stop();
      await start(context);
    }),
  );
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
