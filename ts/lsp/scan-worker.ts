/**
 * The child process of a duplicate scan: `tdd-fast analyze` of one folder (its config, the CLI's content-hash cache on
 * disk) that sends back only the cross-file duplicates. In a child, the whole folder's report never enters the
 * server's memory, and the server's own memory stays what its open documents need.
 */
import { analyzeFilesForPrinting } from '../engine/api';
import type { Duplicate } from '../engine/types';

export interface ScanJob {
  root: string;
  config: string;
  threads: number;
  maxFileSize?: number;
  maxNesting?: number;
  fileTimeLimit?: number;
}

export type ScanOutcome = { duplicates: Duplicate[] } | { error: string };

async function scan(job: ScanJob): Promise<ScanOutcome> {
  const { result } = await analyzeFilesForPrinting(['.'], {
    root: job.root,
    config: job.config,
    threads: job.threads,
    maxFileSize: job.maxFileSize,
    maxNesting: job.maxNesting,
    fileTimeLimit: job.fileTimeLimit,
  });
  return { duplicates: result.duplicates };
}

if (process.send) {
  process.once('message', (job: ScanJob) => {
    scan(job)
      .catch((error: unknown): ScanOutcome => ({ error: error instanceof Error ? error.message : String(error) }))
      .then((outcome) => process.send!(outcome, () => process.exit(0)));
  });
}
