import type { Knex } from 'knex';

/**
 * Parcels (tapu parselleri) from the land registry: MultiPolygons identified by mahalle, ada and
 * parsel. The mahalle is kept as registered; uniqueness compares it through kbs_fold(), so
 * "İSTASYON" and "İstasyon" are the same mahalle.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('parcels', (t) => {
    t.increments('id').primary();
    t.text('province').notNullable().comment('il');
    t.text('district').notNullable().comment('ilçe');
    t.text('mahalle').notNullable();
    t.integer('ada').notNullable().comment('Cadastral block number');
    t.integer('parsel').notNullable().comment('Parcel number within the ada');
    t.double('registered_area_m2').comment('Area on the title deed, m²');
    t.text('nitelik').comment('Registered type: arsa, tarla, bahçe, ...');
    t.text('pafta').comment('Map sheet');
    t.text('source').comment('Where the record came from, e.g. TKGM');
    t.timestamp('imported_at', { useTz: true });
    t.specificType('geom', 'geometry(MultiPolygon, 4326)').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.index(['ada']);
    t.index(['nitelik']);
  });
  await knex.raw(`ALTER TABLE parcels
    ADD CONSTRAINT parcels_numbers_positive CHECK (ada >= 0 AND parsel > 0),
    ADD CONSTRAINT parcels_area_positive CHECK (registered_area_m2 IS NULL OR registered_area_m2 > 0),
    ADD CONSTRAINT parcels_geom_valid CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom))`);
  await knex.raw('CREATE UNIQUE INDEX parcels_mahalle_ada_parsel ON parcels (province, district, kbs_fold(mahalle), ada, parsel)');
  await knex.raw('CREATE INDEX parcels_geom_gist ON parcels USING gist (geom)');
  await knex.raw('CREATE INDEX parcels_geog_gist ON parcels USING gist ((geom::geography))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('parcels');
}
