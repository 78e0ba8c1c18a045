/**
 * `tdd-fast perf report`, `tdd-fast perf flaky`, `tdd-fast doctor` and `tdd-fast testing pg start|stop|status`: options, help text and what
 * each does. The toolkit's modules (better-sqlite3, pg) are required only when one of these commands runs.
 * Exit codes: 0 ok, 1 `pg status` with no server or `perf flaky --fail-on-flaky` with flaky tests, 2 usage or internal
 * error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Command } from 'commander';

/* eslint-disable @typescript-eslint/no-require-imports */
const history = () => require('../testing/history') as typeof import('../testing/history');
const dashboard = () => require('../testing/dashboard') as typeof import('../testing/dashboard');
const flaky = () => require('../testing/flaky') as typeof import('../testing/flaky');
const switches = () => require('../testing/switches') as typeof import('../testing/switches');
const doctorLines = () => require('../testing/doctor') as typeof import('../testing/doctor');
const pgSelect = () => require('../testing/pg/select') as typeof import('../testing/pg/select');
const pgServer = () => require('../testing/pg/server') as typeof import('../testing/pg/server');
/* eslint-enable @typescript-eslint/no-require-imports */

export interface PerfReportOptions {
  html?: string;
  format: string;
  history?: string;
  runs: string;
  top: string;
}

export interface PerfFlakyOptions {
  format: string;
  history?: string;
  runs: string;
  failOnFlaky?: boolean;
}

/** The bodies of the testing commands. */
export interface TestingActions {
  perfReport(options: PerfReportOptions): void;
  perfFlaky(options: PerfFlakyOptions): void;
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

export function registerTestingCommands(program: Command): void {
  const load = () => testingActions;
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
  perf
    .command('flaky')
    .description('list flaky tests (outcome flipped with the test and its imports unchanged), changed and always-failing ones')
    .option('--format <format>', 'text or json', 'text')
    .option('--history <path>', 'history database (default <cacheDir>/perf-history.sqlite)')
    .option('--runs <n>', 'runs to look back over', '30')
    .option('--fail-on-flaky', 'exit with code 1 when a flaky test is found (for a CI step)')
    .action((options: PerfFlakyOptions) => load().perfFlaky(options));

  program
    .command('doctor')
    .description('print which tdd-fast features are enabled and why, and whether the native core loads')
    .action(() => load().doctor());

  const testing = program.command('testing').description('helpers of tdd-fast/testing');
  const pg = testing.command('pg').description('a throwaway PostgreSQL server for database tests');
  pg.command('start')
    .description('initdb (once) and start a local server with fsync off; prints its URL (export it as TDD_FAST_PG_URL)')
    .option('--data-dir <dir>', 'cluster directory (default: one per project in /dev/shm when it has room, else <cacheDir>/pg/data)')
    .option('--port <n>', 'TCP port on 127.0.0.1 (default: a free one)')
    .option('--format <format>', 'text (the URL) or json', 'text')
    .action((options: PgStartOptions) => load().pgStart(options));
  pg.command('stop')
    .description('stop the server started by `tdd-fast testing pg start`')
    .option('--data-dir <dir>', 'cluster directory (default: one per project in /dev/shm when it has room, else <cacheDir>/pg/data)')
    .action((options: { dataDir?: string }) => load().pgStop(options));
  pg.command('status')
    .description('print the URL of the running server, or exit 1 when none runs')
    .option('--data-dir <dir>', 'cluster directory (default: one per project in /dev/shm when it has room, else <cacheDir>/pg/data)')
    .action((options: { dataDir?: string }) => load().pgStatus(options));
}

/** The history named by --history (or the default one), read-only; null (after a usage error) when it is missing. */
function openHistory(option: string | undefined): import('../testing/history').PerfHistory | null {
  const historyPath = option
    ? path.resolve(option)
    : path.join(switches().resolveSwitches().cacheDir.value, history().HISTORY_FILE_NAME);
  if (!fs.existsSync(historyPath)) {
    fail(`no performance history at ${historyPath}; run vitest with the tdd-fast/testing/reporter reporter first`);
    return null;
  }
  return history().PerfHistory.open(historyPath, { readonly: true });
}

function fail(message: string): void {
  process.stderr.write(`tdd-fast: ${message.replace(/^tdd-fast: /, "")}\n`);
  process.exitCode = 2;
}

/** What `tdd-fast perf report`, `doctor` and `testing pg start|stop|status` do. */
export const testingActions: TestingActions = {
  perfReport(options) {
    try {
      if (options.format !== 'text' && options.format !== 'json') {
        fail(`unknown --format "${options.format}" (use text or json)`);
        return;
      }
      const runs = Number(options.runs);
      const top = Number(options.top);
      if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(top) || top < 1) {
        fail('--runs and --top must be positive integers');
        return;
      }
      const perfHistory = openHistory(options.history);
      if (!perfHistory) return;
      let report;
      try {
        report = dashboard().buildReport(perfHistory, { runs, top });
      } finally {
        perfHistory.close();
      }
      if (options.html) {
        const target = path.resolve(options.html);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, dashboard().renderHtml(report));
        process.stderr.write(`tdd-fast: wrote ${target}\n`);
      }
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : dashboard().formatReportText(report));
    } catch (error) {
      fail((error as Error).message);
    }
  },

  perfFlaky(options) {
    try {
      if (options.format !== 'text' && options.format !== 'json') {
        fail(`unknown --format "${options.format}" (use text or json)`);
        return;
      }
      const runs = Number(options.runs);
      if (!Number.isInteger(runs) || runs < 2) {
        fail('--runs must be an integer of at least 2 (a flip needs two runs)');
        return;
      }
      const perfHistory = openHistory(options.history);
      if (!perfHistory) return;
      let report;
      try {
        report = flaky().classifyFlaky(perfHistory, runs);
      } finally {
        perfHistory.close();
      }
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : flaky().formatFlakyText(report, runs));
      if (options.failOnFlaky && report.flaky.length > 0) {
        process.stderr.write(`tdd-fast: ${report.flaky.length} flaky test(s) found (--fail-on-flaky)\n`);
        process.exitCode = 1;
      }
    } catch (error) {
      fail((error as Error).message);
    }
  },

  doctor() {
    try {
      const lines = doctorLines().describeDoctor();
      const width = Math.max(...lines.map((l) => l.name.length));
      for (const line of lines) process.stdout.write(`${line.name.padEnd(width)}  ${line.value}  — ${line.reason}\n`);
    } catch (error) {
      fail((error as Error).message);
    }
  },

  async pgStart(options) {
    try {
      if (options.format !== 'text' && options.format !== 'json') {
        fail(`unknown --format "${options.format}" (use text or json)`);
        return;
      }
      const port = options.port === undefined ? undefined : Number(options.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
        fail('--port must be an integer in 1..65535');
        return;
      }
      const dataDir = options.dataDir ? path.resolve(options.dataDir) : pgSelect().localClusterDir();
      const server = await pgServer().startPostgres({ dataDir, port, detached: true });
      if (options.format === 'json') {
        const { stop: _stop, ...info } = server;
        process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      } else {
        process.stdout.write(`${server.url}\n`);
        process.stderr.write(
          `tdd-fast: PostgreSQL ${server.version} ${server.reused ? 'already running' : 'started'} (pid ${server.pid}, data ${server.dataDir}); ` +
            `export TDD_FAST_PG_URL=${server.url}; stop it with \`npx tdd-fast testing pg stop\`\n`,
        );
      }
    } catch (error) {
      fail((error as Error).message);
    }
  },

  async pgStop(options) {
    try {
      const dataDir = options.dataDir ? path.resolve(options.dataDir) : pgSelect().localClusterDir();
      const stopped = await pgServer().stopPostgresAt(dataDir);
      process.stderr.write(stopped ? `tdd-fast: stopped the server in ${dataDir}\n` : `tdd-fast: no server running in ${dataDir}\n`);
    } catch (error) {
      fail((error as Error).message);
    }
  },

  pgStatus(options) {
    const dataDir = options.dataDir ? path.resolve(options.dataDir) : pgSelect().localClusterDir();
    const running = pgServer().runningPostgres(dataDir);
    if (running) process.stdout.write(`${running.url}\n`);
    else {
      process.stderr.write(`tdd-fast: no server running in ${dataDir}\n`);
      process.exitCode = 1;
    }
  },
};
