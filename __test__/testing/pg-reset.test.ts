/**
 * PostgresTemplate's `recycle: 'reset'` against a real PostgreSQL server (a throwaway cluster started here with
 * prepared transactions allowed): a released database comes back with exactly the seed (rows and sequences), and falls back to a clone when the reset cannot prove it clean (schema change, an open connection, a
 * prepared transaction, a lock), with the counts in stats().
 */
import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresTemplate, type FreshPgDatabase } from '../../ts/testing/index';
import { tempDir, usePostgres } from './helpers';

const pg = usePostgres({ settings: { max_prepared_transactions: 4 } });

/** Customers with an identity key, orders referencing them (ON DELETE CASCADE), a generated column, an audit trigger. */
const DDL = `
CREATE TABLE customers (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text UNIQUE NOT NULL);
CREATE TABLE orders (
  id serial PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  cents integer NOT NULL,
  euros numeric GENERATED ALWAYS AS (cents / 100.0) STORED
);
CREATE TABLE audit (id bigserial PRIMARY KEY, what text NOT NULL);
CREATE TABLE order_notes (order_id integer NOT NULL REFERENCES orders(id), body text NOT NULL); -- NO ACTION
CREATE TABLE empty_at_start (k text PRIMARY KEY);
CREATE TABLE notes (body text); -- no key, and two equal rows
INSERT INTO notes VALUES ('same'), ('same'), ('other');
CREATE FUNCTION audit_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO audit (what) VALUES (TG_OP || ' order ' || NEW.id); RETURN NEW; END $$;
CREATE TRIGGER orders_audit AFTER INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit_order();
INSERT INTO customers (email) SELECT 'c' || i || '@x.io' FROM generate_series(1, 50) i;
INSERT INTO orders (customer_id, cents) SELECT 1 + i % 50, i * 7 FROM generate_series(1, 120) i;
-- Updated seed rows: their latest values are the seed.
UPDATE customers SET email = email || '.old' WHERE id % 3 = 0;
`;

let counter = 0;
async function makeTemplate(extra: Record<string, unknown> = {}): Promise<PostgresTemplate> {
  // One database at most: a released one must come back (reset) or be replaced (fallback) before the next handout.
  return PostgresTemplate.create({
    connectionString: pg.url,
    ddl: DDL,
    name: `reset${process.pid % 1000}_${++counter}`,
    cacheDir: tempDir(),
    poolSize: 1,
    maxDatabases: 1,
    warmup: false,
    recycle: 'reset',
    ...extra,
  });
}

/**
 * Every table's rows (as text, sorted: the reset refills a table in the seed's order, but a DELETE's free space may
 * place a row elsewhere, so only ORDER BY fixes the order, as the docs say) and every sequence's state.
 */
async function snapshot(client: Client): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const table of ['customers', 'orders', 'audit', 'empty_at_start', 'notes', 'order_notes']) {
    out[table] = (await client.query(`SELECT t::text AS row FROM ${table} t ORDER BY 1`)).rows.map((r) => r.row);
  }
  for (const seq of ['customers_id_seq', 'orders_id_seq', 'audit_id_seq']) {
    out[seq] = (await client.query(`SELECT last_value, is_called FROM ${seq}`)).rows[0];
  }
  return out;
}

async function releaseAndTakeNext(template: PostgresTemplate, db: FreshPgDatabase): Promise<FreshPgDatabase> {
  db.release();
  return template.fresh();
}

describe("PostgresTemplate recycle: 'reset'", () => {
  it('gives a written database back with exactly the seed: rows, sequences, session state', async () => {
    const template = await makeTemplate();
    try {
      const first = await template.fresh();
      const seed = await snapshot(first.client);
      expect((seed.customers as string[]).length).toBe(50);
      // Writes of every kind, through the user's trigger and the foreign key's cascade, plus session state.
      await first.client.query("INSERT INTO customers (email) VALUES ('new@x.io')");
      await first.client.query('INSERT INTO orders (customer_id, cents) VALUES (51, 999)');
      await first.client.query('UPDATE orders SET cents = 0 WHERE id < 10');
      await first.client.query('DELETE FROM customers WHERE id = 2'); // cascades to its orders
      await first.client.query("INSERT INTO empty_at_start VALUES ('x')");
      await first.client.query("DELETE FROM notes WHERE ctid = (SELECT min(ctid) FROM notes WHERE body = 'same')");
      await first.client.query("SELECT nextval('audit_id_seq'), setval('orders_id_seq', 5000)");
      await first.client.query("SET search_path = nowhere; CREATE TEMP TABLE scratch (a int); SELECT pg_advisory_lock(42)");
      await first.client.query('BEGIN; UPDATE public.customers SET email = email'); // left open: rolled back
      const look = await connected(first.connectionString);
      expect(await snapshot(look)).not.toEqual(seed);
      await look.end();

      const second = await releaseAndTakeNext(template, first);
      expect(second.database).toBe(first.database); // the same database, reset, not a new clone
      expect((await second.client.query('SHOW search_path')).rows[0].search_path).toBe('"$user", public');
      expect(await snapshot(second.client)).toEqual(seed);
      expect((await second.client.query("SELECT to_regclass('pg_temp.scratch') AS t")).rows[0].t).toBeNull();
      expect((await second.client.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")).rows[0].n).toBe(0);
      // The next ids are the seed's next ids.
      expect((await second.client.query("INSERT INTO customers (email) VALUES ('again@x.io') RETURNING id")).rows[0].id).toBe(51);

      // Rows the last reset put back are seed rows too: written again, they come back again.
      await second.client.query('UPDATE orders SET cents = 1 WHERE id < 10; TRUNCATE notes; DELETE FROM customers WHERE id = 2');
      const third = await releaseAndTakeNext(template, second);
      expect(third.database).toBe(first.database);
      expect(await snapshot(third.client)).toEqual(seed);
      third.release();
      const stats = template.stats();
      expect(stats.reset).toMatchObject({ mode: 'reset', reason: null, resets: 2, fallbacks: { connections: 0, prepared: 0, locks: 0, schema: 0, other: 0 } });
      expect(stats.clones).toBe(1);
    } finally {
      await template.close();
    }
    expect(await leftover()).toEqual([]);
  }, 120_000);

  it('falls back to a new clone after a schema change, but not for temporary tables or CREATE ... IF NOT EXISTS', async () => {
    const template = await makeTemplate();
    try {
      const first = await template.fresh();
      await first.client.query('CREATE TEMP TABLE t (a int); DROP TABLE t; CREATE TABLE IF NOT EXISTS customers (x int)');
      const seed = await snapshot(first.client);
      // INSERTs only (into tables that reference each other, one with a user trigger on INSERT): the new rows go,
      // without replica mode, referencing tables first; the rest stays.
      await first.client.query("INSERT INTO notes VALUES ('only inserted')");
      await first.client.query(
        "INSERT INTO customers (email) VALUES ('ins@x.io'); INSERT INTO orders (customer_id, cents) VALUES (51, 5); INSERT INTO order_notes VALUES (121, 'n')",
      );
      const second = await releaseAndTakeNext(template, first);
      expect(second.database).toBe(first.database);
      expect(await snapshot(second.client)).toEqual(seed);

      await second.client.query('ALTER TABLE orders ADD COLUMN note text');
      const third = await releaseAndTakeNext(template, second);
      expect(third.database).not.toBe(first.database);
      const columns = await third.client.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'note'");
      expect(columns.rows).toEqual([]);

      await third.client.query('DROP TABLE empty_at_start');
      const fourth = await releaseAndTakeNext(template, third);
      expect(fourth.database).not.toBe(third.database);
      fourth.release();
      const stats = template.stats().reset;
      expect(stats).toMatchObject({ resets: 1, fallbacks: { schema: 2 } });
      expect(stats.lastFallback).toMatch(new RegExp(`database ${third.database} could not be reset \\(schema changed\\)`));
    } finally {
      await template.close();
    }
    expect(await leftover()).toEqual([]);
  }, 120_000);

  it('falls back when the test leaves a connection open, a prepared transaction or a lock, naming the cause', async () => {
    const template = await makeTemplate();
    const leaked: Client[] = [];
    try {
      // An open connection (closed only after the reset gave up on it).
      const first = await template.fresh();
      leaked.push(await connected(first.connectionString));
      const second = await releaseAndTakeNext(template, first);
      expect(second.database).not.toBe(first.database);
      expect(template.stats().reset.lastFallback).toMatch(new RegExp(`database ${first.database} could not be reset \\(open connections: pid \\d+`));

      // A lock another session holds.
      const locker = await connected(second.connectionString);
      leaked.push(locker);
      await locker.query('BEGIN; LOCK TABLE customers IN ACCESS EXCLUSIVE MODE');
      const third = await releaseAndTakeNext(template, second);
      expect(third.database).not.toBe(second.database);
      expect(template.stats().reset.lastFallback).toMatch(/could not be reset \(locks of other sessions: relation AccessExclusiveLock \(pid \d+\)/);

      // A prepared transaction (it holds its locks with no session): rolled back, so the database can be dropped.
      await third.client.query("BEGIN; INSERT INTO customers (email) VALUES ('p@x.io'); PREPARE TRANSACTION 'tdd-fast-test'");
      const fourth = await releaseAndTakeNext(template, third);
      expect(fourth.database).not.toBe(third.database);
      expect(template.stats().reset.lastFallback).toMatch(/could not be reset \(prepared transactions: 'tdd-fast-test'\)/);

      // A BEGIN the test did not wait for runs before the reset: the reset would not be committed.
      void fourth.client.query('BEGIN').catch(() => undefined);
      const fifth = await releaseAndTakeNext(template, fourth);
      expect(fifth.database).not.toBe(fourth.database);
      expect(template.stats().reset.lastFallback).toMatch(/could not be reset \(other: the connection was left inside a transaction\)/);
      fifth.release();
      expect(template.stats().reset).toMatchObject({ resets: 0, fallbacks: { connections: 1, locks: 1, prepared: 1, other: 1 } });
    } finally {
      for (const client of leaked) await client.end().catch(() => undefined);
      await template.close();
    }
    expect(await leftover()).toEqual([]);
    expect((await pg.admin.query('SELECT count(*)::int AS n FROM pg_prepared_xacts')).rows[0].n).toBe(0);
  }, 120_000);

  it("is 'drop', saying why, for a user who is not a superuser (event triggers need one)", async () => {
    const role = `tdf_plain_${process.pid}`;
    await pg.admin.query(`CREATE ROLE ${role} LOGIN CREATEDB`);
    const asRole = new URL(pg.url);
    asRole.username = role;
    const template = await makeTemplate({ connectionString: asRole.toString() });
    try {
      const first = await template.fresh();
      const second = await releaseAndTakeNext(template, first);
      expect(second.database).not.toBe(first.database);
      second.release();
      expect(template.stats().reset).toMatchObject({ mode: 'drop', reason: 'the user is not a superuser (event triggers need one)', resets: 0 });
    } finally {
      await template.close();
    }
  }, 120_000);

  it("recycle: 'drop' keeps the template free of the tracking and drops every released database", async () => {
    const template = await makeTemplate({ recycle: 'drop' });
    try {
      const first = await template.fresh();
      expect((await first.client.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'tdd_fast_reset'")).rows[0].n).toBe(0);
      const second = await releaseAndTakeNext(template, first);
      expect(second.database).not.toBe(first.database);
      second.release();
      expect(template.stats().reset).toMatchObject({ mode: 'drop', resets: 0 });
    } finally {
      await template.close();
    }
  }, 120_000);
});

async function connected(connectionString: string): Promise<Client> {
  const client = new Client({ connectionString });
  client.on('error', () => undefined); // a leaked one is terminated when its database is dropped
  await client.connect();
  return client;
}

/** Clones of this file's templates still on the server. */
async function leftover(): Promise<string[]> {
  const rows = await pg.admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'tdf\\_reset%' AND NOT datistemplate");
  return rows.rows.map((r) => r.datname as string);
}
