/**
 * The case blocks of an emitted test file: each case starts at its marker line (markers.ts) and ends before the next
 * marker or its \`describe\`'s end. The parse check (emitted-check.ts), the type check (emitted-typecheck.ts, in its
 * worker thread: nothing here loads the native core) and the verify run find and rewrite cases through these.
 */
import { CASE_MARKER } from './markers';

/** Lines [start, end) of each case block: from its marker to the next marker or the end of its `describe`. */
export function caseBlocks(lines: string[]): Array<{ id: string; start: number; end: number }> {
  const blocks: Array<{ id: string; start: number; end: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (!trimmed.startsWith(CASE_MARKER)) continue;
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith(CASE_MARKER) && lines[j] !== '});') j++;
    blocks.push({ id: trimmed.slice(CASE_MARKER.length).trim(), start: i, end: j });
  }
  return blocks;
}

/** The id of the case whose block holds 1-based `line`, or null when the line lies outside every case. */
export function caseOfLine(blocks: ReturnType<typeof caseBlocks>, line: number): string | null {
  return blocks.find((b) => line - 1 >= b.start && line - 1 < b.end)?.id ?? null;
}

function todoBlock(id: string, lines: string[], start: number, why: string): string[] {
  const title = lines.slice(start + 1).find((l) => /^ {2}it(\.todo)?\(/.test(l));
  const literal = title?.match(/^ {2}it(?:\.todo)?\(('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/)?.[1] ?? JSON.stringify(`case ${id}`);
  return [`  ${CASE_MARKER}${id}`, `  it.todo(${literal});`, `  // TODO(tdd-fast): ${why.replace(/\n/g, ' ')}`];
}

/** `text` with each case of `reasons` (id -> reason) written as an `it.todo` whose comment is `todo(reason)`. */
export function replaceCases(text: string, reasons: Map<string, string>, todo: (reason: string) => string): string {
  const lines = text.split('\n');
  // From the last block up, so earlier line numbers stay valid.
  for (const block of caseBlocks(lines).filter((b) => reasons.has(b.id)).sort((a, b) => b.start - a.start)) {
    lines.splice(block.start, block.end - block.start, ...todoBlock(block.id, lines, block.start, todo(reasons.get(block.id) ?? '')));
  }
  return lines.join('\n');
}
