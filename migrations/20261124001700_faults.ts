import type { Knex } from 'knex';

export const FAULT_STATES = ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_PARTS', 'WAITING_VENDOR', 'RESOLVED', 'CLOSED', 'REOPENED', 'CANCELLED'];
export const FAULT_CATEGORIES = ['HARDWARE', 'SOFTWARE', 'NETWORK', 'POWER', 'PERIPHERAL', 'ACCOUNT', 'OTHER'];
export const FAULT_PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];

/**
 * Faults (arıza): reported on an asset, or on a place when the asset is unknown; worked through a
 * state workflow whose every step is a fault_events row (when, who, from, to, note). The reporting
 * directorate owns the fault (owner_org_unit_id) for grants limited to one's own directorate; geom
 * is where it is (the asset's position at reporting time, or the place given).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('faults', (t) => {
    t.increments('id').primary();
    t.integer('asset_id').references('id').inTable('assets').onDelete('RESTRICT');
    t.integer('owner_org_unit_id').notNullable().references('id').inTable('org_units').onDelete('RESTRICT').comment('Reporting directorate');
    t.integer('reported_by').references('id').inTable('users').onDelete('RESTRICT');
    t.enu('category', FAULT_CATEGORIES).notNullable();
    t.enu('priority', FAULT_PRIORITIES).notNullable().defaultTo('NORMAL');
    t.text('description').notNullable();
    t.enu('state', FAULT_STATES).notNullable().defaultTo('NEW');
    t.integer('assignee_id').references('id').inTable('users').onDelete('RESTRICT');
    t.text('cause');
    t.text('resolution');
    t.text('asset_state_before').comment('The asset state the report interrupted, restored when the fault is resolved or cancelled');
    t.timestamp('reported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('assigned_at', { useTz: true });
    t.timestamp('started_at', { useTz: true });
    t.timestamp('resolved_at', { useTz: true });
    t.timestamp('closed_at', { useTz: true });
    t.timestamp('cancelled_at', { useTz: true });
    t.integer('reopen_count').notNullable().defaultTo(0);
    t.boolean('is_public').notNullable().defaultTo(false);
    t.specificType('geom', 'geometry(Point, 4326)').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.index(['asset_id']);
    t.index(['state']);
    t.index(['owner_org_unit_id']);
    t.index(['assignee_id']);
    t.index(['reported_at']);
  });
  await knex.raw('CREATE INDEX faults_geom_gist ON faults USING gist (geom)');
  await knex.raw('CREATE INDEX faults_geog_gist ON faults USING gist ((geom::geography))');
  // At most one open fault per asset: the asset's FAULTY state and its fault list never disagree.
  await knex.raw(`CREATE UNIQUE INDEX faults_one_open_per_asset ON faults (asset_id)
    WHERE asset_id IS NOT NULL AND state NOT IN ('RESOLVED', 'CLOSED', 'CANCELLED')`);

  await knex.schema.createTable('fault_events', (t) => {
    t.bigIncrements('id').primary();
    t.integer('fault_id').notNullable().references('id').inTable('faults').onDelete('RESTRICT');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('actor_id').references('id').inTable('users').onDelete('RESTRICT');
    t.text('from_state');
    t.text('to_state').notNullable();
    t.text('note');
    t.index(['fault_id']);
  });

  await knex.schema.createTable('vendor_repairs', (t) => {
    t.increments('id').primary();
    t.integer('fault_id').notNullable().references('id').inTable('faults').onDelete('RESTRICT');
    t.integer('asset_id').notNullable().references('id').inTable('assets').onDelete('RESTRICT');
    t.integer('vendor_id').notNullable().references('id').inTable('vendors').onDelete('RESTRICT');
    t.enu('basis', ['WARRANTY', 'MAINTENANCE_CONTRACT', 'PAID']).notNullable();
    t.date('sent_on').notNullable();
    t.date('expected_back_on');
    t.date('returned_on');
    t.enu('outcome', ['REPAIRED', 'REPLACED', 'NOT_REPAIRABLE']);
    t.decimal('cost_try', 12, 2);
    t.text('notes');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.index(['fault_id']);
    t.index(['asset_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('vendor_repairs');
  await knex.schema.dropTable('fault_events');
  await knex.schema.dropTable('faults');
}
