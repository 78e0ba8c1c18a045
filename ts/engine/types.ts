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
  /**
   * The resolved type (annotation, JSDoc, or the `.d.ts` beside a `.js`); null when nothing is known. Generation's
   * facts (this and the three below): present only in an analysis asked for them (`types: true`, what `generate` asks).
   */
  shape?: TypeShape | null;
  /**
   * When `shape` is null, unresolved or a cut `ref`: the shape the parameter's usage, default value or name implies
   * (crates/tdd_fast_core/src/testgen/types/infer.rs); null when nothing is known or the declaration says enough.
   */
  inferred?: TypeShape | null;
  /** The default value as a structured value; null without a default. */
  defaultCase?: CaseValue | null;
  /** What the parameter's name says it holds (the core's domain table, patterns/domain.rs), with a typical value. */
  domain?: ParamDomain | null;
}

export interface ParamDomain {
  /** `email`, `url`, `date`, `flag`, `duration`, ... */
  name: string;
  /** The kind of `typical`. */
  kind: 'string' | 'number' | 'boolean' | 'date';
  typical: CaseValue;
}

/**
 * A literal the function's code compares against or uses (crates/tdd_fast_core/src/testgen/constants.rs). A bigint's
 * `literal` is its decimal text and its `code` ends in `n`.
 */
export interface FunctionConstant {
  code: string;
  literal: string | number | boolean;
}

/** A resolved type from the core (crates/tdd_fast_core/src/testgen/types/). TypeScript never parses type text. */
export type TypeShape =
  | { kind: 'string' | 'number' | 'boolean' | 'bigint' | 'symbol' | 'null' | 'undefined' | 'void' | 'any' | 'unknown' | 'never' }
  | { kind: 'literal'; value: string | number | boolean; code: string }
  | { kind: 'union'; types: TypeShape[] }
  | { kind: 'intersection'; types: TypeShape[] }
  | { kind: 'array'; element: TypeShape; readonly: boolean }
  | { kind: 'tuple'; elements: TupleElementShape[] }
  | { kind: 'object'; name: string | null; properties: PropertyShape[]; index: IndexShape | null }
  | { kind: 'record'; key: TypeShape; value: TypeShape }
  | { kind: 'function'; params: FunctionParamShape[]; returns: TypeShape }
  | { kind: 'date' }
  | { kind: 'regexp' }
  | { kind: 'error' }
  | { kind: 'map'; key: TypeShape; value: TypeShape }
  | { kind: 'set'; element: TypeShape }
  | { kind: 'promise'; value: TypeShape }
  | { kind: 'enum'; name: string; members: EnumMemberShape[] }
  /** `path`: project-relative declaring file. */
  | { kind: 'class'; name: string; path: string | null; exportPath: string[] | null }
  /** A recursion (or size/depth limit) cut: the named type is already being expanded. */
  | { kind: 'ref'; name: string }
  /** A named type the core could not resolve (from node_modules, an unbound generic). */
  | { kind: 'unresolved'; text: string; origin?: TypeOrigin };

/** Where an unresolved name was imported from (a package's module specifier) and the name it has there. */
export interface TypeOrigin {
  module: string;
  name: string;
}

export interface PropertyShape {
  name: string;
  shape: TypeShape;
  optional: boolean;
  readonly: boolean;
}

export interface IndexShape {
  key: TypeShape;
  value: TypeShape;
}

export interface TupleElementShape {
  shape: TypeShape;
  optional: boolean;
  rest: boolean;
}

export interface FunctionParamShape {
  name: string;
  shape: TypeShape;
  optional: boolean;
  rest: boolean;
}

export interface EnumMemberShape {
  name: string;
  value: string | number;
  /** JavaScript source of the value (`'red'`, `0`). */
  code: string;
}

/** One structured value of an edge case. */
export interface CaseValue {
  /** JavaScript expression text. */
  code: string;
  /** The value as JSON when it is JSON-representable and not null; else null (NaN, undefined, `new Date(0)`, null). */
  literal: unknown;
  description: string;
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
  /** The parameter the case applies to (null when the subject is not a parameter). Generation's (`types: true`). */
  param?: string | null;
  /**
   * `values` as structured data; placeholders become values of the parameter's type, non-inputs have none.
   * Generation's (`types: true`).
   */
  cases?: CaseValue[];
}

export interface FunctionReport {
  name: string;
  kind: FunctionKind;
  line: number;
  endLine: number;
  column: number;
  /** First line of the whole function node (for methods: of the method definition). */
  startLine: number;
  exported: boolean;
  async: boolean;
  generator: boolean;
  params: ParamInfo[];
  metrics: Metrics;
  patterns: EdgeCasePattern[];
  /**
   * Parameter usage and guard facts for test generation (crates/tdd_fast_core/src/testgen/usage.rs). Generation's facts
   * (this, `returns` and `constants`) are present only in an analysis asked for them (`types: true`).
   */
  usage?: FunctionUsage;
  /** The resolved return type, or null. Generation's (`types: true`). */
  returns?: TypeShape | null;
  /**
   * Property path from the module's export object (ESM namespace, or CommonJS `module.exports` = []) to the
   * function; for class methods, the path of their class. null when the module does not export it.
   */
  exportPath: string[] | null;
  /**
   * Comparison operands, switch cases, searched arguments, string literals and regex samples of the body (<= 64).
   * Generation's (`types: true`).
   */
  constants?: FunctionConstant[];
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
  /** `value` as a structured value. */
  valueCase: CaseValue | null;
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
  moduleFormat: ModuleFormat;
  /** `export ... from` declarations; `from` is the project-relative path of the resolved file. */
  reexports: ReExport[];
  /** `analyzeSource` with `fingerprints: true`: the text's duplicate fingerprint (for matching it against other files). */
  fingerprint?: FileFingerprint;
}

export type ModuleFormat = 'esm' | 'commonjs' | 'umd' | 'script';

export interface ReExport {
  /** The exported name (`*` for `export * from`). */
  name: string;
  from: string;
  imported: string;
}

export interface ClassField {
  name: string;
  /** The field's resolved type. Generation's (`types: true`). */
  shape?: TypeShape | null;
  static: boolean;
  readonly: boolean;
  optional: boolean;
  private: boolean;
}

export interface ClassMethod {
  name: string;
  /** `constructor`: the class's constructor is `private` or `protected` (code outside cannot `new` it). */
  kind: 'method' | 'getter' | 'setter' | 'constructor';
  static: boolean;
  async: boolean;
  /** `private`, `protected` or `#name`: code outside the class (a test) cannot call it. */
  private: boolean;
}

export interface ClassReport {
  name: string;
  line: number;
  endLine: number;
  members: number;
  lines: number;
  /** Property path from the module's export object to the class; null when not exported. */
  exportPath: string[] | null;
  constructorParams: ParamInfo[];
  fields: ClassField[];
  methods: ClassMethod[];
  /** A `function X(a) { this.a = a }` with `X.prototype.m = ...` methods. */
  functionConstructor: boolean;
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
  /**
   * Resolve every parameter, return value and class field to a `TypeShape` (`shape`, `returns`, `fields[].shape`):
   * annotations, JSDoc, relative imports and the `.d.ts` beside a `.js`, as test generation needs. Default false:
   * analysis reads no other file, and those shapes are null (each parameter keeps its written `type`).
   */
  types?: boolean;
  /** Called as files finish (throttled to about 100 calls per batch). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Analysis configuration (rules, thresholds, include/exclude, duplicates, patterns), as an object or JSON text; see
   * docs/rules.md. Validated by the core: an unknown key or a bad value throws an Error naming the key. Default: the
   * built-in defaults (the CLI finds tdd-fast.config.json / package.json "tdd-fast" itself).
   */
  config?: Record<string, unknown> | string;
}
