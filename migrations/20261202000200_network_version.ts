import type { Knex } from 'knex';

/** The tables the network graph is computed from: nodes, lines, remote units, and faults (an open one on an element's asset puts it down). */
const SOURCES = ['network_nodes', 'network_lines', 'remote_units', 'faults'];

/**
 * A counter bumped (in the same transaction) by every change to the tables the network graph is
 * computed from, so that a server can keep the graph between requests and know, with one tiny
 * read, when it is stale; `database_id` tells databases apart in a process that serves several.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE TABLE network_version (id int PRIMARY KEY CHECK (id = 1), version bigint NOT NULL, database_id uuid NOT NULL DEFAULT gen_random_uuid())');
  await knex.raw('INSERT INTO network_version (id, version) VALUES (1, 1)');
  await knex.raw(`CREATE FUNCTION kbs_bump_network_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE network_version SET version = version + 1 WHERE id = 1;
      RETURN NULL;
    END $$`);
  for (const table of SOURCES) {
    await knex.raw(`CREATE TRIGGER ${table}_network_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION kbs_bump_network_version()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of SOURCES) await knex.raw(`DROP TRIGGER ${table}_network_version ON ${table}`);
  await knex.raw('DROP FUNCTION kbs_bump_network_version()');
  await knex.raw('DROP TABLE network_version');
}
