/**
 * The orphaned-server watchdog, with a real SIGKILL: a process starts a throwaway cluster with startPostgres() and is
 * killed; its postmaster keeps running (and, on /dev/shm, holding memory) until the next startPostgres() reaps it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findPostgresBinDir, reapOrphanedClusters, startPostgres } from '../../ts/testing/index';
import { skipWithoutPrerequisite } from '../helpers';
import { distTesting, requireBuiltPackage } from './helpers';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Starts a cluster in a child process, returns its data dir and postmaster pid once it runs, then SIGKILLs the child. */
async function clusterOfAKilledRun(): Promise<{ dataDir: string; pid: number }> {
  requireBuiltPackage();
  const script = `require(${JSON.stringify(distTesting)}).startPostgres().then((s) => { process.stdout.write(JSON.stringify({ dataDir: s.dataDir, pid: s.pid }) + '\\n'); setInterval(() => {}, 1000); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<{ dataDir: string; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the child did not start a server in 90 s')), 90_000);
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(JSON.parse(text.split('\n')[0]));
      }
    });
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  return info;
}

const noServerBinaries = skipWithoutPrerequisite(
  findPostgresBinDir() !== null,
  'the PostgreSQL server binaries (initdb, postgres)',
  'install them (Debian: apt-get install postgresql; .ci/run does) or set TDD_FAST_PG_BIN to their directory',
);

describe.skipIf(noServerBinaries)('orphaned throwaway clusters', () => {
  it('a SIGKILLed run leaves its server running; the next startPostgres() stops it and removes its directory', async () => {
    const orphan = await clusterOfAKilledRun();
    expect(alive(orphan.pid)).toBe(true); // nobody stopped it: this is what the watchdog is for
    expect(fs.existsSync(orphan.dataDir)).toBe(true);

    const next = await startPostgres();
    try {
      expect(alive(orphan.pid)).toBe(false);
      expect(fs.existsSync(orphan.dataDir)).toBe(false);
      // The live one is not an orphan: a second sweep leaves it alone.
      expect(await reapOrphanedClusters()).not.toContain(next.dataDir);
      expect(alive(next.pid)).toBe(true);
    } finally {
      await next.stop();
    }
  }, 180_000);
});
