import type { Knex } from 'knex';
import { createKnex } from '../../src/db/knex';
import { migrateLatest, seedSampleData } from '../../src/db/migrate';
import { silentLogger } from '../../src/logger';

/**
 * The sample data, seeded once per test run. Seeding computes the Nizip sample in PostGIS (parcels
 * cut from a grid, password hashes, thousands of register rows): about 8 s on either database, which
 * a dozen test files paid each. Now the first file that asks seeds a template schema of the run
 * (named by test/global-setup.ts, dropped by test/global-teardown.ts) and every file copies its rows:
 * the same rows, ids and sequence positions as seeding gives. test/seeds.test.ts and
 * test/seeds-registers.test.ts still run the seeds themselves.
 */
export const TEMPLATE_ENV = 'KBS_TEST_SAMPLE_TEMPLATE';

/** Any 64-bit number: the advisory lock that lets one file seed the template while the others wait. */
const LOCK = 7_243_911_017;

interface Table { name: string; columns: string[]; identityAlways: boolean; hasUserTriggers: boolean }

/** Fills `schema` (migrated, empty) with the sample data of the run's template. */
export async function copySampleData(knex: Knex, schema: string): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error(`${TEMPLATE_ENV} is not set (test/global-setup.ts sets it)`);
  await knex.transaction(async (trx) => {
    // Deferrable references (they close cycles between tables) are checked at commit.
    await trx.raw('SET CONSTRAINTS ALL DEFERRED');
    const tables = await tablesInInsertOrder(trx, template);
    const target = (table: Table) => trx.raw('??.??', [schema, table.name]).toQuery();
    // Triggers that count or guard changes (access_version, append-only logs) would count the copy
    // as new changes; the template already holds what they wrote. The rows the migrations wrote
    // (the built-in roles) are in the template too.
    for (const table of tables) if (table.hasUserTriggers) await trx.raw(`ALTER TABLE ${target(table)} DISABLE TRIGGER USER`);
    await trx.raw(`TRUNCATE ${tables.map(target).join(', ')}`);
    for (const table of tables) {
      const cols = table.columns.map((c) => trx.raw('??', [c]).toQuery()).join(', ');
      await trx.raw(
        `INSERT INTO ${target(table)} (${cols}) ${table.identityAlways ? 'OVERRIDING SYSTEM VALUE ' : ''}SELECT ${cols} FROM ??.??`,
        [template, table.name],
      );
    }
    // Every row is in: the deferred references are checked now, so that no check is pending on a
    // table whose triggers are turned back on (PostgreSQL refuses that).
    await trx.raw('SET CONSTRAINTS ALL IMMEDIATE');
    for (const table of tables) if (table.hasUserTriggers) await trx.raw(`ALTER TABLE ${target(table)} ENABLE TRIGGER USER`);
    // Sequences continue where seeding left them.
    const { rows: sequences } = await trx.raw(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'S'`,
      [template],
    );
    for (const { name } of sequences as { name: string }[]) {
      const { rows: [state] } = await trx.raw('SELECT last_value, is_called FROM ??.??', [template, name]);
      await trx.raw('SELECT setval(?::regclass, ?, ?)', [`"${schema}"."${name}"`, state.last_value, state.is_called]);
    }
  });
}

/**
 * Migrates and seeds the run's template unless it is there; concurrent workers wait for the first.
 * Its own connection, closed again: on the embedded database every connection is one session, so
 * the session's search_path is put back for the connections of the apps already running.
 */
export async function ensureSampleTemplate(databaseUrl: string): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error(`${TEMPLATE_ENV} is not set (test/global-setup.ts sets it)`);
  const knex = createKnex(databaseUrl, { poolMax: 1, logger: silentLogger });
  try {
    const { rows: [{ search_path: previous }] } = await knex.raw('SHOW search_path');
    await knex.raw('SELECT pg_advisory_lock(?)', [LOCK]);
    try {
      const { rows } = await knex.raw(
        `SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = 'sample_template_ready') AS ready`,
        [template],
      );
      if (!rows[0].ready) {
        await knex.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [template]);
        await knex.raw('CREATE SCHEMA ??', [template]);
        await knex.raw("SELECT set_config('search_path', ?, false)", [`"${template}", public`]);
        await migrateLatest(knex);
        await seedSampleData(knex);
        await knex.raw('CREATE TABLE ??.sample_template_ready (at timestamptz DEFAULT now())', [template]);
      }
    } finally {
      await knex.raw('SELECT pg_advisory_unlock(?)', [LOCK]);
      await knex.raw("SELECT set_config('search_path', ?, false)", [previous]);
    }
  } finally {
    await knex.destroy();
  }
}

/** The template's tables (the migration bookkeeping and the marker left out), parents before children (deferrable references aside). */
async function tablesInInsertOrder(knex: Knex, template: string): Promise<Table[]> {
  const { rows } = await knex.raw(
    `SELECT c.relname AS name,
            array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attgenerated = '') AS columns,
            bool_or(a.attidentity = 'a') AS identity_always,
            EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) AS has_user_triggers,
            coalesce((SELECT array_agg(DISTINCT p.relname::text) FROM pg_constraint k JOIN pg_class p ON p.oid = k.confrelid
                      WHERE k.conrelid = c.oid AND k.contype = 'f' AND k.confrelid <> c.oid AND NOT k.condeferrable), '{}'::text[]) AS parents
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname = ? AND c.relkind IN ('r', 'p')
       AND c.relname NOT IN ('knex_migrations', 'knex_migrations_lock', 'sample_template_ready')
     GROUP BY c.oid, c.relname`,
    [template],
  );
  const pending = new Map<string, { table: Table; parents: string[] }>(
    (rows as { name: string; columns: string[]; identity_always: boolean; has_user_triggers: boolean; parents: string[] }[]).map((r) => [
      r.name,
      { table: { name: r.name, columns: r.columns, identityAlways: r.identity_always, hasUserTriggers: r.has_user_triggers }, parents: r.parents },
    ]),
  );
  const ordered: Table[] = [];
  while (pending.size) {
    const ready = [...pending.values()].filter((p) => p.parents.every((parent) => !pending.has(parent)));
    if (!ready.length) throw new Error(`the sample tables refer to each other in a cycle: ${[...pending.keys()].join(', ')}`);
    for (const p of ready) {
      ordered.push(p.table);
      pending.delete(p.table.name);
    }
  }
  return ordered;
}
