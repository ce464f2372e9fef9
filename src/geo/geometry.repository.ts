import type { Knex } from 'knex';

export interface SridRow {
  srid: number;
  authName: string | null;
  geographic: boolean;
}

export interface GeometryInspection {
  type: string;
  valid: boolean;
  reason: string | null;
  empty: boolean;
  vertices: number;
  xmin: number | null;
  ymin: number | null;
  xmax: number | null;
  ymax: number | null;
  /** The geometry transformed to EPSG:4326, as hex EWKB (castable with ::geometry). */
  ewkb: string | null;
}

/** SQL for coordinate systems and geometry input; PostGIS does the parsing and the maths. */
export class GeometryRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async srid(srid: number): Promise<SridRow | undefined> {
    const row = await this.db('spatial_ref_sys')
      .where({ srid })
      .first(
        'srid',
        'auth_name as authName',
        this.db.raw(`(proj4text LIKE '%+proj=longlat%' OR srtext LIKE 'GEOGCS%' OR srtext LIKE 'GEOGCRS%') AS geographic`),
      );
    return row as SridRow | undefined;
  }

  /**
   * Parses GeoJSON in the given SRID; throws PostGIS's error when it cannot be parsed or transformed,
   * or, with `geodetic`, when in EPSG:4326 it is no geography (PostGIS refuses an edge between
   * antipodal points there).
   */
  async inspect(geojson: string, srid: number, geodetic: boolean): Promise<GeometryInspection> {
    const { rows } = await this.db.raw(
      `WITH input AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(?::text), ?::int) AS g),
            wgs84 AS (SELECT g, CASE WHEN ST_IsValid(g) AND NOT ST_IsEmpty(g) THEN ST_Transform(g, 4326) END AS t FROM input)
       SELECT GeometryType(g) AS type,
              ST_IsValid(g) AS valid,
              CASE WHEN ST_IsValid(g) THEN NULL ELSE ST_IsValidReason(g) END AS reason,
              ST_IsEmpty(g) AS empty,
              ST_NPoints(g) AS vertices,
              ST_XMin(g) AS xmin, ST_YMin(g) AS ymin, ST_XMax(g) AS xmax, ST_YMax(g) AS ymax,
              encode(ST_AsEWKB(t), 'hex') AS ewkb,
              -- Its geodetic bounding box, which every geodesic measure computes (ST_DWithin needs it
              -- at once); only within range: coordinates out of it are reported as such by the caller.
              CASE WHEN ?::boolean AND ST_XMin(t) >= -180 AND ST_XMax(t) <= 180 AND ST_YMin(t) >= -90 AND ST_YMax(t) <= 90
                   THEN ST_DWithin(t::geography, 'SRID=4326;POINT(0 0)'::geography, 0) IS NOT NULL END AS geodetic
       FROM wgs84`,
      [geojson, srid, geodetic],
    );
    return rows[0] as GeometryInspection;
  }
}
