import type { Knex } from 'knex';

/** Neighbourhoods (mahalle): MultiPolygon boundaries in EPSG:4326. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('neighbourhoods', (t) => {
    t.increments('id').primary();
    t.text('code').notNullable().unique().comment('Stable code of the mahalle (UAVT code where known)');
    t.text('name').notNullable();
    t.text('district').notNullable().comment('ilçe');
    t.text('province').notNullable().comment('il');
    t.integer('population');
    t.specificType('geom', 'geometry(MultiPolygon, 4326)').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.unique(['province', 'district', 'name']);
  });
  await knex.raw(`ALTER TABLE neighbourhoods ADD CONSTRAINT neighbourhoods_geom_valid CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom))`);
  await knex.raw('CREATE INDEX neighbourhoods_geom_gist ON neighbourhoods USING gist (geom)');
  await knex.raw('CREATE INDEX neighbourhoods_geog_gist ON neighbourhoods USING gist ((geom::geography))');
  await knex.raw('CREATE INDEX neighbourhoods_name_fold ON neighbourhoods (kbs_fold(name))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('neighbourhoods');
}
