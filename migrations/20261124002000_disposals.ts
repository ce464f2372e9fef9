import type { Knex } from 'knex';

/**
 * Disposal (hurdaya ayırma): a proposal, a decision (number and date, approved or rejected), and
 * the execution that leaves the asset DISPOSED, out of the active inventory but on the record.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('disposals', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').notNullable().references('id').inTable('assets').onDelete('RESTRICT');
    t.enu('state', ['PROPOSED', 'APPROVED', 'REJECTED', 'EXECUTED']).notNullable().defaultTo('PROPOSED');
    t.text('reason').notNullable();
    t.integer('proposed_by').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('proposed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('decision_no');
    t.date('decision_date');
    t.integer('decided_by').references('id').inTable('users').onDelete('RESTRICT');
    t.timestamp('executed_at', { useTz: true });
    t.integer('executed_by').references('id').inTable('users').onDelete('RESTRICT');
    t.text('asset_state_before').comment('Restored when the proposal is rejected');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.index(['asset_id']);
    t.index(['state']);
  });
  await knex.raw(`CREATE UNIQUE INDEX disposals_one_open_per_asset ON disposals (asset_id) WHERE state IN ('PROPOSED', 'APPROVED')`);
  await knex.raw(`ALTER TABLE disposals ADD CONSTRAINT disposals_decision CHECK (state IN ('PROPOSED') OR (decision_no IS NOT NULL AND decision_date IS NOT NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('disposals');
}
