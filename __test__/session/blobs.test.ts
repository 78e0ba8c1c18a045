/** Large values as files beside the database: real files in a temp folder, a real SQLite store, a real SIGKILL. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../dist/session/migrations';
import { DEFAULT_FILE_VALUE_CHARS, SessionStore } from '../../dist/session/store';
import { runAndKill } from './crash-writer';

let workDir: string;
let dbPath: string;
let blobDir: string;
let store: SessionStore | undefined;

beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-blobs-'));
  dbPath = path.join(workDir, 'sessions.db');
  blobDir = `${dbPath}-blobs`;
});

afterEach(() => {
  store?.close();
  store = undefined;
  fs.rmSync(workDir, { recursive: true, force: true });
});

function open(options: Parameters<typeof SessionStore.open>[0] = {}): SessionStore {
  store = SessionStore.open({ projectRoot: workDir, dbPath, ...options });
  return store;
}

/** A context whose JSON is `chars` long or a little longer, different for each `tag`. */
function large(tag: string, chars = DEFAULT_FILE_VALUE_CHARS + 1000): { tag: string; padding: string } {
  return { tag, padding: 'p'.repeat(chars) };
}

function blobFiles(): string[] {
  return fs.existsSync(blobDir) ? fs.readdirSync(blobDir).sort() : [];
}

describe('large values as files', () => {
  it('writes each file with exactly its own bytes when values of different sizes and scripts follow each other', () => {
    // The store encodes into one reused buffer: a shorter value after a longer one, or multi-byte text that needs
    // more bytes than characters, must not carry bytes of the value before it into its file.
    const s = open();
    const values = [
      large('long', DEFAULT_FILE_VALUE_CHARS * 4),
      large('short'),
      { tag: 'multi-byte', padding: 'ü€😀'.repeat(DEFAULT_FILE_VALUE_CHARS) },
      large('short again'),
    ];
    const ids = values.map((value, i) => s.createSession(`v${i}`, value).id);
    s.close();
    // A fresh store has no cached texts: every value comes from its file.
    const fresh = open();
    ids.forEach((id, i) => expect(fresh.loadContextJson(id)).toBe(JSON.stringify(values[i])));
    for (const name of blobFiles()) {
      const bytes = fs.readFileSync(path.join(blobDir, name));
      expect(`${createHash('sha256').update(bytes).digest('hex')}.json`).toBe(name);
    }
  });

  it('keeps a large context in one file, out of the database, and loads it back by every API', () => {
    const s = open();
    const context = large('first');
    const session = s.createSession('big', context);
    expect(blobFiles()).toHaveLength(1);
    expect(blobFiles()[0]).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(JSON.parse(fs.readFileSync(path.join(blobDir, blobFiles()[0]!), 'utf8'))).toEqual(context);
    expect(s.loadSession(session.id)?.context).toEqual(context);
    expect(s.loadContext(session.id)).toEqual(context);
    expect(s.loadContextJson(session.id)).toBe(JSON.stringify(context));
    // The row names the file instead of holding the value.
    const raw = new Database(dbPath, { readonly: true });
    try {
      const row = raw.prepare('SELECT length(context) AS inline, context_file FROM sessions WHERE id = ?').get(session.id);
      expect(row).toEqual({ inline: 4, context_file: blobFiles()[0] });
    } finally {
      raw.close();
    }
  });

  it('keeps small values in the database and writes no file for them', () => {
    const s = open();
    const session = s.createSession('small', { note: 'x'.repeat(1000) });
    s.recordPhase(session.id, 'red', { note: 'y'.repeat(1000) });
    s.saveContext(session.id, { done: true });
    expect(fs.existsSync(blobDir)).toBe(false);
    expect(s.loadContext(session.id)).toEqual({ done: true });
  });

  it('deletes the old file when a context is replaced, by a large or a small one, and stores equal values once', () => {
    const s = open();
    const session = s.createSession('replace', large('a'));
    const [first] = blobFiles();
    s.saveContext(session.id, large('b'));
    expect(blobFiles()).toHaveLength(1);
    expect(blobFiles()[0]).not.toBe(first);
    expect(s.loadContext(session.id)).toEqual(large('b'));

    // The same value in two sessions is one file, and it stays while either still names it.
    const twin = s.createSession('twin', large('b'));
    expect(blobFiles()).toHaveLength(1);
    s.saveContext(session.id, { small: true });
    expect(blobFiles()).toHaveLength(1);
    expect(s.loadContext(twin.id)).toEqual(large('b'));
    s.saveContextJson(twin.id, '{"small":2}');
    expect(blobFiles()).toEqual([]);
    expect(s.loadContext(twin.id)).toEqual({ small: 2 });
  });

  it('inside transaction(), deletes a replaced file only once the transaction commits, and never after a rollback', () => {
    const s = open();
    const session = s.createSession('tx', large('before'));
    expect(() =>
      s.transaction(() => {
        s.saveContext(session.id, large('inside'));
        throw new Error('changed my mind');
      }),
    ).toThrow('changed my mind');
    expect(s.loadContext(session.id)).toEqual(large('before'));
    s.transaction(() => s.saveContext(session.id, large('after')));
    expect(s.loadContext(session.id)).toEqual(large('after'));
    expect(blobFiles()).toHaveLength(2); // 'after', and 'inside' which the rollback left unnamed
    s.cleanupSessions();
    expect(blobFiles()).toHaveLength(1);
  });

  it('saves large pre-serialised JSON as a file and still refuses invalid JSON', () => {
    const s = open();
    const session = s.createSession('json', { before: true });
    const json = JSON.stringify(large('json'));
    s.saveContextJson(session.id, json);
    expect(blobFiles()).toHaveLength(1);
    expect(s.loadContextJson(session.id)).toBe(json);
    expect(() => s.saveContextJson(session.id, `${json.slice(0, -1)},}`)).toThrow(/not valid JSON/);
    expect(s.loadContextJson(session.id)).toBe(json);
    expect(() => s.saveContextJson(session.id + 100, json.replace('json', 'lost'))).toThrow(/No session with id/);
    expect(blobFiles()).toHaveLength(1); // no file for a session that does not exist
  });

  it('returns large event data from listEvents and counts it in summarize', () => {
    const s = open();
    const session = s.createSession('events');
    const big = { tests: 7, written: 2, errors: 1, ms: 40, files: 'f'.repeat(DEFAULT_FILE_VALUE_CHARS) };
    s.recordEvent(session.id, 'generated', big);
    s.recordEvent(session.id, 'generated', { tests: 3, written: 1, errors: 0, ms: 2 });
    s.recordPhase(session.id, 'red', large('phase'));
    expect(blobFiles()).toHaveLength(2);
    const events = s.listEvents(session.id);
    expect(events.map((e) => e.kind)).toEqual(['start', 'generated', 'generated', 'phase']);
    expect(events[1]!.data).toEqual(big);
    expect(events[3]!.data).toEqual(large('phase'));
    expect(s.summarize(session.id)).toMatchObject({ testsGenerated: 10, testFilesWritten: 3, generationErrors: 1 });
    expect(s.summarize(session.id).timings.generationMs).toBe(42);
  });

  it('deleteSession and retention remove the files of the sessions they remove, and only those', () => {
    const s = open();
    const doomed = s.createSession('doomed', large('doomed-context'));
    s.recordPhase(doomed.id, 'green', large('doomed-event'));
    const kept = s.createSession('kept', large('kept-context'));
    expect(blobFiles()).toHaveLength(3);
    expect(s.deleteSession(doomed.id)).toBe(true);
    expect(blobFiles()).toHaveLength(1);
    expect(s.loadContext(kept.id)).toEqual(large('kept-context'));

    const old = s.createSession('old', large('old-context'));
    s.recordEvent(old.id, 'note', large('old-event'));
    expect(blobFiles()).toHaveLength(3);
    expect(s.cleanupSessions({ maxSessions: 0 }, { keep: [kept.id] })).toBe(1);
    expect(s.listSessions().map((x) => x.name)).toEqual(['kept']);
    expect(blobFiles()).toHaveLength(1);
    expect(s.loadContext(kept.id)).toEqual(large('kept-context'));
  });

  it('retention collects files left by a writer killed between its file and its commit, and cut-short temp files', () => {
    const s = open();
    const session = s.createSession('named', large('named'));
    const named = blobFiles()[0]!;
    const orphan = `${'0'.repeat(64)}.json`;
    fs.writeFileSync(path.join(blobDir, orphan), '{"never":"committed"}');
    fs.writeFileSync(path.join(blobDir, `${'1'.repeat(64)}.json.4242-0.tmp`), '{"half');
    expect(blobFiles()).toHaveLength(3);
    s.cleanupSessions({ maxSessions: 100, maxAgeDays: 30 });
    expect(blobFiles()).toEqual([named]);
    expect(s.loadContext(session.id)).toEqual(large('named'));
  });

  it('reports a missing file as a damaged store, naming the file', () => {
    const s = open();
    const session = s.createSession('lost', large('lost'));
    const file = path.join(blobDir, blobFiles()[0]!);
    fs.unlinkSync(file);
    let error: (Error & { code?: string }) | undefined;
    try {
      s.loadContext(session.id);
    } catch (caught) {
      error = caught as Error & { code?: string };
    }
    expect(error?.code).toBe('CORRUPT');
    expect(error?.message).toContain(file);
    expect(error?.message).toMatch(/missing/);
  });

  it('honours fileValueChars (Infinity keeps everything inline) and rejects a nonsensical one', () => {
    const inline = open({ fileValueChars: Infinity });
    const session = inline.createSession('inline', large('inline'));
    expect(fs.existsSync(blobDir)).toBe(false);
    expect(inline.loadContext(session.id)).toEqual(large('inline'));
    inline.close();
    const small = open({ fileValueChars: 100 });
    small.saveContext(session.id, { note: 'z'.repeat(200) });
    expect(blobFiles()).toHaveLength(1);
    small.close();
    store = undefined;
    expect(() => SessionStore.open({ projectRoot: workDir, dbPath, fileValueChars: 0 })).toThrow(/fileValueChars/);
  });

  it("with durability 'full' writes the same files", () => {
    const s = open({ durability: 'full' });
    const session = s.createSession('durable', large('durable'));
    expect(blobFiles()).toHaveLength(1);
    expect(s.loadContext(session.id)).toEqual(large('durable'));
  });

  it('upgrades a schema v1 store in place, keeping its sessions, and can then store files', () => {
    const raw = new Database(dbPath);
    raw.pragma('journal_mode = WAL');
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('application_id = 0x74646466');
    raw.pragma('user_version = 1');
    raw
      .prepare("INSERT INTO sessions (name, status, project_root, created_at, updated_at, context) VALUES ('v1', 'active', ?, 1, 1, '{\"old\":true}')")
      .run(workDir);
    raw.close();
    const s = open();
    const [v1] = s.listSessions();
    expect(s.loadContext(v1!.id)).toEqual({ old: true });
    s.saveContext(v1!.id, large('upgraded'));
    expect(blobFiles()).toHaveLength(1);
    expect(s.loadContext(v1!.id)).toEqual(large('upgraded'));
    expect(s.integrityCheck()).toBe('ok');
  });
});

describe('crash safety with values in files', () => {
  it('a writer killed with SIGKILL loses no committed large context or event, and every named file is there', async () => {
    const allCommitted: number[] = [];
    for (const killAfter of [3, 40, 120]) {
      allCommitted.push(...(await runAndKill(dbPath, killAfter, ['large'])));
      const s = open();
      try {
        expect(s.integrityCheck()).toBe('ok');
        for (const id of allCommitted) {
          const session = s.loadSession<{ i: number; saved?: boolean; padding: string }>(id);
          expect(session, `committed session ${id} is missing`).toBeDefined();
          expect(session!.context.saved).toBe(true);
          expect(session!.context.padding).toHaveLength(100 * 1024);
          const [phase] = s.listEvents(id, { kind: 'phase' });
          expect((phase!.data as { padding: string }).padding).toHaveLength(100 * 1024);
        }
        // Every session that exists (committed or caught mid-way) reads back: no row names a missing file.
        for (const session of s.listSessions()) {
          expect(() => s.loadSession(session.id)).not.toThrow();
          expect(() => s.listEvents(session.id)).not.toThrow();
        }
        // Whatever the kill left unnamed (a file before its commit, a replaced context before its delete), retention
        // collects; afterwards every file is named by a row.
        s.cleanupSessions({ maxSessions: 1_000_000, maxAgeDays: 365 });
        const raw = new Database(dbPath, { readonly: true });
        try {
          const named = new Set(
            (
              raw
                .prepare(
                  'SELECT context_file AS f FROM sessions WHERE context_file IS NOT NULL ' +
                    'UNION SELECT data_file FROM session_events WHERE data_file IS NOT NULL',
                )
                .all() as { f: string }[]
            ).map((row) => row.f),
          );
          expect(blobFiles().filter((name) => !named.has(name))).toEqual([]);
          expect(named.size).toBe(blobFiles().length);
        } finally {
          raw.close();
        }
      } finally {
        s.close();
        store = undefined;
      }
    }
    expect(allCommitted.length).toBeGreaterThanOrEqual(3 + 40 + 120);
  }, 60_000);
});
