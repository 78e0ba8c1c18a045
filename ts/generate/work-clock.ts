/**
 * CPU time, the clock of record mode's budgets. A budget meant to bound work (the run's `--time-budget`, a target's
 * time cap, the stall watchdog's "a call that does not return") counts the CPU time the search process used, not wall
 * time: on a loaded machine (other processes competing for the cores) a module that takes 2 s of CPU to load may take
 * 20 s of wall time, and a wall-clock budget would stop it, or search less, where the same work fits. A blocked
 * process uses no CPU at all, so each budget keeps a generous wall-clock backstop beside it.
 *
 * Loaded in the search child and in the parent: imports nothing of the generator.
 */
import * as fs from 'node:fs';

/** The CPU time this process has used (user + system, all its threads), ms. */
export function cpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux architecture Node runs on). */
const USER_HZ = 100;

/**
 * The CPU time another process has used, ms (Linux: utime + stime of /proc/<pid>/stat), or null where it cannot be
 * read (another OS, a process already gone).
 */
export function processCpuMs(pid: number): number | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: the fields after its last ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name (state is field 3).
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / USER_HZ : null;
}
