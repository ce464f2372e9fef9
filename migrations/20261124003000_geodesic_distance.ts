import type { Knex } from 'knex';

/**
 * Geodesic distances to lines and polygons, exact to the nanometre level on the WGS 84 ellipsoid.
 *
 * PostGIS measures geography distances between points exactly (GeographicLib), but to a line or a
 * polygon it finds the closest point on a sphere first, which is off by millimetres (up to 3e-5 of
 * the distance). These functions treat every edge as the geodesic between its vertices (as
 * ST_Length and ST_Area on geography do) and find the closest point on the ellipsoid:
 *
 * - kbs_distance_to_point(g, p): the edges near p (those within a bound from PostGIS's spherical
 *   distance) go into an azimuthal equidistant frame centred on p, built from the exact distance and
 *   azimuth of each vertex; the nearest edge's foot is then refined on the geodesic itself
 *   (ST_Project along the edge, Karney's interception step) and measured with ST_Distance. A point
 *   inside a polygon is at 0: the side of the nearest edge decides, with outer rings counterclockwise.
 * - kbs_geodesic_distance(g, h): any two geometries; 0 when they intersect, else the least distance
 *   from a vertex of either to the other (where the minimum of two non-crossing geometries lies).
 *
 * jit is off inside (a per-row JIT compile costs more than the work) and the plans are generic (the
 * same statement runs for every row).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION kbs_distance_to_point(g geometry, p geometry) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET jit = off SET plan_cache_mode = force_generic_plan AS $fn$
    DECLARE
      lon double precision := ST_X(p);
      lat double precision := ST_Y(p);
      polygonal boolean := GeometryType(g) IN ('POLYGON', 'MULTIPOLYGON');
      reach double precision;
      dlat double precision;
      dlon double precision;
      box geometry;
      ts double precision[];
      ds double precision[];
      lefts boolean[];
      us double precision[];
      vs double precision[];
      starts geometry[];
      ends geometry[];
      best double precision;
      seg_a geography;
      seg_b geography;
      foot geography;
      azimuth double precision;
      len double precision;
      s double precision;
      step double precision;
      i_best int;
      i_in int;
      i_out int;
      convex boolean;
    BEGIN
      IF ST_IsEmpty(g) OR ST_IsEmpty(p) THEN RETURN NULL; END IF;
      CASE GeometryType(g)
        WHEN 'POINT' THEN RETURN ST_Distance(g::geography, p::geography);
        WHEN 'MULTIPOINT', 'GEOMETRYCOLLECTION' THEN
          RETURN (SELECT min(kbs_distance_to_point(d.geom, p)) FROM ST_Dump(g) AS d);
        ELSE NULL;
      END CASE;
      -- Every edge that can hold the nearest point lies within this many metres of p: the sphere and
      -- the ellipsoid differ by less than 0.6 %, and their edges between the same vertices by less
      -- than 5 m (edges up to 250 km).
      reach := ST_Distance(g::geography, p::geography, false) * 1.01 + 5;
      dlat := reach / 110000;
      IF abs(lat) + dlat < 89 THEN
        dlon := reach / (110000 * cos(radians(abs(lat) + dlat)));
        IF abs(lon) + dlon < 180 THEN box := ST_MakeEnvelope(lon - dlon, lat - dlat, lon + dlon, lat + dlat, ST_SRID(g)); END IF;
      END IF;
      IF polygonal THEN g := ST_ForcePolygonCCW(g); END IF;
      -- Each near edge in the azimuthal equidistant frame of p (x east, y north, metres): vertex at
      -- (r sin z, r cos z) from its geodesic distance r and azimuth z; t is the foot on the chord.
      WITH seg AS (
        SELECT ST_StartPoint(d.geom) AS a, ST_EndPoint(d.geom) AS b
        FROM ST_DumpSegments(g) AS d WHERE box IS NULL OR d.geom && box
      ), polar AS MATERIALIZED (
        SELECT a, b, ST_Distance(p::geography, a::geography) AS ra, coalesce(ST_Azimuth(p::geography, a::geography), 0) AS za,
               ST_Distance(p::geography, b::geography) AS rb, coalesce(ST_Azimuth(p::geography, b::geography), 0) AS zb
        FROM seg
      ), plane AS (
        SELECT a, b, ra, rb, ra * sin(za) AS a_x, ra * cos(za) AS a_y,
               rb * sin(zb) - ra * sin(za) AS u, rb * cos(zb) - ra * cos(za) AS v
        FROM polar
      ), chord AS (
        SELECT *, CASE WHEN u = 0 AND v = 0 THEN 0 ELSE greatest(0, least(1, -(a_x * u + a_y * v) / (u * u + v * v))) END AS t
        FROM plane
      ), measured AS (
        SELECT a, b, t, u, v, v * a_x - u * a_y > 0 AS left_of,
               CASE t WHEN 0 THEN ra WHEN 1 THEN rb ELSE sqrt((a_x + t * u) ^ 2 + (a_y + t * v) ^ 2) END AS d
        FROM chord
      ), ranked AS (
        SELECT *, min(d) OVER () AS least_d FROM measured
      )
      -- The candidates: the chord of an edge strays from its geodesic by far less than 1e-9 L².
      SELECT array_agg(t), array_agg(d), array_agg(left_of), array_agg(u), array_agg(v), array_agg(a), array_agg(b)
        INTO ts, ds, lefts, us, vs, starts, ends
        FROM ranked WHERE d <= least_d + 1e-9 * (u * u + v * v) + 1e-9;
      IF ts IS NULL THEN
        -- No edge within reach: inside a polygon, far from its edges.
        RETURN CASE WHEN polygonal AND ST_Intersects(g, p) THEN 0 END;
      END IF;
      FOR i IN 1 .. cardinality(ts) LOOP
        IF ts[i] > 0 AND ts[i] < 1 THEN
          -- The foot on the geodesic edge: step along it until the line to p meets it at a right angle.
          seg_a := starts[i]::geography;
          seg_b := ends[i]::geography;
          azimuth := ST_Azimuth(seg_a, seg_b);
          len := ST_Distance(seg_a, seg_b);
          s := ts[i] * len;
          FOR k IN 1 .. 6 LOOP
            foot := ST_Project(seg_a, s, azimuth);
            step := coalesce(ST_Distance(foot, p::geography) * cos(ST_Azimuth(foot, p::geography) - ST_Azimuth(foot, seg_b)), 0);
            s := greatest(0, least(len, s + step));
            EXIT WHEN abs(step) < 1e-10 * len + 1e-10;
          END LOOP;
          ds[i] := ST_Distance(ST_Project(seg_a, s, azimuth), p::geography);
        END IF;
        IF best IS NULL OR ds[i] < best THEN best := ds[i]; i_best := i; END IF;
      END LOOP;
      IF NOT polygonal OR best = 0 THEN RETURN best; END IF;
      -- Inside or outside a polygon: the interior is on the left of every edge (outer rings run
      -- counterclockwise, holes clockwise); at a vertex, both edges meeting there decide.
      IF ts[i_best] > 0 AND ts[i_best] < 1 THEN RETURN CASE WHEN lefts[i_best] THEN 0 ELSE best END; END IF;
      FOR i IN 1 .. cardinality(ts) LOOP
        IF ds[i] = best AND ts[i] = 1 THEN i_in := i; END IF;
        IF ds[i] = best AND ts[i] = 0 THEN i_out := i; END IF;
      END LOOP;
      IF i_in IS NULL OR i_out IS NULL THEN RETURN CASE WHEN lefts[i_best] THEN 0 ELSE best END; END IF;
      convex := us[i_in] * vs[i_out] - vs[i_in] * us[i_out] > 0;
      IF (convex AND lefts[i_in] AND lefts[i_out]) OR (NOT convex AND (lefts[i_in] OR lefts[i_out])) THEN RETURN 0; END IF;
      RETURN best;
    END
    $fn$`);

  await knex.raw(`
    CREATE OR REPLACE FUNCTION kbs_geodesic_distance(g geometry, h geometry) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET jit = off SET plan_cache_mode = force_generic_plan AS $fn$
    DECLARE
      reach double precision;
      dlat double precision;
      dlon double precision;
      result double precision;
    BEGIN
      IF ST_IsEmpty(g) OR ST_IsEmpty(h) THEN RETURN NULL; END IF;
      IF GeometryType(h) = 'POINT' THEN RETURN kbs_distance_to_point(g, h); END IF;
      IF GeometryType(g) = 'POINT' THEN RETURN kbs_distance_to_point(h, g); END IF;
      IF ST_Intersects(g, h) THEN RETURN 0; END IF;
      reach := ST_Distance(g::geography, h::geography, false) * 1.02 + 10;
      dlat := reach / 110000;
      dlon := reach / (110000 * cos(radians(least(89, greatest(abs(ST_YMin(g)), abs(ST_YMax(g)), abs(ST_YMin(h)), abs(ST_YMax(h))) + dlat))));
      SELECT min(d) INTO result FROM (
        SELECT kbs_distance_to_point(h, v.geom) AS d FROM ST_DumpPoints(g) AS v WHERE v.geom && ST_Expand(h, dlon, dlat)
        UNION ALL
        SELECT kbs_distance_to_point(g, v.geom) FROM ST_DumpPoints(h) AS v WHERE v.geom && ST_Expand(g, dlon, dlat)
      ) AS near;
      RETURN result;
    END
    $fn$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION IF EXISTS kbs_geodesic_distance(geometry, geometry)');
  await knex.raw('DROP FUNCTION IF EXISTS kbs_distance_to_point(geometry, geometry)');
}
