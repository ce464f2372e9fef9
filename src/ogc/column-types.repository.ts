import type { Knex } from 'knex';

/** table -> column -> PostgreSQL type name (pg_type.typname: int4, text, timestamptz, geometry, …). */
export type ColumnTypes = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
 * Per database handle, the column types of the layer tables, read once from the catalog: they change
 * only with a migration, which restarts the server. Kept per Knex instance (not per user: the
 * catalog is the same for everyone), so test servers on separate schemas never share an answer.
 */
const cache = new WeakMap<Knex, Promise<ColumnTypes>>();

/** The column types of `tables` (as the search path resolves them), in one statement the first time. */
export function columnTypes(db: Knex, tables: readonly string[]): Promise<ColumnTypes> {
  let types = cache.get(db);
  if (!types) {
    types = readColumnTypes(db, tables);
    cache.set(db, types);
    types.catch(() => cache.delete(db));
  }
  return types;
}

async function readColumnTypes(db: Knex, tables: readonly string[]): Promise<ColumnTypes> {
  const { rows } = await db.raw(
    `SELECT c.relname AS "table", a.attname AS "column", t.typname AS "type"
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = ANY(?::text[]::regclass[]) AND a.attnum > 0 AND NOT a.attisdropped`,
    [[...tables]],
  );
  const result = new Map<string, Map<string, string>>();
  for (const r of rows as { table: string; column: string; type: string }[]) {
    if (!result.has(r.table)) result.set(r.table, new Map());
    result.get(r.table)!.set(r.column, r.type);
  }
  return result;
}
