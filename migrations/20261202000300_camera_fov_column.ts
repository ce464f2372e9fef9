import type { Knex } from 'knex';

/**
 * Each camera's field of view kept beside it (computed by kbs_camera_fov whenever the camera's
 * position, azimuth, angle or range is written) with a spatial index: coverage and the camera-fov
 * tiles find the fields of view that meet an area through the index instead of computing every
 * sector nearby on each request (1,000 sectors took 0.25 s).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE cameras ADD COLUMN fov geometry(Polygon, 4326)
    GENERATED ALWAYS AS (kbs_camera_fov(geom, azimuth, horizontal_fov, range_m)) STORED`);
  await knex.raw('CREATE INDEX cameras_fov_gist ON cameras USING gist (fov)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE cameras DROP COLUMN fov');
}
