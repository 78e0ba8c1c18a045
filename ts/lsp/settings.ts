/**
 * The server's settings, from the client's `initializationOptions`. Everything has the CLI's default, so a client that
 * sends nothing gets what `tdd-fast analyze` does; unknown or mistyped values fall back to the default rather than
 * stopping the server.
 */

export interface ServerSettings {
  /** Milliseconds between the last edit and the analysis; 0 analyses on every change. */
  debounceMs: number;
  /** Bytes (UTF-8); a larger buffer gets one diagnostic instead of an analysis, as `--max-file-size` does. */
  maxFileSize: number;
  /** `--max-nesting`. */
  maxNesting?: number;
  /** `--file-time-limit` (ms). */
  fileTimeLimit?: number;
  /** `--config <file>`, relative to each workspace folder. */
  configFile?: string;
  /** Cross-file duplicates from a background scan of each workspace folder (off: no `duplicate-code` findings). */
  duplicates: boolean;
  /** Worker threads of the background scan (its analysis must not take the cores the edits need). */
  scanThreads: number;
  /** Milliseconds between the last edit and the duplicate scan that reads the unsaved buffers. */
  duplicateScanDelayMs: number;
  /** Record mode: the time limit of one call, ms. */
  testTimeoutMs?: number;
  /** Record mode: vitest's `vitest.mjs` (default: resolved from the project). */
  vitestBin?: string;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  debounceMs: 150,
  maxFileSize: 2 * 1024 * 1024,
  duplicates: true,
  scanThreads: 1,
  duplicateScanDelayMs: 1000,
};

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function settingsFrom(options: unknown): ServerSettings {
  const given = (options && typeof options === 'object' ? options : {}) as Record<string, unknown>;
  return {
    debounceMs: count(given.debounceMs) ?? DEFAULT_SETTINGS.debounceMs,
    maxFileSize: count(given.maxFileSize) ?? DEFAULT_SETTINGS.maxFileSize,
    maxNesting: count(given.maxNesting),
    fileTimeLimit: count(given.fileTimeLimit),
    configFile: text(given.configFile),
    duplicates: typeof given.duplicates === 'boolean' ? given.duplicates : DEFAULT_SETTINGS.duplicates,
    scanThreads: Math.max(1, Math.floor(count(given.scanThreads) ?? DEFAULT_SETTINGS.scanThreads)),
    duplicateScanDelayMs: count(given.duplicateScanDelayMs) ?? DEFAULT_SETTINGS.duplicateScanDelayMs,
    testTimeoutMs: count(given.testTimeoutMs),
    vitestBin: text(given.vitestBin),
  };
}
