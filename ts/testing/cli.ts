/**
 * CLI commands of the testing toolkit, registered on the main `tdd-fast` program:
 *   tdd-fast perf report [--html <file>] [--format text|json] [--history <path>] [--runs <n>] [--top <n>]
 *   tdd-fast doctor
 * Exit codes: 0 ok, 2 usage or internal error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { registerTestingCommands as defineTestingCommands, type TestingActions } from '../cli/testing';
import { resolveSwitches } from './switches';
import { HISTORY_FILE_NAME, PerfHistory } from './history';
import { buildReport, formatReportText, renderHtml } from './dashboard';
import { gcAvailable } from './memory';
import { describeNativeCore } from '../engine/doctor';
import { describePgBackend, localClusterDir } from './pg/select';
import { runningPostgres, startPostgres, stopPostgresAt } from './pg/server';

export interface DoctorLine {
  name: string;
  value: string;
  reason: string;
}

/** What is enabled and why, as lines `tdd-fast doctor` prints (also handy in a bug report). */
export function describeDoctor(root: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): DoctorLine[] {
  const switches = resolveSwitches({}, root, env);
  const lines: DoctorLine[] = [
    {
      name: 'testing fast path (TDD_FAST_TESTING)',
      value: switches.testing.value ? 'enabled' : 'disabled',
      reason: switches.testing.reason,
    },
    {
      name: 'perf monitor (TDD_FAST_PERF_MONITOR)',
      value: switches.perfMonitor.value ? 'enabled' : 'disabled',
      reason: switches.perfMonitor.reason,
    },
    { name: 'cache directory', value: switches.cacheDir.value, reason: switches.cacheDir.reason },
    { name: 'config file', value: switches.configFile ?? '(none)', reason: `looked for tdd-fast.config.json in ${root}` },
  ];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new Database(':memory:');
    const sqlite = db.prepare('SELECT sqlite_version()').pluck().get() as string;
    db.close();
    const driver = (require('better-sqlite3/package.json') as { version: string }).version;
    lines.push({ name: 'better-sqlite3', value: `${driver} (SQLite ${sqlite})`, reason: 'native module loaded' });
  } catch (error) {
    lines.push({ name: 'better-sqlite3', value: 'unavailable', reason: (error as Error).message.split('\n')[0] });
  }
  const templatesDir = path.join(switches.cacheDir.value, 'templates');
  const images = fs.existsSync(templatesDir) ? fs.readdirSync(templatesDir).filter((f) => f.endsWith('.sqlite')) : [];
  lines.push({ name: 'cached templates', value: String(images.length), reason: templatesDir });
  const historyPath = path.join(switches.cacheDir.value, HISTORY_FILE_NAME);
  if (fs.existsSync(historyPath)) {
    try {
      const history = PerfHistory.open(historyPath, { readonly: true });
      const runs = history.runs(1000).length;
      history.close();
      lines.push({ name: 'perf history', value: `${runs} run(s)`, reason: historyPath });
    } catch (error) {
      lines.push({ name: 'perf history', value: 'unreadable', reason: (error as Error).message });
    }
  } else {
    lines.push({ name: 'perf history', value: 'none yet', reason: `${historyPath} (add the reporter to vitest)` });
  }
  lines.push({
    name: 'forced GC for heap deltas',
    value: gcAvailable() ? 'available' : 'unavailable',
    reason: gcAvailable() ? 'global.gc present' : "run vitest with NODE_OPTIONS=--expose-gc (or poolOptions execArgv) for exact deltas",
  });
  lines.push({
    name: 'GitHub annotations',
    value: env.GITHUB_ACTIONS === 'true' ? 'on' : 'off',
    reason: env.GITHUB_ACTIONS === 'true' ? 'GITHUB_ACTIONS=true' : 'not running in GitHub Actions',
  });
  lines.push(...describePgBackend(root, env));
  lines.push(...describeNativeCore(root));
  return lines;
}

function fail(message: string): void {
  process.stderr.write(`tdd-fast: ${message.replace(/^tdd-fast: /, "")}\n`);
  process.exitCode = 2;
}

/** What `tdd-fast perf report` and `tdd-fast doctor` do; ../commands/testing defines their options. */
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
      const historyPath = options.history
        ? path.resolve(options.history)
        : path.join(resolveSwitches().cacheDir.value, HISTORY_FILE_NAME);
      if (!fs.existsSync(historyPath)) {
        fail(`no performance history at ${historyPath}; run vitest with the tdd-fast/testing/reporter reporter first`);
        return;
      }
      const history = PerfHistory.open(historyPath, { readonly: true });
      let report;
      try {
        report = buildReport(history, { runs, top });
      } finally {
        history.close();
      }
      if (options.html) {
        const target = path.resolve(options.html);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, renderHtml(report));
        process.stderr.write(`tdd-fast: wrote ${target}\n`);
      }
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReportText(report));
    } catch (error) {
      fail((error as Error).message);
    }
  },

  doctor() {
    try {
      const lines = describeDoctor();
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
      const dataDir = options.dataDir ? path.resolve(options.dataDir) : localClusterDir();
      const server = await startPostgres({ dataDir, port, detached: true });
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
      const dataDir = options.dataDir ? path.resolve(options.dataDir) : localClusterDir();
      const stopped = await stopPostgresAt(dataDir);
      process.stderr.write(stopped ? `tdd-fast: stopped the server in ${dataDir}\n` : `tdd-fast: no server running in ${dataDir}\n`);
    } catch (error) {
      fail((error as Error).message);
    }
  },

  pgStatus(options) {
    const dataDir = options.dataDir ? path.resolve(options.dataDir) : localClusterDir();
    const running = runningPostgres(dataDir);
    if (running) process.stdout.write(`${running.url}\n`);
    else {
      process.stderr.write(`tdd-fast: no server running in ${dataDir}\n`);
      process.exitCode = 1;
    }
  },
};

export function registerTestingCommands(program: Command): void {
  defineTestingCommands(program, () => testingActions);
}
