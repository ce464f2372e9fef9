import type { Knex } from 'knex';

const LAYERS = ['neighbourhoods', 'cameras', 'network_nodes', 'network_lines', 'remote_units', 'parcels'];

/**
 * Every layer row gets the directorate responsible for it (for grants limited to the rows of one's
 * own directorate) and a public flag (the e-Belediye subset anonymous requests may read).
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of LAYERS) {
    await knex.schema.alterTable(table, (t) => {
      t.integer('owner_org_unit_id')
        .references('id')
        .inTable('org_units')
        .onDelete('RESTRICT')
        .comment('Directorate or unit responsible for the feature');
      t.boolean('is_public').notNullable().defaultTo(false).comment('Shown to anonymous requests (e-Belediye) where the public role may read the layer');
      t.index(['owner_org_unit_id']);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of LAYERS) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('owner_org_unit_id');
      t.dropColumn('is_public');
    });
  }
}
