import type { Knex } from 'knex';

/** Geometry types whose GeoJSON has no rings, so ring order does not apply. */
const RINGLESS = new Set(['POINT', 'MULTIPOINT', 'LINESTRING', 'MULTILINESTRING']);

/**
 * The one way GeoJSON leaves PostGIS: ST_AsGeoJSON of `geometry` (an SQL expression) as json, with
 * rings in RFC 7946 order (§3.1.6: outer rings counterclockwise, holes clockwise). The stored data
 * keeps whatever order it has; only the output is turned. `options` are ST_AsGeoJSON's (0: no `crs`
 * member). `geometryType` (as PostGIS names it) skips the ring work for layers without polygons.
 * `swapAxes` writes northing (latitude) first, for a CRS whose definition orders its axes so; the
 * rings are turned before, so that they run counterclockwise on the map, whatever the axis order.
 * `text` leaves it as PostGIS's text (for the GeoJSON scalar, which passes it on as it is: see
 * geojson-text.ts) instead of json that the driver parses.
 */
export function geoJsonSql(
  db: Knex | Knex.Transaction,
  geometry: Knex.Raw,
  digits: number,
  { options, geometryType, swapAxes = false, text = false }: { options?: number; geometryType?: string; swapAxes?: boolean; text?: boolean } = {},
): Knex.Raw {
  let oriented = geometryType && RINGLESS.has(geometryType.toUpperCase()) ? geometry : db.raw('ST_ForcePolygonCCW(?)', [geometry]);
  if (swapAxes) oriented = db.raw('ST_FlipCoordinates(?)', [oriented]);
  const cast = text ? '' : '::json';
  return options === undefined
    ? db.raw(`ST_AsGeoJSON(?, ?::int)${cast}`, [oriented, digits])
    : db.raw(`ST_AsGeoJSON(?, ?::int, ?::int)${cast}`, [oriented, digits, options]);
}
