/**
 * The definition of `tdd-fast perf report`, `tdd-fast doctor` and `tdd-fast testing pg start|stop|status`: options and help text only. What they do lives in
 * ../testing/cli, which `load` returns; the main CLI passes a loader that requires it (and with it better-sqlite3)
 * only when one of them runs.
 */
import type { Command } from 'commander';

export interface PerfReportOptions {
  html?: string;
  format: string;
  history?: string;
  runs: string;
  top: string;
}

/** The bodies of the testing commands (../testing/cli's `testingActions`). */
export interface TestingActions {
  perfReport(options: PerfReportOptions): void;
  doctor(): void;
  pgStart(options: PgStartOptions): Promise<void>;
  pgStop(options: { dataDir?: string }): Promise<void>;
  pgStatus(options: { dataDir?: string }): void;
}

export interface PgStartOptions {
  dataDir?: string;
  port?: string;
  format: string;
}

export function registerTestingCommands(program: Command, load: () => TestingActions): void {
  const perf = program.command('perf').description('test performance history recorded by tdd-fast/testing/reporter');
  perf
    .command('report')
    .description('print the slowest tests, regressions and trends; --html writes a static dashboard')
    .option('--html <file>', 'write an HTML dashboard with SVG trend charts')
    .option('--format <format>', 'text or json', 'text')
    .option('--history <path>', 'history database (default <cacheDir>/perf-history.sqlite)')
    .option('--runs <n>', 'runs to chart', '30')
    .option('--top <n>', 'slowest tests to list', '10')
    .action((options: PerfReportOptions) => load().perfReport(options));

  program
    .command('doctor')
    .description('print which tdd-fast features are enabled and why, and whether the native core loads')
    .action(() => load().doctor());

  const testing = program.command('testing').description('helpers of tdd-fast/testing');
  const pg = testing.command('pg').description('a throwaway PostgreSQL server for database tests');
  pg.command('start')
    .description('initdb (once) and start a local server with fsync off; prints its URL (export it as TDD_FAST_PG_URL)')
    .option('--data-dir <dir>', 'cluster directory (default <cacheDir>/pg/data)')
    .option('--port <n>', 'TCP port on 127.0.0.1 (default: a free one)')
    .option('--format <format>', 'text (the URL) or json', 'text')
    .action((options: PgStartOptions) => load().pgStart(options));
  pg.command('stop')
    .description('stop the server started by `tdd-fast testing pg start`')
    .option('--data-dir <dir>', 'cluster directory (default <cacheDir>/pg/data)')
    .action((options: { dataDir?: string }) => load().pgStop(options));
  pg.command('status')
    .description('print the URL of the running server, or exit 1 when none runs')
    .option('--data-dir <dir>', 'cluster directory (default <cacheDir>/pg/data)')
    .action((options: { dataDir?: string }) => load().pgStatus(options));
}
