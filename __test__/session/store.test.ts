import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStoreError } from '../../dist/session/errors';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION } from '../../dist/session/migrations';
import { SessionStore, countDisappeared, tallyPhases } from '../../dist/session/store';

let projectRoot: string;
let store: SessionStore | undefined;

beforeEach(() => {
  projectRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-store-'));
});

afterEach(() => {
  store?.close();
  store = undefined;
  fs.rmSync(projectRoot, { recursive: true, force: true });
});

function openStore(options: Parameters<typeof SessionStore.open>[0] = {}): SessionStore {
  store = SessionStore.open({ projectRoot, ...options });
  return store;
}

describe('opening the store', () => {
  it('creates .tdd-fast/sessions.db under the project root, in WAL mode, stamped as ours', () => {
    const opened = openStore();
    expect(opened.dbPath).toBe(path.join(projectRoot, '.tdd-fast', 'sessions.db'));
    opened.close();
    const raw = new Database(opened.dbPath, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    raw.close();
  });

  it('reopens an existing store and keeps its sessions', () => {
    const first = openStore();
    const created = first.createSession('kept', { note: 'hello' });
    first.close();
    const second = openStore();
    expect(second.loadSession(created.id)).toMatchObject({ name: 'kept', context: { note: 'hello' } });
  });

  it('accepts a relative dbPath, resolved against the project root', () => {
    const opened = openStore({ dbPath: 'custom/history.db' });
    expect(opened.dbPath).toBe(path.join(projectRoot, 'custom', 'history.db'));
    expect(fs.existsSync(opened.dbPath)).toBe(true);
  });
});

describe('sessions', () => {
  it('creates, lists, finds by id or name, ends and resumes', () => {
    const s = openStore();
    const first = s.createSession('cart');
    const second = s.createSession('checkout');
    expect(first).toMatchObject({ name: 'cart', status: 'active', projectRoot, endedAt: null });
    expect(s.listSessions().map((x) => x.name).sort()).toEqual(['cart', 'checkout']);
    expect(s.findSession(String(second.id))?.name).toBe('checkout');
    expect(s.findSession('cart')?.id).toBe(first.id);
    expect(s.findSession('nope')).toBeUndefined();

    const ended = s.endSession(first.id);
    expect(ended.status).toBe('ended');
    expect(ended.endedAt).not.toBeNull();
    expect(s.listSessions({ status: 'active' }).map((x) => x.id)).toEqual([second.id]);

    const resumed = s.resumeSession(first.id);
    expect(resumed).toMatchObject({ status: 'active', endedAt: null });
    expect(s.listEvents(first.id).map((e) => e.kind)).toEqual(['start', 'end', 'resume']);
  });

  it('finds the newest session when several share a name', () => {
    const s = openStore();
    s.createSession('same');
    const newer = s.createSession('same');
    expect(s.findSession('same')?.id).toBe(newer.id);
  });

  it('rejects an empty name and unknown phases', () => {
    const s = openStore();
    expect(() => s.createSession('  ')).toThrow(/non-empty name/);
    const session = s.createSession('x');
    expect(() => s.recordPhase(session.id, 'blue' as never)).toThrow(/Unknown TDD phase 'blue'/);
  });

  it('reports a missing session with its id', () => {
    const s = openStore();
    expect(() => s.saveContext(42, {})).toThrow(expect.objectContaining({ code: 'SESSION_NOT_FOUND' }));
    expect(() => s.saveContext(42, {})).toThrow(/No session with id 42/);
    expect(() => s.recordPhase(42, 'red')).toThrow(/No session with id 42/);
  });

  it('refuses to work after close with a clear error', () => {
    const s = openStore();
    s.close();
    expect(() => s.listSessions()).toThrow(/is closed/);
  });
});

describe('context', () => {
  it('round-trips JSON context', () => {
    const s = openStore();
    const session = s.createSession('ctx', { step: 1 });
    const context = { step: 2, files: ['a.ts', 'b.ts'], nested: { ok: true, unicode: 'żółw 🐢' } };
    s.saveContext(session.id, context);
    expect(s.loadContext(session.id)).toEqual(context);
    expect(s.loadSession(session.id)?.context).toEqual(context);
  });

  it('bounds the context size and keeps the previous context when a save is refused', () => {
    const s = openStore({ maxContextBytes: 1024 });
    const session = s.createSession('bounded', { small: true });
    let error: unknown;
    try {
      s.saveContext(session.id, { big: 'x'.repeat(2000) });
    } catch (caught) {
      error = caught;
    }
    // vitest loads dist through its own module graph, so compare by name and code rather than instanceof.
    expect((error as Error).name).toBe('SessionStoreError');
    expect((error as SessionStoreError).code).toBe('CONTEXT_TOO_LARGE');
    expect((error as Error).message).toMatch(/limit is 1024/);
    expect(s.loadContext(session.id)).toEqual({ small: true });
  });

  it('counts multi-byte characters in bytes, not characters', () => {
    const s = openStore({ maxContextBytes: 1000 });
    const session = s.createSession('bytes');
    expect(() => s.saveContext(session.id, { text: '🐢'.repeat(300) })).toThrow(/limit is 1000/); // 1200 bytes
    expect(() => s.saveContext(session.id, { text: 'a'.repeat(300) })).not.toThrow();
  });
});

describe('summary bookkeeping', () => {
  it('tracks files, smells found and fixed across analyses, generation and phases', () => {
    const s = openStore();
    const session = s.createSession('work');
    s.recordPhase(session.id, 'red');
    s.recordAnalysis(
      session.id,
      [
        { path: 'src/a.ts', hash: '1', smellKeys: ['magic-number@f', 'magic-number@f', 'long-function@f'] },
        { path: 'src/b.ts', hash: '1', smellKeys: [] },
      ],
      { ms: 12 },
    );
    s.recordPhase(session.id, 'green');
    s.recordAnalysis(session.id, [{ path: 'src/a.ts', hash: '2', smellKeys: ['magic-number@f'] }], { ms: 3 });
    s.recordEvent(session.id, 'generated', { tests: 7, written: 2, errors: 1, ms: 40 });
    s.recordPhase(session.id, 'refactor');
    s.recordPhase(session.id, 'red');

    const summary = s.summarize(session.id);
    expect(summary).toMatchObject({
      filesAnalysed: 2,
      analyses: 2,
      smellsFound: 1,
      smellsFixed: 2,
      testsGenerated: 7,
      testFilesWritten: 2,
      generationErrors: 1,
      phases: { red: 2, green: 1, refactor: 1 },
      currentPhase: 'red',
      cycles: 1,
      cache: null,
    });
    expect(summary.timings.analysisMs).toBe(15);
    expect(summary.timings.generationMs).toBe(40);
  });

  it('counts disappeared smells as a multiset difference', () => {
    expect(countDisappeared(['a', 'a', 'b'], ['a'])).toBe(2);
    expect(countDisappeared(['a'], ['a', 'a', 'c'])).toBe(0);
    expect(countDisappeared([], [])).toBe(0);
  });

  it('counts red -> green cycles and the time spent in each phase', () => {
    const tally = tallyPhases(
      [
        { at: 0, phase: 'red' },
        { at: 10, phase: 'green' },
        { at: 15, phase: 'green' },
        { at: 20, phase: 'refactor' },
        { at: 30, phase: 'red' },
        { at: 35, phase: 'green' },
      ],
      50,
    );
    expect(tally.cycles).toBe(2);
    expect(tally.counts).toEqual({ red: 2, green: 3, refactor: 1 });
    expect(tally.ms).toEqual({ red: 15, green: 25, refactor: 10 });
    expect(tally.current).toBe('green');
    expect(tallyPhases([], 0)).toMatchObject({ cycles: 0, current: null });
  });
});

describe('retention', () => {
  const DAY = 24 * 60 * 60 * 1000;

  function backdate(s: SessionStore, id: number, ms: number): void {
    const raw = new Database(s.dbPath);
    raw.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?').run(ms, id);
    raw.close();
  }

  it('removes sessions older than maxAgeDays with their events, and reports how many', () => {
    const s = openStore();
    const old = s.createSession('old');
    s.recordPhase(old.id, 'red');
    s.recordAnalysis(old.id, [{ path: 'a.ts', hash: 'h', smellKeys: [] }]);
    const fresh = s.createSession('fresh');
    backdate(s, old.id, Date.now() - 31 * DAY);

    expect(s.cleanupSessions({ maxAgeDays: 30 })).toBe(1);
    expect(s.getSession(old.id)).toBeUndefined();
    expect(s.getSession(fresh.id)).toBeDefined();
    expect(s.listEvents(old.id)).toEqual([]);
    const raw = new Database(s.dbPath, { readonly: true });
    expect(raw.prepare('SELECT count(*) AS n FROM session_files WHERE session_id = ?').get(old.id)).toEqual({ n: 0 });
    raw.close();
  });

  it('keeps only the newest maxSessions, never the ids it is told to keep', () => {
    const s = openStore();
    const ids = Array.from({ length: 5 }, (_, i) => s.createSession(`s${i}`).id);
    ids.forEach((id, i) => backdate(s, id, Date.now() - (10 - i) * 1000));
    expect(s.cleanupSessions({ maxSessions: 2 }, { keep: [ids[0]!] })).toBe(2);
    expect(s.listSessions().map((x) => x.id).sort()).toEqual([ids[0], ids[3], ids[4]].sort());
  });

  it('rejects a nonsensical policy', () => {
    const s = openStore();
    expect(() => s.cleanupSessions({ maxSessions: -1 })).toThrow(RangeError);
    expect(() => s.cleanupSessions({ maxAgeDays: Number.NaN })).toThrow(RangeError);
  });
});

describe('context as JSON text', () => {
  it('saves and loads pre-serialised JSON, rejecting invalid JSON and oversized text', () => {
    const s = openStore({ maxContextBytes: 100 });
    const session = s.createSession('json', { before: true });
    s.saveContextJson(session.id, '{"fromText":[1,2,3]}');
    expect(s.loadContextJson(session.id)).toBe('{"fromText":[1,2,3]}');
    expect(s.loadContext(session.id)).toEqual({ fromText: [1, 2, 3] });
    expect(() => s.saveContextJson(session.id, '{oops')).toThrow(/not valid JSON/);
    expect(() => s.saveContextJson(session.id, JSON.stringify('x'.repeat(200)))).toThrow(/limit is 100/);
    expect(() => s.saveContextJson(999, '{}')).toThrow(/No session with id 999/);
    expect(s.loadContext(session.id)).toEqual({ fromText: [1, 2, 3] });
  });
});

describe('WAL checkpoints off the writer path', () => {
  it('with the automatic checkpoint off, a long run of writes still reaches the database file and close leaves no WAL', async () => {
    const dbPath = path.join(projectRoot, '.tdd-fast', 'sessions.db');
    store = SessionStore.open({ projectRoot });
    const session = store.createSession('many writes');
    const details = { note: 'x'.repeat(10 * 1024) };
    for (let i = 0; i < 400; i++) store.recordPhase(session.id, i % 2 ? 'green' : 'red', details);
    const sizeAfterOpen = 20 * 4096; // a fresh store is a handful of 4 KiB pages
    // The automatic checkpoint is off for the store's connection, so only the background checkpointer can have
    // copied the ~4 MB of events from the WAL into the database file.
    const deadline = Date.now() + 10_000;
    while (fs.statSync(dbPath).size < 2 * 1024 * 1024 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(fs.statSync(dbPath).size).toBeGreaterThan(Math.max(sizeAfterOpen, 2 * 1024 * 1024));
    expect(store.listEvents(session.id, { kind: 'phase' })).toHaveLength(400);
    store.close();
    store = undefined;
    expect(fs.existsSync(`${dbPath}-wal`)).toBe(false);
    const raw = new Database(dbPath, { readonly: true });
    try {
      expect(raw.prepare("SELECT count(*) AS n FROM session_events WHERE kind = 'phase'").get()).toEqual({ n: 400 });
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      raw.close();
    }
  });
});
