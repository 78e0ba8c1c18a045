/**
 * The language server's wiring: which LSP message goes to which module. `listen(connection)` serves any connection
 * (the tests use in-memory streams); `startStdioServer` is `tdd-fast lsp --stdio`.
 */
import * as path from 'node:path';
import { format } from 'node:util';

import { DidChangeWatchedFilesNotification, ErrorCodes, FileChangeType, ResponseError, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver';
import { createConnection, type Connection } from 'vscode-languageserver/node';

import { fileOf, SOURCE_FILE } from './analysis';
import { codeActions, GENERATE_FILE_KIND, GENERATE_FUNCTION_KIND } from './code-actions';
import { codeLenses } from './code-lens';
import { COMMANDS, GENERATE_TESTS, SHOW_GENERATED_TESTS, type GenerateTarget } from './commands';
import { GenerationRefused } from './generation';
import { failure, guardNotification, guardRequest } from './guards';
import { hoverAt } from './hover';
import { ServerState } from './state';
import type { Project } from './workspace';

const { version } = require('../../package.json') as { version: string };

/** The files whose changes the server asks the client to watch. */
const WATCHED = ['**/tdd-fast.config.json', '**/package.json', '**/.tdd-fast-baseline.json', '**/.gitignore', '**/.tdd-fastignore', '**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}'];

const CAPABILITIES: InitializeResult['capabilities'] = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
  hoverProvider: true,
  codeLensProvider: { resolveProvider: false },
  codeActionProvider: { codeActionKinds: [GENERATE_FUNCTION_KIND, GENERATE_FILE_KIND] },
  executeCommandProvider: { commands: COMMANDS },
  workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
};

/** After `initialized`: file watchers, workspace folder changes, the first problems and duplicate scans. */
function onInitialized(connection: Connection, state: ServerState): void {
  const { capabilities } = state;
  if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
    // Config files found above a folder, or named by the configFile setting, are watched by their own path.
    const configs = state.workspace.projects().flatMap((p) => (p.configFile ? [p.configFile.split(path.sep).join('/')] : []));
    const watchers = [...new Set([...WATCHED, ...configs])].map((globPattern) => ({ globPattern }));
    void connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers })
      .catch((error: unknown) => failure(connection, 'registering file watchers', error));
  }
  if (capabilities.workspace?.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders(
      guardNotification(connection, 'workspace/didChangeWorkspaceFolders', (event) => {
        const files = (list: Array<{ uri: string }>) => list.map((f) => fileOf(f.uri)).filter((f): f is string => f !== null);
        state.workspace.addFolders(files(event.added), files(event.removed));
        state.cache.invalidate();
        state.scanFolders();
        state.showProblems();
        state.publishAll();
      }),
    );
  }
  state.showProblems();
  state.scanFolders();
}

/** Document sync (didOpen, didChange, didSave, didClose) and file watching. */
function syncDocuments(connection: Connection, state: ServerState): void {
  const { documents } = state;
  connection.onDidOpenTextDocument(
    guardNotification(connection, 'textDocument/didOpen', (params) => {
      documents.didOpen(params);
      state.cancel(params.textDocument.uri);
      state.publish(params.textDocument.uri);
    }),
  );
  connection.onDidChangeTextDocument(
    guardNotification(connection, 'textDocument/didChange', (params) => {
      documents.didChange(params);
      state.schedule(params.textDocument.uri);
      state.scanSoon(params.textDocument.uri);
    }),
  );
  connection.onDidSaveTextDocument(
    guardNotification(connection, 'textDocument/didSave', (params) => {
      const file = fileOf(params.textDocument.uri);
      if (file && state.workspace.isProjectFile(file)) return state.reloadProjects();
      documents.require(params.textDocument.uri).unsaved = false;
      state.cancel(params.textDocument.uri);
      state.publish(params.textDocument.uri);
      if (file && SOURCE_FILE.test(file)) void state.scans.request(state.workspace.projectFor(file));
    }),
  );
  connection.onDidCloseTextDocument(
    guardNotification(connection, 'textDocument/didClose', (params) => {
      const { uri } = params.textDocument;
      state.cancel(uri);
      const unsaved = documents.get(uri)?.unsaved;
      documents.didClose(uri);
      state.cache.forget(uri);
      const file = fileOf(uri);
      if (file && SOURCE_FILE.test(file)) connection.sendDiagnostics({ uri, diagnostics: [] });
      // Its unsaved edits are gone: duplicates describe the file on disk again.
      if (unsaved) state.scanSoon(uri);
    }),
  );
  connection.onDidChangeWatchedFiles(
    guardNotification(connection, 'workspace/didChangeWatchedFiles', (params) => {
      const touched = new Set<Project>();
      for (const change of params.changes) {
        const file = fileOf(change.uri);
        if (file && state.workspace.isProjectFile(file)) return state.reloadProjects();
        if (!file || !SOURCE_FILE.test(file)) continue;
        const project = state.workspace.projectFor(file);
        if (change.type !== FileChangeType.Changed) project.filesChanged();
        touched.add(project);
      }
      for (const project of touched) void state.scans.request(project);
    }),
  );
}

/** Hover, code lens, code actions and the commands they carry. */
function serveRequests(connection: Connection, state: ServerState): void {
  const { documents } = state;
  connection.onHover(
    guardRequest(connection, 'textDocument/hover', (params) => {
      const open = documents.require(params.textDocument.uri);
      const analysis = state.analyzer.current(open);
      return analysis ? hoverAt(analysis, open.document, params.position) : null;
    }),
  );
  connection.onCodeLens(
    guardRequest(connection, 'textDocument/codeLens', (params) => {
      const open = documents.require(params.textDocument.uri);
      const analysis = state.analyzer.analyses(params.textDocument.uri) ? state.analyzer.current(open) : null;
      return analysis ? codeLenses(analysis) : [];
    }),
  );
  connection.onCodeAction(
    guardRequest(connection, 'textDocument/codeAction', (params) => {
      const analysis = state.analyzer.current(documents.require(params.textDocument.uri));
      return analysis ? codeActions(analysis, params.range, params.context.only) : [];
    }),
  );
  connection.onExecuteCommand(
    guardRequest(connection, 'workspace/executeCommand', async (params, token) => {
      const target = params.arguments?.[0] as GenerateTarget | undefined;
      if (params.command === GENERATE_TESTS) return state.generations.generate(target!, token);
      if (params.command !== SHOW_GENERATED_TESTS) {
        throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${params.command} (known: ${COMMANDS.join(', ')})`);
      }
      const file = target ? fileOf(target.uri) : null;
      if (!file) throw new GenerationRefused(`no file to show: ${String(target?.uri)}`);
      await state.generations.show(file);
      return null;
    }),
  );
}

/** Serves the tdd-fast language server on `connection` (and starts listening). */
export function listen(connection: Connection): void {
  const state = new ServerState(connection);
  connection.onInitialize((params): InitializeResult => {
    state.initialize(params);
    return { capabilities: CAPABILITIES, serverInfo: { name: 'tdd-fast', version } };
  });
  connection.onInitialized(() => onInitialized(connection, state));
  syncDocuments(connection, state);
  serveRequests(connection, state);
  // Not LSP: what the server holds, for bench/lsp.mjs and for a user asking why it is large. Started with
  // --expose-gc (the bench does), garbage is collected first so the heap shows what is kept.
  connection.onRequest(
    'tdd-fast/stats',
    guardRequest(connection, 'tdd-fast/stats', () => {
      (globalThis as { gc?: () => void }).gc?.();
      return { memory: process.memoryUsage(), openDocuments: state.documents.all().length };
    }),
  );
  connection.onShutdown(() => state.cancelAll());
  connection.listen();
}

/**
 * `tdd-fast lsp --stdio`: the protocol on stdin/stdout. Anything else written to stdout would corrupt it, so console
 * output goes to the client's log, and an error no handler caught is logged there too instead of ending the process.
 */
export function startStdioServer(): Connection {
  const connection = createConnection(process.stdin, process.stdout);
  const toClient = (level: 'log' | 'info' | 'warn' | 'error') => (...args: unknown[]) => connection.console[level](format(...args));
  console.log = toClient('log');
  console.info = toClient('info');
  console.warn = toClient('warn');
  console.error = toClient('error');
  process.on('uncaughtException', (error) => connection.console.error(`tdd-fast: internal error (the server goes on): ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) => connection.console.error(`tdd-fast: internal error (the server goes on): ${format(reason)}`));
  listen(connection);
  return connection;
}
