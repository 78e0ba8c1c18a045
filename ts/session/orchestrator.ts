import * as path from 'node:path';
import { SessionStoreError } from './errors';
import { DEFAULT_RETENTION } from './retention';
import { SessionStore, type SessionStoreOptions } from './store';
import type {
  AnalysedFile,
  EngineCacheStats,
  Phase,
  RetentionPolicy,
  SessionEvent,
  SessionRecord,
  SessionSummary,
} from './types';
import type { AnalysisResult, AnalyzeOptions, FileReport } from '../engine/types';
import { DECLARATION_FILE, TEST_FILE } from '../engine/defaults';

import type { GenerateOptions, GenerateResult } from '../generate';
export type { GenerateOptions, GenerateResult };

/**
 * The analysis and generation engine the orchestrator coordinates. By default the native core (`./api`) and the
 * generator (`./generate`); injectable so the bookkeeping can be tested on its own.
 */
export interface TddEngine {
  analyzeFiles(paths: string[], options?: AnalyzeOptions): Promise<AnalysisResult>;
  generateTests(file: string, options?: GenerateOptions): Promise<GenerateResult>;
  generateTestsBatch(files: string[], options?: GenerateOptions): Promise<GenerateResult[]>;
  getCacheStats(): EngineCacheStats;
  clearCaches(): void;
}

export interface TddOrchestratorOptions {
  projectRoot: string;
  /** Session database. Default `<projectRoot>/.tdd-fast/sessions.db`. */
  dbPath?: string;
  /** false: clear the engine's caches before every analysis, so each one re-reads every file. Default true. */
  cache?: boolean;
  /** Worker threads for the native core. Default: available cores. */
  threads?: number;
  /** Cleanup run at each startSession. false turns it off. Default { maxSessions: 100, maxAgeDays: 30 }. */
  retention?: RetentionPolicy | false;
  /** Engine override (tests, embedders). Default: the native core, loaded on first use. */
  engine?: TddEngine;
  /** The analysis configuration (rules, preset, include/exclude), as an object or JSON text. Default: the core's defaults. */
  config?: AnalyzeOptions['config'];
  /** Store tuning passed through (maxContextBytes, busyTimeoutMs, durability). */
  store?: Pick<SessionStoreOptions, 'maxContextBytes' | 'busyTimeoutMs' | 'durability'>;
}


/**
 * Coordinates a TDD session: analysis and generation run in the engine, and every step is recorded in the session
 * store so `summary()` (and `tdd-fast session status` in another process) can report the session.
 */
export class TddOrchestrator {
  readonly projectRoot: string;
  readonly store: SessionStore;
  private readonly options: TddOrchestratorOptions;
  private engine: TddEngine | undefined;
  private current: SessionRecord | undefined;

  constructor(options: TddOrchestratorOptions) {
    if (!options || typeof options.projectRoot !== 'string') {
      throw new TypeError('TddOrchestrator needs { projectRoot }.');
    }
    this.options = options;
    this.projectRoot = path.resolve(options.projectRoot);
    this.engine = options.engine;
    this.store = SessionStore.open({ projectRoot: this.projectRoot, dbPath: options.dbPath, ...options.store });
  }

  /** The session steps are recorded in, if any. */
  get session(): SessionRecord | undefined {
    return this.current;
  }

  /** Starts a new session (ending this orchestrator's previous one) and applies the retention policy. */
  startSession(name: string, context?: unknown): SessionRecord {
    if (this.current) this.endSession();
    const session = this.store.createSession(name, context ?? {});
    if (this.options.retention !== false) {
      this.store.cleanupSessions(this.options.retention ?? DEFAULT_RETENTION, { keep: [session.id] });
    }
    this.current = session;
    return session;
  }

  /** Continues a session by id or name (the newest of that name), reactivating it if it had ended. */
  resumeSession(idOrName: string | number): SessionRecord {
    const found = this.store.findSession(idOrName);
    if (!found) {
      throw new SessionStoreError('SESSION_NOT_FOUND', `No session '${idOrName}' in ${this.store.dbPath}.`, {
        dbPath: this.store.dbPath,
      });
    }
    this.current = this.store.resumeSession(found.id);
    return this.current;
  }

  async analyze(paths: string | string[]): Promise<AnalysisResult> {
    const list = (Array.isArray(paths) ? paths : [paths]).map((p) => path.resolve(this.projectRoot, p));
    const engine = this.requireEngine();
    if (this.options.cache === false) engine.clearCaches();
    const started = performance.now();
    const result = await engine.analyzeFiles(list, { root: this.projectRoot, threads: this.options.threads, config: this.options.config });
    const wallMs = performance.now() - started;
    if (this.current) {
      const summary = result.summary;
      this.store.recordAnalysis(this.current.id, result.files.map(toAnalysedFile), {
        paths: list.length,
        files: summary.files,
        functions: summary.functions,
        smells: summary.smells,
        errors: summary.errors,
        cache: summary.cache,
        ms: round(wallMs),
      });
    }
    return result;
  }

  async generateTests(file: string, options?: GenerateOptions): Promise<GenerateResult> {
    const engine = this.requireEngine();
    const started = performance.now();
    const result = await engine.generateTests(path.resolve(this.projectRoot, file), options);
    this.recordGenerated([result], performance.now() - started);
    return result;
  }

  async generateTestsBatch(files: string[], options?: GenerateOptions): Promise<GenerateResult[]> {
    const engine = this.requireEngine();
    const started = performance.now();
    const results = await engine.generateTestsBatch(
      files.map((file) => path.resolve(this.projectRoot, file)),
      options,
    );
    this.recordGenerated(results, performance.now() - started);
    return results;
  }

  /**
   * Generates tests for every source file under `dir`. The file list comes from the engine's own walk (so
   * .gitignore is respected and the analysis lands in the cache the generator reads); test files are skipped.
   */
  async generateTestsModule(dir: string, options?: GenerateOptions): Promise<GenerateResult[]> {
    const analysis = await this.analyze([dir]);
    const sources = analysis.files
      .map((file) => file.path)
      .filter((file) => !TEST_FILE.test(file) && !DECLARATION_FILE.test(file))
      .map((file) => path.resolve(this.projectRoot, file));
    if (sources.length === 0) return [];
    return this.generateTestsBatch(sources, options);
  }

  recordPhase(phase: Phase, details: unknown = {}): SessionEvent {
    const session = this.requireSession();
    const id = this.store.recordPhase(session.id, phase, details);
    return { id, sessionId: session.id, at: Date.now(), kind: 'phase', phase, data: details };
  }

  /** The session's free-form JSON context (bounded by maxContextBytes). */
  getContext<Context = unknown>(): Context {
    return this.store.loadContext<Context>(this.requireSession().id) as Context;
  }

  saveContext(context: unknown): void {
    this.store.saveContext(this.requireSession().id, context);
  }

  summary(): SessionSummary {
    const summary = this.store.summarize(this.requireSession().id);
    // Only report cache counters of an engine that exists; loading the native core just to print zeros is waste.
    summary.cache = this.engine ? this.tryCacheStats(this.engine) : null;
    return summary;
  }

  getCacheStats(): EngineCacheStats {
    return this.requireEngine().getCacheStats();
  }

  clearCaches(): void {
    this.requireEngine().clearCaches();
  }

  /** Ends the current session and returns its final summary. */
  endSession(): SessionSummary {
    const session = this.requireSession();
    this.store.endSession(session.id);
    const summary = this.summary();
    this.current = undefined;
    return summary;
  }

  /** Closes the store. An active session stays active on disk, so another process can resume it. */
  close(): void {
    this.current = undefined;
    this.store.close();
  }

  private tryCacheStats(engine: TddEngine): EngineCacheStats | null {
    try {
      return engine.getCacheStats();
    } catch {
      return null; // a build without cache counters still has a summary
    }
  }

  private recordGenerated(results: GenerateResult[], wallMs: number): void {
    if (!this.current) return;
    let tests = 0;
    let errors = 0;
    const written: string[] = [];
    for (const result of results) {
      tests += result.tests;
      errors += result.errors.length;
      for (const file of result.written) written.push(path.relative(this.projectRoot, file).split(path.sep).join('/'));
    }
    this.store.recordEvent(this.current.id, 'generated', {
      sources: results.length,
      tests,
      written: written.length,
      errors,
      files: written,
      ms: round(wallMs),
    });
  }

  private requireSession(): SessionRecord {
    if (!this.current) {
      throw new SessionStoreError('NO_ACTIVE_SESSION', 'No session: call startSession(name) or resumeSession(id) first.', {
        dbPath: this.store.dbPath,
      });
    }
    return this.current;
  }

  private requireEngine(): TddEngine {
    if (!this.engine) this.engine = loadDefaultEngine();
    return this.engine;
  }
}

/** The native core plus the generator, loaded on first use so the session features work without them. */
export function loadDefaultEngine(): TddEngine {
  const api = requireOptional('../engine/api') as Partial<TddEngine> | undefined;
  if (!api?.analyzeFiles) {
    throw new Error('The tdd-fast native core is not available (dist/engine/api.js or native/*.node missing). Run `npm run build`.');
  }
  const missingCache = (): never => {
    throw new Error('Cache statistics are not available in this build of tdd-fast (dist/engine/api.js has no getCacheStats).');
  };
  const generator = requireOptional('../generate') as Partial<TddEngine> | undefined;
  const missingGenerator = (): never => {
    throw new Error('Test generation is not available in this build of tdd-fast (dist/generate missing).');
  };
  return {
    analyzeFiles: api.analyzeFiles.bind(api),
    getCacheStats: api.getCacheStats ? api.getCacheStats.bind(api) : missingCache,
    clearCaches: api.clearCaches ? api.clearCaches.bind(api) : missingCache,
    generateTests: generator?.generateTests ? generator.generateTests.bind(generator) : missingGenerator,
    generateTestsBatch: generator?.generateTestsBatch ? generator.generateTestsBatch.bind(generator) : missingGenerator,
  };
}

function requireOptional(specifier: string): unknown {
  try {
    return require(specifier) as unknown;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Only "this module does not exist" is optional; an error inside a module that exists must surface.
    if (code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${specifier}'`)) return undefined;
    throw error;
  }
}

function toAnalysedFile(file: FileReport): AnalysedFile {
  return { path: file.path, hash: file.hash, smellKeys: file.smells.map((smell) => `${smell.id}@${smell.function ?? ''}`) };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
