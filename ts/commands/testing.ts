/**
 * The definition of `tdd-fast perf report` and `tdd-fast doctor`: options and help text only. What they do lives in
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
}
