/**
 * The constants of the functions written inside a function, added to its own: `parts.forEach((part) => { if (key ===
 * 'expires') ... })` compares with `'expires'` in a callback the core reports as a function of its own, yet it runs
 * when the enclosing function runs, so the enclosing function's search is the one that must try the value. A
 * function's own constants come first; the nested ones follow, each once, within the core's limit.
 */
import type { FileReport, FunctionConstant, FunctionReport } from '../engine/types';

/** Constants a function carries at most (the core's limit for its own). */
const MAX_CONSTANTS = 64;

/** `inner` lies inside `outer` (their spans as the core reports them: first line of the node to its last). */
function inside(inner: FunctionReport, outer: FunctionReport): boolean {
  if (inner === outer) return false;
  const start = (f: FunctionReport) => f.startLine ?? f.line;
  const after = start(inner) > start(outer) || (start(inner) === start(outer) && inner.column > outer.column);
  return after && inner.endLine <= outer.endLine;
}

/** The report with each function's constants followed by those of the functions nested in it. */
export function withNestedConstants(report: FileReport): FileReport {
  const functions = report.functions.map((fn) => {
    const nested = report.functions.filter((other) => inside(other, fn) && other.constants?.length);
    if (nested.length === 0 || !fn.constants) return fn;
    const seen = new Set(fn.constants.map((c) => c.code));
    const added: FunctionConstant[] = [];
    for (const c of nested.flatMap((other) => other.constants ?? [])) {
      if (seen.has(c.code)) continue;
      seen.add(c.code);
      added.push(c);
    }
    return added.length ? { ...fn, constants: [...fn.constants, ...added].slice(0, MAX_CONSTANTS) } : fn;
  });
  return { ...report, functions };
}
