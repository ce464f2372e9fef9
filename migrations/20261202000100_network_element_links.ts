import type { Knex } from 'knex';
import { ASSET_TYPES } from './20261124001600_assets';

/** The asset types a network element can be, besides SWITCH, ROUTER and MODEM. */
const NEW_TYPES = ['SPLICE_BOX', 'LEASED_LINE'];

/**
 * The links the network operations need:
 * - a network node or line has its asset (the cabinet's switch, the splice box, the leased line's
 *   circuit), so that an open fault on that asset puts the element out of service "now";
 * - a camera says what serves it: a network node (a cabinet, a radio switch) or a remote unit, so
 *   that a failure's impact names the cameras it blinds.
 * Asset types SPLICE_BOX and LEASED_LINE join the list.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE assets DROP CONSTRAINT assets_type_check');
  await knex.raw(`ALTER TABLE assets ADD CONSTRAINT assets_type_check CHECK (type IN (${[...ASSET_TYPES, ...NEW_TYPES].map((t) => `'${t}'`).join(', ')}))`);
  for (const table of ['network_nodes', 'network_lines']) {
    await knex.schema.alterTable(table, (t) => {
      t.integer('asset_id').unique().references('id').inTable('assets').onDelete('RESTRICT').comment('The equipment or circuit this element is (its faults put the element out of service)');
    });
  }
  await knex.schema.alterTable('cameras', (t) => {
    // Deferrable: cameras -> network_nodes -> assets -> cameras is a cycle of references, and a
    // copy of the tables (a test's sample data, a restore) inserts them one table after another.
    t.integer('served_by_node_id').references('id').inTable('network_nodes').onDelete('SET NULL').deferrable('immediate')
      .comment('The network node the camera is connected through');
    t.integer('served_by_remote_unit_id').references('id').inTable('remote_units').onDelete('SET NULL').comment('The remote unit the camera is connected through');
    t.index(['served_by_node_id']);
    t.index(['served_by_remote_unit_id']);
  });
  await knex.raw('ALTER TABLE cameras ADD CONSTRAINT cameras_served_by_one CHECK (num_nonnulls(served_by_node_id, served_by_remote_unit_id) <= 1)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE cameras DROP CONSTRAINT cameras_served_by_one');
  await knex.schema.alterTable('cameras', (t) => {
    t.dropColumn('served_by_node_id');
    t.dropColumn('served_by_remote_unit_id');
  });
  for (const table of ['network_nodes', 'network_lines']) await knex.schema.alterTable(table, (t) => t.dropColumn('asset_id'));
  await knex.raw(`DELETE FROM assets WHERE type IN (${NEW_TYPES.map((t) => `'${t}'`).join(', ')})`);
  await knex.raw('ALTER TABLE assets DROP CONSTRAINT assets_type_check');
  await knex.raw(`ALTER TABLE assets ADD CONSTRAINT assets_type_check CHECK (type IN (${ASSET_TYPES.map((t) => `'${t}'`).join(', ')}))`);
}
