import type { Knex } from 'knex';

/**
 * Network lines: routes (LineStrings) between two ends, each a network node or a remote unit.
 * Together with the nodes they form the graph that joins every remote unit to the centre.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('network_lines', (t) => {
    t.increments('id').primary();
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
    t.enu('medium', ['FIBER', 'COPPER', 'RADIO_LINK', 'XDSL', 'MPLS', 'LTE']).notNullable();
    t.text('provider');
    t.text('circuit_id').comment("Provider's circuit identifier");
    t.integer('capacity_mbps');
    t.enu('status', ['PLANNED', 'ACTIVE', 'OFFLINE', 'DECOMMISSIONED']).notNullable().defaultTo('ACTIVE');
    for (const end of ['a', 'z']) {
      t.integer(`${end}_node_id`).references('id').inTable('network_nodes').onDelete('RESTRICT');
      t.integer(`${end}_remote_unit_id`).references('id').inTable('remote_units').onDelete('RESTRICT');
      t.index([`${end}_node_id`]);
      t.index([`${end}_remote_unit_id`]);
    }
    t.specificType('geom', 'geometry(LineString, 4326)').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.index(['medium']);
  });
  await knex.raw(`ALTER TABLE network_lines
    ADD CONSTRAINT network_lines_a_one_end CHECK ((a_node_id IS NULL) <> (a_remote_unit_id IS NULL)),
    ADD CONSTRAINT network_lines_z_one_end CHECK ((z_node_id IS NULL) <> (z_remote_unit_id IS NULL)),
    ADD CONSTRAINT network_lines_capacity_positive CHECK (capacity_mbps IS NULL OR capacity_mbps > 0),
    ADD CONSTRAINT network_lines_geom_valid CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom))`);
  await knex.raw('CREATE INDEX network_lines_geom_gist ON network_lines USING gist (geom)');
  await knex.raw('CREATE INDEX network_lines_geog_gist ON network_lines USING gist ((geom::geography))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('network_lines');
}
