import type { Knex } from 'knex';
import { badInput } from '../common/errors/app-error';
import { geometryInputReason } from '../db/pg-errors';
import type { GeoJsonGeometry } from './geojson.scalar';
import { GeometryRepository, type SridRow } from './geometry.repository';

/** Largest geometry accepted as input, in vertices. */
export const MAX_INPUT_VERTICES = 10000;

/** A validated input geometry, in EPSG:4326, ready to bind into SQL as `?::geometry`. */
export interface CheckedGeometry {
  ewkb: string;
  type: string;
}

export interface GeometryCheck {
  /** Which argument this is, for the error message (e.g. "spatial.intersects.geometry"). */
  argument: string;
  /** Geometry types allowed, upper case as PostGIS names them (POINT, POLYGON, ...); all when omitted. */
  types?: string[];
  /**
   * Only planar operations use it (ST_Intersects on geometry), so it need not be a geography.
   * Otherwise it must be: distances and areas are geodesic, and PostGIS cannot measure an edge
   * between antipodal points (a "whole world" polygon has some).
   */
  planar?: boolean;
}

/**
 * Checks coordinate systems and input geometries against PostGIS, with errors that say what is wrong.
 * One per application: it caches which SRIDs exist (spatial_ref_sys), never anything per user.
 */
export class GeoService {
  private readonly sridCache = new Map<number, SridRow | null>();

  /** The SRID's facts; BAD_USER_INPUT when PostGIS does not know it. */
  async srid(db: Knex | Knex.Transaction, srid: number, argument = 'srid'): Promise<SridRow> {
    if (!Number.isInteger(srid) || srid <= 0) throw badInput(`${argument}: ${srid} is not an EPSG code`);
    let row = this.sridCache.get(srid);
    if (row === undefined) {
      row = (await new GeometryRepository(db).srid(srid)) ?? null;
      this.sridCache.set(srid, row);
    }
    if (!row) {
      throw badInput(`${argument}: unknown SRID ${srid} (not in PostGIS's spatial_ref_sys; use an EPSG code such as 4326, 3857 or 5257)`);
    }
    return row;
  }

  /** Checks that x/y are finite and, in a geographic SRID, within longitude/latitude range. */
  checkCoordinates(srid: SridRow, argument: string, xs: number[], ys: number[]): void {
    for (const v of [...xs, ...ys]) {
      if (!Number.isFinite(v)) throw badInput(`${argument}: coordinates must be finite numbers`);
    }
    if (!srid.geographic) return;
    for (const x of xs) {
      if (x < -180 || x > 180) {
        throw badInput(`${argument}: longitude ${x} is out of range [-180, 180] for EPSG:${srid.srid} (x is longitude, y is latitude)`);
      }
    }
    for (const y of ys) {
      if (y < -90 || y > 90) {
        throw badInput(`${argument}: latitude ${y} is out of range [-90, 90] for EPSG:${srid.srid} (x is longitude, y is latitude)`);
      }
    }
  }

  /** Parses and validates a GeoJSON geometry given in `srid`; returns it in EPSG:4326. */
  async geometry(
    db: Knex | Knex.Transaction,
    geojson: GeoJsonGeometry,
    sridValue: number,
    check: GeometryCheck,
  ): Promise<CheckedGeometry> {
    const srid = await this.srid(db, sridValue, `${check.argument}: srid`);
    // A crs member inside the GeoJSON would override the srid argument in ST_GeomFromGeoJSON.
    const { crs: _ignored, ...plain } = geojson;
    let inspected;
    try {
      inspected = await new GeometryRepository(db).inspect(JSON.stringify(plain), srid.srid, !check.planar);
    } catch (err) {
      const reason = geometryInputReason(err);
      if (reason !== undefined && /antipodal/i.test(reason)) {
        throw badInput(
          `${check.argument}: an edge joins two antipodal points (180° apart, such as the poles, or two points on the equator 180° of longitude apart), between which no one shortest path exists on the globe; add vertices along it`,
        );
      }
      if (reason !== undefined) throw badInput(`${check.argument}: ${reason}`);
      throw err;
    }
    if (check.types && !check.types.includes(inspected.type)) {
      throw badInput(`${check.argument}: expected ${check.types.map(pretty).join(' or ')}, got ${pretty(inspected.type)}`);
    }
    if (inspected.empty) throw badInput(`${check.argument}: the geometry is empty`);
    if (inspected.vertices > MAX_INPUT_VERTICES) {
      throw badInput(`${check.argument}: the geometry has ${inspected.vertices} vertices; at most ${MAX_INPUT_VERTICES} are accepted`);
    }
    this.checkCoordinates(srid, check.argument, [inspected.xmin!, inspected.xmax!], [inspected.ymin!, inspected.ymax!]);
    if (!inspected.valid) {
      throw badInput(`${check.argument}: invalid geometry: ${inspected.reason}`);
    }
    if (!inspected.ewkb) throw badInput(`${check.argument}: the geometry could not be transformed to EPSG:4326`);
    return { ewkb: inspected.ewkb, type: inspected.type };
  }
}

const PRETTY: Record<string, string> = {
  POINT: 'Point',
  MULTIPOINT: 'MultiPoint',
  LINESTRING: 'LineString',
  MULTILINESTRING: 'MultiLineString',
  POLYGON: 'Polygon',
  MULTIPOLYGON: 'MultiPolygon',
  GEOMETRYCOLLECTION: 'GeometryCollection',
};
const pretty = (t: string) => PRETTY[t] ?? t;
