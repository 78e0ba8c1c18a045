/** Public shapes of the session store. camelCase and stable, like the rest of the JSON contract. */

export type Phase = 'red' | 'green' | 'refactor';
export const PHASES: readonly Phase[] = ['red', 'green', 'refactor'];

export type SessionStatus = 'active' | 'ended';

export interface SessionRecord {
  id: number;
  name: string;
  status: SessionStatus;
  projectRoot: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
  endedAt: number | null;
}

export interface SessionWithContext<Context = unknown> extends SessionRecord {
  context: Context;
}

export interface SessionEvent {
  id: number;
  sessionId: number;
  at: number;
  kind: string;
  phase: Phase | null;
  data: unknown;
}

export interface RetentionPolicy {
  /** Keep at most this many sessions (the most recently updated). Default 100. */
  maxSessions?: number;
  /** Remove sessions not updated for this many days. Default 30. */
  maxAgeDays?: number;
}

export interface EngineCacheStats {
  hits: number;
  misses: number;
  evictions: number;
  entries: number;
  bytes: number;
  hitRate: number;
}

export interface PhaseCounts {
  red: number;
  green: number;
  refactor: number;
}

export interface SessionSummary {
  session: SessionRecord;
  /** Distinct files analysed in this session. */
  filesAnalysed: number;
  /** analyze() calls recorded. */
  analyses: number;
  /** Smells in the latest analysis of each file, summed. */
  smellsFound: number;
  /** Smells that disappeared between two analyses of the same file, summed over the session. */
  smellsFixed: number;
  testsGenerated: number;
  testFilesWritten: number;
  generationErrors: number;
  phases: PhaseCounts;
  currentPhase: Phase | null;
  /** Completed red -> green transitions (refactor is optional inside a cycle). */
  cycles: number;
  timings: {
    /** From start to end (or to now for an active session). */
    sessionMs: number;
    analysisMs: number;
    generationMs: number;
    /** Time spent in each phase: from entering it until the next phase change, the end, or now. */
    phaseMs: PhaseCounts;
  };
  /** The engine's cache counters; null when no engine is loaded (e.g. the CLI's `session status`). */
  cache: EngineCacheStats | null;
}

/** One file's outcome in an analysis, as the store keeps it. */
export interface AnalysedFile {
  path: string;
  hash: string;
  /** One key per smell occurrence ("ruleId@function"); the multiset difference between analyses gives "fixed". */
  smellKeys: string[];
}
