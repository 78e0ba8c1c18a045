/**
 * The testing toolkit's part of `tdd-fast doctor`: what is enabled and why (switches, SQLite driver, cached templates,
 * perf history, GC, annotations, the PostgreSQL backend), followed by the native core's lines from ../engine/doctor.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { describeNativeCore } from '../engine/doctor';
import { HISTORY_FILE_NAME, PerfHistory } from './history';
import { gcAvailable } from './memory';
import { describePgBackend } from './pg/select';
import { resolveSwitches } from './switches';

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
