import type { Knex } from 'knex';

/** Cameras: security, live-broadcast and traffic cameras as points in EPSG:4326. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cameras', (t) => {
    t.increments('id').primary();
    t.text('code').notNullable().unique().comment('Asset tag painted on the camera');
    t.text('name').notNullable();
    t.enu('kind', ['FIXED', 'PTZ', 'DOME', 'BULLET']).notNullable();
    t.enu('purpose', ['SECURITY', 'LIVE_BROADCAST', 'TRAFFIC']).notNullable();
    t.enu('status', ['PLANNED', 'ACTIVE', 'OFFLINE', 'DECOMMISSIONED']).notNullable().defaultTo('ACTIVE');
    t.smallint('azimuth').notNullable().comment('Degrees clockwise from north, 0-359');
    t.double('horizontal_fov').notNullable().comment('Horizontal field of view in degrees, (0, 360]');
    t.double('range_m').notNullable().comment('Useful viewing range in metres');
    t.double('mount_height_m').comment('Mount height above ground in metres');
    t.text('recorder').comment('NVR the camera records to');
    t.integer('recorder_channel');
    t.text('stream_url').comment('Live stream address: a secret');
    t.date('installed_on');
    t.specificType('geom', 'geometry(Point, 4326)').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.index(['status']);
    t.index(['kind']);
  });
  await knex.raw(`ALTER TABLE cameras
    ADD CONSTRAINT cameras_azimuth_range CHECK (azimuth BETWEEN 0 AND 359),
    ADD CONSTRAINT cameras_fov_range CHECK (horizontal_fov > 0 AND horizontal_fov <= 360),
    ADD CONSTRAINT cameras_range_positive CHECK (range_m > 0),
    ADD CONSTRAINT cameras_height_non_negative CHECK (mount_height_m IS NULL OR mount_height_m >= 0),
    ADD CONSTRAINT cameras_geom_valid CHECK (NOT ST_IsEmpty(geom))`);
  await knex.raw('CREATE INDEX cameras_geom_gist ON cameras USING gist (geom)');
  // Distances in metres and nearest-neighbour ordering run on geography: index that expression.
  await knex.raw('CREATE INDEX cameras_geog_gist ON cameras USING gist ((geom::geography))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cameras');
}
