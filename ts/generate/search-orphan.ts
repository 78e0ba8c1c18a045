/**
 * The search child ends when the run that started it is gone (killed, even with SIGKILL, which runs no cleanup):
 * nobody reads its results any more, and a search can run for minutes. The IPC channel's `disconnect` event says so
 * while the child waits; during a search the event loop may not turn between calls, so every logged call also checks
 * whether the parent process changed (the child was re-parented), at most every 200 ms.
 */
const CHECK_EVERY_MS = 200;

/** A cheap check to call often: exits the process once its parent is gone. */
export function orphanCheck(exit: () => never = () => process.exit(3)): () => void {
  const parent = process.ppid;
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < CHECK_EVERY_MS) return;
    last = now;
    if (process.ppid !== parent) exit();
  };
}
