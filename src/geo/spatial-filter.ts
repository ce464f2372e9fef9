import type { Knex } from 'knex';
import { layerTarget, type Access } from '../common/auth/access';
import { Action, Resource } from '../common/auth/resources';
import { badInput } from '../common/errors/app-error';
import { parseId } from '../common/ids';
import type { GeoService } from './geo.service';
import type { NearestInput, SpatialFilter } from './spatial.inputs';
import { withinDistance, type GeometryOperand } from './geodesy';

/** The geometry column a predicate applies to. */
export interface GeometryColumn {
  /** Qualified column name, e.g. cameras.geom. */
  name: string;
  /** True for a layer of points: cheaper exact tests apply (coordinates, point-to-point distances). */
  points: boolean;
}

/** A condition on a layer's geometry column. */
export type SpatialPredicate = (db: Knex, column: GeometryColumn) => Knex.Raw;

/** Ordering by distance from a point (x/y in EPSG:4326, or checked and transformed), with an optional cut-off. */
export type NearestOrder = ({ kind: 'xy'; x: number; y: number } | { kind: 'geometry'; ewkb: string }) & {
  maxDistanceMeters: number | null;
};

export const NEIGHBOURHOOD_TABLE = 'neighbourhoods';

/**
 * Turns the spatial filter input into SQL predicates, after checking every part of it against
 * PostGIS (SRIDs, GeoJSON, validity, ranges). Shared by every layer.
 */
export async function resolveSpatialFilter(
  db: Knex,
  geo: GeoService,
  access: Access,
  filter: SpatialFilter | null | undefined,
  argument = 'spatial',
): Promise<SpatialPredicate[]> {
  if (!filter) return [];
  const predicates: SpatialPredicate[] = [];

  if (filter.bbox) {
    const { minx, miny, maxx, maxy } = filter.bbox;
    const where = `${argument}.bbox`;
    const srid = await geo.srid(db, filter.bbox.srid, `${where}.srid`);
    geo.checkCoordinates(srid, where, [minx, maxx], [miny, maxy]);
    if (minx > maxx) throw badInput(`${where}: minx (${minx}) is greater than maxx (${maxx})`);
    if (miny > maxy) throw badInput(`${where}: miny (${miny}) is greater than maxy (${maxy})`);
    if (srid.srid === 4326) {
      predicates.push((k, col) => lonLatBox(k, col, [minx, miny, maxx, maxy]));
    } else {
      // The box as drawn in its CRS (clipped to the CRS's domain): the index narrows the search with a
      // lon/lat box around it, then each candidate is tested in the box's own coordinates.
      const box = await geo.box(db, srid, [minx, miny, maxx, maxy], where);
      predicates.push((k, col) =>
        k.raw('(?? && ST_MakeEnvelope(?, ?, ?, ?, 4326) AND ST_Intersects(ST_Transform(??, ?::int), ?::geometry))', [
          col.name, ...box.envelope, col.name, box.srid, box.native,
        ]),
      );
    }
  }

  if (filter.intersects) {
    const g = await geo.geometry(db, filter.intersects.geometry, filter.intersects.srid, {
      argument: `${argument}.intersects.geometry`,
      planar: true,
      clip: true,
    });
    predicates.push((k, col) => k.raw('ST_Intersects(??, ?::geometry)', [col.name, g.ewkb]));
  }

  if (filter.withinDistance) {
    const { meters } = filter.withinDistance;
    if (!Number.isFinite(meters) || meters < 0) {
      throw badInput(`${argument}.withinDistance.meters must be zero or more, got ${meters}`);
    }
    const g = await geo.geometry(db, filter.withinDistance.geometry, filter.withinDistance.srid, {
      argument: `${argument}.withinDistance.geometry`,
      clip: true,
    });
    predicates.push((k, col) =>
      withinDistance(k, operand(k, col), { sql: k.raw('?::geometry', [g.ewkb]), point: g.type === 'POINT' }, meters),
    );
  }

  if (filter.inNeighbourhood != null) {
    const id = parseId(filter.inNeighbourhood, `${argument}.inNeighbourhood`);
    // A neighbourhood the request may not read does not exist for it, as a filter too.
    const scope = access.condition(db, Resource.NEIGHBOURHOODS, Action.READ, layerTarget('n'));
    const visible = db(`${NEIGHBOURHOOD_TABLE} as n`).where('n.id', id);
    if (scope) visible.where(scope);
    if (!(await visible.first('n.id'))) throw badInput(`${argument}.inNeighbourhood: neighbourhood ${id} does not exist`);
    predicates.push((k, col) =>
      k.raw(`EXISTS (SELECT 1 FROM ?? AS n WHERE n.id = ? AND ST_Intersects(n.geom, ??))`, [NEIGHBOURHOOD_TABLE, id, col.name]),
    );
  }
  return predicates;
}

/** Checks the nearest-point input; x/y in EPSG:4326 go into the list query as they are, others are transformed first. */
export async function resolveNearest(
  db: Knex,
  geo: GeoService,
  nearest: NearestInput | null | undefined,
): Promise<NearestOrder | undefined> {
  if (!nearest) return undefined;
  const maxDistanceMeters = nearest.maxDistanceMeters ?? null;
  if (maxDistanceMeters != null && !(maxDistanceMeters >= 0 && Number.isFinite(maxDistanceMeters))) {
    throw badInput(`nearest.maxDistanceMeters must be zero or more, got ${maxDistanceMeters}`);
  }
  const hasXy = nearest.x != null || nearest.y != null;
  if (nearest.point) {
    if (hasXy) throw badInput('nearest: give either x and y or point, not both');
    const g = await geo.geometry(db, nearest.point, nearest.srid, { argument: 'nearest.point', types: ['POINT'] });
    return { kind: 'geometry', ewkb: g.ewkb, maxDistanceMeters };
  }
  if (nearest.x == null || nearest.y == null) throw badInput('nearest: give both x and y, or point');
  const srid = await geo.srid(db, nearest.srid, 'nearest.srid');
  geo.checkCoordinates(srid, 'nearest', [nearest.x], [nearest.y]);
  if (srid.srid === 4326) return { kind: 'xy', x: nearest.x, y: nearest.y, maxDistanceMeters };
  const g = await geo.point(db, nearest.x, nearest.y, srid.srid, 'nearest');
  return { kind: 'geometry', ewkb: g.ewkb, maxDistanceMeters };
}

/** The nearest point as a geometry expression in EPSG:4326 (a constant, so the KNN index can order by it). */
export function nearestPoint(db: Knex, nearest: NearestOrder): Knex.Raw {
  return nearest.kind === 'geometry'
    ? db.raw('?::geometry', [nearest.ewkb])
    : db.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', [nearest.x, nearest.y]);
}

/** A layer's geometry column as an operand of the geodesic helpers. */
export const operand = (db: Knex, col: GeometryColumn): GeometryOperand => ({ sql: db.raw('??', [col.name]), point: col.points });

/**
 * Features that intersect a box in longitude/latitude. `&&` compares float4 boxes rounded outwards,
 * so it only narrows the search (through the index); the exact test follows: for points, their
 * coordinates against the box's (cheaper than ST_Intersects, whose planner cost tips big layers
 * into parallel plans and JIT), inside a CASE so that the planner does not count the range twice
 * (it would take a box of 13,000 cameras for one of a single camera, and sort instead of walking the
 * primary key); for others, ST_Intersects with the box, which is a line or a point when the box is
 * degenerate.
 */
function lonLatBox(db: Knex, col: GeometryColumn, [minx, miny, maxx, maxy]: [number, number, number, number]): Knex.Raw {
  if (col.points) {
    return db.raw('(?? && ST_MakeEnvelope(?, ?, ?, ?, 4326) AND CASE WHEN ST_X(??) BETWEEN ? AND ? AND ST_Y(??) BETWEEN ? AND ? THEN true ELSE false END)', [
      col.name, minx, miny, maxx, maxy, col.name, minx, maxx, col.name, miny, maxy,
    ]);
  }
  return db.raw('ST_Intersects(??, ST_SetSRID(ST_Envelope(ST_MakeLine(ST_MakePoint(?, ?), ST_MakePoint(?, ?))), 4326))', [
    col.name, minx, miny, maxx, maxy,
  ]);
}
