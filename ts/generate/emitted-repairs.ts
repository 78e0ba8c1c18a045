/**
 * Repairs of a generated case that does not type-check (emitted-typecheck.ts), tried before the case is given up as
 * a TODO. Each rule reads tsc's diagnostic and rewrites only the case's own lines, into what a person would write:
 *
 * - **excess arguments** (TS2554 `Expected 0 arguments, but got 3`): the search calls a runtime function through its
 *   arity (a built-in's `toString(...args)`), the declaration takes fewer; the arguments past the declared ones go.
 * - **a spy whose type does not resolve** (`vi.fn<NonNullable<Parameters<typeof instance.optional>[0]>>(() => true)`
 *   under an overloaded method: `Parameters` reads the last overload, which may take nothing; or a constructor's
 *   `ConstructorParameters<typeof C>[1]` that is a union, not a function type alone): a callback without
 *   parameters becomes `vi.fn(() => true)`, typed by its own code; one with parameters is passed inline, where the
 *   call's overloads type it, and its call assertions go.
 * - **an implicitly `any` callback parameter** (TS7006 on `(value) => value` where nothing types the callback): the
 *   parameter is annotated `unknown`, which every use in a generated callback accepts.
 *
 * A repaired case is checked again; one still ill-typed becomes a TODO as before. Whatever a repair changes in the
 * call, the verify run (record.ts) runs the case again and turns it into a TODO when its recorded values do not hold.
 */
import type { TypeProblem } from './emitted-typecheck';

export interface CaseProblem extends TypeProblem {
  /** 0-based index, within the case's lines, of the line the diagnostic starts on, and the column there. */
  row: number;
  column: number;
}

/** `const callback2 = vi.fn<NonNullable<Parameters<typeof callee>[1]>>(code);` (`ConstructorParameters` for a class). */
const TYPED_SPY = /^(\s*)const (callback\d*) = vi\.fn<NonNullable<(?:Constructor)?Parameters<typeof [^>]+>\[\d+\]>>\((.*)\);$/;

/** TS2554's counts: `Expected 1-3 arguments, but got 5.` -> the most the call may take, and how many it passes. */
function arity(problem: TypeProblem): { max: number; got: number } | null {
  const m = /^Expected (\d+)(?:-(\d+))? arguments, but got (\d+)/.exec(problem.message);
  return m ? { max: Number(m[2] ?? m[1]), got: Number(m[3]) } : null;
}

/** The line without the arguments the diagnostic marks as excess (from the comma before the first of them). */
function withoutExcess(line: string, problem: CaseProblem): string | null {
  if (problem.length === undefined) return null;
  const end = problem.column + problem.length;
  if (end > line.length) return null;
  let from = problem.column;
  while (from > 0 && /\s/.test(line[from - 1])) from--;
  if (line[from - 1] === ',') from--;
  else if (line[from - 1] !== '(') return null;
  return line.slice(0, from) + line.slice(end);
}

/** The callback's parameter at the diagnostic annotated `unknown` (`(value) =>` -> `(value: unknown) =>`). */
function annotated(line: string, problem: CaseProblem): string | null {
  const name = /^Parameter '([\w$]+)' implicitly has an 'any' type/.exec(problem.message)?.[1];
  if (!name || line.slice(problem.column, problem.column + name.length) !== name) return null;
  const after = line.slice(problem.column + name.length);
  // only a plain parameter inside parentheses (`(a, b) =>`), never one that has a type or a default already
  if (!/^\s*[,)]/.test(after)) return null;
  return `${line.slice(0, problem.column + name.length)}: unknown${after}`;
}

/** Lines of the case with its typed spies that did not type-check untyped, or inlined into the call. */
function untypedSpies(lines: string[], failing: Set<number>): string[] | null {
  let out = [...lines];
  let changed = false;
  for (const row of [...failing].sort((a, b) => b - a)) {
    const m = TYPED_SPY.exec(out[row]);
    if (!m) continue;
    const [, indent, name, code] = m;
    changed = true;
    if (/^\(\)\s*=>/.test(code)) {
      out[row] = `${indent}const ${name} = vi.fn(${code});`;
      continue;
    }
    const used = new RegExp(`\\b${name}\\b`);
    out = out.flatMap((line, i) => {
      if (i === row) return [];
      if (/^\s*expect\(/.test(line) && line.includes(`expect(${name})`)) return [];
      // the title and the marker are text, not code
      if (/^\s*(it\(|\/\/)/.test(line)) return [line];
      return [used.test(line) ? line.replace(new RegExp(`\\b${name}\\b`, 'g'), code) : line];
    });
  }
  return changed ? out : null;
}

/**
 * The case's lines repaired so that each of its problems may go away, or null when some problem has no repair (the
 * case then becomes a TODO at once). A typed spy that failed excuses the other problems of its case: most of them
 * come from the spy's type (the call rejecting a `Mock` of the wrong type), and the check after the repair decides.
 */
export function repairCase(lines: string[], problems: CaseProblem[]): string[] | null {
  const spyRows = new Set(problems.filter((p) => TYPED_SPY.test(lines[p.row] ?? '')).map((p) => p.row));
  if (spyRows.size) return untypedSpies(lines, spyRows);
  const out = [...lines];
  // right to left within a line, so the columns of the problems not yet applied stay valid
  for (const problem of [...problems].sort((a, b) => b.row - a.row || b.column - a.column)) {
    const line = out[problem.row];
    if (line === undefined) return null;
    let next: string | null = null;
    if (problem.code === 2554) {
      const counts = arity(problem);
      next = counts && counts.got > counts.max ? withoutExcess(line, problem) : null;
    } else if (problem.code === 7006) {
      next = annotated(line, problem);
    }
    if (next === null) return null;
    out[problem.row] = next;
  }
  return out;
}
