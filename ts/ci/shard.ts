import * as path from 'node:path';

import { native } from '../engine/native';

/**
 * `--shard i/n`: split the files of a run across n CI jobs. Deterministic (the same files give the same split on every
 * runner) and even by size: files are taken largest first (ties by path) and each goes to the shard with the fewest
 * bytes so far (ties to the lowest index), the classic greedy schedule, within one file's size of the best split.
 */

export interface ShardSpec {
  /** 1-based. */
  index: number;
  total: number;
}

export interface ListedFile {
  /** Relative to the root, forward slashes. */
  path: string;
  absolute: string;
  size: number;
}

export function parseShard(text: string): ShardSpec {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const total = match ? Number(match[2]) : NaN;
  if (!match || total < 1 || index < 1 || index > total) {
    throw new Error(`--shard expects i/n with 1 <= i <= n (e.g. 2/4), got '${text}'`);
  }
  return { index, total };
}

/**
 * Orders report paths like the native walk orders files (by path component, bytewise), so merged shard reports list
 * files exactly as one run does ('src/a/b.ts' before 'src/a-b.ts', unlike plain string order).
 */
export function comparePaths(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return compareComponent(left[i]!, right[i]!);
  }
  return left.length - right.length;
}

/** UTF-16 code units order like UTF-8 bytes except from U+D800 up (surrogates sort below U+E000..U+FFFF). */
const OUTSIDE_BYTE_ORDER = /[\uD800-\uFFFF]/;

function compareComponent(a: string, b: string): number {
  if (OUTSIDE_BYTE_ORDER.test(a) || OUTSIDE_BYTE_ORDER.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : 1;
}

/** Splits files into `total` groups; each group in path order. */
export function partition<T extends { path: string; size: number }>(files: T[], total: number): T[][] {
  const shards: { bytes: number; files: T[] }[] = Array.from({ length: total }, () => ({ bytes: 0, files: [] }));
  const order = [...files].sort((a, b) => b.size - a.size || comparePaths(a.path, b.path));
  for (const file of order) {
    let best = 0;
    for (let i = 1; i < total; i++) if (shards[i]!.bytes < shards[best]!.bytes) best = i;
    shards[best]!.bytes += Math.max(1, file.size);
    shards[best]!.files.push(file);
  }
  return shards.map((s) => s.files.sort((a, b) => comparePaths(a.path, b.path)));
}

/** The files the walk finds under these paths (like an analysis of them would), with sizes. */
export function listFiles(paths: string[], root: string, threads?: number): ListedFile[] {
  const absolute = (paths.length ? paths : ['.']).map((p) => path.resolve(root, p));
  return JSON.parse(native().listFilesJson(absolute, { root, threads })) as ListedFile[];
}

/** This shard's files (absolute paths), and the whole list's size for the report. */
export function shardFiles(paths: string[], root: string, shard: ShardSpec, threads?: number): { files: ListedFile[]; all: number } {
  const all = listFiles(paths, root, threads);
  return { files: partition(all, shard.total)[shard.index - 1]!, all: all.length };
}
