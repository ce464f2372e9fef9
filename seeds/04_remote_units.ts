import type { Knex } from 'knex';
import { STREET_POINT_LATERAL } from './data/sql';
import { seededRandom } from './data/random';
import { CENTRAL_SQUARE, MIN_DISTANCE_FROM_CENTRE_M, REMOTE_UNITS } from './data/network';
import { SQUARES, STREETS, TOWN_OUTLINE, lineWkt, polygonWkt } from './data/nizip';

/**
 * Sample remote units (uzak birimler) of Nizip Belediyesi: branch offices and service points beside
 * the streets, away from the centre. This file draws the seeded choices (a few candidate spots along
 * a stretch of the unit's street, the side and distance from the street, the internet subscription);
 * PostGIS places the candidates and keeps the first one that is well inside the town, far enough
 * from the central data room and nearer to the unit's own street than to any other. The address's
 * mahalle is the neighbourhood the point falls in. Upserted by code: safe to run again.
 */

type Status = 'PLANNED' | 'ACTIVE' | 'OFFLINE' | 'CLOSED';
type Line = 'FIBER' | 'XDSL' | 'LTE';

/** Candidate spots drawn for each unit; PostGIS keeps the first acceptable one. */
const CANDIDATES = 10;
/** Candidates must be at least this far (m) inside the town outline. */
const INSIDE_OUTLINE_M = 30;

export async function seed(knex: Knex): Promise<void> {
  const { random, between, intBetween, round, pick } = seededRandom('kbs-nizip-remote-units');

  const centre = SQUARES.find((q) => q.name === CENTRAL_SQUARE);
  if (!centre) throw new Error(`no square named ${CENTRAL_SQUARE}`);

  // Statuses: one closed unit, two offline, two planned, the rest active (a seeded shuffle decides which).
  const statuses: Status[] = REMOTE_UNITS.map((_, i) => (i === 0 ? 'CLOSED' : i <= 2 ? 'OFFLINE' : i <= 4 ? 'PLANNED' : 'ACTIVE'));
  for (let i = statuses.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [statuses[i], statuses[j]] = [statuses[j], statuses[i]];
  }

  const units = REMOTE_UNITS.map((u, i) => {
    if (!STREETS.some((s) => s.name === u.street)) throw new Error(`remote unit ${u.name}: no street named ${u.street}`);
    const isp = pick([
      ['Türk Telekom', 40],
      ['Superonline', 25],
      ['Vodafone', 20],
      ['TürkNet', 15],
    ] as const);
    let line = pick<Line>([
      ['FIBER', 55],
      ['XDSL', 30],
      ['LTE', 15],
    ]);
    // TürkNet sells no mobile lines.
    if (isp === 'TürkNet' && line === 'LTE') line = 'XDSL';
    const bandwidth =
      line === 'FIBER' ? pick([[100, 3], [200, 3], [500, 2], [1000, 1]] as const)
        : line === 'XDSL' ? pick([[16, 2], [24, 3], [35, 2], [50, 2], [100, 1]] as const)
          : pick([[20, 1], [50, 2], [100, 1]] as const);
    const door = intBetween(1, 160);
    return {
      code: `UB-${String(i + 1).padStart(2, '0')}`,
      name: u.name,
      with_mahalle: u.withMahalle,
      org: u.org,
      street: u.street,
      door_no: random() < 0.15 ? `${door}/${random() < 0.6 ? 'A' : 'B'}` : String(door),
      isp,
      internet_line: line,
      bandwidth_mbps: bandwidth,
      status: statuses[i],
    };
  });

  const candidates = REMOTE_UNITS.flatMap((u, i) =>
    Array.from({ length: CANDIDATES }, (_, n) => ({
      code: units[i].code,
      n,
      fraction: round(between(u.from, u.to), 6),
      side: random() < 0.5 ? -1 : 1,
      offset_m: round(between(15, 40), 1),
    })),
  );

  const { rows } = await knex.raw(
    `
    WITH streets AS (
      SELECT s.name, ST_GeomFromText(s.wkt, 4326) AS geom
      FROM json_to_recordset(?::json) AS s(name text, wkt text)
    ),
    inner_town AS (
      SELECT ST_Buffer(ST_Transform(ST_GeomFromText(?, 4326), 5257), -?::float8) AS geom
    ),
    centre AS (
      SELECT ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography AS geog
    ),
    units AS (
      SELECT *
      FROM json_to_recordset(?::json) AS u(
        code text, name text, with_mahalle boolean, org text, street text, door_no text, isp text,
        internet_line text, bandwidth_mbps int, status text)
    ),
    candidates AS (
      SELECT *
      FROM json_to_recordset(?::json) AS c(code text, n int, fraction float8, side int, offset_m float8)
    ),
    placed AS (
      -- The point at the fraction of the street, moved offset_m to one side, square to the street.
      SELECT c.code, c.n, u.street, ST_Project(l.pt, c.offset_m, l.heading + c.side * pi() / 2)::geometry AS geom
      FROM candidates c
      JOIN units u ON u.code = c.code
      JOIN streets s ON s.name = u.street
      ${STREET_POINT_LATERAL}
    ),
    chosen AS (
      SELECT DISTINCT ON (p.code) p.code, p.geom
      FROM placed p
      CROSS JOIN inner_town t
      CROSS JOIN centre
      JOIN streets own ON own.name = p.street
      WHERE ST_Contains(t.geom, ST_Transform(p.geom, 5257))
        AND NOT ST_DWithin(p.geom::geography, centre.geog, ?)
        AND NOT EXISTS (
          SELECT 1 FROM streets other
          WHERE other.name <> own.name
            AND ST_Distance(other.geom::geography, p.geom::geography) <= ST_Distance(own.geom::geography, p.geom::geography))
      ORDER BY p.code, p.n
    ),
    addressed AS (
      SELECT u.*, c.geom, m.name AS mahalle
      FROM units u
      JOIN chosen c ON c.code = u.code
      LEFT JOIN LATERAL (
        SELECT n.name FROM neighbourhoods n WHERE ST_Covers(n.geom, c.geom) ORDER BY n.code LIMIT 1
      ) m ON true
    )
    INSERT INTO remote_units (code, name, org_unit_id, address_mahalle, address_street, address_door_no, isp,
                              internet_line, bandwidth_mbps, status, geom)
    SELECT a.code,
           CASE WHEN a.with_mahalle AND a.mahalle IS NOT NULL THEN format('%s (%s)', a.name, a.mahalle) ELSE a.name END,
           o.id, a.mahalle, a.street, a.door_no, a.isp, a.internet_line, a.bandwidth_mbps, a.status, a.geom
    FROM addressed a
    JOIN org_units o ON o.code = a.org
    ORDER BY a.code
    ON CONFLICT (code) DO UPDATE SET
      name = EXCLUDED.name,
      org_unit_id = EXCLUDED.org_unit_id,
      address_mahalle = EXCLUDED.address_mahalle,
      address_street = EXCLUDED.address_street,
      address_door_no = EXCLUDED.address_door_no,
      isp = EXCLUDED.isp,
      internet_line = EXCLUDED.internet_line,
      bandwidth_mbps = EXCLUDED.bandwidth_mbps,
      status = EXCLUDED.status,
      geom = EXCLUDED.geom,
      updated_at = now()
    RETURNING code
    `,
    [
      JSON.stringify(STREETS.map((s) => ({ name: s.name, wkt: lineWkt(s.path) }))),
      polygonWkt(TOWN_OUTLINE),
      INSIDE_OUTLINE_M,
      centre.at[0],
      centre.at[1],
      JSON.stringify(units),
      JSON.stringify(candidates),
      MIN_DISTANCE_FROM_CENTRE_M,
    ],
  );

  // The network seed joins every unit to the centre: a unit that found no place is a data error.
  const placed = new Set((rows as Array<{ code: string }>).map((r) => r.code));
  const missing = units.filter((u) => !placed.has(u.code)).map((u) => `${u.code} ${u.name} (${u.street})`);
  if (missing.length) throw new Error(`remote units with no acceptable spot (or no org unit): ${missing.join(', ')}`);
}
