import type { Knex } from 'knex';
import { badInput } from '../common/errors/app-error';
import { geometryInputReason } from '../db/pg-errors';
import type { GeoJsonGeometry } from './geojson.scalar';
import { GeometryRepository, type Domain, type GeometryInspection, type Placement, type SridRow } from './geometry.repository';

/** Largest geometry accepted as input, in vertices. */
export const MAX_INPUT_VERTICES = 10000;

/**
 * How far beyond a CRS's area of use (PROJ's) coordinates are still accepted, in degrees: enough
 * for a neighbouring zone's features (Gaziantep's centre is 0.12° west of TM39's area), and far from
 * where a projection stops meaning anything.
 */
export const AREA_MARGIN_DEGREES = 1;

/** No coordinate of any CRS the API takes comes near this: beyond it, refused before any maths. */
const ABSURD = 1e10;

/** A validated input geometry, in EPSG:4326, ready to bind into SQL as `?::geometry`. */
export interface CheckedGeometry {
  ewkb: string;
  type: string;
}

/** A box placed on the Earth: the part inside its CRS's domain, and an EPSG:4326 box around it. */
export interface PlacedBox {
  srid: number;
  /** The box (clipped to the domain) in its own CRS, as hex EWKB: a polygon, or a line or point when degenerate. */
  native: string;
  /** [minx, miny, maxx, maxy] in EPSG:4326 holding all of it (for the index). */
  envelope: [number, number, number, number];
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
  /**
   * A geometry reaching beyond its CRS's domain is cut to it (a search area); by default it is
   * refused, so that nothing is stored other than what was given.
   */
  clip?: boolean;
}

/**
 * Checks coordinate systems and input geometries against PostGIS, with errors that say what is wrong.
 * One per application: it caches which SRIDs exist (spatial_ref_sys) and their domains, never
 * anything per user.
 *
 * Every CRS but EPSG:4326 has a domain: its area of use (crs_areas_of_use, from PROJ) widened by
 * AREA_MARGIN_DEGREES. A point outside it is refused, naming the area of use; a box or a geometry
 * reaching beyond it is clipped to it, and refused when nothing is left. A CRS with no recorded area
 * of use takes what survives a round trip through EPSG:4326. Geocentric CRSs are refused outright.
 */
export class GeoService {
  private readonly sridCache = new Map<number, SridRow | null>();
  private readonly domainCache = new Map<number, Promise<Domain>>();

  /** The SRID's facts; BAD_USER_INPUT when PostGIS does not know it, or it is not 2D. */
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
    if (row.geocentric) {
      throw badInput(
        `${argument}: EPSG:${srid} is geocentric (X, Y, Z from the Earth's centre) and the API reads and writes 2D coordinates; use a geographic or projected CRS such as 4326 or 5257`,
      );
    }
    return row;
  }

  /** Checks that x/y are finite and, in a geographic SRID, within longitude/latitude range. */
  checkCoordinates(srid: SridRow, argument: string, xs: number[], ys: number[]): void {
    for (const v of [...xs, ...ys]) {
      if (!Number.isFinite(v)) throw badInput(`${argument}: coordinates must be finite numbers`);
    }
    if (srid.geographic) {
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
  }

  /** Refuses coordinates no CRS here can mean (before any maths runs on them). */
  private checkMagnitude(srid: SridRow, argument: string, values: number[]): void {
    if (values.some((v) => Math.abs(v) > ABSURD)) throw badInput(`${argument}: ${outside(srid, 'the coordinates lie')}`);
  }

  /** The part of the CRS's plane the API accepts; null for EPSG:4326 (its range check suffices) or no recorded area. */
  async domain(db: Knex | Knex.Transaction, srid: SridRow): Promise<Domain | null> {
    if (srid.srid === 4326 || !srid.area) return null;
    let domain = this.domainCache.get(srid.srid);
    if (!domain) {
      const { west, south, east, north } = srid.area;
      const m = AREA_MARGIN_DEGREES;
      domain = new GeometryRepository(db).domain(srid.srid, [
        Math.max(-180, west - m),
        Math.max(-90, south - m),
        Math.min(180, east + m),
        Math.min(90, north + m),
      ]);
      this.domainCache.set(srid.srid, domain);
      domain.catch(() => this.domainCache.delete(srid.srid));
    }
    return domain;
  }

  /** Parses and validates a GeoJSON geometry given in `srid`; returns it in EPSG:4326 (clipped to the CRS's domain when `check.clip`). */
  async geometry(
    db: Knex | Knex.Transaction,
    geojson: GeoJsonGeometry,
    sridValue: number,
    check: GeometryCheck,
  ): Promise<CheckedGeometry> {
    const srid = await this.srid(db, sridValue, `${check.argument}: srid`);
    // A crs member inside the GeoJSON would override the srid argument in ST_GeomFromGeoJSON.
    const { crs: _ignored, ...plain } = geojson;
    const xy = srid.srid === 4326 ? undefined : twoNumbers(plain);
    if (xy) return this.placePoint(db, srid, xy, check);
    const repo = new GeometryRepository(db);
    let inspected;
    try {
      inspected = await repo.inspect(JSON.stringify(plain), srid.srid, !check.planar);
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
    const problem = this.inspectionProblem(srid, inspected, check);
    if (problem) throw badInput(`${check.argument}: ${problem}`);
    if (srid.srid === 4326) return { ewkb: inspected.native!, type: inspected.type };
    const what = inspected.type === 'POINT' ? 'the point lies' : 'the geometry lies';
    const placed = await this.place(db, srid, inspected.native!, check.argument, what);
    if (placed.clipped && !check.clip) throw badInput(`${check.argument}: ${outside(srid, 'part of the geometry lies')}`);
    return { ewkb: placed.ewkb!, type: inspected.type };
  }

  /**
   * What is wrong with a geometry PostGIS has inspected (see inspectionColumns), or undefined when
   * nothing is: the type, emptiness, size, coordinate range and validity, in that order. Edits and
   * the bulk import refuse geometries with it alike.
   */
  inspectionProblem(srid: SridRow, inspected: GeometryInspection, check: Pick<GeometryCheck, 'types'>): string | undefined {
    if (check.types && !check.types.includes(inspected.type)) {
      return `expected ${check.types.map(pretty).join(' or ')}, got ${pretty(inspected.type)}`;
    }
    if (inspected.empty) return 'the geometry is empty';
    if (inspected.vertices > MAX_INPUT_VERTICES) {
      return `the geometry has ${inspected.vertices} vertices; at most ${MAX_INPUT_VERTICES} are accepted`;
    }
    try {
      this.checkCoordinates(srid, '', [inspected.xmin!, inspected.xmax!], [inspected.ymin!, inspected.ymax!]);
      this.checkMagnitude(srid, '', [inspected.xmin!, inspected.xmax!, inspected.ymin!, inspected.ymax!]);
    } catch (err) {
      return (err as Error).message.replace(/^: /, '');
    }
    if (!inspected.valid) return `invalid geometry: ${inspected.reason}`;
    return undefined;
  }

  /**
   * A GeoJSON Point of two finite numbers in a CRS other than EPSG:4326, in one statement: such a
   * point is valid, not empty and has one vertex, so PostGIS has nothing to inspect that the checks
   * of inspectionProblem do not settle here, with the same messages; it is then placed as any other
   * geometry. (A nearest or a distance around a TM point cost two round trips before its page.)
   */
  private async placePoint(db: Knex | Knex.Transaction, srid: SridRow, [x, y]: [number, number], check: GeometryCheck): Promise<CheckedGeometry> {
    const inspected = { type: 'POINT', valid: true, reason: null, empty: false, vertices: 1, xmin: x, ymin: y, xmax: x, ymax: y };
    const problem = this.inspectionProblem(srid, inspected, check);
    if (problem) throw badInput(`${check.argument}: ${problem}`);
    const source = db.raw('ST_SetSRID(ST_MakePoint(?::float8, ?::float8), ?::int)', [x, y, srid.srid]);
    const placed = await this.place(db, srid, source, check.argument, 'the point lies');
    if (placed.clipped && !check.clip) throw badInput(`${check.argument}: ${outside(srid, 'part of the geometry lies')}`);
    return { ewkb: placed.ewkb!, type: 'POINT' };
  }

  /** A point given as x/y in `srid`, checked like a GeoJSON Point; returns it in EPSG:4326. */
  async point(db: Knex | Knex.Transaction, x: number, y: number, sridValue: number, argument: string): Promise<CheckedGeometry> {
    const srid = await this.srid(db, sridValue, `${argument}.srid`);
    this.checkCoordinates(srid, argument, [x], [y]);
    return this.geometry(db, { type: 'Point', coordinates: [x, y] }, srid.srid, { argument });
  }

  /** A box in a CRS other than EPSG:4326, clipped to the CRS's domain (a degenerate box is a line or a point). */
  async box(
    db: Knex | Knex.Transaction,
    srid: SridRow,
    corners: [number, number, number, number],
    argument: string,
  ): Promise<PlacedBox> {
    // A box is clipped to the domain: first its numbers to the domain's extent, so that no absurd
    // value reaches PROJ or GEOS.
    const domain = await this.domain(db, srid);
    if (!domain) this.checkMagnitude(srid, argument, corners);
    const [minx, miny, maxx, maxy] = domain ? clamp(corners, domain.box) : corners;
    if (minx > maxx || miny > maxy) throw badInput(`${argument}: ${outside(srid, 'the box lies')}`);
    const source = db.raw('ST_Envelope(ST_MakeLine(ST_MakePoint(?, ?), ST_MakePoint(?, ?)))', [minx, miny, maxx, maxy]);
    const placed = await this.place(db, srid, db.raw('ST_SetSRID(?, ?::int)', [source, srid.srid]), argument, 'the box lies', 64);
    // Densified edges can bow out between their vertices by a hair: widen the index box a little.
    const pad = Math.max(placed.xmax! - placed.xmin!, placed.ymax! - placed.ymin!) * 0.01 + 1e-7;
    return {
      srid: srid.srid,
      native: placed.native!,
      envelope: [placed.xmin! - pad, placed.ymin! - pad, placed.xmax! + pad, placed.ymax! + pad],
    };
  }

  /** Clips to the domain and transforms to EPSG:4326; BAD_USER_INPUT naming the area of use when nothing is left. */
  private async place(
    db: Knex | Knex.Transaction,
    srid: SridRow,
    source: string | Knex.Raw,
    argument: string,
    what: string,
    densify = 0,
  ): Promise<Placement> {
    const domain = await this.domain(db, srid);
    let placed: Placement;
    try {
      placed = await new GeometryRepository(db).place(source, { domain, roundTrip: !domain, densify });
    } catch (err) {
      if (geometryInputReason(err) !== undefined) throw badInput(`${argument}: ${outside(srid, what)}`);
      throw err;
    }
    const tolerance = srid.geographic ? 1e-8 : 1e-3;
    if (!placed.ewkb || (placed.roundTrip !== null && !(placed.roundTrip <= tolerance))) {
      throw badInput(`${argument}: ${outside(srid, what)}`);
    }
    return placed;
  }
}

/** [x, y] of a GeoJSON Point given as two finite numbers (no z, nothing else to parse); otherwise undefined. */
function twoNumbers(geojson: { type?: unknown; coordinates?: unknown }): [number, number] | undefined {
  const c = geojson.coordinates;
  if (geojson.type !== 'Point' || !Array.isArray(c) || c.length !== 2) return undefined;
  const [x, y] = c as unknown[];
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y) ? [x, y] : undefined;
}

/** The box [minx, miny, maxx, maxy] cut to `to` (empty when min > max). */
function clamp(box: [number, number, number, number], to: [number, number, number, number]): [number, number, number, number] {
  return [Math.max(box[0], to[0]), Math.max(box[1], to[1]), Math.min(box[2], to[2]), Math.min(box[3], to[3])];
}

/** "the point lies outside the area of use of EPSG:5257 (TUREF / TM39: 37.5°E to 40.5°E, 36.66°N to 41.19°N) ..." */
export function outside(srid: SridRow, what: string): string {
  if (!srid.area) {
    return `${what} where EPSG:${srid.srid} cannot represent it (its coordinates do not survive a round trip through longitude and latitude)`;
  }
  const { name, west, south, east, north } = srid.area;
  const lon = (v: number) => `${Math.abs(v)}°${v < 0 ? 'W' : 'E'}`;
  const lat = (v: number) => `${Math.abs(v)}°${v < 0 ? 'S' : 'N'}`;
  return (
    `${what} outside the area of use of EPSG:${srid.srid} (${name}: ${lon(west)} to ${lon(east)}, ${lat(south)} to ${lat(north)}); ` +
    `coordinates up to ${AREA_MARGIN_DEGREES}° beyond it are accepted`
  );
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
