/**
 * Cleanup that must run however this process ends: a normal exit, or SIGINT / SIGTERM / SIGHUP (Ctrl-C, a CI job
 * cancelled, an editor closing its language server). Record mode's children run in their own process groups, so a
 * signal to this process does not reach them; they and the search's temporary folders are ended here. A SIGKILL runs
 * nothing: the search children end when their IPC channel closes, and the next run sweeps the folders
 * (search-temp.ts).
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const tasks = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const task of [...tasks]) {
    try {
      task();
    } catch {
      // one failed cleanup does not stop the others
    }
  }
  tasks.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  // Ours was the only handler: die of the signal as the process would have without us. Otherwise the program's own
  // handler decides.
  if (process.listenerCount(signal) === 1) {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.removeListener('exit', runAll);
    installed = false;
    process.kill(process.pid, signal);
  }
}

/** Registers a synchronous cleanup; the returned function unregisters it (call it once the work is done). */
export function onExit(task: () => void): () => void {
  if (!installed) {
    installed = true;
    for (const s of SIGNALS) process.on(s, onSignal);
    process.on('exit', runAll);
  }
  tasks.add(task);
  return () => void tasks.delete(task);
}
