/**
 * Where a runtime function was written (child side): V8's `[[FunctionLocation]]` (the inspector's internal property
 * of a function object: script, line, column of its parameter list), mapped through the script's inline source map
 * when the code was transformed (TypeScript, Vite's module runner), then joined to the core's facts of the function
 * that starts there. This is how a function a factory built, a class made inside an IIFE or a method of a returned
 * object gets the declared types, constants and guards of its source.
 */
import * as inspector from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { SourcePositions } from './source-positions';

export interface Location {
  /** Absolute path of the source file (after the source map). */
  file: string;
  /** 1-based line and column of the function's parameter list (V8's function position). */
  line: number;
  column: number;
}

/** The core's facts of one function, keyed by where it starts (1-based, as FileReport gives them). */
export interface Located {
  line: number;
  column: number;
  endLine: number;
}


export class FunctionLocator {
  private session = new inspector.Session();
  private urls = new Map<string, string>();
  private positions = new SourcePositions();
  private sources = new Map<string, string>();
  private connected = false;

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

  private connect(): void {
    if (this.connected) return;
    this.connected = true;
    this.session.connect();
    // Same-thread session: the scripts parsed so far are announced during `enable`, later ones as they load.
    this.session.on('Debugger.scriptParsed', (m: { params: { scriptId: string; url: string } }) => this.urls.set(m.params.scriptId, m.params.url));
    this.post('Debugger.enable');
  }

  /** Where `fn` was written, or null (a native or bound function, a script without a file). */
  locate(fn: unknown): Location | null {
    if (typeof fn !== 'function') return null;
    try {
      this.connect();
      const holder = globalThis as { __tddFastLocate?: unknown };
      holder.__tddFastLocate = fn;
      let objectId: string;
      try {
        objectId = (this.post('Runtime.evaluate', { expression: 'globalThis.__tddFastLocate' }) as { result: { objectId: string } }).result.objectId;
      } finally {
        delete holder.__tddFastLocate;
      }
      const props = this.post('Runtime.getProperties', { objectId, ownProperties: true }) as { internalProperties?: Array<{ name: string; value?: { value?: { scriptId: string; lineNumber: number; columnNumber: number } } }> };
      this.post('Runtime.releaseObject', { objectId });
      const where = props.internalProperties?.find((p) => p.name === '[[FunctionLocation]]')?.value?.value;
      if (!where) return null;
      return this.original(where.scriptId, where.lineNumber, where.columnNumber);
    } catch {
      return null;
    }
  }

  /** A generated position mapped to its source (0-based in, 1-based out), through source-positions.ts. */
  private original(scriptId: string, line: number, column: number): Location | null {
    const url = this.urls.get(scriptId);
    if (!url) return null;
    let source = this.sources.get(scriptId);
    if (source === undefined) {
      try {
        source = (this.post('Debugger.getScriptSource', { scriptId }) as { scriptSource: string }).scriptSource;
      } catch {
        source = '';
      }
      this.sources.set(scriptId, source);
    }
    const at = this.positions.originalAt(url.startsWith('/') ? `file://${url}` : url, source, line, column);
    return at ? { file: toPath(at.file), line: at.line, column: at.column + 1 } : null;
  }

  close(): void {
    if (!this.connected) return;
    try {
      this.session.disconnect();
    } catch {
      // already gone
    }
  }
}

function toPath(url: string): string {
  if (url.startsWith('file:')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url.replace(/\?.*$/, '');
}

/**
 * The facts of the function that starts at a location: the innermost one starting on that line at or before the
 * column (V8 points at the parameter list; the core at the `function` keyword, the method's key or the arrow's start).
 */
export function factAt<F extends Located>(facts: F[], where: Location | null): F | null {
  if (!where) return null;
  let best: F | null = null;
  let after: F | null = null;
  for (const f of facts) {
    if (f.line !== where.line) continue;
    if (f.column > where.column) {
      if (!after || f.column < after.column) after = f;
    } else if (!best || f.column > best.column) best = f;
  }
  // A source map can map V8's position to a token before the function's start (`return` before an arrow): then the
  // first function starting after it on that line.
  return best ?? after;
}
