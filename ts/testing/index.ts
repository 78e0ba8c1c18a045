/** `tdd-fast/testing`: fast SQLite fixtures for vitest and a suite-speed watchdog. See docs/testing.md. */
export { SqliteTemplate } from './sqlite/template';
export type { SchemaSource, SqliteDatabase, TemplateOptions, TemplateStats } from './sqlite/template';
export { sqliteFixtures, workerDatabasePath } from './sqlite/fixtures';
export type { SqliteFixtureOptions, SqliteFixtures } from './sqlite/fixtures';
export type { FixtureFunction, FixtureUse } from './fixture-types';
export { ConnectionPool, PoolExhaustedError } from './sqlite/pool';
export { PoolClosedError } from './pool-closed';
export type { PoolOptions, PoolStats, PooledConnection } from './sqlite/pool';
export { acquireLocks, withLocks, LockTimeoutError } from './locks';
export type { HeldLocks, LockOptions } from './locks';
export { detectLeak, gcAvailable, measureHeapOverRepeats, memoryTracking, MEMORY_META_KEY } from './memory';
export type { LeakOptions, LeakVerdict, MemoryMeta, MemorySample, MemoryTrackingFixtures } from './memory';
export {
  DEFAULT_REGRESSION_OPTIONS,
  detectRegressions,
  judgeSample,
  resolveRegressionOptions,
  runSpeedFactors,
} from './regression';
export type {
  DurationSample,
  RegressionOptions,
  RegressionStatus,
  RegressionVerdict,
  SampleJudgement,
  TestSeries,
} from './regression';
export { HISTORY_FILE_NAME, PerfHistory } from './history';
export type { OutcomeRow, RunRecord, RunRow, SampleRecord, StoredSample } from './history';
export { classifyFlaky, classifyTest, formatFlakyText } from './flaky';
export type { FlakyReport, FlakyTest } from './flaky';
export { buildReport, formatReportText, renderHtml, trendSvg } from './dashboard';
export type { FlaggedTest, OverBudgetTest, PerfReport, ReportOptions, TestTrend } from './dashboard';
export { PerfReporter } from './perf-reporter';
export type { PerfReporterOptions, ReportedTestCase, TestTimeSplit, TimeSplit } from './perf-reporter';
export { CONFIG_FILE_NAME, ensureCacheDir, resolveSwitches } from './switches';
export type { ResolvedSwitch, ResolvedSwitches, TestingConfig } from './switches';
export { describeDoctor } from './doctor';
export type { DoctorLine } from './doctor';
export { registerTestingCommands } from '../cli/testing';
export { percentile, median, medianAbsoluteDeviation, SampleRing } from './stats';
export type { LatencySummary } from './stats';
export { PostgresTemplate, resolvePgUrl, withDatabase } from './pg/template';
export type { FreshPgDatabase, PostgresTemplateOptions, PostgresTemplateStats } from './pg/template';
export { startPostgres, stopPostgresAt, runningPostgres, findPostgresBinDir, ramDirectory, reapOrphanedClusters } from './pg/server';
export type { PostgresServer, StartPostgresOptions } from './pg/server';
export { readMigrationsDir } from './migrations';
export type { MigrationScript } from './migrations';
export { splitStatements } from './pg/split-statements';
export type { SqlStatement } from './pg/split-statements';
export {
  PgAuthError,
  PgMigrationError,
  PgNoServerError,
  PgPoolExhaustedError,
  PgServerError,
  PgTemplateInUseError,
  PgUnreachableError,
  PgUrlError,
} from './pg/errors';
export { PgliteTemplate } from './pg/pglite';
export type { FreshPgliteDatabase, PgliteClient, PgliteTemplateOptions, PgliteTemplateStats } from './pg/pglite';
export { pgFixtures, withTransaction, DB_META_KEY } from './pg/fixtures';
export type { DbTimingMeta, IsolationLevel, PgDatabaseHandle, PgFixtureOptions, PgFixtures, PgTemplateLike, Queryable } from './pg/fixtures';
export { choosePgBackend, describePgBackend, localClusterDir, pgTemplate } from './pg/select';
export type { PgBackendDecision, PgTemplateChoice } from './pg/select';
