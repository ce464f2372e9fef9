import type { Knex } from 'knex';

/** Where a CRS may be used, as PROJ records it: degrees of longitude and latitude. */
export interface AreaOfUse {
  /** Name of the CRS, e.g. "TUREF / TM39". */
  name: string;
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface SridRow {
  srid: number;
  authName: string | null;
  geographic: boolean;
  /** X, Y, Z from the Earth's centre: no 2D coordinate means anything in it. */
  geocentric: boolean;
  /** Null for a CRS the API has no recorded area of use for (see crs_areas_of_use). */
  area: AreaOfUse | null;
}

/** The part of a CRS's plane the API accepts, as a polygon in that CRS (hex EWKB) and its extent. */
export interface Domain {
  ewkb: string;
  box: [number, number, number, number];
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
}

/** A geometry placed on the Earth: clipped to its CRS's domain, then transformed. */
export interface Placement {
  /** In EPSG:4326, as hex EWKB (castable with ::geometry); null when nothing was left inside the domain. */
  ewkb: string | null;
  /** In its own CRS after clipping, as hex EWKB. */
  native: string | null;
  /** True when part of it lay outside the domain and was cut off. */
  clipped: boolean;
  /** Largest distance (CRS units) by which a vertex moves on a round trip through EPSG:4326; when asked for. */
  roundTrip: number | null;
  /** Extent in EPSG:4326 of the clipped geometry with its edges densified; when asked for. */
  xmin: number | null;
  ymin: number | null;
  xmax: number | null;
  ymax: number | null;
}

export interface PlaceOptions {
  domain: Domain | null;
  /** Measure the round trip through EPSG:4326 (for a CRS without a recorded area of use). */
  roundTrip?: boolean;
  /** Compute the EPSG:4326 extent with edges densified into this many steps of the longest side. */
  densify?: number;
}

/**
 * The SELECT list that inspects a geometry column or expression `g` into a GeometryInspection (one
 * `?::boolean` parameter: whether to test it as a geography). One copy for a single input geometry
 * and for the rows of a bulk import.
 */
export function inspectionColumns(g: string): string {
  return `GeometryType(${g}) AS type,
              ST_IsValid(${g}) AS valid,
              CASE WHEN ST_IsValid(${g}) THEN NULL ELSE ST_IsValidReason(${g}) END AS reason,
              ST_IsEmpty(${g}) AS empty,
              ST_NPoints(${g}) AS vertices,
              ST_XMin(${g}) AS xmin, ST_YMin(${g}) AS ymin, ST_XMax(${g}) AS xmax, ST_YMax(${g}) AS ymax,
              -- Its geodetic bounding box, which every geodesic measure computes (ST_DWithin needs it
              -- at once); only within range: coordinates out of it are reported as such by the caller.
              CASE WHEN ?::boolean AND ST_SRID(${g}) = 4326 AND ST_IsValid(${g}) AND NOT ST_IsEmpty(${g})
                        AND ST_XMin(${g}) >= -180 AND ST_XMax(${g}) <= 180 AND ST_YMin(${g}) >= -90 AND ST_YMax(${g}) <= 90
                   THEN ST_DWithin(${g}::geography, 'SRID=4326;POINT(0 0)'::geography, 0) IS NOT NULL END AS geodetic`;
}

/** SQL for coordinate systems and geometry input; PostGIS does the parsing and the maths. */
export class GeometryRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async srid(srid: number): Promise<SridRow | undefined> {
    const row = await this.db('spatial_ref_sys as s')
      .leftJoin('crs_areas_of_use as a', 'a.srid', 's.srid')
      .where('s.srid', srid)
      .first(
        's.srid',
        's.auth_name as authName',
        this.db.raw(`(s.proj4text LIKE '%+proj=longlat%' OR s.srtext LIKE 'GEOGCS%' OR s.srtext LIKE 'GEOGCRS%') AS geographic`),
        this.db.raw(`(s.proj4text LIKE '%+proj=geocent%' OR s.srtext LIKE 'GEOCCS%') AS geocentric`),
        'a.name as areaName',
        'a.west',
        'a.south',
        'a.east',
        'a.north',
      );
    if (!row) return undefined;
    const { areaName, west, south, east, north, ...rest } = row;
    return { ...rest, area: areaName == null ? null : { name: areaName, west, south, east, north } } as SridRow;
  }

  /** The lon/lat rectangle [west, south, east, north], densified and transformed into `srid`. */
  async domain(srid: number, [west, south, east, north]: [number, number, number, number]): Promise<Domain> {
    const { rows } = await this.db.raw(
      `SELECT encode(ST_AsEWKB(d), 'hex') AS ewkb, ST_XMin(d) AS minx, ST_YMin(d) AS miny, ST_XMax(d) AS maxx, ST_YMax(d) AS maxy
       FROM (SELECT ST_Transform(ST_Segmentize(ST_MakeEnvelope(?, ?, ?, ?, 4326), 0.25), ?::int) AS d) AS t`,
      [west, south, east, north, srid],
    );
    const r = rows[0];
    return { ewkb: r.ewkb, box: [r.minx, r.miny, r.maxx, r.maxy] };
  }

  /**
   * Parses GeoJSON in the given SRID; throws PostGIS's error when it cannot be parsed, or, with
   * `geodetic`, when in EPSG:4326 it is no geography (PostGIS refuses an edge between antipodal
   * points there).
   */
  async inspect(geojson: string, srid: number, geodetic: boolean): Promise<GeometryInspection & { native: string | null }> {
    const { rows } = await this.db.raw(
      `WITH input AS MATERIALIZED (SELECT ST_SetSRID(ST_GeomFromGeoJSON(?::text), ?::int) AS g)
       SELECT ${inspectionColumns('g')}, encode(ST_AsEWKB(g), 'hex') AS native
       FROM input`,
      [geojson, srid, geodetic],
    );
    return rows[0];
  }

  /**
   * Clips a geometry given in its own CRS (hex EWKB, or an SQL expression) to the CRS's domain and
   * transforms what is left to EPSG:4326. Throws PostGIS's error when the CRS cannot transform it.
   */
  async place(source: string | Knex.Raw, { domain, roundTrip = false, densify = 0 }: PlaceOptions): Promise<Placement> {
    const input = typeof source === 'string' ? this.db.raw('?::geometry', [source]) : source;
    const box = domain?.box ?? [0, 0, 0, 0];
    const { rows } = await this.db.raw(
      `WITH input AS MATERIALIZED (SELECT ? AS g, ?::geometry AS domain),
       inside AS MATERIALIZED (
         SELECT g, domain, domain IS NULL OR (ST_XMin(g) >= ? AND ST_YMin(g) >= ? AND ST_XMax(g) <= ? AND ST_YMax(g) <= ?
                                              AND ST_CoveredBy(g, domain)) AS whole
         FROM input),
       cut AS MATERIALIZED (
         SELECT g, whole, CASE WHEN whole THEN g ELSE ST_Intersection(ST_ClipByBox2D(g, ST_MakeEnvelope(?, ?, ?, ?)::box2d), domain) END AS c
         FROM inside),
       placed AS MATERIALIZED (
         SELECT g, whole, c, CASE WHEN ST_IsEmpty(c) THEN NULL ELSE ST_Transform(c, 4326) END AS w,
                CASE WHEN ST_IsEmpty(c) OR ?::int = 0 THEN NULL
                     ELSE ST_Transform(ST_Segmentize(c, greatest(ST_XMax(c) - ST_XMin(c), ST_YMax(c) - ST_YMin(c)) / ?::int + 1e-9), 4326) END AS dense
         FROM cut)
       SELECT encode(ST_AsEWKB(w), 'hex') AS ewkb,
              CASE WHEN w IS NULL THEN NULL ELSE encode(ST_AsEWKB(c), 'hex') END AS native,
              NOT whole AS clipped,
              CASE WHEN ?::boolean AND w IS NOT NULL THEN
                (SELECT max(ST_Distance(v.geom, ST_Transform(ST_Transform(v.geom, 4326), ST_SRID(g)))) FROM ST_DumpPoints(g) AS v)
              END AS "roundTrip",
              ST_XMin(dense) AS xmin, ST_YMin(dense) AS ymin, ST_XMax(dense) AS xmax, ST_YMax(dense) AS ymax
       FROM placed`,
      [input, domain?.ewkb ?? null, ...box, ...box, densify, Math.max(densify, 1), roundTrip],
    );
    return rows[0];
  }
}
