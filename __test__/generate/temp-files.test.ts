/**
 * Record mode never leaves a temporary file in the user's tree: the search file lives in a folder of the run under
 * the OS temp dir, a run killed with SIGKILL leaves nothing beside the sources, its search child ends with it, and the
 * next run sweeps the killed run's folder. Real CLI runs on a fixture whose calls are slow enough to kill mid-search.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { cliPath, makeProject, runCli } from '../helpers';

/** Functions whose every call takes 30 ms: a search of them runs for many seconds. */
function slowModule(count: number): string {
  const lines = ['function spin(ms) {', '  const end = Date.now() + ms;', '  while (Date.now() < end) {}', '}', ''];
  for (let i = 0; i < count; i++) lines.push(`export function step${i}(n) {`, '  spin(30);', `  if (n > ${i}) return n - ${i};`, `  return n + ${i};`, '}', '');
  return lines.join('\n');
}

/** Every file under `dir` (node_modules excluded) whose name says it is a search file. */
function searchFilesIn(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...searchFilesIn(full));
    else if (entry.name.includes('tdd-fast-search')) out.push(full);
  }
  return out;
}

/** Search folders of a process under the OS temp dir. */
function searchDirsOf(pid: number): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`tdd-fast-search-${pid}-`));
}

/** Processes whose environment names the folder (the search child of a run), Linux only ([] elsewhere). */
function processesUsing(dir: string): number[] {
  if (!fs.existsSync('/proc')) return [];
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/environ`, 'utf8').includes(dir)) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

async function waitFor<T>(what: () => T | null | undefined | false, ms: number): Promise<T | null> {
  const end = Date.now() + ms;
  for (;;) {
    const got = what();
    if (got) return got;
    if (Date.now() > end) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('record mode leaves no temporary file in the project', () => {
  it('writes its search file outside the tree; a run killed with SIGKILL leaves nothing and the next run sweeps it', async () => {
    const root = makeProject({ 'package.json': '{"name":"slow","private":true,"type":"module"}', 'src/slow.js': slowModule(12) });
    const child = spawn(process.execPath, [cliPath, 'generate', 'src/slow.js', '--record'], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
    const pid = child.pid!;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // The search is under way: its folder exists and its log grows.
    const dir = await waitFor(() => searchDirsOf(pid).find((d) => fs.readdirSync(path.join(os.tmpdir(), d)).some((f) => f.endsWith('.jsonl'))), 60_000);
    expect(dir, 'the search did not start').toBeTruthy();
    expect(fs.readdirSync(path.join(os.tmpdir(), dir!)).some((f) => /^search\.m[jt]s$/.test(f))).toBe(true);
    expect(searchFilesIn(root)).toEqual([]);
    child.kill('SIGKILL');
    await exited;
    expect(searchFilesIn(root)).toEqual([]);
    // The search child notices its parent is gone and ends.
    const gone = await waitFor(() => processesUsing(dir!).length === 0, 15_000);
    expect(gone, `search child still running: ${processesUsing(dir!).join(', ')}`).toBe(true);
    expect(fs.existsSync(path.join(os.tmpdir(), dir!))).toBe(true);
    // The next run sweeps the dead run's folder and writes its tests.
    const run = runCli(['generate', 'src/slow.js', '--record', '--function', 'step0'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(fs.existsSync(path.join(os.tmpdir(), dir!))).toBe(false);
    expect(searchFilesIn(root)).toEqual([]);
    expect(fs.readFileSync(path.join(root, 'src/slow.generated.test.js'), 'utf8')).toContain("describe('step0'");
  }, 240_000);

  it('removes a search file an earlier version left beside a source, and only that', () => {
    const root = makeProject({
      'package.json': '{"name":"left","private":true,"type":"module"}',
      'src/add.js': 'export function add(a, b) {\n  return a + b;\n}\n',
      'src/add.tdd-fast-search.mjs': '// tdd-fast record-mode search: a temporary file, deleted after the run.\nawait 0;\n',
      'src/mine.tdd-fast-search.mjs': '// a file of the user that happens to have this name\n',
    });
    const run = runCli(['generate', 'src/add.js', '--record'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(fs.existsSync(path.join(root, 'src/add.tdd-fast-search.mjs'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'src/mine.tdd-fast-search.mjs'))).toBe(true);
  }, 120_000);
});
