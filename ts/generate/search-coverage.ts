/**
 * Block coverage for the coverage-guided search (search-runtime.ts): V8's precise coverage through a same-thread
 * `node:inspector` session, counted in the project's own files (not node_modules, tests or the search file). Blocks
 * are keyed by their offset in the code V8 ran (Vite's transform); their original place comes from its source map.
 */
import * as inspector from 'node:inspector';

import { SourcePositions, type OriginalPosition } from './source-positions';

interface Range {
  startOffset: number;
  endOffset: number;
  count: number;
}

export class Coverage {
  private session = new inspector.Session();
  private prefix: string;
  /** Every block ever seen: key -> [url index, start]. */
  private known = new Map<string, { url: string; start: number }>();
  private sources = new Map<string, string>();
  private starts = new Map<string, { set: Set<number>; sorted: number[] }>();
  private scriptIds = new Map<string, string>();

  constructor(root: string) {
    this.prefix = `file://${root.replace(/\\/g, '/').replace(/\/$/, '')}/`;
    this.session.connect();
    this.post('Profiler.enable');
    this.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  }

  private post(method: string, params?: object): any {
    let result: unknown;
    let error: Error | null = null;
    this.session.post(method, params ?? {}, (e, r) => {
      error = e;
      result = r;
    });
    if (error) throw error;
    return result;
  }

  private relevant(url: string): boolean {
    return url.startsWith(this.prefix) && !url.includes('/node_modules/') && !/\.(test|spec)\.[cm]?[jt]sx?($|\?)/.test(url) && !url.includes('tdd-fast-search');
  }

  /** Blocks executed since the last call (counters reset on every take). */
  takes = 0;
  takeMs = 0;
  take(): Set<string> {
    const t0 = performance.now();
    this.takes++;
    try {
      return this.takeInner();
    } finally {
      this.takeMs += performance.now() - t0;
    }
  }

  private takeInner(): Set<string> {
    const out = new Set<string>();
    const result = this.post('Profiler.takePreciseCoverage') as { result: Array<{ scriptId: string; url: string; functions: Array<{ ranges: Range[] }> }> };
    for (const script of result.result) {
      if (script.url.startsWith('/')) script.url = `file://${script.url}`;
      if (!this.relevant(script.url)) continue;
      this.scriptIds.set(script.url, script.scriptId);
      const ranges: Range[] = [];
      for (const fn of script.functions) ranges.push(...fn.ranges);
      ranges.sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset);
      let starts = this.starts.get(script.url);
      if (!starts) this.starts.set(script.url, (starts = { set: new Set(), sorted: [] }));
      let added = false;
      for (const r of ranges) {
        if (!starts.set.has(r.startOffset)) {
          starts.set.add(r.startOffset);
          this.known.set(`${script.url}#${r.startOffset}`, { url: script.url, start: r.startOffset });
          added = true;
        }
      }
      if (added) starts.sorted = [...starts.set].sort((a, b) => a - b);
      // The innermost range containing a block's start decides its count: one sweep with a stack (ranges nest).
      const stack: Range[] = [];
      let j = 0;
      for (const start of starts.sorted) {
        while (j < ranges.length && ranges[j].startOffset <= start) {
          while (stack.length && stack[stack.length - 1].endOffset <= ranges[j].startOffset) stack.pop();
          stack.push(ranges[j++]);
        }
        while (stack.length && stack[stack.length - 1].endOffset <= start) stack.pop();
        const top = stack[stack.length - 1];
        if (top && top.count > 0) out.add(`${script.url}#${start}`);
      }
    }
    return out;
  }

  private scriptSource(url: string): string {
    let source = this.sources.get(url);
    if (source === undefined) {
      try {
        this.post('Debugger.enable');
        const id = this.scriptIds.get(url);
        source = id ? ((this.post('Debugger.getScriptSource', { scriptId: id }) as { scriptSource: string }).scriptSource ?? '') : '';
      } catch {
        source = '';
      }
      this.sources.set(url, source);
    }
    return source;
  }

  private positions = new SourcePositions();

  /** Where a block is in the source file (through the transform's source map), or null. */
  original(key: string): OriginalPosition | null {
    const block = this.known.get(key);
    const source = block ? this.scriptSource(block.url) : '';
    return block && source ? this.positions.original(block.url, source, block.start) : null;
  }

  /** A short text of the code at a block (for test names), read from the original source where a map gives it. */
  snippet(key: string): string | null {
    const block = this.known.get(key);
    if (!block) return null;
    const source = this.scriptSource(block.url);
    if (!source) return null;
    const at = this.original(key);
    // A block that starts between statements maps to no code of its own there: Vite's output is read instead.
    return shorten((at && this.positions.textAt(at, 200)) || '') ?? shorten(source.slice(block.start, block.start + 200));
  }

  close(): void {
    try {
      this.post('Profiler.stopPreciseCoverage');
      this.session.disconnect();
    } catch {
      // already gone
    }
  }
}

/** The first line of code in a text, without Vite's import prefixes, at most 50 characters; null when too short. */
function shorten(code: string): string | null {
  const text = code
    .replace(/__vite_ssr_import_\d+__\./g, '')
    .replace(/\(0,\s*([\w$.]+)\)/g, '$1')
    .replace(/^[\s{(]+/, '')
    .split('\n')[0]
    .trim();
  if (!text || text.length < 3) return null;
  return text.length > 50 ? `${text.slice(0, 47)}...` : text;
}
