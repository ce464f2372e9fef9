import type { Knex } from 'knex';

export const ASSET_TYPES = [
  'COMPUTER', 'LAPTOP', 'PRINTER', 'SCANNER', 'MONITOR', 'UPS', 'SWITCH', 'ROUTER', 'FIREWALL', 'SERVER',
  'MODEM', 'PHONE', 'PBX', 'CAMERA', 'NVR', 'OTHER',
];
export const ASSET_STATES = ['IN_STOCK', 'IN_USE', 'FAULTY', 'IN_REPAIR', 'AT_VENDOR', 'PENDING_DISPOSAL', 'DISPOSED', 'LOST'];

/**
 * The IT inventory (demirbaş). Every asset has a position (a point: its building, its remote unit,
 * its pole), so it is on the map and obeys area grants like a layer row; the owning directorate is
 * owner_org_unit_id. A camera on the camera layer is also an asset, linked by camera_id.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('assets', (t) => {
    t.increments('id').primary();
    t.text('inventory_no').notNullable().unique().comment('Demirbaş number');
    t.text('serial_no').notNullable().unique();
    t.enu('type', ASSET_TYPES).notNullable();
    t.text('make');
    t.text('model');
    t.integer('owner_org_unit_id').notNullable().references('id').inTable('org_units').onDelete('RESTRICT');
    t.integer('remote_unit_id').references('id').inTable('remote_units').onDelete('RESTRICT');
    t.text('site').comment('Building, floor, room or pole, in words');
    t.integer('camera_id').unique().references('id').inTable('cameras').onDelete('RESTRICT');
    t.date('purchased_on');
    t.integer('vendor_id').references('id').inTable('vendors').onDelete('RESTRICT');
    t.date('warranty_ends_on');
    t.specificType('ip_address', 'inet');
    t.specificType('mac_address', 'macaddr');
    t.enu('state', ASSET_STATES).notNullable().defaultTo('IN_STOCK');
    t.text('notes');
    t.boolean('is_public').notNullable().defaultTo(false);
    t.specificType('geom', 'geometry(Point, 4326)').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.index(['type']);
    t.index(['state']);
    t.index(['owner_org_unit_id']);
    t.index(['remote_unit_id']);
    t.index(['warranty_ends_on']);
  });
  await knex.raw('CREATE INDEX assets_geom_gist ON assets USING gist (geom)');
  await knex.raw('CREATE INDEX assets_geog_gist ON assets USING gist ((geom::geography))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('assets');
}
