export { analyzeFiles, analyzeSource, clearCaches, defaultCacheLocation, getCacheStats, nativeVersion, type AnalyzeSourceOptions } from './engine/api';
export { formatters, format, type FormatterName } from './report';
export type { FormatContext, Formatter } from './report';
export { mergeReports } from './ci/merge';
export { gate, type FailOn, type GateOptions, type GateVerdict } from './ci/gate';
export { applyBaseline, createBaseline, readBaseline, writeBaseline, type Baseline, type BaselineEntry } from './ci/baseline';
export { partition, listFiles, type ShardSpec } from './ci/shard';
export { changedFiles } from './ci/git';
export type * from './engine/types';
export {
  TddOrchestrator,
  type TddEngine,
  type TddOrchestratorOptions,
  type GenerateOptions,
  type GenerateResult,
} from './session/orchestrator';
export { SessionStore, type SessionStoreOptions } from './session/store';
export { SessionStoreError, type SessionStoreErrorCode } from './session/errors';
export type * from './session/types';
export {
  generateTests,
  generateTestsBatch,
  planFile,
  renderFile,
  isGeneratedFile,
  GenerateError,
  type GenerateErrorCode,
  type FilePlan,
  type FunctionPlan,
  type TestCase,
  type Expectation,
  type Scenario,
} from './generate';
