/**
 * The parent's side of the type-check worker (typecheck-worker.ts): one worker thread per process, started on first
 * use and never keeping the process alive. `warm` is fire-and-forget (the search goes on while the program is built);
 * `check` answers with the same result typecheckEmittedAll gives in-process, which it falls back to when the worker
 * cannot start or dies.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import { pruneUnusedAll, typecheckEmittedAll, type TypecheckedText } from './emitted-typecheck';
import type { WorkerReply, WorkerRequest } from './typecheck-worker';

let worker: Worker | null = null;
let broken = false;
let nextId = 0;
/** Checks waiting for their answer. */
let held = 0;
const waiting = new Map<number, (reply: WorkerReply) => void>();

/** Distributes request-only input: the request without its id (added here). */
type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function fail(error: string): void {
  broken = true;
  worker = null;
  for (const [id, resolve] of waiting) resolve({ id, ok: false, error });
  waiting.clear();
}

function started(): Worker | null {
  if (broken) return null;
  if (worker) return worker;
  try {
    worker = new Worker(path.join(__dirname, 'typecheck-worker.js'));
  } catch {
    broken = true;
    return null;
  }
  worker.unref();
  worker.on('message', (reply: WorkerReply) => {
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  worker.on('error', (error) => fail(error.message));
  worker.on('exit', (code) => fail(`the type-check worker exited (${code})`));
  return worker;
}

/** Answers a request; `hold`: the process waits for the answer (a check), else it may exit before it (a warm-up). */
function ask(request: Request, hold: boolean): Promise<WorkerReply> | null {
  const w = started();
  if (!w) return null;
  const id = nextId++;
  if (hold) held++;
  if (held > 0) w.ref();
  return new Promise<WorkerReply>((resolve) => {
    waiting.set(id, resolve);
    w.postMessage({ ...request, id });
  }).finally(() => {
    if (hold) held--;
    if (held === 0) worker?.unref();
  });
}

/** Starts building the programs the check of these outputs will need; the answer is not awaited. */
export function warmTypecheckSoon(files: Array<{ file: string; importPath: string }>): void {
  if (files.length) void ask({ kind: 'warm', files }, false);
}

/** typecheckEmittedAll in the worker thread (in-process when the worker is not available). */
export async function typecheckInWorker(files: Array<{ text: string; file: string }>): Promise<TypecheckedText[]> {
  if (files.length === 0) return [];
  const reply = await ask({ kind: 'check', files }, true);
  if (!reply || !reply.ok || !reply.results) return typecheckEmittedAll(files);
  return reply.results.map((r) => ({ ...r, dropped: new Map(r.dropped) }));
}

/** pruneUnusedAll in the worker thread (in-process when the worker is not available). */
export async function pruneUnusedInWorker(files: Array<{ text: string; file: string }>): Promise<string[]> {
  if (files.length === 0) return [];
  const reply = await ask({ kind: 'prune', files }, true);
  if (!reply || !reply.ok || !reply.texts) return pruneUnusedAll(files);
  return reply.texts;
}
