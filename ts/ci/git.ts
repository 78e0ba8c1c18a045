import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { summaryOf } from './baseline';
import type { AnalysisResult } from '../engine/types';

/**
 * Which files changed, from git: `--changed` is the working tree (staged, unstaged and untracked files) against HEAD;
 * `--since <ref>` is everything changed since the merge base of <ref> and HEAD, working tree included (what a pull
 * request changes). Deleted files are left out. Returns absolute paths.
 */

function git(args: string[], cwd: string): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw new Error(`cannot run git (${run.error.message}); --changed and --since need git on PATH`);
  if (run.status !== 0) {
    throw new Error(`git ${args.join(' ')} failed: ${(run.stderr || run.stdout).trim().split('\n')[0]}`);
  }
  return run.stdout;
}

function lines(text: string): string[] {
  return text.split('\0').filter(Boolean);
}

export function gitRoot(cwd: string): string {
  return path.resolve(git(['rev-parse', '--show-toplevel'], cwd).trim());
}

export interface ChangedOptions {
  /** A ref (branch, tag, commit): files changed since its merge base with HEAD. Absent: changes against HEAD. */
  since?: string;
}

export function changedFiles(cwd: string, options: ChangedOptions = {}): string[] {
  const top = gitRoot(cwd);
  let base = 'HEAD';
  if (options.since !== undefined) {
    try {
      base = git(['merge-base', options.since, 'HEAD'], top).trim();
    } catch {
      throw new Error(
        `cannot find the merge base of '${options.since}' and HEAD; in CI fetch enough history ` +
          `(actions/checkout with fetch-depth: 0, or git fetch origin ${options.since})`,
      );
    }
  } else {
    const hasHead = spawnSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: top }).status === 0;
    if (!hasHead) base = git(['hash-object', '-t', 'tree', '--stdin'], top).trim() || base; // no commit yet: all files
  }
  const changed = lines(git(['diff', '--name-only', '-z', '--no-renames', '--diff-filter=d', base, '--'], top));
  const untracked = lines(git(['ls-files', '--others', '--exclude-standard', '-z'], top));
  return [...new Set([...changed, ...untracked])].map((p) => path.join(top, p)).sort();
}

export function reportPath(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

/** Keeps the files in `keep` (report paths) and the duplicates that touch one of them; recomputes the summary counts. */
export function restrictToFiles(result: AnalysisResult, keep: Set<string>): AnalysisResult {
  const files = result.files.filter((f) => keep.has(f.path));
  return {
    ...result,
    files,
    duplicates: result.duplicates.filter((d) => d.locations.some((l) => keep.has(l.path))),
    summary: summaryOf(result, files),
  };
}
