/**
 * Imports and helpers only dropped cases used. Under `noUnusedLocals` (Vite's templates turn it on) an import of the
 * module under test, or the `thrown`/`rejected` helper, that only a case turned into a TODO used is an error of its
 * own; the type check removes it, as a person tidies a file after deleting a test.
 */

/** TS6133 'x' is declared but its value is never read; TS6192 all imports in import declaration are unused. */
const UNUSED = new Set([6133, 6192]);

export interface UnusedProblem {
  line: number;
  code: number;
  start?: number;
  length?: number;
}

function isImportLine(line: string): boolean {
  return /^import\s/.test(line);
}

/** A top-level helper the emitters write (`function thrown(`, `async function rejected(`). */
function isHelperLine(line: string): boolean {
  return /^(async )?function [A-Za-z_$][\w$]*\(/.test(line);
}

/** An import line without the binding `local` (null: nothing left to import, drop the line). */
function withoutBinding(line: string, local: string): string | null {
  const m = /^import\s+(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s+(.+)$/.exec(line);
  if (!m) return line;
  const [, defaultName, named, from] = m;
  const keep = defaultName && defaultName !== local ? defaultName : null;
  const specifiers = (named ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s.split(/\s+as\s+/).pop() !== local);
  if (!keep && specifiers.length === 0) return null;
  const parts = [keep, specifiers.length ? `{ ${specifiers.join(', ')} }` : null].filter(Boolean);
  return `import ${parts.join(', ')} from ${from}`;
}

/** Whether `problem` is an unused binding on an import line of `lines`. */
export function unusedImport(problem: UnusedProblem, lines: string[]): boolean {
  const line = lines[problem.line - 1] ?? '';
  return UNUSED.has(problem.code) && problem.line > 0 && (isImportLine(line) || isHelperLine(line));
}

/** Lines [start, end) of the helper declared on line `i`: its doc comment above, its body to the closing brace. */
function helperLines(lines: string[], i: number): [number, number] {
  let start = i;
  if (lines[i - 1]?.startsWith('/**')) start = i - 1;
  let end = i;
  while (end < lines.length && lines[end] !== '}') end++;
  // and the blank line that separated it from what follows
  return [start, lines[end + 1] === '' ? end + 2 : end + 1];
}

/** `text` without the import bindings and helpers the problems say are unused (a whole import when all of it is). */
export function pruneUnusedImports(text: string, problems: UnusedProblem[]): string {
  const lines = text.split('\n');
  const drop = new Set<number>();
  for (const p of problems) {
    if (!unusedImport(p, lines)) continue;
    const i = p.line - 1;
    if (isHelperLine(lines[i])) {
      const [start, end] = helperLines(lines, i);
      for (let j = start; j < end; j++) drop.add(j);
      continue;
    }
    if (p.code === 6192 || p.start === undefined || p.length === undefined) {
      drop.add(i);
      continue;
    }
    const local = text.slice(p.start, p.start + p.length);
    const next = withoutBinding(lines[i], local);
    if (next === null) drop.add(i);
    else lines[i] = next;
  }
  return lines.filter((_, i) => !drop.has(i)).join('\n');
}
