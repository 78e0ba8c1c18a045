/**
 * Where record mode's temporary search file and logs live: a folder of this process under the OS temp dir
 * (`tdd-fast-search-<pid>-XXXXXX`), never the user's tree. It is removed when the search ends, on SIGINT/SIGTERM
 * (exit-cleanup.ts), and, after a SIGKILL, by the next run's sweep: folders whose process is gone. The sweep also
 * removes the `x.tdd-fast-search.mts` files earlier versions wrote beside the sources (recognised by their first line).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { onExit } from './exit-cleanup';
import { processIsAlive as alive } from '../testing/fsutil';

const PREFIX = 'tdd-fast-search-';
/** The first line of every search file tdd-fast writes (search.ts): what the sweep of a source folder checks. */
export const SEARCH_FILE_HEADER = '// tdd-fast record-mode search: a temporary file, deleted after the run.';

/** Marks a folder kept on purpose (TDD_FAST_SEARCH_KEEP, for debugging): the sweep leaves it. */
const KEPT = 'kept';

const open = new Map<string, () => void>();
let swept = false;

/** Removes the search folders of processes that are gone (a run killed with SIGKILL). */
export function sweepStaleDirs(tmp = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(tmp).filter((n) => n.startsWith(PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(/^tdd-fast-search-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid) || fs.existsSync(path.join(tmp, name, KEPT))) continue;
    fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Removes search files an earlier version left beside the sources in these folders (only files it wrote). */
export function sweepLeftovers(folders: Iterable<string>): string[] {
  const removed: string[] = [];
  for (const folder of new Set(folders)) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(folder).filter((n) => /\.tdd-fast-search\.m[jt]s$/.test(n));
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(folder, name);
      try {
        if (fs.readFileSync(file, 'utf8').startsWith(SEARCH_FILE_HEADER)) {
          fs.rmSync(file, { force: true });
          removed.push(file);
        }
      } catch {
        // unreadable: not ours to remove
      }
    }
  }
  return removed;
}

/** A fresh search folder of this process, removed on exit and on a terminating signal. */
export function openSearchDir(): string {
  if (!swept) {
    swept = true;
    sweepStaleDirs();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
  open.set(dir, onExit(() => fs.rmSync(dir, { recursive: true, force: true })));
  return dir;
}

/** Removes a search folder (the search ended), or keeps it for debugging (marked so the sweep leaves it). */
export function closeSearchDir(dir: string, keep = false): void {
  if (keep) fs.writeFileSync(path.join(dir, KEPT), '');
  else fs.rmSync(dir, { recursive: true, force: true });
  open.get(dir)?.();
  open.delete(dir);
}
