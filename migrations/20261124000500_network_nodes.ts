import type { Knex } from 'knex';

/** Network nodes: the central data room, cabinets, switches and splice points (points). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('network_nodes', (t) => {
    t.increments('id').primary();
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
    t.enu('kind', ['CENTRAL_DATA_ROOM', 'CABINET', 'SWITCH', 'SPLICE_POINT']).notNullable();
    t.enu('status', ['PLANNED', 'ACTIVE', 'OFFLINE', 'DECOMMISSIONED']).notNullable().defaultTo('ACTIVE');
    t.specificType('geom', 'geometry(Point, 4326)').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.index(['kind']);
  });
  await knex.raw('CREATE INDEX network_nodes_geom_gist ON network_nodes USING gist (geom)');
  await knex.raw('CREATE INDEX network_nodes_geog_gist ON network_nodes USING gist ((geom::geography))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('network_nodes');
}
