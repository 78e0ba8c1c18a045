/**
 * Per-run test performance history in SQLite (`<cacheDir>/perf-history.sqlite` by default), bounded to the most
 * recent `maxRuns` runs so it never grows without limit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { SqliteDatabase } from './sqlite/template';
import type { TestSeries } from './regression';

export const HISTORY_FILE_NAME = 'perf-history.sqlite';
const SCHEMA_VERSION = 2;
/**
 * Passing samples kept per test in the compact `baselines` table (the newest ones). It covers the 30-run trend of the
 * dashboard and the default regression window + confirmation runs (20 + 2), so the end-of-run analysis reads one small
 * row per test instead of re-reading every sample of the last runs. Longer look-backs fall back to `samples`.
 */
export const BASELINE_CAPACITY = 32;

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
  /** Hash of the test's own source (test-hashes.ts); null when unknown (older histories, no file). */
  sourceHash?: string | null;
  /** Hash of the project code the test file imported (vitest's module graph); null when unknown. */
  depsHash?: string | null;
}

/** One run's outcome of one test, with what it depended on: the input of the flaky classification. */
export interface OutcomeRow {
  runId: number;
  testId: string;
  name: string;
  file: string;
  state: SampleRecord['state'];
  retries: number;
  sourceHash: string | null;
  depsHash: string | null;
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
  source_hash TEXT,
  deps_hash TEXT,
  PRIMARY KEY (run_id, test_id)
) WITHOUT ROWID;
-- No (test_id, run_id) index: per-test series come from \`baselines\`, and such an index made every run rewrite
-- one index page per test (its entries are spread over the whole index).
DROP INDEX IF EXISTS samples_by_test;
-- Per-run aggregates, written with the run (so listing runs never aggregates samples).
CREATE TABLE IF NOT EXISTS run_stats (
  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  tests INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  test_time_ms REAL NOT NULL
);
-- Per test, its newest BASELINE_CAPACITY passing samples (run id, duration ms), oldest first; see encodePairs.
CREATE TABLE IF NOT EXISTS baselines (
  test_id TEXT PRIMARY KEY,
  last_run_id INTEGER NOT NULL,
  samples BLOB NOT NULL
);
`;

/**
 * `baselines.samples` holds n pairs as n float64 durations followed by n uint32 run ids (12 bytes a pair, native
 * byte order: little-endian on every supported target).
 * In memory a series is a Float64Array of (run id, duration) pairs.
 */
function decodePairs(blob: Buffer): Float64Array {
  const n = Math.floor(blob.length / 12);
  const aligned = new Uint8Array(n * 12);
  aligned.set(blob.subarray(0, n * 12));
  const durations = new Float64Array(aligned.buffer, 0, n);
  const runIds = new Uint32Array(aligned.buffer, n * 8, n);
  const pairs = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    pairs[i * 2] = runIds[i];
    pairs[i * 2 + 1] = durations[i];
  }
  return pairs;
}

function encodePairs(pairs: Float64Array): Buffer {
  const n = pairs.length >> 1;
  const bytes = new ArrayBuffer(n * 12);
  const durations = new Float64Array(bytes, 0, n);
  const runIds = new Uint32Array(bytes, n * 8, n);
  for (let i = 0; i < n; i++) {
    runIds[i] = pairs[i * 2];
    durations[i] = pairs[i * 2 + 1];
  }
  return Buffer.from(bytes);
}

/** Appends (runId, durationMs) to an encoded series, keeping the newest `capacity` pairs. */
function appendPair(previous: Float64Array | undefined, runId: number, durationMs: number, capacity: number): Float64Array {
  const kept = previous ? Math.min(previous.length >> 1, capacity - 1) : 0;
  const next = new Float64Array((kept + 1) * 2);
  if (previous && kept) next.set(previous.subarray(previous.length - kept * 2));
  next[kept * 2] = runId;
  next[kept * 2 + 1] = durationMs;
  return next;
}


type SampleDbTuple = [
  runId: number,
  testId: string,
  name: string,
  file: string,
  durationMs: number,
  retries: number,
  repeats: number,
  state: SampleRecord['state'],
  heapDeltaBytes: number | null,
  heapUsedBytes: number | null,
  rssBytes: number | null,
  budgetMs: number | null,
];

function toSample(row: SampleDbTuple): StoredSample {
  return {
    runId: row[0],
    testId: row[1],
    name: row[2],
    file: row[3],
    durationMs: row[4],
    retries: row[5],
    repeats: row[6],
    state: row[7],
    heapDeltaBytes: row[8],
    heapUsedBytes: row[9],
    rssBytes: row[10],
    budgetMs: row[11],
  };
}

export class PerfHistory {
  readonly path: string;
  private readonly db: SqliteDatabase;
  /** Whether `run_stats` and `baselines` are present and complete (false only for an old file opened read-only). */
  private readonly compact: boolean;

  private constructor(file: string, db: SqliteDatabase, compact: boolean) {
    this.path = file;
    this.db = db;
    this.compact = compact;
  }

  /** Opens (creating if needed) a history database. `readonly` fails if the file does not exist. */
  static open(file: string, options: { readonly?: boolean } = {}): PerfHistory {
    if (options.readonly && !fs.existsSync(file)) throw new Error(`tdd-fast: no performance history at ${file}`);
    if (!options.readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    db.pragma('busy_timeout = 10000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL'); // several vitest processes may finish at once
      db.pragma('synchronous = NORMAL'); // durable enough for a cache in WAL mode; no fsync per commit
      db.pragma('foreign_keys = ON');
      db.exec(SCHEMA);
      PerfHistory.migrate(db);
      PerfHistory.addHashColumns(db);
      return new PerfHistory(file, db, true);
    }
    let version = 0;
    try {
      version = Number(db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").pluck().get() ?? 0);
    } catch {
      // not a history file (or an unreadable one): queries will fail with SQLite's own message
    }
    return new PerfHistory(file, db, version >= SCHEMA_VERSION);
  }

  /** Schema 1 -> 2: fills `run_stats` and `baselines` from the stored samples, once (concurrent openers serialize). */
  private static migrate(db: SqliteDatabase): void {
    const version = () => Number(db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").pluck().get() ?? 0);
    if (version() >= SCHEMA_VERSION) return;
    db.transaction(() => {
      if (version() >= SCHEMA_VERSION) return;
      db.exec(`INSERT OR REPLACE INTO run_stats (run_id, tests, failed, test_time_ms)
               SELECT r.id, COUNT(s.test_id), COALESCE(SUM(s.state = 'failed'), 0), COALESCE(SUM(s.duration_ms), 0)
               FROM runs r LEFT JOIN samples s ON s.run_id = r.id GROUP BY r.id`);
      db.exec('DELETE FROM baselines');
      const rows = db
        .prepare("SELECT test_id, run_id, duration_ms FROM samples WHERE state = 'passed' ORDER BY test_id, run_id")
        .raw()
        .iterate() as IterableIterator<[string, number, number]>;
      const upsert = db.prepare('INSERT OR REPLACE INTO baselines (test_id, last_run_id, samples) VALUES (?, ?, ?)');
      // Collect first: better-sqlite3 cannot write while an iterator is open on the same connection.
      const collected = new Map<string, Float64Array>();
      for (const [testId, runId, durationMs] of rows) {
        collected.set(testId, appendPair(collected.get(testId), runId, durationMs, BASELINE_CAPACITY));
      }
      for (const [testId, pairs] of collected) upsert.run(testId, pairs[pairs.length - 2], encodePairs(pairs));
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schemaVersion', ?)").run(String(SCHEMA_VERSION));
    }).immediate();
  }

  /** Histories written before flaky detection lack the two hash columns: add them (NULL for the old samples). */
  private static addHashColumns(db: SqliteDatabase): void {
    const present = new Set((db.prepare('PRAGMA table_info(samples)').all() as { name: string }[]).map((c) => c.name));
    if (!present.has('source_hash')) db.exec('ALTER TABLE samples ADD COLUMN source_hash TEXT');
    if (!present.has('deps_hash')) db.exec('ALTER TABLE samples ADD COLUMN deps_hash TEXT');
  }

  /**
   * Stores a run and its samples in one transaction, updates the per-run aggregates and the per-test compact
   * baselines, then drops runs beyond `maxRuns`. A test id reported twice in one run keeps its last sample.
   * Returns the run id.
   */
  recordRun(run: RunRecord, samples: readonly SampleRecord[], maxRuns = 200): number {
    const insertRun = this.db.prepare(
      `INSERT INTO runs (started_at, finished_at, duration_ms, reason, rss_bytes, git_sha) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const insertSample = this.db.prepare(
      `INSERT OR REPLACE INTO samples (run_id, test_id, name, file, duration_ms, retries, repeats, state,
         heap_delta_bytes, heap_used_bytes, rss_bytes, budget_ms, source_hash, deps_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertStats = this.db.prepare(
      'INSERT OR REPLACE INTO run_stats (run_id, tests, failed, test_time_ms) VALUES (?, ?, ?, ?)',
    );
    const selectBaseline = this.db.prepare('SELECT samples FROM baselines WHERE test_id = ?').pluck();
    const upsertBaseline = this.db.prepare(
      `INSERT INTO baselines (test_id, last_run_id, samples) VALUES (?, ?, ?)
       ON CONFLICT (test_id) DO UPDATE SET last_run_id = excluded.last_run_id, samples = excluded.samples`,
    );
    // Last sample per test id wins, as INSERT OR REPLACE did for the samples table.
    const unique = new Map<string, SampleRecord>();
    for (const sample of samples) {
      unique.delete(sample.testId);
      unique.set(sample.testId, sample);
    }
    const write = this.db.transaction(() => {
      const runId = Number(
        insertRun.run(run.startedAt, run.finishedAt, run.durationMs, run.reason, run.rssBytes, run.gitSha).lastInsertRowid,
      );
      let failed = 0;
      let testTimeMs = 0;
      for (const s of unique.values()) {
        insertSample.run(
          runId, s.testId, s.name, s.file, s.durationMs, s.retries, s.repeats, s.state,
          s.heapDeltaBytes, s.heapUsedBytes, s.rssBytes, s.budgetMs, s.sourceHash ?? null, s.depsHash ?? null,
        );
        if (s.state === 'failed') failed++;
        testTimeMs += s.durationMs;
        if (s.state !== 'passed') continue;
        const previous = selectBaseline.get(s.testId) as Buffer | undefined;
        const pairs = appendPair(previous && decodePairs(previous), runId, s.durationMs, BASELINE_CAPACITY);
        upsertBaseline.run(s.testId, runId, encodePairs(pairs));
      }
      insertStats.run(runId, unique.size, failed, testTimeMs);
      // Keep the newest `maxRuns` runs (samples and stats cascade); forget baselines of tests not seen since.
      const oldestKept = this.db
        .prepare('SELECT id FROM runs ORDER BY id DESC LIMIT 1 OFFSET ?')
        .pluck()
        .get(Math.max(1, maxRuns) - 1) as number | undefined;
      if (oldestKept !== undefined) {
        this.db.prepare('DELETE FROM runs WHERE id < ?').run(oldestKept);
        this.db.prepare('DELETE FROM baselines WHERE last_run_id < ?').run(oldestKept);
      }
      return runId;
    });
    return write.immediate();
  }

  runs(limit = 50): RunRow[] {
    const aggregates = this.compact
      ? `COALESCE(st.tests, 0) AS tests, COALESCE(st.failed, 0) AS failed, COALESCE(st.test_time_ms, 0) AS testTimeMs
         FROM (SELECT * FROM runs ORDER BY id DESC LIMIT ?) r LEFT JOIN run_stats st ON st.run_id = r.id`
      : `COUNT(s.test_id) AS tests, COALESCE(SUM(s.state = 'failed'), 0) AS failed,
         COALESCE(SUM(s.duration_ms), 0) AS testTimeMs
         FROM (SELECT * FROM runs ORDER BY id DESC LIMIT ?) r LEFT JOIN samples s ON s.run_id = r.id GROUP BY r.id`;
    const rows = this.db
      .prepare(
        `SELECT r.id, r.started_at AS startedAt, r.finished_at AS finishedAt, r.duration_ms AS durationMs,
                r.reason, r.rss_bytes AS rssBytes, r.git_sha AS gitSha, ${aggregates}
         ORDER BY r.id DESC`,
      )
      .all(limit) as RunRow[];
    return rows.reverse();
  }

  samplesForRun(runId: number): StoredSample[] {
    const rows = this.db
      .prepare(
        `SELECT run_id, test_id, name, file, duration_ms, retries, repeats, state, heap_delta_bytes, heap_used_bytes,
                rss_bytes, budget_ms FROM samples WHERE run_id = ? ORDER BY test_id`,
      )
      .raw()
      .all(runId) as SampleDbTuple[];
    return rows.map(toSample);
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
    const wanted = testIds ? new Set(testIds) : null;
    if (this.compact && runsBack <= BASELINE_CAPACITY) {
      // At most `runsBack` samples per test lie in the window, and `baselines` keeps the newest BASELINE_CAPACITY.
      const rows = this.db
        .prepare('SELECT test_id, samples FROM baselines WHERE last_run_id >= ?')
        .raw()
        .all(firstRun.id) as [string, Buffer][];
      const result: TestSeries[] = [];
      for (const [testId, blob] of rows) {
        if (wanted && !wanted.has(testId)) continue;
        const pairs = decodePairs(blob);
        let start = 0;
        while (start < pairs.length && pairs[start] < firstRun.id) start += 2;
        const list: { runId: number; durationMs: number }[] = [];
        for (let i = start; i < pairs.length; i += 2) list.push({ runId: pairs[i], durationMs: pairs[i + 1] });
        result.push({ testId, samples: list });
      }
      return result;
    }
    const rows = this.db
      .prepare(
        `SELECT test_id, run_id, duration_ms FROM samples
         WHERE run_id >= ? AND state = 'passed' ORDER BY run_id`,
      )
      .raw()
      .all(firstRun.id) as [string, number, number][];
    const byTest = new Map<string, { runId: number; durationMs: number }[]>();
    for (const [testId, runId, durationMs] of rows) {
      if (wanted && !wanted.has(testId)) continue;
      let list = byTest.get(testId);
      if (!list) byTest.set(testId, (list = []));
      list.push({ runId, durationMs });
    }
    return [...byTest].map(([testId, samples]) => ({ testId, samples }));
  }

  /** Every test's outcomes over the last `runsBack` runs, by test then run (oldest first); skipped tests left out. */
  outcomes(runsBack: number): OutcomeRow[] {
    const columns = new Set((this.db.prepare('PRAGMA table_info(samples)').all() as { name: string }[]).map((c) => c.name));
    const hashes = columns.has('source_hash') ? 'source_hash, deps_hash' : 'NULL, NULL';
    const rows = this.db
      .prepare(
        `SELECT run_id, test_id, name, file, state, retries, ${hashes} FROM samples
         WHERE run_id >= (SELECT MIN(id) FROM (SELECT id FROM runs ORDER BY id DESC LIMIT ?))
           AND state IN ('passed', 'failed')
         ORDER BY test_id, run_id`,
      )
      .raw()
      .all(Math.max(1, runsBack)) as [number, string, string, string, SampleRecord['state'], number, string | null, string | null][];
    return rows.map(([runId, testId, name, file, state, retries, sourceHash, depsHash]) => ({
      runId, testId, name, file, state, retries, sourceHash, depsHash,
    }));
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
