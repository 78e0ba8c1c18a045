/**
 * Positions in a module as V8 ran it (after Vite's transform, inside the module runner's wrapper) mapped back to the
 * source file a person reads, through the source map vitest inlines into each transformed module. Used for coverage
 * blocks (search-coverage.ts) and anything else that meets a runtime position (a function's `[[FunctionLocation]]`).
 */
import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface OriginalPosition {
  /** Absolute path of the original file. */
  file: string;
  /** 1-based line and 0-based column, as editors and the core's reports count. */
  line: number;
  column: number;
}

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/m;
/** vitest's evaluator runs `'use strict';async (...)=>{{<code>` on the code's first line. */
const WRAPPER = /^'use strict';async \([^)]*\)=>\{\{/;

interface Script {
  map: SourceMap | null;
  /** Length of the runner's wrapper before the module's code on line 0. */
  prefix: number;
  lineStarts: number[];
  file: string;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function fileOf(url: string): string {
  return url.startsWith('file:') ? fileURLToPath(url) : url;
}

export class SourcePositions {
  private scripts = new Map<string, Script>();
  private files = new Map<string, { text: string; lineStarts: number[] } | null>();

  private script(url: string, source: string): Script {
    let script = this.scripts.get(url);
    if (!script) {
      const inline = INLINE_MAP.exec(source);
      let map: SourceMap | null = null;
      try {
        if (inline) map = new SourceMap(JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8')));
      } catch {
        map = null;
      }
      script = { map, prefix: WRAPPER.exec(source)?.[0].length ?? 0, lineStarts: lineStartsOf(source), file: fileOf(url) };
      this.scripts.set(url, script);
    }
    return script;
  }

  /** The original position of a character offset in the script V8 ran (`source` is that script's text). */
  original(url: string, source: string, offset: number): OriginalPosition | null {
    const script = this.script(url, source);
    let line = 0;
    let lo = 0;
    let hi = script.lineStarts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (script.lineStarts[mid] <= offset) (line = mid), (lo = mid + 1);
      else hi = mid - 1;
    }
    return this.originalAt(url, source, line, offset - script.lineStarts[line]);
  }

  /**
   * The original position of a 0-based line and column in the script V8 ran, as the inspector reports them (a
   * function's `[[FunctionLocation]]`: `{ scriptId, lineNumber, columnNumber }`).
   */
  originalAt(url: string, source: string, line: number, scriptColumn: number): OriginalPosition | null {
    const script = this.script(url, source);
    const column = scriptColumn - (line === 0 ? script.prefix : 0);
    if (!script.map) return { file: script.file, line: line + 1, column: Math.max(0, column) };
    const entry = script.map.findEntry(line, Math.max(0, column)) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalLine === undefined) return null;
    const original = entry.originalSource ? fileOf(entry.originalSource) : script.file;
    return { file: original.startsWith('/') ? original : script.file, line: entry.originalLine + 1, column: entry.originalColumn ?? 0 };
  }

  /** Up to `length` characters of the original file from a position (null when the file cannot be read). */
  textAt(position: OriginalPosition, length: number): string | null {
    let file = this.files.get(position.file);
    if (file === undefined) {
      try {
        const text = fs.readFileSync(position.file, 'utf8');
        file = { text, lineStarts: lineStartsOf(text) };
      } catch {
        file = null;
      }
      this.files.set(position.file, file);
    }
    const start = file?.lineStarts[position.line - 1];
    return file && start !== undefined ? file.text.slice(start + position.column, start + position.column + length) : null;
  }
}
