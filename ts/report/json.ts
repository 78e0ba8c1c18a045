import type { AnalysisResult } from '../engine/types';

/** The result as indented JSON (the CLI prints the native core's compact text instead when nothing rewrote it). */
export const json = (result: AnalysisResult) => JSON.stringify(result, null, 2) + '\n';
