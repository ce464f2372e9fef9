import type { Knex } from 'knex';

/** Remote units (uzak birimler): branch offices and service points away from the centre (points). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('remote_units', (t) => {
    t.increments('id').primary();
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
    t.integer('org_unit_id').notNullable().references('id').inTable('org_units').onDelete('RESTRICT')
      .comment('The directorate the unit belongs to');
    t.text('address_mahalle').comment('Mahalle as written in the address');
    t.text('address_street');
    t.text('address_door_no');
    t.text('isp').comment('Internet service provider');
    t.text('internet_line').comment('Kind of internet subscription: FIBER, XDSL, LTE, ...');
    t.integer('bandwidth_mbps');
    t.enu('status', ['PLANNED', 'ACTIVE', 'OFFLINE', 'CLOSED']).notNullable().defaultTo('ACTIVE');
    t.specificType('geom', 'geometry(Point, 4326)').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.index(['org_unit_id']);
  });
  await knex.raw('ALTER TABLE remote_units ADD CONSTRAINT remote_units_bandwidth_positive CHECK (bandwidth_mbps IS NULL OR bandwidth_mbps > 0)');
  await knex.raw('CREATE INDEX remote_units_geom_gist ON remote_units USING gist (geom)');
  await knex.raw('CREATE INDEX remote_units_geog_gist ON remote_units USING gist ((geom::geography))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('remote_units');
}
