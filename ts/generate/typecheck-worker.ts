/**
 * The type check of emitted TypeScript in a worker thread (typecheck-client.ts starts it): the compiler's work, seconds
 * on a large test file, runs beside the search children and the parent's module fetches instead of blocking them, and
 * the program is built ("warmed") while the search runs. The language services live as long as the worker, so a
 * batch reuses every source file the previous one parsed.
 */
import { parentPort } from 'node:worker_threads';

import { pruneUnusedAll, typecheckEmittedAll, warmTypecheck } from './emitted-typecheck';

export type WorkerRequest =
  | { id: number; kind: 'warm'; files: Array<{ file: string; importPath: string }> }
  | { id: number; kind: 'check'; files: Array<{ text: string; file: string }> }
  | { id: number; kind: 'prune'; files: Array<{ text: string; file: string }> };

export type WorkerReply = { id: number; ok: true; results?: SerializedCheck[]; texts?: string[] } | { id: number; ok: false; error: string };

/** TypecheckedText as it crosses the thread boundary (its Map as entries). */
export interface SerializedCheck {
  text: string;
  dropped: Array<[string, string]>;
  repaired: number;
  problems: ReturnType<typeof typecheckEmittedAll>[number]['problems'];
  unchecked?: string;
  ms: number;
}

parentPort?.on('message', (request: WorkerRequest) => {
  try {
    if (request.kind === 'warm') {
      warmTypecheck(request.files);
      parentPort!.postMessage({ id: request.id, ok: true } satisfies WorkerReply);
      return;
    }
    if (request.kind === 'prune') {
      parentPort!.postMessage({ id: request.id, ok: true, texts: pruneUnusedAll(request.files) } satisfies WorkerReply);
      return;
    }
    const results = typecheckEmittedAll(request.files).map((r) => ({ ...r, dropped: [...r.dropped] }));
    parentPort!.postMessage({ id: request.id, ok: true, results } satisfies WorkerReply);
  } catch (error) {
    parentPort!.postMessage({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerReply);
  }
});
