/**
 * Splits a PostgreSQL migration file into statements, so a failure names the file, the statement and its line.
 */

export interface SqlStatement {
  sql: string;
  /** 1-based line of the statement's first character in its file. */
  line: number;
}

/**
 * Splits SQL text into statements at top-level semicolons, skipping those inside quotes ('', "", E'', dollar quotes
 * $tag$...$tag$), comments (--, nested /* *\/) and `BEGIN ATOMIC ... END` bodies. Drizzle's
 * `--> statement-breakpoint` markers are ordinary comments here.
 */
export function splitStatements(text: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let start = 0;
  let i = 0;
  let atomicDepth = 0;
  const n = text.length;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const trimmed = raw.trim();
    if (trimmed && !isOnlyComments(trimmed)) {
      // The line of the statement's first token, after any leading comments.
      let offset = start;
      for (;;) {
        while (offset < end && /\s/.test(text[offset])) offset++;
        if (text.startsWith('--', offset)) {
          const eol = text.indexOf('\n', offset);
          offset = eol < 0 || eol > end ? end : eol + 1;
        } else if (text.startsWith('/*', offset)) {
          const close = text.indexOf('*/', offset + 2);
          offset = close < 0 || close > end ? end : close + 2;
        } else break;
      }
      out.push({ sql: text.slice(offset, end).trim(), line: lineAt(text, offset) });
    }
  };
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') (depth++, (i += 2));
        else if (text[i] === '*' && text[i + 1] === '/') (depth--, (i += 2));
        else i++;
      }
    } else if (c === "'" || c === '"') {
      const escapes = c === "'" && (text[i - 1] === 'E' || text[i - 1] === 'e');
      i++;
      while (i < n) {
        if (escapes && text[i] === '\\') i += 2;
        else if (text[i] === c && text[i + 1] === c) i += 2;
        else if (text[i] === c) {
          i++;
          break;
        } else i++;
      }
    } else if (c === '$' && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
      } else i++;
    } else if (/[A-Za-z]/.test(c) && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
      const word = /^[A-Za-z_]+/.exec(text.slice(i, i + 16))?.[0] ?? c;
      const upper = word.toUpperCase();
      if (upper === 'ATOMIC' && /BEGIN\s+$/i.test(text.slice(Math.max(0, i - 12), i))) atomicDepth++;
      else if (upper === 'END' && atomicDepth > 0 && /^END\s*;/i.test(text.slice(i, i + 8))) atomicDepth--;
      i += word.length;
    } else if (c === ';' && atomicDepth === 0) {
      push(i);
      start = i + 1;
      i++;
    } else {
      i++;
    }
  }
  push(n);
  return out;
}

function isOnlyComments(sql: string): boolean {
  return sql.replace(/--[^\n]*(\n|$)/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim() === '';
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
