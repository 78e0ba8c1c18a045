/**
 * Per-run test performance history in SQLite (`<cacheDir>/perf-history.sqlite` by default), bounded to the most
 * recent `maxRuns` runs so it never grows without limit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { SqliteDatabase } from './template';
import type { TestSeries } from './regression';

export const HISTORY_FILE_NAME = 'perf-history.sqlite';
const SCHEMA_VERSION = 1;

export interface RunRecord {
  startedAt: number;
  finishedAt: number;
  durationMs: number;
  reason: string;
  /** Peak RSS seen (main process and the test workers' readings), bytes. */
  rssBytes: number | null;
  gitSha: string | null;
}

export interface SampleRecord {
  testId: string;
  name: string;
  file: string;
  durationMs: number;
  retries: number;
  repeats: number;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  heapDeltaBytes: number | null;
  heapUsedBytes: number | null;
  rssBytes: number | null;
  budgetMs: number | null;
}

export interface RunRow extends RunRecord {
  id: number;
  tests: number;
  failed: number;
  /** Sum of the durations of the run's tests, ms. */
  testTimeMs: number;
}

export interface StoredSample extends SampleRecord {
  runId: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  duration_ms REAL NOT NULL,
  reason TEXT NOT NULL,
  rss_bytes INTEGER,
  git_sha TEXT
);
CREATE TABLE IF NOT EXISTS samples (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  test_id TEXT NOT NULL,
  name TEXT NOT NULL,
  file TEXT NOT NULL,
  duration_ms REAL NOT NULL,
  retries INTEGER NOT NULL,
  repeats INTEGER NOT NULL,
  state TEXT NOT NULL,
  heap_delta_bytes INTEGER,
  heap_used_bytes INTEGER,
  rss_bytes INTEGER,
  budget_ms REAL,
  PRIMARY KEY (run_id, test_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS samples_by_test ON samples (test_id, run_id);
`;

interface SampleDbRow {
  run_id: number;
  test_id: string;
  name: string;
  file: string;
  duration_ms: number;
  retries: number;
  repeats: number;
  state: SampleRecord['state'];
  heap_delta_bytes: number | null;
  heap_used_bytes: number | null;
  rss_bytes: number | null;
  budget_ms: number | null;
}

function toSample(row: SampleDbRow): StoredSample {
  return {
    runId: row.run_id,
    testId: row.test_id,
    name: row.name,
    file: row.file,
    durationMs: row.duration_ms,
    retries: row.retries,
    repeats: row.repeats,
    state: row.state,
    heapDeltaBytes: row.heap_delta_bytes,
    heapUsedBytes: row.heap_used_bytes,
    rssBytes: row.rss_bytes,
    budgetMs: row.budget_ms,
  };
}

export class PerfHistory {
  readonly path: string;
  private readonly db: SqliteDatabase;

  private constructor(file: string, db: SqliteDatabase) {
    this.path = file;
    this.db = db;
  }

  /** Opens (creating if needed) a history database. `readonly` fails if the file does not exist. */
  static open(file: string, options: { readonly?: boolean } = {}): PerfHistory {
    if (options.readonly && !fs.existsSync(file)) throw new Error(`tdd-fast: no performance history at ${file}`);
    if (!options.readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    db.pragma('busy_timeout = 10000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL'); // several vitest processes may finish at once
      db.pragma('foreign_keys = ON');
      db.exec(SCHEMA);
      db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schemaVersion', String(SCHEMA_VERSION));
    }
    return new PerfHistory(file, db);
  }

  /** Stores a run and its samples in one transaction, then drops runs beyond `maxRuns`. Returns the run id. */
  recordRun(run: RunRecord, samples: readonly SampleRecord[], maxRuns = 200): number {
    const insertRun = this.db.prepare(
      `INSERT INTO runs (started_at, finished_at, duration_ms, reason, rss_bytes, git_sha)
       VALUES (@startedAt, @finishedAt, @durationMs, @reason, @rssBytes, @gitSha)`,
    );
    const insertSample = this.db.prepare(
      `INSERT OR REPLACE INTO samples (run_id, test_id, name, file, duration_ms, retries, repeats, state,
         heap_delta_bytes, heap_used_bytes, rss_bytes, budget_ms)
       VALUES (@runId, @testId, @name, @file, @durationMs, @retries, @repeats, @state,
         @heapDeltaBytes, @heapUsedBytes, @rssBytes, @budgetMs)`,
    );
    const write = this.db.transaction(() => {
      const runId = Number(insertRun.run(run).lastInsertRowid);
      for (const sample of samples) insertSample.run({ ...sample, runId });
      this.db
        .prepare('DELETE FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?)')
        .run(Math.max(1, maxRuns));
      return runId;
    });
    return write.immediate();
  }

  runs(limit = 50): RunRow[] {
    const rows = this.db
      .prepare(
        `SELECT r.id, r.started_at AS startedAt, r.finished_at AS finishedAt, r.duration_ms AS durationMs,
                r.reason, r.rss_bytes AS rssBytes, r.git_sha AS gitSha,
                COUNT(s.test_id) AS tests, COALESCE(SUM(s.state = 'failed'), 0) AS failed,
                COALESCE(SUM(s.duration_ms), 0) AS testTimeMs
         FROM runs r LEFT JOIN samples s ON s.run_id = r.id
         GROUP BY r.id ORDER BY r.id DESC LIMIT ?`,
      )
      .all(limit) as RunRow[];
    return rows.reverse();
  }

  samplesForRun(runId: number): StoredSample[] {
    return (this.db.prepare('SELECT * FROM samples WHERE run_id = ? ORDER BY test_id').all(runId) as SampleDbRow[]).map(
      toSample,
    );
  }

  /**
   * Passed-test duration series over the last `runsBack` runs (oldest first), for the given tests or all tests
   * seen in those runs.
   */
  series(runsBack: number, testIds?: readonly string[]): TestSeries[] {
    const firstRun = this.db
      .prepare('SELECT MIN(id) AS id FROM (SELECT id FROM runs ORDER BY id DESC LIMIT ?)')
      .get(Math.max(1, runsBack)) as { id: number | null };
    if (firstRun.id === null) return [];
    const rows = this.db
      .prepare(
        `SELECT test_id, run_id, duration_ms FROM samples
         WHERE run_id >= ? AND state = 'passed' ORDER BY run_id`,
      )
      .raw()
      .all(firstRun.id) as [string, number, number][];
    const wanted = testIds ? new Set(testIds) : null;
    const byTest = new Map<string, { runId: number; durationMs: number }[]>();
    for (const [testId, runId, durationMs] of rows) {
      if (wanted && !wanted.has(testId)) continue;
      let list = byTest.get(testId);
      if (!list) byTest.set(testId, (list = []));
      list.push({ runId, durationMs });
    }
    return [...byTest].map(([testId, samples]) => ({ testId, samples }));
  }

  /** Heap deltas per test over the runs from `firstRunId` on (oldest first), only where they were measured. */
  heapDeltas(firstRunId: number): Map<string, number[]> {
    const rows = this.db
      .prepare(
        `SELECT test_id, heap_delta_bytes FROM samples
         WHERE run_id >= ? AND heap_delta_bytes IS NOT NULL ORDER BY run_id`,
      )
      .raw()
      .all(firstRunId) as [string, number][];
    const byTest = new Map<string, number[]>();
    for (const [testId, delta] of rows) {
      let list = byTest.get(testId);
      if (!list) byTest.set(testId, (list = []));
      list.push(delta);
    }
    return byTest;
  }

  close(): void {
    this.db.close();
  }
}
