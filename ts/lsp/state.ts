/**
 * What a running server knows (settings, the client's capabilities, open documents, projects, caches) and how it tells
 * the client: diagnostics published per document (debounced edits, immediate opens and saves), project problems, and
 * reloads after the config, baseline or ignore files change. Every failure is logged to the client, never thrown out
 * of a handler (guards.ts).
 */
import * as path from 'node:path';

import type { ClientCapabilities, InitializeParams } from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver/node';

import { Analyzer, fileOf, SOURCE_FILE } from './analysis';
import { AnalysisCache } from './caches';
import { documentDiagnostics } from './diagnostics';
import { OpenDocuments } from './documents';
import { Generations } from './generation';
import { failure } from './guards';
import { publishProblems } from './problems';
import { DuplicateScans } from './scan';
import { DEFAULT_SETTINGS, settingsFrom, type ServerSettings } from './settings';
import { Workspace, type Project } from './workspace';

function foldersOf(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const folders = uris.map(fileOf).filter((f): f is string => f !== null);
  if (folders.length === 0 && params.rootPath) folders.push(path.resolve(params.rootPath));
  return folders;
}

export class ServerState {
  settings: ServerSettings = DEFAULT_SETTINGS;
  capabilities: ClientCapabilities = {};
  readonly documents = new OpenDocuments();
  readonly cache = new AnalysisCache();
  workspace = new Workspace(DEFAULT_SETTINGS);
  analyzer = new Analyzer(this.workspace, DEFAULT_SETTINGS, this.cache);
  generations: Generations;
  scans: DuplicateScans;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly scanTimers = new Map<Project, NodeJS.Timeout>();
  private readonly problemFiles = new Set<string>();

  constructor(readonly connection: Connection) {
    this.generations = new Generations(connection, {}, this.documents, DEFAULT_SETTINGS);
    this.scans = new DuplicateScans(DEFAULT_SETTINGS, () => undefined, () => undefined);
  }

  /** `initialize`: the client's settings, capabilities and workspace folders. */
  initialize(params: InitializeParams): void {
    this.settings = settingsFrom(params.initializationOptions);
    this.capabilities = params.capabilities;
    this.workspace = new Workspace(this.settings);
    this.workspace.setFolders(foldersOf(params));
    this.analyzer = new Analyzer(this.workspace, this.settings, this.cache);
    this.generations = new Generations(this.connection, this.capabilities, this.documents, this.settings);
    this.scans = new DuplicateScans(
      this.settings,
      (project) => this.publishAll(project),
      (message) => this.log(message),
      (project) => this.unsavedBuffers(project),
    );
  }

  /** The project's open documents with unsaved edits that the CLI would analyse, as the duplicate scan reads them. */
  private unsavedBuffers(project: Project): Array<{ path: string; text: string }> {
    const out: Array<{ path: string; text: string }> = [];
    for (const open of this.documents.all()) {
      const file = fileOf(open.document.uri);
      if (!open.unsaved || !file || this.workspace.projectFor(file) !== project || !this.analyzer.analyses(open.document.uri)) continue;
      out.push({ path: project.relative(file), text: open.document.getText() });
    }
    return out;
  }

  /**
   * After an edit (or closing a buffer with unsaved edits): scan its project for duplicates once the edits pause for
   * `duplicateScanDelayMs`, so they describe the buffer and not the file as last saved.
   */
  scanSoon(uri: string): void {
    const file = fileOf(uri);
    if (!this.settings.duplicates || !file || !SOURCE_FILE.test(file)) return;
    const project = this.workspace.projectFor(file);
    clearTimeout(this.scanTimers.get(project));
    this.scanTimers.set(
      project,
      setTimeout(() => {
        this.scanTimers.delete(project);
        void this.scans.request(project);
      }, this.settings.duplicateScanDelayMs),
    );
  }

  log(message: string): void {
    this.connection.console.error(message);
  }

  /** Analyses the document (unless cached) and publishes its diagnostics; files the CLI ignores get none. */
  publish(uri: string): void {
    try {
      const open = this.documents.get(uri);
      const file = fileOf(uri);
      if (!open || file === null || !SOURCE_FILE.test(file)) return;
      const version = open.document.version;
      if (!this.analyzer.analyses(uri)) {
        this.connection.sendDiagnostics({ uri, version, diagnostics: [] });
        return;
      }
      const analysis = this.analyzer.current(open);
      if (analysis) this.connection.sendDiagnostics({ uri, version, diagnostics: documentDiagnostics(analysis, open.document) });
    } catch (error) {
      failure(this.connection, `diagnostics of ${uri}`, error);
    }
  }

  /** After an edit: publish once the edits pause for `debounceMs` (at once when it is 0). */
  schedule(uri: string): void {
    this.cancel(uri);
    if (this.settings.debounceMs === 0) return this.publish(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.publish(uri);
      }, this.settings.debounceMs),
    );
  }

  /** Drops a pending debounced publication. */
  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  cancelAll(): void {
    for (const timer of [...this.timers.values(), ...this.scanTimers.values()]) clearTimeout(timer);
    this.timers.clear();
    this.scanTimers.clear();
  }

  /** Publishes every open document (of one project). */
  publishAll(project?: Project): void {
    for (const open of this.documents.all()) {
      const file = fileOf(open.document.uri);
      if (file && (!project || this.workspace.projectFor(file) === project)) this.publish(open.document.uri);
    }
  }

  showProblems(): void {
    publishProblems(this.connection, this.workspace.projects(), this.problemFiles);
  }

  /** Scans the workspace folders for duplicates (in the background). */
  scanFolders(): void {
    for (const project of this.workspace.workspaceFolders()) void this.scans.request(project);
  }

  /** The config, baseline or ignore files changed: load every project again and show everything anew. */
  reloadProjects(): void {
    for (const project of this.workspace.projects()) {
      project.reload();
      void this.scans.request(project);
    }
    this.cache.invalidate();
    this.showProblems();
    this.publishAll();
  }
}
