/**
 * The SQL that `recycle: 'reset'` installs in the template (schema `tdd_fast_reset`), so every clone carries it:
 *
 * - `marks`: an unlogged table of the tables written since the last reset, and whether only by INSERT (then no seed
 *   row can be missing: deleting the new rows is enough). A statement-level trigger on every table
 *   (INSERT, UPDATE, DELETE, TRUNCATE; `ENABLE ALWAYS`, so `session_replication_role = replica` does not silence it)
 *   records the table; relid 0 means "the schema changed", recorded by two event triggers (DDL on anything but
 *   temporary objects; a DROP of anything but temporary objects).
 * - `tables`: per table, what a write to it forces the reset to put back (itself and, written through a parent, its
 *   inheritance children and partitions), the DELETE of the rows written since the last reset (with a primary key:
 *   those whose xmin is newer than the last reset's transaction; without one: all rows) and the INSERT of the seed
 *   rows then missing (with a key: by key; without: all), from a copy made at build time (`seed_<oid>`).
 * - `config`: why reset is off for this template (foreign tables, large objects), and the last reset's transaction.
 * - `sequences`: every sequence's value at build time.
 * - `reset(marker)`: the reset, in one transaction on the test's own connection. It first proves the database can be
 *   reset (no other session, no prepared transaction, no lock of another session, no schema change, the tracking
 *   intact, no large object, the database's settings and comment unchanged); if not, it returns the cause and
 *   changes nothing (the caller then drops the database). Otherwise it puts back the written tables,
 *   puts back the sequences that moved, and returns a NULL cause and the tables whose dead rows want a VACUUM.
 *
 * The trigger functions are SECURITY DEFINER (their owner is the superuser who built the template), so a test that
 * switches to a less privileged role is still tracked.
 */

export const RESET_SCHEMA = 'tdd_fast_reset';

/** Creates the tracking, the seed copies and reset() in the template (after migrations and seed). */
export const INSTALL_RESET_SQL = String.raw`
CREATE SCHEMA tdd_fast_reset;
CREATE UNLOGGED TABLE tdd_fast_reset.marks (relid oid PRIMARY KEY, changed boolean NOT NULL);
CREATE TABLE tdd_fast_reset.config (disabled text, last_xid xid NOT NULL);
CREATE TABLE tdd_fast_reset.tables (relid oid PRIMARY KEY, closure oid[] NOT NULL, name text NOT NULL, has_rows boolean NOT NULL,
  keyed boolean NOT NULL, copy_bytes bigint, newer_sql text, restore_sql text, rank integer NOT NULL DEFAULT 0,
  plain boolean NOT NULL DEFAULT false);
CREATE TABLE tdd_fast_reset.sequences (seq regclass PRIMARY KEY, last_value bigint NOT NULL, is_called boolean NOT NULL);

CREATE FUNCTION tdd_fast_reset.mark() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  INSERT INTO tdd_fast_reset.marks AS m VALUES (TG_RELID, TG_OP <> 'INSERT')
    ON CONFLICT (relid) DO UPDATE SET changed = true WHERE EXCLUDED.changed AND NOT m.changed;
  RETURN NULL;
END $fn$;

CREATE FUNCTION tdd_fast_reset.ddl_end() RETURNS event_trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  -- A CREATE ... IF NOT EXISTS that found the object, or a DROP (sql_drop sees those), reports no command.
  IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE schema_name IS DISTINCT FROM 'pg_temp')
     OR (NOT EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands()) AND tg_tag NOT LIKE 'CREATE %' AND tg_tag NOT LIKE 'DROP %') THEN
    INSERT INTO tdd_fast_reset.marks VALUES (0, true) ON CONFLICT DO NOTHING;
  END IF;
END $fn$;

CREATE FUNCTION tdd_fast_reset.ddl_drop() RETURNS event_trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_event_trigger_dropped_objects() WHERE NOT is_temporary) THEN
    INSERT INTO tdd_fast_reset.marks VALUES (0, true) ON CONFLICT DO NOTHING;
  END IF;
END $fn$;

DO $install$
DECLARE
  r record;
  cols text;
  keys text;
  copy text;
  wipe text;
BEGIN
  INSERT INTO tdd_fast_reset.config VALUES (
    CASE WHEN EXISTS (SELECT 1 FROM pg_class WHERE relkind = 'f') THEN 'the template has foreign tables, whose writes go elsewhere'
         WHEN EXISTS (SELECT 1 FROM pg_largeobject_metadata) THEN 'the template has large objects' END,
    pg_current_xact_id()::xid);

  CREATE TEMP TABLE tracked ON COMMIT DROP AS
    SELECT c.oid AS relid, c.relkind, format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't'
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'tdd_fast_reset') AND n.nspname NOT LIKE 'pg\_toast%';

  FOR r IN SELECT * FROM tracked LOOP
    EXECUTE format('CREATE TRIGGER tdd_fast_reset_mark AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION tdd_fast_reset.mark()', r.name);
    EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER tdd_fast_reset_mark', r.name);
    copy := NULL;
    wipe := NULL;
    keys := NULL;
    IF r.relkind = 'r' THEN
      SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols FROM pg_attribute
        WHERE attrelid = r.relid AND attnum > 0 AND NOT attisdropped AND attgenerated = '';
      -- The primary key, unless a generated column is part of it (the copy has no generated columns).
      SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO keys
        FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = r.relid AND i.indisprimary
        HAVING bool_and(a.attgenerated = '');
      IF cols IS NOT NULL THEN
        EXECUTE format('CREATE TABLE tdd_fast_reset.seed_%s AS SELECT %s FROM ONLY %s', r.relid, cols, r.name);
        EXECUTE format('SELECT CASE WHEN EXISTS (SELECT 1 FROM tdd_fast_reset.seed_%s) THEN 1 END', r.relid) INTO copy;
        IF copy IS NULL THEN
          EXECUTE format('DROP TABLE tdd_fast_reset.seed_%s', r.relid);
        ELSIF keys IS NOT NULL THEN
          -- Only the seed rows that are missing (deleted, or changed and so deleted by delete_sql) go back.
          copy := format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM tdd_fast_reset.seed_%s s '
                         'WHERE NOT EXISTS (SELECT 1 FROM ONLY %s x WHERE (%s) = (%s))',
                         r.name, cols, cols, r.relid, r.name,
                         (SELECT string_agg('x.' || k, ', ') FROM unnest(string_to_array(keys, ', ')) k),
                         (SELECT string_agg('s.' || k, ', ') FROM unnest(string_to_array(keys, ', ')) k));
        ELSE
          copy := format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM tdd_fast_reset.seed_%s', r.name, cols, cols, r.relid);
        END IF;
      END IF;
      -- The rows written (inserted or updated) since the last reset: their xmin is newer than its transaction.
      wipe := format('DELETE FROM ONLY %s WHERE age(xmin) < age($1)', r.name);
    END IF;
    INSERT INTO tdd_fast_reset.tables VALUES (r.relid, '{}', r.name, r.relkind = 'r', keys IS NOT NULL,
      CASE WHEN copy IS NOT NULL THEN pg_relation_size(format('tdd_fast_reset.seed_%s', r.relid)::regclass) END, wipe, copy);
  END LOOP;

  -- A write through a parent (DELETE FROM parent) can change its inheritance children or partitions.
  WITH RECURSIVE edges(src, dst) AS (
    SELECT inhparent, inhrelid FROM pg_inherits
  ), reach(root, rel) AS (
    SELECT relid, relid FROM tracked
    UNION SELECT reach.root, edges.dst FROM reach JOIN edges ON edges.src = reach.rel
  )
  UPDATE tdd_fast_reset.tables t SET closure = (SELECT array_agg(DISTINCT rel) FROM reach WHERE reach.root = t.relid);

  -- For the reset of tables written only by INSERT without replica mode: delete referencing tables first (rank: the
  -- longest chain of foreign keys from other tables up to this one). A table in (or above) a cycle of foreign keys,
  -- or with a user trigger or rule on DELETE, is not plain: its reset always takes the replica path.
  WITH RECURSIVE fk(child, parent) AS (
    SELECT DISTINCT conrelid, confrelid FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid
  ), up(rel, depth) AS (
    SELECT relid, 0 FROM tracked
    UNION SELECT fk.parent, up.depth + 1 FROM up JOIN fk ON fk.child = up.rel WHERE up.depth <= (SELECT count(*) FROM tracked)
  )
  UPDATE tdd_fast_reset.tables t SET rank = u.depth,
    plain = u.depth <= (SELECT count(*) FROM tracked)
      AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = t.relid AND NOT tgisinternal AND tgname <> 'tdd_fast_reset_mark' AND tgtype & 8 <> 0)
      AND NOT EXISTS (SELECT 1 FROM pg_rewrite WHERE ev_class = t.relid AND ev_type = '4')
  FROM (SELECT rel, max(depth) AS depth FROM up GROUP BY rel) u WHERE u.rel = t.relid;

  FOR r IN SELECT c.oid, format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind = 'S' AND c.relpersistence <> 't' AND n.nspname <> 'tdd_fast_reset' LOOP
    EXECUTE format('INSERT INTO tdd_fast_reset.sequences SELECT %L::regclass, last_value, is_called FROM %s', r.name, r.name);
  END LOOP;
END $install$;

CREATE FUNCTION tdd_fast_reset.reset(marker text, OUT cause text, OUT vacuum text) LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  db oid := (SELECT oid FROM pg_database WHERE datname = current_database());
  rels oid[];
  changed oid[];
  t record;
  since xid;
BEGIN
  SELECT disabled, last_xid INTO cause, since FROM tdd_fast_reset.config;
  IF cause IS NOT NULL THEN cause := 'off: ' || cause; RETURN; END IF;
  -- The functions behind the pg_prepared_xacts, pg_locks and pg_stat_activity views: a reset that wrote changes
  -- session_replication_role, which throws away every cached plan of the session, and the views' joins cost several
  -- ms to plan again in the next reset.
  SELECT 'prepared transactions: ' || string_agg(quote_literal(gid), ', ') INTO cause FROM pg_prepared_xact() WHERE dbid = db;
  IF cause IS NOT NULL THEN RETURN; END IF;
  SELECT 'locks of other sessions: ' || string_agg(DISTINCT format('%s %s (pid %s)', locktype, mode, pid), ', ') INTO cause FROM pg_lock_status()
    WHERE database = db AND pid IS DISTINCT FROM pg_backend_pid();
  IF cause IS NOT NULL THEN RETURN; END IF;
  SELECT 'open connections: ' || string_agg(format('pid %s%s', pid, COALESCE(' (' || NULLIF(application_name, '') || ')', '')), ', ')
    INTO cause FROM pg_stat_get_activity(NULL) WHERE datid = db AND pid <> pg_backend_pid();
  IF cause IS NOT NULL THEN RETURN; END IF;
  IF EXISTS (SELECT 1 FROM tdd_fast_reset.marks WHERE relid = 0) THEN cause := 'schema changed'; RETURN; END IF;
  IF (SELECT count(*) FROM pg_event_trigger WHERE evtname IN ('tdd_fast_reset_ddl_end', 'tdd_fast_reset_ddl_drop') AND evtenabled = 'A') <> 2 THEN
    cause := 'schema tracking disabled (an event trigger of tdd_fast_reset was altered)';
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_largeobject_metadata) THEN cause := 'large objects written'; RETURN; END IF;
  IF EXISTS (SELECT 1 FROM pg_db_role_setting WHERE setdatabase = db)
     OR shobj_description(db, 'pg_database') IS DISTINCT FROM marker
     OR EXISTS (SELECT 1 FROM pg_database WHERE oid = db AND (datconnlimit <> -1 OR NOT datallowconn OR datistemplate OR datacl IS NOT NULL)) THEN
    cause := 'database settings changed';
    RETURN;
  END IF;

  PERFORM set_config('lock_timeout', '5s', true);
  SELECT array_agg(DISTINCT c), array_agg(DISTINCT c) FILTER (WHERE m.changed) INTO rels, changed
    FROM tdd_fast_reset.marks m JOIN tdd_fast_reset.tables USING (relid), unnest(closure) AS c;
  IF rels IS NOT NULL AND changed IS NULL AND NOT EXISTS (SELECT 1 FROM tdd_fast_reset.tables WHERE relid = ANY (rels) AND NOT plain) THEN
    -- Only INSERTs: no seed row is missing, and a new row can only be referenced by new rows. Deleting the new rows,
    -- referencing tables first, fires no user trigger and no cascade, so no replica mode (whose every change throws
    -- away the session's cached plans, and planning this function again costs more than the reset).
    FOR t IN SELECT * FROM tdd_fast_reset.tables WHERE relid = ANY (rels) AND has_rows ORDER BY rank LOOP
      EXECUTE t.newer_sql USING since;
    END LOOP;
    DELETE FROM tdd_fast_reset.marks;
  ELSIF rels IS NOT NULL THEN
    -- Replica mode: no user trigger, no foreign key check and no ON DELETE action fires, so each written table is
    -- put back on its own (rows of other tables that reference its seed rows find them again). DELETE rather than
    -- TRUNCATE: TRUNCATE refuses a table other tables reference, whatever the mode, and rewrites the whole table.
    PERFORM set_config('session_replication_role', 'replica', true);
    FOR t IN SELECT * FROM tdd_fast_reset.tables WHERE relid = ANY (rels) AND has_rows LOOP
      IF t.relid = ANY (changed) AND NOT t.keyed THEN
        -- Updated or deleted rows of a table without a key: every row goes, the whole copy comes back.
        EXECUTE 'DELETE FROM ONLY ' || t.name;
      ELSE
        EXECUTE t.newer_sql USING since;
      END IF;
      -- Only INSERTs: no seed row can be missing.
      IF t.relid = ANY (changed) AND t.restore_sql IS NOT NULL THEN EXECUTE t.restore_sql; END IF;
    END LOOP;
    PERFORM set_config('session_replication_role', 'origin', true);
    DELETE FROM tdd_fast_reset.marks;
    -- The rows this reset wrote are seed rows: the next reset deletes only what is newer.
    UPDATE tdd_fast_reset.config SET last_xid = pg_current_xact_id()::xid;
  END IF;
  IF rels IS NOT NULL THEN
    -- The deleted rows stay in the files until a VACUUM, which cannot run here: the caller runs it on these.
    SELECT string_agg(name, ', ') INTO vacuum FROM tdd_fast_reset.tables
      WHERE relid = ANY (rels) AND has_rows AND pg_relation_size(relid) > 4 * COALESCE(copy_bytes, 0) + 65536;
    IF pg_relation_size('tdd_fast_reset.marks') > 65536 THEN vacuum := concat_ws(', ', vacuum, 'tdd_fast_reset.marks'); END IF;
  END IF;
  PERFORM setval(s.seq, s.last_value, s.is_called) FROM tdd_fast_reset.sequences s
    WHERE pg_sequence_last_value(s.seq) IS DISTINCT FROM CASE WHEN s.is_called THEN s.last_value END;
END $fn$;

DELETE FROM tdd_fast_reset.marks;
CREATE EVENT TRIGGER tdd_fast_reset_ddl_end ON ddl_command_end EXECUTE FUNCTION tdd_fast_reset.ddl_end();
CREATE EVENT TRIGGER tdd_fast_reset_ddl_drop ON sql_drop EXECUTE FUNCTION tdd_fast_reset.ddl_drop();
ALTER EVENT TRIGGER tdd_fast_reset_ddl_end ENABLE ALWAYS;
ALTER EVENT TRIGGER tdd_fast_reset_ddl_drop ENABLE ALWAYS;
`;
