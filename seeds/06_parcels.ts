import type { Knex } from 'knex';
import seedrandom from 'seedrandom';
import {
  BLOCK_ROAD_HALF_WIDTH_M,
  BLOCK_SIZE_M,
  CENTRE_SQUARE,
  CORE_RADIUS_M,
  DISAGREEING_SHARE,
  DISAGREEMENT,
  IMPORTED_AT,
  LAYOUT,
  METRIC_SRID,
  MIDDLE_RADIUS_M,
  MIN_ADA_AREA_M2,
  MIN_AREA_PER_PARCEL_M2,
  MIN_PARCEL_AREA_M2,
  MIN_PUBLIC_ADA_M2,
  MIN_TWO_ROW_AREA_M2,
  MOSQUE_SHARE,
  NITELIK,
  PAFTA,
  PARK_SHARE,
  SCHOOL_SHARE,
  SOURCE,
  STREET_HALF_WIDTH_M,
  type Zone,
} from './data/parcels';
import { DISTRICT, NEIGHBOURHOODS, PROVINCE, SQUARES, STREETS, TOWN_OUTLINE, lineWkt, polygonWkt } from './data/nizip';

/**
 * Sample land-registry parcels of Nizip. PostGIS lays a square grid over the town in TM39 (metres),
 * clips it to each neighbourhood, shrinks every cell for the roads between blocks and cuts the
 * streets out of it: every remaining piece is a cadastral block (ada), numbered per mahalle from 101
 * north to south, west to east. Each ada is cut into strips in one or two rows (parsel 1..n, same
 * order); parcels never overlap. The mahalle is written in upper case as the land registry does.
 *
 * All the randomness (layout of each block, nitelik, deeds that disagree with the geometry) comes from
 * a table of seeded random numbers that the SQL looks up by the block's grid cell, so that a parcel's
 * attributes depend on where it is and not on the order PostGIS returns rows in. Upserted by
 * (province, district, mahalle, ada, parsel): safe to run again.
 */

/** Seeded random numbers passed to the SQL (a prime count: lookups wrap around it). */
const RANDOM_COUNT = 32749;

export async function seed(knex: Knex): Promise<void> {
  const random = seedrandom('kbs-nizip-parcels');
  const randoms = Array.from({ length: RANDOM_COUNT }, () => Number(random().toFixed(5)));

  const centre = SQUARES.find((q) => q.name === CENTRE_SQUARE);
  if (!centre) throw new Error(`no square named ${CENTRE_SQUARE}`);

  const zones = Object.keys(LAYOUT) as Zone[];
  const layouts = zones.map((zone) => ({
    zone,
    min_rows: LAYOUT[zone].minRows,
    max_rows: LAYOUT[zone].maxRows,
    min_strips: LAYOUT[zone].minStrips,
    max_strips: LAYOUT[zone].maxStrips,
  }));
  // Weighted choice as intervals of [0, 1): the SQL finds the one a random number falls in.
  const nitelik = zones.flatMap((zone) => {
    const total = NITELIK[zone].reduce((sum, [, w]) => sum + w, 0);
    let lo = 0;
    return NITELIK[zone].map(([name, w], k, all) => {
      const hi = k === all.length - 1 ? 1.000001 : lo + w / total;
      const row = { zone, name, lo, hi };
      lo = hi;
      return row;
    });
  });

  // One statement, in a transaction only to switch JIT compilation off for it: PostGIS functions are
  // declared costly, so the planner would spend longer compiling this query than running it.
  await knex.transaction(async (trx) => {
    await trx.raw('SET LOCAL jit = off');
    await insertParcels(trx, randoms, centre.at, layouts, nitelik);
  });
}

async function insertParcels(
  knex: Knex,
  randoms: number[],
  centre: readonly [number, number],
  layouts: ReadonlyArray<Record<string, string | number>>,
  nitelik: ReadonlyArray<Record<string, string | number>>,
): Promise<void> {
  await knex.raw(
    `
    WITH rnd AS (
      SELECT (t.o - 1)::int AS idx, t.v::float8 AS r
      FROM json_array_elements_text(?::json) WITH ORDINALITY AS t(v, o)
    ),
    rnd_count AS (
      SELECT count(*)::int AS n FROM rnd
    ),
    params AS (
      SELECT ?::int AS srid, ?::float8 AS cell, ?::float8 AS road, ?::float8 AS min_ada, ?::float8 AS min_parcel,
             ?::float8 AS per_parcel, ?::float8 AS two_rows, ?::float8 AS min_public,
             ?::float8 AS school, ?::float8 AS park, ?::float8 AS mosque,
             ?::float8 AS disagreeing, ?::float8 AS dmin, ?::float8 AS dmax,
             ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography AS centre, ?::float8 AS core, ?::float8 AS middle
    ),
    layouts AS (
      SELECT * FROM json_to_recordset(?::json) AS l(zone text, min_rows int, max_rows int, min_strips int, max_strips int)
    ),
    niteliks AS (
      SELECT * FROM json_to_recordset(?::json) AS n(zone text, name text, lo float8, hi float8)
    ),
    mahalleler AS MATERIALIZED (
      SELECT m.ord, m.mahalle, ST_Transform(n.geom, p.srid) AS geom
      FROM json_to_recordset(?::json) AS m(ord int, name text, mahalle text)
      JOIN neighbourhoods n ON n.name = m.name
      CROSS JOIN params p
    ),
    streets AS (
      SELECT ST_Union(ST_Buffer(ST_Transform(ST_GeomFromText(s.wkt, 4326), p.srid), s.half_width)) AS geom
      FROM json_to_recordset(?::json) AS s(wkt text, half_width float8)
      CROSS JOIN params p
    ),
    grid AS (
      SELECT g.i, g.j, g.geom
      FROM params p, ST_SquareGrid(p.cell, ST_Transform(ST_GeomFromText(?, 4326), p.srid)) AS g
    ),
    dims AS (
      SELECT min(i) AS i0, min(j) AS j0, max(i) - min(i) + 1 AS w FROM grid
    ),
    blocks AS MATERIALIZED (
      -- The cell clipped to the mahalle and shrunk for the roads around it.
      SELECT m.ord, m.mahalle, g.i, g.j, (g.j - d.j0) * d.w + (g.i - d.i0) AS cell_no,
             ST_XMin(g.geom) AS x0, ST_YMin(g.geom) AS y0,
             ST_Buffer(ST_Intersection(g.geom, m.geom, 0.001), -p.road, 'join=mitre') AS geom
      FROM grid g
      CROSS JOIN dims d
      CROSS JOIN params p
      JOIN mahalleler m ON ST_Intersects(g.geom, m.geom)
    ),
    pieces AS (
      -- Minus the streets: each remaining piece is an ada.
      SELECT b.ord, b.mahalle, b.i, b.j, b.cell_no, b.x0, b.y0, coalesce(d.path[1], 1) AS pno, d.geom
      FROM blocks b
      CROSS JOIN streets s
      CROSS JOIN params p
      CROSS JOIN LATERAL ST_Dump(
        CASE WHEN ST_Intersects(b.geom, s.geom) THEN ST_Difference(b.geom, s.geom, 0.001) ELSE b.geom END) AS d
      WHERE ST_GeometryType(d.geom) = 'ST_Polygon' AND ST_Area(d.geom) >= p.min_ada
    ),
    keyed AS (
      SELECT pc.*, pc.cell_no * 8 + pc.pno % 8 AS akey, ST_Area(pc.geom) AS area,
             ST_Transform(ST_PointOnSurface(pc.geom), 4326) AS pos
      FROM pieces pc
    ),
    ada_random AS (
      -- The ada's random numbers: v[s + 1] is r[(akey * 16 + s) mod n], s = 0..15.
      SELECT k.akey, array_agg(rnd.r ORDER BY s.s) AS v
      FROM (SELECT DISTINCT akey FROM keyed) k
      CROSS JOIN generate_series(0, 15) AS s(s)
      CROSS JOIN rnd_count c
      JOIN rnd ON rnd.idx = (k.akey * 16 + s.s) % c.n
      GROUP BY k.akey
    ),
    adas AS (
      SELECT k.*, z.zone, a.*
      FROM keyed k
      JOIN ada_random ar ON ar.akey = k.akey
      CROSS JOIN params p
      CROSS JOIN LATERAL (
        SELECT CASE WHEN ST_Distance(k.pos::geography, p.centre) < p.core THEN 'core'
                    WHEN ST_Distance(k.pos::geography, p.centre) < p.middle THEN 'middle' ELSE 'edge' END AS zone
      ) z
      JOIN layouts l ON l.zone = z.zone
      CROSS JOIN LATERAL (
        SELECT ar.v[1] < 0.5 AS across, ar.v[2] AS r_strips, ar.v[3] AS r_rows, ar.v[4] AS r_public,
               0.5 + (ar.v[5] - 0.5) * 0.3 AS split, ar.v AS v
      ) rr
      CROSS JOIN LATERAL (
        SELECT CASE WHEN z.zone <> 'edge' AND k.area >= p.min_public AND rr.r_public < p.school THEN 'Okul Alanı'
                    WHEN z.zone <> 'edge' AND k.area >= p.min_public AND rr.r_public < p.school + p.park THEN 'Park Alanı'
               END AS public_use
      ) pu
      CROSS JOIN LATERAL (
        SELECT pu.public_use, rr.across, rr.split, rr.v,
               CASE WHEN pu.public_use IS NOT NULL OR k.area < p.two_rows THEN 1
                    ELSE l.min_rows + floor(rr.r_rows * (l.max_rows - l.min_rows + 1))::int END AS nrows,
               l.min_strips + floor(rr.r_strips * (l.max_strips - l.min_strips + 1))::int AS strips
      ) a
    ),
    sized AS (
      -- Small pieces get fewer strips; schools and parks stay whole.
      SELECT a.*,
             CASE WHEN a.public_use IS NOT NULL THEN 1
                  ELSE greatest(1, least(a.strips, floor(a.area / (a.nrows * p.per_parcel))::int)) END AS k
      FROM adas a CROSS JOIN params p
    ),
    rects AS (
      -- Strip c of row w, in the cell's own coordinates (0..1): cuts are jittered, the outer ones overshoot.
      SELECT s.*, c.col, w.row_no,
             ST_MakeEnvelope(
               s.x0 + p.cell * CASE WHEN s.across THEN w.lo ELSE c.lo END,
               s.y0 + p.cell * CASE WHEN s.across THEN c.lo ELSE w.lo END,
               s.x0 + p.cell * CASE WHEN s.across THEN w.hi ELSE c.hi END,
               s.y0 + p.cell * CASE WHEN s.across THEN c.hi ELSE w.hi END,
               p.srid) AS rect
      FROM sized s
      CROSS JOIN params p
      CROSS JOIN LATERAL (
        -- Cut g (1..k-1) is at (g + jitter) / k, its jitter from v[5 + g].
        SELECT g AS col,
               CASE WHEN g = 0 THEN -0.01 ELSE (g + (s.v[5 + g] - 0.5) * 0.5) / s.k END AS lo,
               CASE WHEN g + 1 = s.k THEN 1.01 ELSE (g + 1 + (s.v[6 + g] - 0.5) * 0.5) / s.k END AS hi
        FROM generate_series(0, s.k - 1) AS g
      ) c
      CROSS JOIN LATERAL (
        SELECT h AS row_no,
               CASE WHEN s.nrows = 1 OR h = 1 THEN -0.01 ELSE s.split END AS lo,
               CASE WHEN s.nrows = 1 OR h = 0 THEN 1.01 ELSE s.split END AS hi
        FROM generate_series(0, s.nrows - 1) AS h
      ) w
    ),
    parts AS (
      SELECT r.ord, r.mahalle, r.i, r.j, r.pno, r.akey, r.zone, r.public_use, r.col, r.row_no,
             ST_YMax(r.rect) AS rect_top, ST_XMin(r.rect) AS rect_left,
             ST_Y(r.pos) AS ada_y, ST_X(r.pos) AS ada_x, d.geom AS part
      FROM (SELECT * FROM rects OFFSET 0) r
      CROSS JOIN params p
      CROSS JOIN LATERAL ST_Dump(ST_Intersection(r.geom, r.rect, 0.001)) AS d
      WHERE ST_GeometryType(d.geom) = 'ST_Polygon' AND ST_Area(d.geom) >= p.min_parcel
    ),
    numbered AS (
      SELECT x.*,
             100 + dense_rank() OVER (PARTITION BY x.ord ORDER BY x.j DESC, x.i, x.ada_y DESC, x.ada_x, x.pno) AS ada,
             x.akey * 16 + x.row_no * 8 + x.col AS pkey,
             ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(x.part, 4326)), 3)) AS geom
      FROM (
        SELECT pt.*, ST_PointOnSurface(pt.part) AS at FROM parts pt
      ) x
    ),
    parcel_random AS (
      -- The parcel's random numbers: v[s + 1] is r[(pkey * 8 + s) mod n], s = 0..4.
      SELECT k.pkey, array_agg(rnd.r ORDER BY s.s) AS v
      FROM (SELECT DISTINCT pkey FROM numbered) k
      CROSS JOIN generate_series(0, 4) AS s(s)
      CROSS JOIN rnd_count c
      JOIN rnd ON rnd.idx = (k.pkey * 8 + s.s) % c.n
      GROUP BY k.pkey
    ),
    parcels_out AS (
      SELECT n.ord, n.mahalle, n.ada,
             row_number() OVER (PARTITION BY n.ord, n.ada ORDER BY n.rect_top DESC, n.rect_left, ST_Y(n.at) DESC, ST_X(n.at)) AS parsel,
             coalesce(n.public_use,
                      CASE WHEN n.zone <> 'edge' AND pr.v[1] < p.mosque THEN 'Cami' END,
                      (SELECT q.name FROM niteliks q WHERE q.zone = n.zone AND pr.v[2] >= q.lo AND pr.v[2] < q.hi)) AS nitelik,
             -- A few deeds disagree with the geometry: 5 to 30 % more or less.
             CASE WHEN pr.v[3] < p.disagreeing
                  THEN 1 + CASE WHEN pr.v[4] < 0.5 THEN -1 ELSE 1 END * (p.dmin + (p.dmax - p.dmin) * pr.v[5])
                  ELSE 1 END AS deed_factor,
             ST_Transform(n.at, 4326) AS at4326,
             n.geom
      FROM numbered n
      JOIN parcel_random pr ON pr.pkey = n.pkey
      CROSS JOIN params p
      WHERE NOT ST_IsEmpty(n.geom)
    ),
    sheets AS (
      -- Map sheet from the parcel's position: quarter of the 1:100 000 sheet, numbered sheet, its quarter.
      SELECT o.*, s.*
      FROM parcels_out o
      CROSS JOIN LATERAL (SELECT ST_X(o.at4326) AS lon, ST_Y(o.at4326) AS lat, ?::float8 AS west, ?::float8 AS north, ?::float8 AS size) c
      CROSS JOIN LATERAL (
        SELECT floor((c.lon - c.west) / (c.size / 2))::int AS qx, floor((c.north - c.lat) / (c.size / 2))::int AS qy
      ) q
      CROSS JOIN LATERAL (
        SELECT format('%s-%s-%s-%s', ?::text,
                      chr(97 + q.qy * 2 + q.qx),
                      lpad((floor((c.north - q.qy * c.size / 2 - c.lat) / (c.size / 10))::int * 5
                            + floor((c.lon - c.west - q.qx * c.size / 2) / (c.size / 10))::int + 1)::text, 2, '0'),
                      chr(97 + (floor((c.north - q.qy * c.size / 2 - c.lat) / (c.size / 20))::int % 2) * 2
                             + floor((c.lon - c.west - q.qx * c.size / 2) / (c.size / 20))::int % 2)) AS pafta
      ) s
    )
    INSERT INTO parcels (province, district, mahalle, ada, parsel, registered_area_m2, nitelik, pafta, source, imported_at, geom)
    SELECT ?, ?, s.mahalle, s.ada, s.parsel,
           round((ST_Area(s.geom::geography) * s.deed_factor)::numeric, 2)::float8,
           s.nitelik, s.pafta, ?, ?::timestamptz, s.geom
    FROM sheets s
    ORDER BY s.ord, s.ada, s.parsel
    ON CONFLICT (province, district, kbs_fold(mahalle), ada, parsel) DO UPDATE SET
      mahalle = EXCLUDED.mahalle,
      registered_area_m2 = EXCLUDED.registered_area_m2,
      nitelik = EXCLUDED.nitelik,
      pafta = EXCLUDED.pafta,
      source = EXCLUDED.source,
      imported_at = EXCLUDED.imported_at,
      geom = EXCLUDED.geom,
      updated_at = now()
    `,
    [
      JSON.stringify(randoms),
      METRIC_SRID,
      BLOCK_SIZE_M,
      BLOCK_ROAD_HALF_WIDTH_M,
      MIN_ADA_AREA_M2,
      MIN_PARCEL_AREA_M2,
      MIN_AREA_PER_PARCEL_M2,
      MIN_TWO_ROW_AREA_M2,
      MIN_PUBLIC_ADA_M2,
      SCHOOL_SHARE,
      PARK_SHARE,
      MOSQUE_SHARE,
      DISAGREEING_SHARE,
      DISAGREEMENT.min,
      DISAGREEMENT.max,
      centre[0],
      centre[1],
      CORE_RADIUS_M,
      MIDDLE_RADIUS_M,
      JSON.stringify(layouts),
      JSON.stringify(nitelik),
      JSON.stringify(
        NEIGHBOURHOODS.map((n, ord) => ({ ord, name: n.name, mahalle: n.name.toLocaleUpperCase('tr-TR') })),
      ),
      JSON.stringify(
        STREETS.map((s) => ({ wkt: lineWkt(s.path), half_width: s.main ? STREET_HALF_WIDTH_M.main : STREET_HALF_WIDTH_M.other })),
      ),
      polygonWkt(TOWN_OUTLINE),
      PAFTA.west,
      PAFTA.north,
      PAFTA.size,
      PAFTA.prefix,
      PROVINCE,
      DISTRICT,
      SOURCE,
      IMPORTED_AT,
    ],
  );
}
