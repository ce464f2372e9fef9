import type { Knex } from 'knex';
import seedrandom from 'seedrandom';
import { DISTRICT, NEIGHBOURHOODS, PROVINCE, TOWN_OUTLINE, polygonWkt } from './data/nizip';

/**
 * Sample neighbourhoods of Nizip: the Voronoi cells of the generator points, clipped to the town
 * outline, so that they cover the town without gaps or overlaps. PostGIS builds the geometry; this
 * file only passes the points, names and seeded populations. Upserted by code: safe to run again.
 */
export async function seed(knex: Knex): Promise<void> {
  const random = seedrandom('kbs-nizip-neighbourhoods');
  const rows = NEIGHBOURHOODS.map((n, i) => ({
    code: `NZP-M${String(i + 1).padStart(2, '0')}`,
    name: n.name,
    population: 1500 + Math.floor(random() * (18000 - 1500 + 1)),
    lon: n.seed[0],
    lat: n.seed[1],
  }));

  await knex.raw(
    `
    WITH outline AS (
      SELECT ST_GeomFromText(?, 4326) AS geom
    ),
    seeds AS (
      SELECT s.code, s.name, s.population, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) AS pt
      FROM json_to_recordset(?::json) AS s(code text, name text, population int, lon float8, lat float8)
    ),
    voronoi AS (
      SELECT ST_VoronoiPolygons(ST_Collect(seeds.pt), 0, (SELECT ST_Expand(geom, 0.05) FROM outline)) AS geom
      FROM seeds
    ),
    cells AS (
      SELECT ST_SetSRID(d.geom, 4326) AS geom
      FROM voronoi, ST_Dump(voronoi.geom) AS d
    ),
    clipped AS (
      SELECT seeds.code, seeds.name, seeds.population,
             ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(cells.geom, outline.geom)), 3)) AS geom
      FROM seeds
      JOIN cells ON ST_Contains(cells.geom, seeds.pt)
      CROSS JOIN outline
    )
    INSERT INTO neighbourhoods (code, name, district, province, population, geom)
    SELECT code, name, ?, ?, population, geom
    FROM clipped
    ORDER BY code
    ON CONFLICT (code) DO UPDATE SET
      name = EXCLUDED.name,
      district = EXCLUDED.district,
      province = EXCLUDED.province,
      population = EXCLUDED.population,
      geom = EXCLUDED.geom,
      updated_at = now()
    `,
    [polygonWkt(TOWN_OUTLINE), JSON.stringify(rows), DISTRICT, PROVINCE],
  );
}
