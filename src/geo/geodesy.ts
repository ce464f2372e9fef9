import type { Knex } from 'knex';

/**
 * Geodesic distances in SQL, exact on the WGS 84 ellipsoid (to the nanometre level, where PostGIS's
 * rounding of ST_Distance stops), and still served by the GiST indexes on `geom::geography`.
 *
 * - Point to point: PostGIS's geography ST_Distance, which is GeographicLib's geodesic (exact).
 * - Anything else: kbs_distance_to_point / kbs_geodesic_distance (migration
 *   20261124003000_geodesic_distance), which find the closest point on the ellipsoid, with edges
 *   taken as geodesics; PostGIS alone finds it on a sphere, millimetres off.
 *
 * The GiST index answers on a sphere. Spherical and ellipsoidal distances between the same
 * geometries differ by less than SPHERE_MARGIN of the distance plus EDGE_MARGIN metres (the radii
 * of curvature of WGS 84 lie within 0.6 % of the sphere's; a spherical edge strays from the
 * geodesic one by under 5 m up to 250 km), so a spherical search widened by that much can never
 * miss a feature, and a feature well inside it needs no exact measurement.
 */
export const SPHERE_MARGIN = 0.01;
export const EDGE_MARGIN = 5;

/** A spherical distance that holds every feature whose ellipsoidal distance is `meters` or less. */
export const sphericalReach = (meters: number): number => meters * (1 + SPHERE_MARGIN) + EDGE_MARGIN;

/** A geometry in an SQL statement (EPSG:4326), and whether it is a single point. */
export interface GeometryOperand {
  sql: Knex.Raw;
  point: boolean;
}

/** The exact geodesic distance in metres between two geometries (EPSG:4326). */
export function geodesicDistance(db: Knex, a: GeometryOperand, b: GeometryOperand): Knex.Raw {
  if (a.point && b.point) return db.raw('ST_Distance((?)::geography, (?)::geography)', [a.sql, b.sql]);
  if (b.point) return db.raw('kbs_distance_to_point(?, ?)', [a.sql, b.sql]);
  if (a.point) return db.raw('kbs_distance_to_point(?, ?)', [b.sql, a.sql]);
  return db.raw('kbs_geodesic_distance(?, ?)', [a.sql, b.sql]);
}

/**
 * `a` lies within `meters` (geodesic) of `b`, exactly. Between points, PostGIS's ST_DWithin on the
 * ellipsoid. Otherwise the index finds the candidates on the sphere, those clearly inside pass on
 * the spherical distance alone, and only the few near the boundary are measured exactly.
 */
export function withinDistance(db: Knex, a: GeometryOperand, b: GeometryOperand, meters: number): Knex.Raw {
  const ga = db.raw('(?)::geography', [a.sql]);
  const gb = db.raw('(?)::geography', [b.sql]);
  if (a.point && b.point) return db.raw('ST_DWithin(?, ?, ?)', [ga, gb, meters]);
  const surely = Math.max(0, (meters - EDGE_MARGIN) / (1 + SPHERE_MARGIN));
  return db.raw('(ST_DWithin(?, ?, ?, false) AND (ST_DWithin(?, ?, ?, false) OR ? <= ?))', [
    ga, gb, sphericalReach(meters), ga, gb, surely, geodesicDistance(db, a, b), meters,
  ]);
}
