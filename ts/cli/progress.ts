import type { SingleBar } from 'cli-progress';

export interface ProgressHandle {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar for long runs: only on a terminal, never under CI or when output is piped, and only once a run has
 * taken long enough to be worth one (short runs stay silent).
 */
export function createProgress(stream: NodeJS.WriteStream, delayMs = 300): ProgressHandle | undefined {
  if (!stream.isTTY || process.env.CI) return undefined;
  const startedAt = Date.now();
  let bar: SingleBar | undefined;
  return {
    update(done, total) {
      if (!bar) {
        if (Date.now() - startedAt < delayMs || done === total) return;
        // Loaded on first use: most runs (piped, CI, short) never draw a bar, and loading it costs ~10 ms of startup.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { SingleBar: Bar } = require('cli-progress') as typeof import('cli-progress');
        bar = new Bar(
          { stream, format: 'analysing {bar} {value}/{total} files ({percentage}%)', hideCursor: true, clearOnComplete: true },
        );
        bar.start(total, done);
      }
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
