import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { Resource } from '../../common/auth/resources';
import { LayerRepository, layerReferenced, type LayerDefinition } from '../../geo/layer.repository';
import { foldedContainsAny } from '../../db/text-search';
import { geoJsonSql } from '../../geo/geojson-sql';
import type { Camera, CameraFilter } from './camera.type';

/** A row of CameraRepository.coverage. */
export interface CoverageRow {
  key: string | number;
  areaSquareMeters: number;
  coveredSquareMeters: number;
  covered: unknown;
  uncovered: unknown;
  cameraIds: number[];
}

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
    servedByNodeId: 'served_by_node_id',
    servedByRemoteUnitId: 'served_by_remote_unit_id',
  },
  references: {
    servedByNodeId: layerReferenced(Resource.NETWORK_NODES, 'network_nodes', 'code'),
    servedByRemoteUnitId: layerReferenced(Resource.REMOTE_UNITS, 'remote_units', 'code'),
  },
  applyFilter(qb, f, col) {
    if (f.status?.length) qb.whereIn(col('status'), f.status);
    if (f.kind?.length) qb.whereIn(col('kind'), f.kind);
    if (f.purpose?.length) qb.whereIn(col('purpose'), f.purpose);
    if (f.recorder != null) qb.where(col('recorder'), f.recorder);
    if (f.search) qb.where(foldedContainsAny(db, [col('name'), col('code')], f.search));
  },
});

export class CameraRepository extends LayerRepository<Camera, CameraFilter> {
  constructor(db: Knex | Knex.Transaction, access: Access) {
    super(db, cameraLayer(db as Knex), access);
  }

  /**
   * Field of view as a polygon, computed in PostGIS on the ellipsoid by kbs_camera_fov (see its
   * migration) and kept in cameras.fov: every arc vertex lies exactly range_m from the camera;
   * ST_Buffer on geography would buffer in a UTM projection, 2.5e-4 too wide.
   */
  async fieldsOfView(ids: readonly number[], srid: number, digits: number): Promise<{ id: number; geometry: unknown }[]> {
    const polygon = this.db.raw('ST_Transform(c.fov, ?::int)', [srid]);
    const { rows } = await this.db.raw(`SELECT c.id, ? AS geometry FROM cameras c WHERE c.id = ANY(?::int[])`, [geoJsonSql(this.db, polygon, digits), [...ids]]);
    return rows;
  }

  /**
   * The cameras (that the request may read; ACTIVE only unless `includeInactive`) whose field of
   * view holds the point: within range_m of it on the ellipsoid, and its bearing from the camera
   * (the geodesic azimuth) within azimuth +/- horizontalFov/2. Nearest first. The index narrows
   * the cameras to those within the longest range of any camera.
   */
  async seeing(pointEwkb: string, includeInactive: boolean): Promise<(Camera & { distanceMeters: number; bearingDegrees: number | null })[]> {
    const db = this.db as Knex;
    const p = db.raw('?::geometry', [pointEwkb]);
    const bearing = db.raw('degrees(ST_Azimuth(cameras.geom::geography, ?::geography))', [p]);
    const rows = await this.scoped()
      .select(this.selectList())
      .select(db.raw('ST_Distance(cameras.geom::geography, ?::geography) AS "distanceMeters"', [p]), db.raw('? AS "bearingDegrees"', [bearing]))
      .whereRaw('ST_DWithin(cameras.geom::geography, ?::geography, (SELECT max(range_m) FROM cameras))', [p])
      .whereRaw('ST_DWithin(cameras.geom::geography, ?::geography, cameras.range_m)', [p])
      .whereRaw(
        `(cameras.horizontal_fov >= 360 OR ST_Equals(cameras.geom, ?)
          OR abs(mod((? - cameras.azimuth + 540)::numeric, 360) - 180) <= cameras.horizontal_fov / 2)`,
        [p, bearing],
      )
      .where((w) => {
        if (!includeInactive) w.where('cameras.status', 'ACTIVE');
      })
      .orderBy('distanceMeters')
      .orderBy('cameras.id');
    return rows.map((r: Camera & { distanceMeters: number | string; bearingDegrees: number | string | null }) => ({
      ...r,
      distanceMeters: Number(r.distanceMeters),
      bearingDegrees: r.bearingDegrees == null ? null : Number(r.bearingDegrees),
    }));
  }

  /**
   * Camera coverage of areas, in one statement: for each area (`areas` selects key and g, in
   * EPSG:4326), its geodesic area, the part the fields of view of the readable cameras (ACTIVE only
   * unless `includeInactive`) cover and the part they do not, both in `srid`, and the cameras whose
   * field of view overlaps it.
   */
  async coverage(areas: Knex.Raw, includeInactive: boolean, srid: number, digits: number): Promise<CoverageRow[]> {
    const db = this.db as Knex;
    const scope = this.scoped().select('cameras.id');
    const out = (g: string) => geoJsonSql(db, db.raw(`ST_Transform(${g}, ?::int)`, [srid]), digits);
    // Per area, the fields of view that meet it, found through their own spatial index (cameras.fov).
    // The uncovered part is the area minus the union of the fields of view, not minus the covered
    // part: GEOS in the embedded database's WASM build loses the row on the latter.
    const { rows } = await db.raw(
      `SELECT key, ST_Area(g::geography) AS "areaSquareMeters", coalesce(ST_Area(covered::geography), 0) AS "coveredSquareMeters",
              ? AS covered, ? AS uncovered, coalesce(ids, '{}') AS "cameraIds"
       FROM (
         SELECT a.key, a.g, cov.ids,
                coalesce(ST_CollectionExtract(ST_Intersection(cov.u, a.g), 3), ST_GeomFromText('POLYGON EMPTY', 4326)) AS covered,
                CASE WHEN cov.u IS NULL THEN a.g ELSE ST_CollectionExtract(ST_Difference(a.g, cov.u), 3) END AS uncovered
         FROM (?) a
         CROSS JOIN LATERAL (
           SELECT ST_Union(f.fov) AS u, array_agg(f.id ORDER BY f.id) AS ids
           FROM (SELECT c.id, c.fov
                 FROM cameras c
                 WHERE c.fov && a.g AND ST_Intersects(c.fov, a.g)
                   AND c.id IN (?) AND (?::boolean OR c.status = 'ACTIVE')) f
           -- Interiors meet: a field of view touching the area at its edge only covers none of it.
           -- Most lie wholly inside, which the prepared area answers at once.
           WHERE ST_ContainsProperly(a.g, f.fov) OR ST_Relate(f.fov, a.g, 'T********')) cov
       ) c
       ORDER BY key`,
      [out('covered'), out('uncovered'), areas, scope, includeInactive],
    );
    return rows.map((r: CoverageRow) => ({
      ...r,
      areaSquareMeters: Number(r.areaSquareMeters),
      coveredSquareMeters: Number(r.coveredSquareMeters),
      cameraIds: (r.cameraIds as (number | string)[]).map(Number),
    }));
  }
}
