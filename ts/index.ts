export { analyzeFiles, analyzeSource, nativeVersion } from './api';
export { formatters, format, type FormatterName } from './report';
export type * from './types';
