/**
 * The child process of a duplicate scan: `tdd-fast analyze` of one folder (its config, the CLI's content-hash cache on
 * disk) that sends back only the cross-file duplicates. In a child, the whole folder's report never enters the
 * server's memory, and the server's own memory stays what its open documents need.
 *
 * The editor's buffers with unsaved edits stand in for their files on disk: their fingerprints replace the saved
 * files' before the core matches duplicates over all of them (as `merge-reports` matches shards), so a copy typed
 * into a buffer is found before it is saved.
 */
import { comparePaths } from '../ci/shard';
import { analyzeFilesForPrinting, analyzeSource } from '../engine/api';
import { native } from '../engine/native';
import type { Duplicate, FileFingerprint } from '../engine/types';

export interface ScanJob {
  root: string;
  config: string;
  threads: number;
  maxFileSize?: number;
  maxNesting?: number;
  fileTimeLimit?: number;
  /** Open documents with unsaved edits: report path (relative to root) and the buffer's text. */
  buffers: Array<{ path: string; text: string }>;
}

export type ScanOutcome = { duplicates: Duplicate[] } | { error: string };

async function scan(job: ScanJob): Promise<ScanOutcome> {
  const options = {
    root: job.root,
    config: job.config,
    threads: job.threads,
    maxFileSize: job.maxFileSize,
    maxNesting: job.maxNesting,
    fileTimeLimit: job.fileTimeLimit,
  };
  const { result } = await analyzeFilesForPrinting(['.'], { ...options, fingerprints: job.buffers.length > 0 });
  if (job.buffers.length === 0) return { duplicates: result.duplicates };
  const byPath = new Map<string, FileFingerprint>((result.fingerprints ?? []).map((f) => [f.path, f]));
  for (const buffer of job.buffers) {
    const { fingerprint } = analyzeSource(buffer.text, buffer.path, { ...options, fingerprints: true });
    if (fingerprint) byPath.set(buffer.path, fingerprint);
  }
  // The unsharded run's file order (by path), so the blocks and their first locations are the CLI's.
  const all = [...byPath.values()].sort((a, b) => comparePaths(a.path, b.path));
  return { duplicates: JSON.parse(native().mergeDuplicatesJson(JSON.stringify(all), { config: job.config })) as Duplicate[] };
}

if (process.send) {
  process.once('message', (job: ScanJob) => {
    scan(job)
      .catch((error: unknown): ScanOutcome => ({ error: error instanceof Error ? error.message : String(error) }))
      .then((outcome) => process.send!(outcome, () => process.exit(0)));
  });
}
