/**
 * The language server's wiring: which LSP message goes to which module, and the rule that no request or notification
 * can end the server (a failure is logged to the client with `window/logMessage` and, for a request, answered with an
 * error). `listen(connection)` serves any connection (the tests use in-memory streams); `startStdioServer` is
 * `tdd-fast lsp --stdio`.
 */
import * as path from 'node:path';
import { format } from 'node:util';

import {
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { createConnection, type Connection } from 'vscode-languageserver/node';

import { Analyzer, fileOf, SOURCE_FILE } from './analysis';
import { AnalysisCache } from './caches';
import { codeActions, GENERATE_FILE_KIND, GENERATE_FUNCTION_KIND } from './code-actions';
import { codeLenses } from './code-lens';
import { COMMANDS, GENERATE_TESTS, SHOW_GENERATED_TESTS, type GenerateTarget } from './commands';
import { documentDiagnostics } from './diagnostics';
import { NotOpenError, OpenDocuments } from './documents';
import { GenerationRefused, Generations } from './generation';
import { hoverAt } from './hover';
import { tell } from './messages';
import { publishProblems } from './problems';
import { DuplicateScans } from './scan';
import { DEFAULT_SETTINGS, settingsFrom, type ServerSettings } from './settings';
import { PROJECT_FILES, Workspace, type Project } from './workspace';

const { version } = require('../../package.json') as { version: string };

/** The files whose changes the server asks the client to watch. */
const WATCHED = ['**/tdd-fast.config.json', '**/package.json', '**/.tdd-fast-baseline.json', '**/.gitignore', '**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}'];

function foldersOf(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const folders = uris.map(fileOf).filter((f): f is string => f !== null);
  if (folders.length === 0 && params.rootPath) folders.push(path.resolve(params.rootPath));
  return folders;
}

/** Serves the tdd-fast language server on `connection` (and starts listening). */
export function listen(connection: Connection): void {
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let capabilities: ClientCapabilities = {};
  const documents = new OpenDocuments();
  const cache = new AnalysisCache();
  let workspace = new Workspace(settings);
  let analyzer = new Analyzer(workspace, settings, cache);
  let generations = new Generations(connection, capabilities, documents, settings);
  let scans = new DuplicateScans(settings, () => undefined, () => undefined);
  const timers = new Map<string, NodeJS.Timeout>();
  const problemFiles = new Set<string>();

  const log = (message: string) => connection.console.error(message);

  function failure(name: string, error: unknown): ResponseError<void> {
    if (error instanceof ResponseError) return error as ResponseError<void>;
    if (error instanceof NotOpenError) {
      log(`tdd-fast: ${name}: ${error.message}`);
      return new ResponseError(ErrorCodes.InvalidParams, error.message);
    }
    if (error instanceof GenerationRefused) {
      tell(connection, 'warning', `tdd-fast: ${error.message}`);
      return new ResponseError(LSPErrorCodes.RequestFailed, error.message);
    }
    const message = error instanceof Error ? error.message : String(error);
    log(`tdd-fast: ${name} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
    return new ResponseError(LSPErrorCodes.RequestFailed, `tdd-fast: ${name} failed: ${message}`);
  }

  /** A request handler whose failure is logged and answered with an error, never thrown. */
  function request<P, R>(name: string, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
    return async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
      try {
        return await handler(params, token);
      } catch (error) {
        return failure(name, error);
      }
    };
  }

  /** A notification handler whose failure is logged (notifications have no response to carry it). */
  function notification<P>(name: string, handler: (params: P) => void) {
    return (params: P) => {
      try {
        handler(params);
      } catch (error) {
        failure(name, error);
      }
    };
  }

  function publish(uri: string): void {
    const open = documents.get(uri);
    const file = fileOf(uri);
    if (!open || file === null || !SOURCE_FILE.test(file)) return;
    const version = open.document.version;
    if (!analyzer.analyses(uri)) {
      connection.sendDiagnostics({ uri, version, diagnostics: [] });
      return;
    }
    const analysis = analyzer.current(open);
    if (analysis) connection.sendDiagnostics({ uri, version, diagnostics: documentDiagnostics(analysis, open.document) });
  }

  function publishSafely(uri: string): void {
    try {
      publish(uri);
    } catch (error) {
      failure(`diagnostics of ${uri}`, error);
    }
  }

  function schedule(uri: string): void {
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    if (settings.debounceMs === 0) return publishSafely(uri);
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        publishSafely(uri);
      }, settings.debounceMs),
    );
  }

  function publishAll(project?: Project): void {
    for (const open of documents.all()) {
      const file = fileOf(open.document.uri);
      if (file && (!project || workspace.projectFor(file) === project)) publishSafely(open.document.uri);
    }
  }

  function showProblems(): void {
    publishProblems(connection, workspace.projects(), problemFiles);
  }

  /** The config, baseline or ignore files changed: load every project again and show everything anew. */
  function reloadProjects(): void {
    for (const project of workspace.projects()) {
      project.reload();
      void scans.request(project);
    }
    cache.invalidate();
    showProblems();
    publishAll();
  }

  connection.onInitialize(
    (params: InitializeParams): InitializeResult => {
      settings = settingsFrom(params.initializationOptions);
      capabilities = params.capabilities;
      workspace = new Workspace(settings);
      workspace.setFolders(foldersOf(params));
      analyzer = new Analyzer(workspace, settings, cache);
      generations = new Generations(connection, capabilities, documents, settings);
      scans = new DuplicateScans(settings, (project) => publishAll(project), log);
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
          hoverProvider: true,
          codeLensProvider: { resolveProvider: false },
          codeActionProvider: { codeActionKinds: [GENERATE_FUNCTION_KIND, GENERATE_FILE_KIND] },
          executeCommandProvider: { commands: COMMANDS },
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        },
        serverInfo: { name: 'tdd-fast', version },
      };
    },
  );

  connection.onInitialized(() => {
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED.map((globPattern) => ({ globPattern })) })
        .catch((error: unknown) => failure('registering file watchers', error));
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        notification('workspace/didChangeWorkspaceFolders', (event) => {
          const added = event.added.map((f) => fileOf(f.uri)).filter((f): f is string => f !== null);
          const removed = event.removed.map((f) => fileOf(f.uri)).filter((f): f is string => f !== null);
          workspace.addFolders(added, removed);
          cache.invalidate();
          for (const project of workspace.workspaceFolders()) void scans.request(project);
          showProblems();
          publishAll();
        }),
      );
    }
    showProblems();
    for (const project of workspace.workspaceFolders()) void scans.request(project);
  });

  connection.onDidOpenTextDocument(
    notification('textDocument/didOpen', (params) => {
      documents.didOpen(params);
      // Opening is not typing: answer at once.
      clearTimeout(timers.get(params.textDocument.uri));
      publishSafely(params.textDocument.uri);
    }),
  );
  connection.onDidChangeTextDocument(
    notification('textDocument/didChange', (params) => {
      documents.didChange(params);
      schedule(params.textDocument.uri);
    }),
  );
  connection.onDidSaveTextDocument(
    notification('textDocument/didSave', (params) => {
      const file = fileOf(params.textDocument.uri);
      if (file && PROJECT_FILES.has(path.basename(file))) return reloadProjects();
      documents.require(params.textDocument.uri);
      clearTimeout(timers.get(params.textDocument.uri));
      publishSafely(params.textDocument.uri);
      if (file && SOURCE_FILE.test(file)) void scans.request(workspace.projectFor(file));
    }),
  );
  connection.onDidCloseTextDocument(
    notification('textDocument/didClose', (params) => {
      const { uri } = params.textDocument;
      clearTimeout(timers.get(uri));
      timers.delete(uri);
      documents.didClose(uri);
      cache.forget(uri);
      const file = fileOf(uri);
      if (file && SOURCE_FILE.test(file)) connection.sendDiagnostics({ uri, diagnostics: [] });
    }),
  );
  connection.onDidChangeWatchedFiles(
    notification('workspace/didChangeWatchedFiles', (params) => {
      const touched = new Set<Project>();
      let reload = false;
      for (const change of params.changes) {
        const file = fileOf(change.uri);
        if (!file) continue;
        if (PROJECT_FILES.has(path.basename(file))) reload = true;
        else if (SOURCE_FILE.test(file)) {
          const project = workspace.projectFor(file);
          if (change.type !== FileChangeType.Changed) project.filesChanged();
          touched.add(project);
        }
      }
      if (reload) return reloadProjects();
      for (const project of touched) void scans.request(project);
    }),
  );

  connection.onHover(
    request('textDocument/hover', (params) => {
      const open = documents.require(params.textDocument.uri);
      const analysis = analyzer.current(open);
      return analysis ? hoverAt(analysis, open.document, params.position) : null;
    }),
  );
  connection.onCodeLens(
    request('textDocument/codeLens', (params) => {
      const open = documents.require(params.textDocument.uri);
      if (!analyzer.analyses(params.textDocument.uri)) return [];
      const analysis = analyzer.current(open);
      return analysis ? codeLenses(analysis) : [];
    }),
  );
  connection.onCodeAction(
    request('textDocument/codeAction', (params) => {
      const open = documents.require(params.textDocument.uri);
      const analysis = analyzer.current(open);
      return analysis ? codeActions(analysis, params.range, params.context.only) : [];
    }),
  );
  connection.onExecuteCommand(
    request('workspace/executeCommand', async (params, token) => {
      const target = params.arguments?.[0] as GenerateTarget | undefined;
      if (params.command === GENERATE_TESTS) return generations.generate(target!, token);
      if (params.command === SHOW_GENERATED_TESTS) {
        const file = target ? fileOf(target.uri) : null;
        if (!file) throw new GenerationRefused(`no file to show: ${String(target?.uri)}`);
        await generations.show(file);
        return null;
      }
      throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${params.command} (known: ${COMMANDS.join(', ')})`);
    }),
  );
  connection.onShutdown(() => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  });

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
