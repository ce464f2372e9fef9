import type { Knex } from 'knex';

/**
 * Every change to what someone may do is also announced on the channel `kbs_access`, with the
 * schema as payload (at commit, to every API process listening on the database), so a server keeps each account's access without
 * reading access_version on every request; the counter stays for servers that cannot listen.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE OR REPLACE FUNCTION kbs_bump_access_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE access_version SET version = version + 1 WHERE id = 1;
      PERFORM pg_notify('kbs_access', TG_TABLE_SCHEMA);
      RETURN NULL;
    END $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`CREATE OR REPLACE FUNCTION kbs_bump_access_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE access_version SET version = version + 1 WHERE id = 1;
      RETURN NULL;
    END $$`);
}
