/**
 * On/off switches and the cache directory, resolved in one place so `tdd-fast doctor` can say what is enabled and why.
 *
 * Precedence (first match wins): environment variable > option passed in code > `tdd-fast.config.json`
 * (`{"testing": {"enabled": true, "perfMonitor": true, "cacheDir": "..."}}`) in the project root > default.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TestingConfig {
  /** Template caching and fast clones. Off: every `fresh()` re-runs the DDL and seed (the plain, slow baseline). */
  enabled?: boolean;
  /** The performance reporter records history and raises alerts. Off: it stays silent and writes nothing. */
  perfMonitor?: boolean;
  /** Where templates, history and lock files live. */
  cacheDir?: string;
}

export interface ResolvedSwitch<T> {
  value: T;
  /** Human-readable origin, e.g. `env TDD_FAST_TESTING=0`. */
  reason: string;
}

export interface ResolvedSwitches {
  testing: ResolvedSwitch<boolean>;
  perfMonitor: ResolvedSwitch<boolean>;
  cacheDir: ResolvedSwitch<string>;
  configFile: string | null;
}

export const CONFIG_FILE_NAME = 'tdd-fast.config.json';

function parseBooleanEnv(raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(value)) return true;
  if (['0', 'false', 'off', 'no'].includes(value)) return false;
  return undefined;
}

function readConfigFile(root: string): { config: TestingConfig; file: string | null } {
  const file = path.join(root, CONFIG_FILE_NAME);
  if (!fs.existsSync(file)) return { config: {}, file: null };
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { testing?: TestingConfig };
    return { config: parsed.testing ?? {}, file };
  } catch (error) {
    throw new Error(`tdd-fast: cannot parse ${file}: ${(error as Error).message}`);
  }
}

function resolveBoolean(
  envName: string,
  optionValue: boolean | undefined,
  fileValue: boolean | undefined,
  configFile: string | null,
  env: NodeJS.ProcessEnv,
): ResolvedSwitch<boolean> {
  const raw = env[envName];
  const fromEnv = parseBooleanEnv(raw);
  if (fromEnv !== undefined) return { value: fromEnv, reason: `env ${envName}=${raw}` };
  if (optionValue !== undefined) return { value: optionValue, reason: 'option passed in code' };
  if (fileValue !== undefined) return { value: fileValue, reason: `${configFile}` };
  const ignored = raw !== undefined && raw.trim() !== '' ? ` (ignored unrecognised ${envName}=${raw})` : '';
  return { value: true, reason: `default${ignored}` };
}

export function resolveSwitches(
  options: TestingConfig = {},
  root: string = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): ResolvedSwitches {
  const { config, file } = readConfigFile(root);
  const testing = resolveBoolean('TDD_FAST_TESTING', options.enabled, config.enabled, file, env);
  const perfMonitor = resolveBoolean('TDD_FAST_PERF_MONITOR', options.perfMonitor, config.perfMonitor, file, env);
  let cacheDir: ResolvedSwitch<string>;
  if (env.TDD_FAST_CACHE_DIR) {
    cacheDir = { value: path.resolve(root, env.TDD_FAST_CACHE_DIR), reason: 'env TDD_FAST_CACHE_DIR' };
  } else if (options.cacheDir) {
    cacheDir = { value: path.resolve(root, options.cacheDir), reason: 'option passed in code' };
  } else if (config.cacheDir) {
    cacheDir = { value: path.resolve(root, config.cacheDir), reason: `${file}` };
  } else {
    cacheDir = { value: path.join(root, 'node_modules', '.cache', 'tdd-fast'), reason: 'default' };
  }
  return { testing, perfMonitor, cacheDir, configFile: file };
}

/** The cache directory, created if missing. */
export function ensureCacheDir(options: TestingConfig = {}, root: string = process.cwd()): string {
  const dir = resolveSwitches(options, root).cacheDir.value;
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
