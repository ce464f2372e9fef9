import type { Knex } from 'knex';
import { layerTarget, type Access } from '../common/auth/access';
import { Action, Resource } from '../common/auth/resources';
import { badInput } from '../common/errors/app-error';
import { parseId } from '../common/ids';
import type { GeoService } from './geo.service';
import type { NearestInput, SpatialFilter } from './spatial.inputs';

/** The geometry column a predicate applies to. */
export interface GeometryColumn {
  /** Qualified column name, e.g. cameras.geom. */
  name: string;
  /** True for a layer of points, where a bbox test is just the index operator. */
  points: boolean;
}

/** A condition on a layer's geometry column. */
export type SpatialPredicate = (db: Knex, column: GeometryColumn) => Knex.Raw;

/** Ordering by distance from a point (x/y in an SRID, or checked GeoJSON), with an optional cut-off. */
export type NearestOrder = (
  | { kind: 'xy'; x: number; y: number; srid: number }
  | { kind: 'geometry'; ewkb: string }
) & { maxDistanceMeters: number | null };

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
      // For points, intersecting the box is exactly the index operator &&; ST_Intersects would say the
      // same at a far higher planner cost, enough to tip big layers into parallel plans and JIT.
      predicates.push((k, col) =>
        col.points
          ? k.raw('?? && ST_MakeEnvelope(?, ?, ?, ?, 4326)', [col.name, minx, miny, maxx, maxy])
          : k.raw('ST_Intersects(??, ST_MakeEnvelope(?, ?, ?, ?, 4326))', [col.name, minx, miny, maxx, maxy]),
      );
    } else {
      // Densify the box before transforming it, so its edges stay where they were drawn.
      const step = Math.max(maxx - minx, maxy - miny) / 32 || 1;
      predicates.push((k, col) =>
        k.raw('ST_Intersects(??, ST_Transform(ST_Segmentize(ST_MakeEnvelope(?, ?, ?, ?, ?::int), ?), 4326))', [
          col.name, minx, miny, maxx, maxy, srid.srid, step,
        ]),
      );
    }
  }

  if (filter.intersects) {
    const g = await geo.geometry(db, filter.intersects.geometry, filter.intersects.srid, {
      argument: `${argument}.intersects.geometry`,
      planar: true,
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
    });
    predicates.push((k, col) => k.raw('ST_DWithin((??)::geography, (?::geometry)::geography, ?)', [col.name, g.ewkb, meters]));
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

/** Checks the nearest-point input; x/y are transformed to EPSG:4326 inside the list query itself. */
export async function resolveNearest(
  db: Knex,
  geo: GeoService,
  nearest: NearestInput | null | undefined,
): Promise<NearestOrder | undefined> {
  if (!nearest) return undefined;
  const maxDistanceMeters = nearest.maxDistanceMeters ?? null;
  if (maxDistanceMeters != null && !(maxDistanceMeters >= 0)) {
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
  return { kind: 'xy', x: nearest.x, y: nearest.y, srid: srid.srid, maxDistanceMeters };
}

/** The nearest point as a geography expression (a constant, so the KNN index can order by it). */
export function nearestPoint(db: Knex, nearest: NearestOrder): Knex.Raw {
  if (nearest.kind === 'geometry') return db.raw('(?::geometry)::geography', [nearest.ewkb]);
  return nearest.srid === 4326
    ? db.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography', [nearest.x, nearest.y])
    : db.raw('ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), ?::int), 4326)::geography', [nearest.x, nearest.y, nearest.srid]);
}
