import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { Resource } from '../../common/auth/resources';
import { LayerRepository, type LayerDefinition } from '../../geo/layer.repository';
import { foldedContainsAny } from '../../db/text-search';
import { geoJsonSql } from '../../geo/geojson-sql';
import type { Camera, CameraFilter } from './camera.type';

export const cameraLayer = (db: Knex): LayerDefinition<CameraFilter> => ({
  resource: Resource.CAMERAS,
  table: 'cameras',
  geometryType: 'POINT',
  columns: {
    code: 'code',
    name: 'name',
    kind: 'kind',
    purpose: 'purpose',
    status: 'status',
    azimuth: 'azimuth',
    horizontalFov: 'horizontal_fov',
    rangeMeters: 'range_m',
    mountHeightMeters: 'mount_height_m',
    recorder: 'recorder',
    recorderChannel: 'recorder_channel',
    streamUrl: 'stream_url',
    installedOn: 'installed_on',
  },
  applyFilter(qb, f, col) {
    if (f.status?.length) qb.whereIn(col('status'), f.status);
    if (f.kind?.length) qb.whereIn(col('kind'), f.kind);
    if (f.purpose?.length) qb.whereIn(col('purpose'), f.purpose);
    if (f.recorder != null) qb.where(col('recorder'), f.recorder);
    if (f.search) qb.where(foldedContainsAny(db, [col('name'), col('code')], f.search));
  },
});

/** Arc vertices per degree of field of view, and the fewest an arc gets. */
const DEGREES_PER_SEGMENT = 5;

export class CameraRepository extends LayerRepository<Camera, CameraFilter> {
  constructor(db: Knex | Knex.Transaction, access: Access) {
    super(db, cameraLayer(db as Knex), access);
  }

  /**
   * Field of view as a polygon, computed in PostGIS on the ellipsoid: a sector from the camera's
   * position, azimuth +/- fov/2, radius range_m; a full circle for a 360 degree camera. Every arc
   * vertex is ST_Project'ed (the direct geodesic problem, clockwise from north), so it lies exactly
   * range_m from the camera: ST_Buffer on geography would buffer in a UTM projection, 2.5e-4 too wide.
   */
  async fieldsOfView(ids: readonly number[], srid: number, digits: number): Promise<{ id: number; geometry: unknown }[]> {
    const polygon = this.db.raw(`ST_Transform(
        CASE WHEN n.fov >= 360 THEN ST_MakePolygon(ST_MakeLine(arc.points || arc.points[1]))
             ELSE ST_MakePolygon(ST_MakeLine(ARRAY[c.geom] || arc.points || ARRAY[c.geom])) END, ?::int)`, [srid]);
    const { rows } = await this.db.raw(
      `SELECT c.id, ? AS geometry
       FROM cameras c
       CROSS JOIN LATERAL (SELECT least(c.horizontal_fov, 360) AS fov, greatest(2, ceil(least(c.horizontal_fov, 360) / ?))::int AS segments) n
       CROSS JOIN LATERAL (
         SELECT ARRAY(
           SELECT ST_Project(c.geom::geography, c.range_m, radians(c.azimuth - n.fov / 2 + n.fov * i / n.segments))::geometry
           FROM generate_series(0, CASE WHEN n.fov >= 360 THEN n.segments - 1 ELSE n.segments END) AS i ORDER BY i
         ) AS points) arc
       WHERE c.id = ANY(?::int[])`,
      [geoJsonSql(this.db, polygon, digits), DEGREES_PER_SEGMENT, [...ids]],
    );
    return rows;
  }
}
