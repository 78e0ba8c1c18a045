import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../dist/session/migrations';
import { SessionStore } from '../../dist/session/store';
import { runAndKill } from './crash-writer';

const FIXTURES = path.join(__dirname, 'fixtures');
let workDir: string;

beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-reliability-'));
});

afterEach(() => {
  fs.chmodSync(workDir, 0o700);
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** Opening must fail; returns the error so the test can look at its code and message. */
function openError(options: Parameters<typeof SessionStore.open>[0]): Error & { code?: string } {
  try {
    SessionStore.open(options).close();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected SessionStore.open to fail');
}

function snapshot(file: string): { bytes: Buffer; mtimeMs: number } {
  return { bytes: fs.readFileSync(file), mtimeMs: fs.statSync(file).mtimeMs };
}

/** Runs a fixture script in its own Node process and collects its exit code and output. */
function runFixture(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(FIXTURES, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('crash safety', () => {
  it('a writer killed with SIGKILL mid-write loses no committed session and leaves a sound database', async () => {
    const dbPath = path.join(workDir, 'sessions.db');
    const allCommitted: number[] = [];
    // Several kills at different points, each on the file the previous crash left behind (with its hot WAL).
    for (const killAfter of [5, 60, 250]) {
      allCommitted.push(...(await runAndKill(dbPath, killAfter)));
      const store = SessionStore.open({ projectRoot: workDir, dbPath });
      try {
        expect(store.integrityCheck()).toBe('ok');
        for (const id of allCommitted) {
          const session = store.loadSession<{ saved?: boolean }>(id);
          expect(session, `committed session ${id} is missing`).toBeDefined();
          expect(session!.context.saved).toBe(true);
        }
        // Session creation is one transaction: every session that exists has its 'start' event.
        for (const session of store.listSessions()) {
          expect(store.listEvents(session.id, { kind: 'start' })).toHaveLength(1);
        }
      } finally {
        store.close();
      }
    }
    expect(allCommitted.length).toBeGreaterThanOrEqual(5 + 60 + 250);
  });
});

describe('concurrency', () => {
  it('8 processes creating sessions in one fresh database at once lose no rows', async () => {
    const dbPath = path.join(workDir, 'shared', 'sessions.db');
    const writers = 8;
    const perWriter = 150;
    const results = await Promise.all(
      Array.from({ length: writers }, (_, writer) =>
        runFixture('concurrent-writer.js', [dbPath, String(perWriter), String(writer)]),
      ),
    );
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(`done ${perWriter}`);
    }

    const raw = new Database(dbPath, { readonly: true });
    try {
      expect(raw.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: writers * perWriter });
      expect(raw.prepare('SELECT count(DISTINCT name) AS n FROM sessions').get()).toEqual({ n: writers * perWriter });
      // start + phase per session, nothing lost or duplicated
      expect(raw.prepare('SELECT count(*) AS n FROM session_events').get()).toEqual({ n: writers * perWriter * 2 });
      expect(raw.prepare("SELECT count(*) AS n FROM sessions WHERE json_extract(context, '$.done') = 1").get()).toEqual({
        n: writers * perWriter,
      });
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      raw.close();
    }
  });
});

describe('first open', () => {
  it('8 processes opening the same brand-new store at the same moment all succeed, 50 rounds in a row', async () => {
    const racers = 8;
    const rounds = 50;
    // Node starts in ~50-300 ms here; every racer waits for the same wall-clock instants so the opens collide.
    const startAt = Date.now() + 2000;
    const periodMs = 80;
    const results = await Promise.all(
      Array.from({ length: racers }, (_, racer) =>
        runFixture('first-open-racer.js', [workDir, String(rounds), String(startAt), String(periodMs), String(racer)]),
      ),
    );
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(`ok ${rounds}`);
    }
    for (let round = 0; round < rounds; round++) {
      const raw = new Database(path.join(workDir, String(round), 'sessions.db'), { readonly: true });
      try {
        expect(raw.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: racers });
        expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        raw.close();
      }
    }
  }, 60_000);
});

describe('files that are not ours', () => {
  it('refuses a database written by a newer tdd-fast and leaves it untouched', () => {
    const dbPath = path.join(workDir, 'sessions.db');
    const store = SessionStore.open({ projectRoot: workDir, dbPath });
    store.createSession('from the future');
    store.close();
    const raw = new Database(dbPath);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    const before = snapshot(dbPath);

    const error = openError({ projectRoot: workDir, dbPath });
    expect(error.code).toBe('SCHEMA_TOO_NEW');
    expect(error.message).toContain(dbPath);
    expect(error.message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 1}`);
    expect(error.message).toMatch(/Upgrade tdd-fast/);
    expect(snapshot(dbPath)).toEqual(before);
  });

  it('refuses a file that is not a database, naming it, and never overwrites it', () => {
    const dbPath = path.join(workDir, 'sessions.db');
    fs.writeFileSync(dbPath, 'these are my precious notes, not a database\n'.repeat(100));
    const before = snapshot(dbPath);

    const error = openError({ projectRoot: workDir, dbPath });
    expect(error.code).toBe('NOT_A_DATABASE');
    expect(error.message).toContain(dbPath);
    expect(error.message).toMatch(/will not overwrite/);
    expect(snapshot(dbPath)).toEqual(before);
    expect(fs.existsSync(`${dbPath}-wal`)).toBe(false);
  });

  it("refuses someone else's SQLite database without switching it to WAL", () => {
    const dbPath = path.join(workDir, 'app.db');
    const raw = new Database(dbPath);
    raw.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada')");
    raw.close();
    const before = snapshot(dbPath);

    const error = openError({ projectRoot: workDir, dbPath });
    expect(error.code).toBe('FOREIGN_DATABASE');
    expect(error.message).toContain(dbPath);
    expect(snapshot(dbPath)).toEqual(before);
    const check = new Database(dbPath, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('reports a corrupt store clearly and leaves the damaged bytes in place', () => {
    const dbPath = path.join(workDir, 'sessions.db');
    const store = SessionStore.open({ projectRoot: workDir, dbPath });
    for (let i = 0; i < 200; i++) store.createSession(`s${i}`, { padding: 'y'.repeat(2000) });
    store.close();
    // Keep page 1 (header and schema) intact, scribble over every later page.
    const bytes = fs.readFileSync(dbPath);
    bytes.fill(0xa5, 4096);
    fs.writeFileSync(dbPath, bytes);
    const before = snapshot(dbPath);

    let error: (Error & { code?: string }) | undefined;
    try {
      const damaged = SessionStore.open({ projectRoot: workDir, dbPath });
      try {
        damaged.listSessions();
      } finally {
        damaged.close();
      }
    } catch (caught) {
      error = caught as Error & { code?: string };
    }
    expect(error?.code).toBe('CORRUPT');
    expect(error?.message).toContain(dbPath);
    expect(snapshot(dbPath).bytes.equals(before.bytes)).toBe(true);
  });

  it('refuses a database path that is a directory', () => {
    const dbPath = path.join(workDir, 'sessions.db');
    fs.mkdirSync(dbPath);
    const error = openError({ projectRoot: workDir, dbPath });
    expect(error.code).toBe('OPEN_FAILED');
    expect(error.message).toContain(`${dbPath} exists but is not a file`);
  });

  it('explains when .tdd-fast is a file and the store directory cannot be created', () => {
    fs.writeFileSync(path.join(workDir, '.tdd-fast'), 'not a directory');
    const error = openError({ projectRoot: workDir });
    expect(error.code).toBe('OPEN_FAILED');
    expect(error.message).toMatch(/Cannot create the directory/);
  });
});

describe('read-only project directory', () => {
  // root ignores permission bits, so as root the check runs in a child process as user "nobody" (uid 65534).
  const isRoot = process.getuid?.() === 0;

  it('gives a clear error instead of a crash', () => {
    const projectRoot = path.join(workDir, 'project');
    fs.mkdirSync(projectRoot);
    fs.chmodSync(workDir, 0o755);
    fs.chmodSync(projectRoot, 0o555);
    if (isRoot) {
      const child = spawnSync(process.execPath, [path.join(FIXTURES, 'open-store.js'), projectRoot], {
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      const outcome = JSON.parse(child.stdout) as { ok: boolean; code?: string; message?: string };
      expect(outcome.ok).toBe(false);
      expect(outcome.code).toBe('READ_ONLY');
      expect(outcome.message).toMatch(/read-only/);
      expect(outcome.message).toContain(projectRoot);
    } else {
      const error = openError({ projectRoot });
      expect(error.code).toBe('READ_ONLY');
      expect(error.message).toContain(projectRoot);
    }
    expect(fs.readdirSync(projectRoot)).toEqual([]);
  });
});
