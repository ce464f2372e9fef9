import type { Knex } from 'knex';

/**
 * What custody records need besides their start: the note written when an asset is returned (the
 * note of the custody is the one written when it was given), and the list a handover (devir-teslim)
 * keeps: for each asset, the custody it ended and the one it began. custody.handover_id alone cannot
 * say both (a custody begun by one handover and ended by a later one would need two); it stays
 * "the handover that began this custody".
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('custody', (t) => {
    t.text('return_note').comment('Written when the asset was returned, handed over or disposed of');
  });
  await knex.schema.createTable('handover_items', (t) => {
    t.increments('id').primary();
    t.integer('handover_id').notNullable().references('id').inTable('handovers').onDelete('RESTRICT');
    t.integer('asset_id').notNullable().references('id').inTable('assets').onDelete('RESTRICT');
    t.integer('ended_custody_id').notNullable().unique().references('id').inTable('custody').onDelete('RESTRICT');
    t.integer('started_custody_id').notNullable().unique().references('id').inTable('custody').onDelete('RESTRICT');
    t.unique(['handover_id', 'asset_id']);
    t.index(['asset_id']);
  });
  await knex.raw('CREATE INDEX handovers_from_user ON handovers (from_user_id)');
  await knex.raw('CREATE INDEX handovers_to_user ON handovers (to_user_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX handovers_to_user');
  await knex.raw('DROP INDEX handovers_from_user');
  await knex.schema.dropTable('handover_items');
  await knex.schema.alterTable('custody', (t) => {
    t.dropColumn('return_note');
  });
}
