/**
 * Loads the native core: the prebuilt per-platform package when installed from npm, the local build in a clone
 * (both handled by the napi-rs generated loader in native/binding.js). Fails with a message naming the platform.
 */

export interface NativeAnalyzeOptions {
  root?: string;
  maxFileSize?: number;
  maxNesting?: number;
  fileTimeLimit?: number;
  threads?: number;
  cache?: boolean;
  cacheLocation?: string;
  profile?: boolean;
  /** Analysis configuration as JSON text (validate it with checkConfigJson first). */
  config?: string;
  /** Put each file's duplicate fingerprint in the result (shard reports). */
  fingerprints?: boolean;
}

export interface NativeBinding {
  analyzeFilesJson(
    paths: string[],
    options?: NativeAnalyzeOptions,
    progress?: (done: number, total: number) => void,
  ): Promise<string>;
  /**
   * Like analyzeFilesJson, as UTF-8 bytes, plus `envelope` (the same result without its files, as JSON text) and the
   * totals of its findings by severity (file errors, smells and duplicate blocks, each at its rule's severity).
   */
  analyzeFilesText(
    paths: string[],
    options?: NativeAnalyzeOptions,
    progress?: (done: number, total: number) => void,
  ): Promise<{
    json: Buffer;
    envelope: string;
    fileErrors: number;
    errors: number;
    warnings: number;
    infos: number;
  }>;
  cacheStatsJson(): string;
  clearCaches(): void;
  analyzeSourceJson(code: string, filename: string, options?: NativeAnalyzeOptions, functionName?: string): string;
  nativeVersion(): string;
  /** The rule catalogue (smells, patterns, other findings) with each rule's docs, as JSON text. */
  ruleDocsJson(): string;
  /** Throws an Error naming the offending key when the configuration JSON is invalid. */
  checkConfigJson(config: string): void;
  listFilesJson(paths: string[], options?: NativeAnalyzeOptions): string;
  /** Duplicates across the given fingerprints (`FileFingerprint[]` JSON, in run order), with `options.config`'s settings. */
  mergeDuplicatesJson(fingerprints: string, options?: NativeAnalyzeOptions): string;
  /** A sample of the JSON contract with every field present: `{ report, failed, shapes }` (for contract tests). */
  contractSampleJson(): string;
}

let binding: NativeBinding | undefined;

export function native(): NativeBinding {
  if (binding) return binding;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    binding = require('../../native/binding.js') as NativeBinding;
    return binding;
  } catch (cause) {
    const platform = `${process.platform}-${process.arch}`;
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new Error(
      `tdd-fast: no native core for ${platform}. Installed from npm, the optional package ` +
        `tdd-fast-${platform}* should have been installed (check that optional dependencies are not omitted); ` +
        `in a clone, run \`npm install\` (or \`npm run build:native\`) to build it from source with cargo. (${reason})`,
      { cause },
    );
  }
}
