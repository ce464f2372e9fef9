import type { Knex } from 'knex';

/**
 * The tables whose past is kept: every map layer and the asset register. A later migration that
 * adds, drops or renames a column of one of them must do the same on its `_history` table (the
 * migrations test compares the two from the catalog).
 */
export const HISTORY_TABLES = ['cameras', 'neighbourhoods', 'network_nodes', 'network_lines', 'remote_units', 'parcels', 'assets'];

/**
 * Every version of every row of those tables, with the time range it was valid in
 * (`valid_from` inclusive, `valid_to` exclusive, null while it is the current version), written
 * by triggers in the same transaction as the change, whoever makes it: edits, imports, workflows,
 * seeds, deletions. Times are the writing transaction's `now()`, the same as the row's
 * `updated_at` and its audit row's `at`, so a version finds who wrote it in the audit log.
 *
 * A row changed twice in one transaction keeps one version for that transaction (its last state):
 * the states in between were never visible to anybody else. Existing rows get their current
 * version from their `updated_at`.
 */
export async function up(knex: Knex): Promise<void> {
  // The closing time is the transaction's now(), unless a transaction that started later has
  // already written a newer version (READ COMMITTED lets this one update the row after it): then a
  // microsecond after that version began, so the versions still follow one another.
  await knex.raw(`CREATE FUNCTION kbs_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      history text := TG_TABLE_NAME || '_history';
      columns text;
      prefixed text;
      changed int[];
      compared_new text;
      compared_old text;
      closing text := 'greatest(now(), h.valid_from + interval ''1 microsecond'')';
    BEGIN
      IF TG_OP = 'TRUNCATE' THEN
        EXECUTE format('UPDATE %I h SET valid_to = %s WHERE valid_to IS NULL', history, closing);
        RETURN NULL;
      END IF;
      IF TG_OP = 'DELETE' THEN
        -- A version this same transaction wrote is dropped, not kept.
        EXECUTE format('DELETE FROM %I h USING old_rows o WHERE h.id = o.id AND h.valid_to IS NULL AND h.valid_from = now()', history);
        EXECUTE format('UPDATE %I h SET valid_to = %s FROM old_rows o WHERE h.id = o.id AND h.valid_to IS NULL', history, closing);
        RETURN NULL;
      END IF;
      -- Every column; and, to tell a change from a write of the same values, every one but updated_at.
      SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum), string_agg('n.' || quote_ident(attname), ', ' ORDER BY attnum),
             string_agg('n.' || quote_ident(attname), ', ' ORDER BY attnum) FILTER (WHERE attname <> 'updated_at'),
             string_agg('o.' || quote_ident(attname), ', ' ORDER BY attnum) FILTER (WHERE attname <> 'updated_at')
        INTO columns, prefixed, compared_new, compared_old
        FROM pg_attribute WHERE attrelid = TG_RELID AND attnum > 0 AND NOT attisdropped;
      IF TG_OP = 'INSERT' THEN
        EXECUTE format('INSERT INTO %I (%s, valid_from) SELECT %s, now() FROM new_rows n', history, columns, prefixed);
      ELSE
        -- Only rows whose values changed (an upsert that writes the same values makes no version);
        -- a version this same transaction wrote is replaced by the new one.
        EXECUTE format('SELECT array_agg(n.id) FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (%s) IS DISTINCT FROM (%s)', compared_new, compared_old)
          INTO changed;
        IF changed IS NULL THEN
          RETURN NULL;
        END IF;
        -- Joined with unnest (= ANY of a parameter would compare every row with the whole array).
        EXECUTE format('DELETE FROM %I h USING unnest($1) AS c(id) WHERE h.id = c.id AND h.valid_to IS NULL AND h.valid_from = now()', history) USING changed;
        EXECUTE format('UPDATE %I h SET valid_to = %s FROM unnest($1) AS c(id) WHERE h.id = c.id AND h.valid_to IS NULL', history, closing) USING changed;
        EXECUTE format('INSERT INTO %I (%s, valid_from)
          SELECT %s, coalesce((SELECT max(h.valid_to) FROM %I h WHERE h.id = n.id), now()) FROM new_rows n JOIN unnest($1) AS c(id) ON c.id = n.id',
          history, columns, prefixed, history) USING changed;
      END IF;
      RETURN NULL;
    END $$`);

  await knex.raw(`CREATE TABLE history_known_from (table_name text PRIMARY KEY, known_from timestamptz NOT NULL DEFAULT now())`);
  await knex.raw(`COMMENT ON TABLE history_known_from IS 'When each table began to keep its history: versions before are known only from the rows that were current then.'`);
  for (const table of HISTORY_TABLES) {
    const history = `${table}_history`;
    await knex.raw('INSERT INTO history_known_from (table_name) VALUES (?)', [table]);
    // LIKE copies the columns with their types and NOT NULL, not their defaults, keys or
    // generation expressions: a generated column (a camera's fov) is kept as it was computed.
    await knex.raw(`CREATE TABLE ?? (LIKE ??)`, [history, table]);
    await knex.raw(`ALTER TABLE ?? ADD COLUMN history_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      ADD COLUMN valid_from timestamptz NOT NULL, ADD COLUMN valid_to timestamptz,
      ADD CONSTRAINT ?? CHECK (valid_to IS NULL OR valid_to > valid_from)`, [history, `${history}_range`]);
    await knex.raw(`COMMENT ON TABLE ?? IS 'Every version of the rows of ${table}, valid from valid_from (inclusive) to valid_to (exclusive; null: current). Written by triggers only.'`, [history]);
    const columns = (await knex.raw(
      `SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS c FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped`,
      [table],
    )).rows[0].c as string;
    await knex.raw(`INSERT INTO ?? (${columns}, valid_from) SELECT ${columns}, updated_at FROM ??`, [history, table]);
    await knex.raw(`CREATE INDEX ?? ON ?? (id, valid_from)`, [`${history}_id`, history]);
    await knex.raw(`CREATE UNIQUE INDEX ?? ON ?? (id) WHERE valid_to IS NULL`, [`${history}_current`, history]);
    await knex.raw(`CREATE INDEX ?? ON ?? (valid_from)`, [`${history}_from`, history]);
    await knex.raw(`CREATE INDEX ?? ON ?? (valid_to)`, [`${history}_to`, history]);
    // Reads as of an instant filter on the validity range with a spatial condition (a box, a
    // distance), or order by distance from a point: both in one GiST index each.
    await knex.raw(`CREATE INDEX ?? ON ?? USING gist (geom, tstzrange(valid_from, valid_to))`, [`${history}_geom_gist`, history]);
    await knex.raw(`CREATE INDEX ?? ON ?? USING gist ((geom::geography), tstzrange(valid_from, valid_to))`, [`${history}_geog_gist`, history]);
    for (const [event, referencing] of [['INSERT', 'NEW TABLE AS new_rows'], ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'], ['DELETE', 'OLD TABLE AS old_rows']]) {
      await knex.raw(`CREATE TRIGGER ?? AFTER ${event} ON ?? REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION kbs_keep_history()`, [
        `${table}_history_${event.toLowerCase()}`,
        table,
      ]);
    }
    await knex.raw(`CREATE TRIGGER ?? AFTER TRUNCATE ON ?? FOR EACH STATEMENT EXECUTE FUNCTION kbs_keep_history()`, [`${table}_history_truncate`, table]);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of HISTORY_TABLES) {
    for (const event of ['insert', 'update', 'delete', 'truncate']) await knex.raw('DROP TRIGGER ?? ON ??', [`${table}_history_${event}`, table]);
    await knex.raw('DROP TABLE ??', [`${table}_history`]);
  }
  await knex.raw('DROP FUNCTION kbs_keep_history()');
  await knex.raw('DROP TABLE history_known_from');
}
