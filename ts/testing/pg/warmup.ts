/**
 * Warming a clone's connection before it is handed out.
 *
 * A backend in a database it has never seen starts with empty catalog and relation caches, and a new database's
 * pages are in no shared buffer: the first queries of a test on a fresh clone pay for loading every table, index,
 * operator and function they touch (measured on the example shop: a test-like batch of 18 statements ran in ~33 ms on
 * a fresh clone, ~11 ms on the same connection a second time). The refill can pay that instead, in its idle time: the
 * template remembers the statements its tests ran on the handed-out clients and, on ready clones, runs `EXPLAIN` of
 * the most used ones. It costs more server CPU than a single test saves (it loads what the most used statements
 * need, not what the next test will need: measured 4 ms for 4 statements, 13 ms for 16, 23 ms for 64), so it is only
 * done while the refill has nothing else to do.
 * `EXPLAIN` (without ANALYZE) parses, plans and initialises the plan, which loads those caches, and executes nothing.
 * It goes over the extended protocol, where a text with two statements is refused instead of run. What was learned is
 * kept in the cache directory per template, so the next test file (another worker process) starts warm.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A statement a test ran, with the parameters of one of its runs (EXPLAIN of `$1` needs a value to plan with). */
interface Learned {
  text: string;
  values: Primitive[];
  /** Handed-out clients that ran it (a test counts once however often it runs it), here and in the saved runs. */
  count: number;
}
type Primitive = string | number | boolean | null;

/** Statements EXPLAIN accepts and that run no code of their own at plan time. */
const EXPLAINABLE = /^\s*(select|insert|update|delete|with|values|table)\b/i;
const MAX_TEXT = 20_000;
/** Distinct statements remembered; beyond it, new ones are ignored (a suite's statements repeat). */
const MAX_LEARNED = 2_000;
const FILE_FORMAT = 1;

function primitives(values: unknown): Primitive[] | null {
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values) || values.length > 100) return null;
  for (const v of values) {
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return null;
    if (typeof v === 'string' && v.length > 1_000) return null;
  }
  return values as Primitive[];
}

export interface WarmupClient {
  query(config: { text: string; values: Primitive[]; queryMode: 'extended' }): Promise<unknown>;
}

/** The statements a template's tests ran, by how often, and how to replay them as EXPLAINs. */
export class StatementMemory {
  private readonly statements = new Map<string, Learned>();
  /** Statements whose EXPLAIN failed (a table the test made itself, a temp table): not tried again, not saved. */
  private readonly failed = new Set<string>();

  /**
   * Records one query call's arguments (`text, values` or a `{ text, values }` config); ignores anything else.
   * `seen` holds the texts this client already ran, so each test counts once per statement.
   */
  record(first: unknown, second: unknown, seen: Set<string>): void {
    let text: unknown;
    let values: unknown;
    if (typeof first === 'string') {
      text = first;
      values = Array.isArray(second) ? second : undefined;
    } else if (first && typeof first === 'object' && !('submit' in first)) {
      const config = first as { text?: unknown; values?: unknown; name?: unknown };
      text = config.text;
      values = config.values ?? (Array.isArray(second) ? second : undefined);
    }
    if (typeof text !== 'string' || seen.has(text) || text.length > MAX_TEXT || !EXPLAINABLE.test(text) || this.failed.has(text)) return;
    seen.add(text);
    const known = this.statements.get(text);
    if (known) {
      known.count++;
      return;
    }
    if (this.statements.size >= MAX_LEARNED) return;
    const clean = primitives(values);
    if (clean) this.statements.set(text, { text, values: [...clean], count: 1 });
  }

  get size(): number {
    return this.statements.size;
  }

  /** The `limit` most used statements. */
  pick(limit: number): Learned[] {
    return [...this.statements.values()].sort((a, b) => b.count - a.count).slice(0, limit);
  }

  /** EXPLAINs the most used statements on `client` until `stop()`; returns how many planned. Never throws. */
  async warm(client: WarmupClient, limit: number, stop: () => boolean = () => false): Promise<number> {
    let planned = 0;
    for (const statement of this.pick(limit)) {
      if (stop()) break;
      try {
        await client.query({ text: `EXPLAIN ${statement.text}`, values: statement.values, queryMode: 'extended' });
        planned++;
      } catch {
        this.statements.delete(statement.text);
        this.failed.add(statement.text);
      }
    }
    return planned;
  }

  /** Adds the statements saved by earlier runs (other test files, earlier runs); a missing or bad file adds none. */
  load(file: string): void {
    let saved: { format?: number; statements?: Learned[] };
    try {
      saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      return;
    }
    if (saved.format !== FILE_FORMAT || !Array.isArray(saved.statements)) return;
    for (const s of saved.statements) {
      if (typeof s?.text !== 'string' || !EXPLAINABLE.test(s.text) || this.statements.size >= MAX_LEARNED) continue;
      const values = primitives(s.values);
      if (!values) continue;
      const known = this.statements.get(s.text);
      if (known) known.count = Math.max(known.count, Number(s.count) || 1);
      else this.statements.set(s.text, { text: s.text, values, count: Number(s.count) || 1 });
    }
  }

  /** Writes what is known (merged with the file as it is now, so concurrent workers add up) atomically. */
  save(file: string, keep: number): void {
    const merged = new StatementMemory();
    merged.load(file);
    for (const s of this.statements.values()) {
      const known = merged.statements.get(s.text);
      if (known) known.count = Math.max(known.count, s.count);
      else merged.statements.set(s.text, { ...s });
    }
    for (const text of this.failed) merged.statements.delete(text);
    const body = JSON.stringify({ format: FILE_FORMAT, statements: merged.pick(keep) });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, body);
    fs.renameSync(temp, file);
  }
}

/**
 * Makes `client.query` record its statements into `memory` (the instance's own method is replaced; the prototype
 * and every other client are untouched). Returns a function that stops the recording.
 */
export function recordQueries(client: { query: (...args: unknown[]) => unknown }, memory: StatementMemory): () => void {
  const original = client.query;
  const seen = new Set<string>();
  client.query = function recordingQuery(this: unknown, ...args: unknown[]) {
    memory.record(args[0], args[1], seen);
    return original.apply(this, args);
  };
  return () => {
    client.query = original;
  };
}
