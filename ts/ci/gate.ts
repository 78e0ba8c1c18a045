import { countFindings } from '../report/findings';
import type { AnalysisResult, Severity } from '../engine/types';

/**
 * The CI gate: whether a result fails the build. Exit codes follow ESLint: 0 clean, 1 findings over the gate.
 * - `failOn`: the lowest severity that fails the build ('error' by default; 'never' to only report).
 * - `maxWarnings`: more warnings than this fail the build (ESLint's --max-warnings), whatever `failOn` says.
 * File errors count as errors and duplicate blocks as warnings.
 */

export type FailOn = Severity | 'never';
export const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

export interface GateOptions {
  failOn?: FailOn;
  maxWarnings?: number;
}

export interface GateVerdict {
  code: 0 | 1;
  counts: Record<Severity, number>;
  /** Why the gate failed, one line each (empty when it passed). */
  reasons: string[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** `counts`: the result's findings by severity, when they were counted elsewhere (the result's files not parsed). */
export function gate(result: AnalysisResult, options: GateOptions = {}, counts = countFindings(result)): GateVerdict {
  const failOn = options.failOn ?? 'error';
  const reasons: string[] = [];
  if (failOn !== 'never') {
    const failing = (Object.keys(counts) as Severity[]).filter((s) => RANK[s] >= RANK[failOn] && counts[s] > 0);
    if (failing.length) {
      reasons.push(`${failing.map((s) => `${counts[s]} ${s}${counts[s] === 1 ? '' : 's'}`).join(', ')} (--fail-on ${failOn})`);
    }
  }
  if (options.maxWarnings !== undefined && counts.warning > options.maxWarnings) {
    reasons.push(`${counts.warning} warnings, more than --max-warnings ${options.maxWarnings} allows`);
  }
  return { code: reasons.length ? 1 : 0, counts, reasons };
}
