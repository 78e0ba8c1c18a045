export { analyzeFiles, analyzeSource, clearCaches, defaultCacheLocation, getCacheStats, nativeVersion } from './api';
export { formatters, format, type FormatterName } from './report';
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
