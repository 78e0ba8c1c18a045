/**
 * A real LSP client for the server tests: vscode-languageserver-protocol's connection, talking JSON-RPC to the built
 * server (dist/lsp/server.js) over in-memory streams in this process, or to `tdd-fast lsp --stdio` in a child process.
 * It records what the server sends (diagnostics, log and show messages, progress, showDocument) and answers the
 * server's requests as an editor would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';

import type {
  ClientCapabilities,
  CodeAction,
  CodeLens,
  Hover,
  LogMessageParams,
  ProgressParams,
  PublishDiagnosticsParams,
  ShowDocumentParams,
  ShowMessageParams,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';

import { cliPath, repoRoot } from '../helpers';

export const uriOf = (file: string) => pathToFileURL(file).toString();

/** What an editor advertises: progress, showDocument, dynamic file watching, workspace folders. */
export const EDITOR_CAPABILITIES: ClientCapabilities = {
  window: { workDoneProgress: true, showDocument: { support: true } },
  workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, codeLens: { refreshSupport: true } },
  textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
};

export interface StartOptions {
  folders: string[];
  initializationOptions?: Record<string, unknown>;
  capabilities?: ClientCapabilities;
}

export class LspClient {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly shown: ShowMessageParams[] = [];
  readonly progress: ProgressParams[] = [];
  readonly showDocuments: ShowDocumentParams[] = [];
  readonly registrations: unknown[] = [];
  codeLensRefreshes = 0;
  private readonly waiters = new Set<() => void>();
  private versions = new Map<string, number>();

  constructor(
    readonly connection: ProtocolConnection,
    private readonly stop: () => void,
  ) {
    const wake = () => this.waiters.forEach((w) => w());
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => (this.diagnostics.push(p), wake()));
    connection.onNotification('window/logMessage', (p: LogMessageParams) => (this.logs.push(p), wake()));
    connection.onNotification('window/showMessage', (p: ShowMessageParams) => (this.shown.push(p), wake()));
    connection.onNotification('$/progress', (p: ProgressParams) => (this.progress.push(p), wake()));
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('client/registerCapability', (p: unknown) => (this.registrations.push(p), null));
    connection.onRequest('workspace/codeLens/refresh', () => (this.codeLensRefreshes++, null));
    connection.onRequest('window/showDocument', (p: ShowDocumentParams) => {
      this.showDocuments.push(p);
      wake();
      return { success: true };
    });
    connection.listen();
  }

  async initialize(options: StartOptions): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: null,
      rootUri: options.folders[0] ? uriOf(options.folders[0]) : null,
      workspaceFolders: options.folders.map((f) => ({ uri: uriOf(f), name: path.basename(f) })),
      capabilities: options.capabilities ?? EDITOR_CAPABILITIES,
      initializationOptions: options.initializationOptions ?? { debounceMs: 0 },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Resolves once `check` is true (checked now, after every message from the server, and every 100 ms). */
  waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (value: T) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(test);
        resolve(value);
      };
      const test = () => {
        const value = check();
        if (value) done(value);
      };
      const poll = setInterval(test, 100);
      const timer = setTimeout(() => {
        clearInterval(poll);
        this.waiters.delete(test);
        reject(new Error(`timed out waiting for ${what}; logs: ${JSON.stringify(this.logs.map((l) => l.message))}`));
      }, timeoutMs);
      this.waiters.add(test);
      test();
    });
  }

  /** The latest diagnostics published for a file (for a version at least `minVersion`), waiting for them. */
  diagnosticsFor(file: string, check: (p: PublishDiagnosticsParams) => boolean = () => true, minVersion = 0): Promise<PublishDiagnosticsParams> {
    const uri = uriOf(file);
    return this.waitFor(`diagnostics of ${file}`, () => {
      const latest = [...this.diagnostics].reverse().find((p) => p.uri === uri);
      return latest && (latest.version ?? Infinity) >= minVersion && check(latest) ? latest : undefined;
    });
  }

  async open(file: string, text = fs.readFileSync(file, 'utf8')): Promise<string> {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    const languageId = /\.[cm]?tsx?$/.test(file) ? 'typescript' : 'javascript';
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Sends edits; resolves to the new version. */
  async change(file: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const uri = uriOf(file);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async save(file: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didSave', { textDocument: { uri: uriOf(file) } });
  }

  hover(file: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: { line, character } });
  }

  codeLens(file: string): Promise<CodeLens[]> {
    return this.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: uriOf(file) } });
  }

  codeActions(file: string, line: number): Promise<CodeAction[]> {
    const position = { line, character: 0 };
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uriOf(file) },
      range: { start: position, end: position },
      context: { diagnostics: [] },
    });
  }

  async close(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
    } finally {
      this.connection.dispose();
      this.stop();
    }
  }
}

/** The built server in this process, over in-memory streams. */
export async function startInProcess(options: StartOptions): Promise<LspClient> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { listen } = require(path.join(repoRoot, 'dist', 'lsp', 'server.js')) as typeof import('../../ts/lsp/server');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createConnection } = require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  // Reader and writer objects (not raw streams): with raw streams the library ends the process when they close.
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  listen(server);
  const client = new LspClient(createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer)), () => {
    server.dispose();
    toServer.end();
    toClient.end();
  });
  await client.initialize(options);
  return client;
}

/** `tdd-fast lsp --stdio` as an editor starts it. */
export async function startChild(options: StartOptions, cli = cliPath): Promise<{ client: LspClient; child: ChildProcess }> {
  const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { cwd: options.folders[0], stdio: ['pipe', 'pipe', 'pipe'] });
  const client = new LspClient(createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!)), () => undefined);
  await client.initialize(options);
  return { client, child };
}
