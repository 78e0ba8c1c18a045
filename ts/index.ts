export { analyzeFiles, analyzeSource, clearCaches, defaultCacheLocation, getCacheStats, nativeVersion, type AnalyzeSourceOptions } from './api';
export { formatters, format, type FormatterName } from './report';
export type { FormatContext, Formatter } from './report';
export { mergeReports } from './merge';
export { gate, type FailOn, type GateOptions, type GateVerdict } from './gate';
export { applyBaseline, createBaseline, readBaseline, writeBaseline, type Baseline, type BaselineEntry } from './baseline';
export { partition, listFiles, type ShardSpec } from './shard';
export { changedFiles } from './git';
export type * from './types';
export {
  TddOrchestrator,
  type TddEngine,
  type TddOrchestratorOptions,
  type GenerateOptions,
  type GenerateResult,
} from './orchestrator';
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
