import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { skipWithoutBuild } from '../helpers';

const repoRoot = path.join(__dirname, '..', '..');
const harness = path.join(__dirname, 'fixtures', 'cli-harness.js');
const mainCli = path.join(repoRoot, 'bin', 'tdd-fast.js');
let projectRoot: string;

beforeEach(() => {
  projectRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-cli-'));
});

afterEach(() => {
  fs.rmSync(projectRoot, { recursive: true, force: true });
});

/** Runs `tdd-fast session ...` in the project directory, as a user would. */
function tddFast(args: string[], entry = harness): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [entry, 'session', ...args], { cwd: projectRoot, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json(args: string[]): Record<string, any> {
  const result = tddFast([...args, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, any>;
}

describe('tdd-fast session', () => {
  it('start, status, list, show, end: a whole session from the command line', () => {
    const started = json(['start', 'checkout', '--context', '{"goal":"discounts"}']);
    expect(started).toMatchObject({ version: 1, session: { name: 'checkout', status: 'active', projectRoot } });
    expect(fs.existsSync(path.join(projectRoot, '.tdd-fast', 'sessions.db'))).toBe(true);

    expect(json(['status'])).toMatchObject({ summary: { session: { name: 'checkout' }, filesAnalysed: 0, cycles: 0 } });
    expect(json(['list'])).toMatchObject({ total: 1, sessions: [{ name: 'checkout' }] });

    const shown = json(['show', String(started.session.id)]);
    expect(shown.events.map((e: { kind: string }) => e.kind)).toEqual(['start']);

    expect(json(['end'])).toMatchObject({ summary: { session: { status: 'ended' } } });
    expect(json(['status'])).toEqual({ version: 1, session: null });
  });

  it('prints readable text by default', () => {
    expect(tddFast(['start', 'readable']).stdout).toMatch(/^Started session #1 'readable'\./);
    const status = tddFast(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Session #1 'readable' \(active\)/);
    expect(status.stdout).toMatch(/phases\s+red 0, green 0, refactor 0; 0 cycle\(s\)/);
    expect(tddFast(['list']).stdout).toMatch(/^id\s+name\s+status\s+updated\n#1\s+readable\s+active/);
  });

  it('cleanup removes sessions beyond --max-sessions and says how many', () => {
    for (const name of ['a', 'b', 'c']) json(['start', name]);
    expect(json(['cleanup', '--max-sessions', '1'])).toEqual({ version: 1, removed: 2, remaining: 1 });
    expect(tddFast(['cleanup']).stdout).toBe('Removed 0 session(s); 1 left.\n');
  });

  it('exits 2 with a clear message for unknown sessions, bad options and a store that is not ours', () => {
    const missing = tddFast(['show', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No session 'nope'/);

    const missingJson = tddFast(['show', 'nope', '--format', 'json']);
    expect(missingJson.code).toBe(2);
    expect(JSON.parse(missingJson.stdout)).toMatchObject({ error: { code: 'SESSION_NOT_FOUND' } });

    expect(tddFast(['end']).code).toBe(2);
    expect(tddFast(['list', '--limit', 'many']).code).toBe(2);
    expect(tddFast(['list', '--format', 'xml']).code).toBe(2);

    const notOurs = path.join(projectRoot, 'notes.txt');
    fs.writeFileSync(notOurs, 'plain text');
    const refused = tddFast(['list', '--db', notOurs]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${notOurs} is not a SQLite database`);
    expect(fs.readFileSync(notOurs, 'utf8')).toBe('plain text');
  });

  it('--root and --db pick the store', () => {
    const other = path.join(projectRoot, 'other');
    fs.mkdirSync(other);
    json(['start', 'elsewhere', '--root', other]);
    expect(fs.existsSync(path.join(other, '.tdd-fast', 'sessions.db'))).toBe(true);
    json(['start', 'custom', '--db', 'custom.db']);
    expect(json(['list', '--db', 'custom.db']).sessions.map((s: { name: string }) => s.name)).toEqual(['custom']);
  });

  const mainCliHasSessions =
    fs.existsSync(path.join(repoRoot, 'dist', 'cli', 'main.js')) &&
    /registerSessionCommands/.test(fs.readFileSync(path.join(repoRoot, 'dist', 'cli', 'main.js'), 'utf8'));

  it.skipIf(skipWithoutBuild(mainCliHasSessions, 'dist/cli/main.js with the session commands (npm run build:ts)'))('works through bin/tdd-fast.js', () => {
    const result = tddFast(['start', 'via-bin', '--format', 'json'], mainCli);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ session: { name: 'via-bin' } });
  });
});
