import type { Knex } from 'knex';

/**
 * Custody (zimmet): an asset held by a person or a unit from a time until it is returned; one open
 * custody per asset. A handover (devir-teslim) moves all of one person's custody to another in one
 * act, listing each asset.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('handovers', (t) => {
    t.increments('id').primary();
    t.integer('from_user_id').notNullable().references('id').inTable('users').onDelete('RESTRICT');
    t.integer('to_user_id').notNullable().references('id').inTable('users').onDelete('RESTRICT');
    t.integer('done_by').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('note');
  });
  await knex.schema.createTable('custody', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets').onDelete('RESTRICT');
    t.integer('holder_user_id').references('id').inTable('users').onDelete('RESTRICT');
    t.integer('holder_org_unit_id').references('id').inTable('org_units').onDelete('RESTRICT');
    t.timestamp('from_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('to_at', { useTz: true });
    t.integer('given_by').references('id').inTable('users').onDelete('RESTRICT');
    t.integer('returned_by').references('id').inTable('users').onDelete('RESTRICT');
    t.integer('handover_id').references('id').inTable('handovers').onDelete('RESTRICT').comment('The handover that ended or began this custody');
    t.text('note');
    t.index(['asset_id']);
    t.index(['holder_user_id']);
    t.index(['holder_org_unit_id']);
  });
  await knex.raw(`ALTER TABLE custody
    ADD CONSTRAINT custody_one_holder CHECK ((holder_user_id IS NULL) <> (holder_org_unit_id IS NULL)),
    ADD CONSTRAINT custody_period CHECK (to_at IS NULL OR to_at >= from_at)`);
  await knex.raw('CREATE UNIQUE INDEX custody_one_open_per_asset ON custody (asset_id) WHERE to_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('custody');
  await knex.schema.dropTable('handovers');
}
