import type { Knex } from 'knex';

/**
 * A camera's field of view as a polygon, in one SQL function that `Camera.fieldOfView`, the
 * coverage queries and the camera-fov tiles share: a sector from the camera's position, azimuth
 * +/- fov/2, radius range_m (a circle for a 360 degree camera), every arc vertex ST_Project'ed on
 * the ellipsoid (the direct geodesic problem, clockwise from north) so that it lies exactly range_m
 * from the camera, one vertex every 5 degrees of arc (at least 2 segments).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION kbs_camera_fov(g geometry, azimuth double precision, fov double precision, range_m double precision)
    RETURNS geometry LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
      SELECT CASE WHEN n.fov >= 360 THEN ST_MakePolygon(ST_MakeLine(arc.points || arc.points[1]))
                  ELSE ST_MakePolygon(ST_MakeLine(ARRAY[g] || arc.points || ARRAY[g])) END
      FROM (SELECT least(fov, 360) AS fov, greatest(2, ceil(least(fov, 360) / 5))::int AS segments) n
      CROSS JOIN LATERAL (
        SELECT ARRAY(
          SELECT ST_SetSRID(ST_Project(g::geography, range_m, radians(azimuth - n.fov / 2 + n.fov * i / n.segments))::geometry, ST_SRID(g))
          FROM generate_series(0, CASE WHEN n.fov >= 360 THEN n.segments - 1 ELSE n.segments END) AS i ORDER BY i
        ) AS points) arc
    $fn$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION IF EXISTS kbs_camera_fov(geometry, double precision, double precision, double precision)');
}
