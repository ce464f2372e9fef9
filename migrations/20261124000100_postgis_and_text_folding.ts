import type { Knex } from 'knex';

/**
 * PostGIS, and kbs_fold(): the folding used to match Turkish names whatever their case, dotted or
 * dotless i and diacritics ("İSTASYON", "istasyon", "Istasyon" and "ıstasyon" fold alike). It maps
 * letters explicitly instead of calling lower(), whose result depends on the server's locale.
 */
export async function up(knex: Knex): Promise<void> {
  // Not a trusted extension: on a server a superuser creates it first (scripts/setup-postgis.sh).
  await knex.raw('CREATE EXTENSION IF NOT EXISTS postgis');
  await knex.raw(`
    CREATE OR REPLACE FUNCTION kbs_fold(input text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT translate(
        input,
        'ABCÇDEFGĞHIİıJKLMNOÖPQRSŞTUÜVWXYZçğöşüÂâÎîÛû',
        'abccdefgghiiijklmnoopqrsstuuvwxyzcgosuaaiiuu'
      )
    $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION IF EXISTS kbs_fold(text)');
  // PostGIS stays: other schemas in the database may use it, and only a superuser may drop it.
}
