/**
 * The core's findings-only product (crates/tdd_fast_core/src/findings.rs): what `analyze` hands the formats that print
 * findings only, so that they do not parse every function's facts. Each file is a `FileReport` whose `functions` holds
 * only the functions its smells name, each with empty `params` and `patterns` (what stylish lists of them is their
 * name, line and metrics), with empty `classes` and `reexports`, plus `functionCount`.
 */
import type { FileReport } from './types';

export interface FindingsFileReport extends FileReport {
  /** How many functions the file has (its `functions` holds only those its smells name). */
  functionCount: number;
}

/** How many functions a file report stands for: all of them, also when it is a findings report. */
export function functionCount(file: FileReport): number {
  const count = (file as Partial<FindingsFileReport>).functionCount;
  return typeof count === 'number' ? count : file.functions.length;
}
