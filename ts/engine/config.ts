/**
 * Finds and merges the analysis configuration: `tdd-fast.config.json`, or a `tdd-fast` key in package.json, searched
 * upward from the root (the nearest directory with either wins; the config file before package.json), then CLI flags
 * on top (`--preset recommended|all`, `--rule id=off|info|warning|error`, `--threshold id=N` / `id.option=N`). The
 * preset (`"preset"`, default `recommended`) is the core's: it sets the rules' starting severities and thresholds. The native core validates the
 * result and its errors name the key; they are rethrown here with the file they came from.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { native } from './native';

export const CONFIG_FILE = 'tdd-fast.config.json';

export type ConfigObject = Record<string, unknown>;

export interface LoadedConfig {
  config: ConfigObject;
  /** Where it came from (a file path, `package.json#tdd-fast`), or undefined for defaults. */
  source?: string;
}

export class ConfigError extends Error {
  /** The file the problem is in (a config file or package.json), when known: the editor shows the error there. */
  file?: string;

  constructor(message: string, file?: string) {
    super(message);
    this.name = 'ConfigError';
    this.file = file;
  }
}

function readJson(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`tdd-fast config: ${file} is not valid JSON: ${(error as Error).message}`, file);
  }
}

/** `--config <file>`: a config file, or a package.json's `tdd-fast` key. */
function explicitConfig(root: string, explicitFile: string): LoadedConfig {
  const file = path.resolve(root, explicitFile);
  if (!fs.existsSync(file)) throw new ConfigError(`tdd-fast config: ${file} does not exist (--config)`);
  const value = readJson(file);
  if (path.basename(file) === 'package.json') {
    return { config: ((value as ConfigObject)['tdd-fast'] ?? {}) as ConfigObject, source: `${file}#tdd-fast` };
  }
  return { config: value as ConfigObject, source: file };
}

/** The configuration for `root`: an explicit file, else the nearest config file or package.json key upward. */
export function findConfig(root: string, explicitFile?: string): LoadedConfig {
  if (explicitFile) return explicitConfig(root, explicitFile);
  let dir = path.resolve(root);
  for (;;) {
    const file = path.join(dir, CONFIG_FILE);
    if (fs.existsSync(file)) return { config: readJson(file) as ConfigObject, source: file };
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      const value = readJson(pkg) as ConfigObject | null;
      if (value && typeof value === 'object' && 'tdd-fast' in value) {
        return { config: value['tdd-fast'] as ConfigObject, source: `${pkg}#tdd-fast` };
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { config: {} };
    dir = parent;
  }
}

function splitPair(flag: string, value: string): [string, string] {
  const at = value.lastIndexOf('=');
  if (at <= 0 || at === value.length - 1) {
    throw new ConfigError(`tdd-fast config: ${flag} expects id=value, got "${value}"`);
  }
  return [value.slice(0, at).trim(), value.slice(at + 1).trim()];
}

function ruleEntry(rules: ConfigObject, id: string): ConfigObject {
  const current = rules[id];
  const entry: ConfigObject =
    typeof current === 'string' ? { severity: current } : current && typeof current === 'object' ? { ...(current as ConfigObject) } : {};
  rules[id] = entry;
  return entry;
}

/**
 * Applies `--preset name`, `--rule id=severity` and `--threshold id[.option]=N` flags on top of a config object (a
 * copy). The preset replaces the config's; the core validates its name.
 */
export function applyFlags(config: ConfigObject, rules: string[] = [], thresholds: string[] = [], preset?: string): ConfigObject {
  if (!rules.length && !thresholds.length && preset === undefined) return config;
  const out: ConfigObject = { ...config };
  if (preset !== undefined) out.preset = preset;
  const ruleMap: ConfigObject = { ...((out.rules as ConfigObject | undefined) ?? {}) };
  for (const flag of rules) {
    const [id, severity] = splitPair('--rule', flag);
    ruleEntry(ruleMap, id).severity = severity;
  }
  for (const flag of thresholds) {
    const [key, raw] = splitPair('--threshold', flag);
    const dot = key.indexOf('.');
    const id = dot < 0 ? key : key.slice(0, dot);
    const option = dot < 0 ? 'threshold' : key.slice(dot + 1);
    const value = Number(raw);
    // Non-numbers go through as text so the core's error names the key.
    ruleEntry(ruleMap, id)[option] = raw !== '' && Number.isFinite(value) ? value : raw;
  }
  out.rules = ruleMap;
  return out;
}

/** Validates configuration JSON in the native core; throws a ConfigError naming the key (and the source). */
export function checkConfig(json: string, source?: string): void {
  try {
    native().checkConfigJson(json);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(source ? `${message} (in ${source})` : message);
  }
}

/** Finds, merges and validates: the JSON text the core receives. */
export function resolveConfig(
  root: string,
  options: { config?: string; preset?: string; rule?: string[]; threshold?: string[] } = {},
): { json: string; source?: string } {
  const found = findConfig(root, options.config);
  const file = found.source?.replace(/#tdd-fast$/, '');
  if (found.config === null || typeof found.config !== 'object' || Array.isArray(found.config)) {
    throw new ConfigError(`tdd-fast config: expected an object${found.source ? ` in ${found.source}` : ''}`, file);
  }
  const merged = applyFlags(found.config, options.rule, options.threshold, options.preset);
  const json = JSON.stringify(merged);
  const flagged = options.rule?.length || options.threshold?.length || options.preset !== undefined;
  try {
    checkConfig(json, [found.source, flagged ? 'command-line flags' : undefined].filter(Boolean).join(' + ') || undefined);
  } catch (error) {
    if (error instanceof ConfigError) error.file ??= file;
    throw error;
  }
  return { json, source: found.source };
}
