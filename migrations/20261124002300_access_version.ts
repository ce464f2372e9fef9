import type { Knex } from 'knex';

/** The tables a request's access is computed from: any change to them changes what someone may do. */
const SOURCES = ['roles', 'role_grants', 'role_grant_neighbourhoods', 'user_roles', 'users', 'org_units', 'neighbourhoods'];

/**
 * A counter bumped by every change to the tables access is computed from, so that a server can
 * keep each account's access between requests and know, with one tiny read, when it is stale
 * (in any process: the counter is in the database, not in memory).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE TABLE access_version (id int PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)');
  await knex.raw('INSERT INTO access_version (id, version) VALUES (1, 1)');
  await knex.raw(`CREATE FUNCTION kbs_bump_access_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE access_version SET version = version + 1 WHERE id = 1;
      RETURN NULL;
    END $$`);
  for (const table of SOURCES) {
    await knex.raw(`CREATE TRIGGER ${table}_access_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION kbs_bump_access_version()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of SOURCES) await knex.raw(`DROP TRIGGER ${table}_access_version ON ${table}`);
  await knex.raw('DROP FUNCTION kbs_bump_access_version()');
  await knex.raw('DROP TABLE access_version');
}
