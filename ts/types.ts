/** The JSON output contract (version 1). camelCase, stable: extend freely, never rename. See docs/architecture.md. */

export type Language = 'ts' | 'tsx' | 'js' | 'jsx';
export type FunctionKind = 'function' | 'arrow' | 'method' | 'getter' | 'setter' | 'constructor';
export type Severity = 'error' | 'warning' | 'info';

export interface ParamInfo {
  /** The identifier, or the source text of a destructuring pattern. */
  name: string;
  /** TypeScript type annotation text, or null. */
  type: string | null;
  optional: boolean;
  /** Source text of the default value, or null. */
  defaultValue: string | null;
  rest: boolean;
}

export interface Metrics {
  cyclomatic: number;
  cognitive: number;
  maxDepth: number;
  params: number;
  statements: number;
  lines: number;
  maxNestedCallbacks: number;
}

export interface EdgeCasePattern {
  id: string;
  line: number;
  confidence: number;
  subject: string;
  values: string[];
  reason?: string | null;
}

export interface FunctionReport {
  name: string;
  kind: FunctionKind;
  line: number;
  endLine: number;
  column: number;
  exported: boolean;
  async: boolean;
  generator: boolean;
  params: ParamInfo[];
  metrics: Metrics;
  patterns: EdgeCasePattern[];
  /** Parameter usage and guard facts for test generation (crates/tdd_fast_core/src/usage.rs). */
  usage: FunctionUsage;
}

export interface ParamUsage {
  name: string;
  /** length, index, arithmetic, numeric-compare, string-method, array-method, iterated, called, property, spread, used. */
  hints: string[];
  /** Property names read from the parameter. */
  keys: string[];
}

export interface GuardCondition {
  subject: string;
  /** 'length' when the test is on `subject.length`. */
  path: string | null;
  /** falsy, truthy, nullish, not-nullish, null, undefined, typeof-eq, typeof-ne, eq, ne, lt, le, gt, ge, is-array,
   * not-array, nan, not-finite, not-integer. */
  op: string;
  value: string | null;
}

/** `if (<condition on params>) throw/return` directly in the function body. */
export interface Guard {
  line: number;
  action: 'throw' | 'return';
  condition: string;
  conditions: GuardCondition[];
  /** The conditions are joined by `||`. */
  any: boolean;
  complete: boolean;
  /** Only guards precede it in the body. */
  leading: boolean;
  error: string | null;
  message: string | null;
  returns: string | null;
  returnsLiteral: boolean;
  returnsParam: string | null;
}

export interface FunctionUsage {
  params: ParamUsage[];
  guards: Guard[];
  usesThis: boolean;
  /** The function (or its class) is the default export / `module.exports`. */
  defaultExport: boolean;
  /** 'instance' or 'static' for class methods, null otherwise. */
  classMember: 'instance' | 'static' | null;
}

export interface FileError {
  message: string;
  line: number;
  column: number;
  /** The `parse-error` rule's severity (`error` unless configured). Absent in reports of older versions. */
  severity?: Severity;
}

export interface Smell {
  id: string;
  line: number;
  /**
   * 1-based column (UTF-16 code units, like ESLint) of the token the smell is about: the number of a magic-number, the
   * head of the function for function rules. Absent in reports written before tdd-fast had it.
   */
  column?: number;
  endLine: number;
  /** 1-based column just after the end of what the smell covers (ESLint's `endColumn`). */
  endColumn?: number;
  severity: Severity;
  message: string;
  function: string | null;
  value: number;
  threshold: number;
}

export interface FileReport {
  path: string;
  language: Language;
  hash: string;
  lines: number;
  errors: FileError[];
  functions: FunctionReport[];
  smells: Smell[];
  /** Size of every class in the file (members: methods, accessors, properties, constructor, static blocks). */
  classes?: ClassReport[];
}

export interface ClassReport {
  name: string;
  line: number;
  endLine: number;
  members: number;
  lines: number;
}

export interface DuplicateLocation {
  path: string;
  line: number;
  endLine: number;
}

export interface Duplicate {
  lines: number;
  tokens: number;
  locations: DuplicateLocation[];
  /** The `duplicate-code` rule's severity (`warning` unless configured). Absent in reports of older versions. */
  severity?: Severity;
}

export interface CacheSummary {
  hits: number;
  misses: number;
}

export interface Summary {
  files: number;
  functions: number;
  smells: number;
  errors: number;
  cache: CacheSummary;
  ms: number;
}

export interface PhaseTime {
  phase: 'walk' | 'read' | 'hash' | 'cache' | 'parse' | 'visit' | 'rules' | 'duplicates' | 'output';
  /** Thread-time summed over worker threads. */
  ms: number;
}

export interface ProfileReport {
  phases: PhaseTime[];
  filesRead: number;
  bytesRead: number;
  threads: number;
}

export interface AnalysisResult {
  version: 1;
  files: FileReport[];
  duplicates: Duplicate[];
  summary: Summary;
  /** Problems that did not stop the run (e.g. an unusable cache file that was rebuilt). */
  warnings?: string[];
  /** Present with `profile: true` / `--profile`. */
  profile?: ProfileReport;
  /** Present in the report of one `--shard i/n` run; `tdd-fast merge-reports` combines the shards' reports. */
  shard?: ShardInfo;
  /** Shard reports (and `fingerprints: true`): each file's duplicate fingerprint, for matching duplicates across shards. */
  fingerprints?: FileFingerprint[];
}

/** A file's token fingerprint for duplicate matching, compactly encoded (see crates/tdd_fast_core/src/shard.rs). */
export interface FileFingerprint {
  path: string;
  /** Base64 of one code per token. */
  tokens: string;
  /** Base64 of the token lines as varint deltas. */
  lines: string;
}

export interface ShardInfo {
  /** 1-based. */
  index: number;
  total: number;
  /** Files in all shards together (the unsharded run's count), so a merge can tell a shard is missing. */
  allFiles: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  evictions: number;
  entries: number;
  bytes: number;
  loadedFromDisk: boolean;
  hitRate: number;
}

export interface AnalyzeOptions {
  /** Directory paths in the report are relative to. Default: process.cwd(). */
  root?: string;
  /** Files larger than this many bytes get a per-file error instead of being analysed. Default 2 MB. */
  maxFileSize?: number;
  /** Files whose estimated nesting (brackets plus chained operators) is deeper get a per-file error. Default 10,000. */
  maxNesting?: number;
  /** Milliseconds; a file whose analysis takes longer gets a per-file error instead of results. Default 10,000; 0 = off. */
  fileTimeLimit?: number;
  /** Worker threads in the native core. Default: available cores. */
  threads?: number;
  /** Use the content-hash cache. Default true. */
  cache?: boolean;
  /** The persistent cache file. Default: node_modules/.cache/tdd-fast/analysis.bin under the root. */
  cacheLocation?: string;
  /** Add per-phase timings (`result.profile`). */
  profile?: boolean;
  /** Add each file's duplicate fingerprint (`result.fingerprints`), as `--shard` reports do for `mergeReports`. */
  fingerprints?: boolean;
  /** Called as files finish (throttled to about 100 calls per batch). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Analysis configuration (rules, thresholds, include/exclude, duplicates, patterns), as an object or JSON text; see
   * docs/rules.md. Validated by the core: an unknown key or a bad value throws an Error naming the key. Default: the
   * built-in defaults (the CLI finds tdd-fast.config.json / package.json "tdd-fast" itself).
   */
  config?: Record<string, unknown> | string;
}
