import type { Knex } from 'knex';
import { seededRandom } from './data/random';
import { BACKBONE, CABINET_STREET_TOLERANCE_M, NETWORK_NODES, REMOTE_UNITS, type Backup } from './data/network';
import { SQUARES, STREETS, lineWkt } from './data/nizip';

/**
 * The sample network of Nizip Belediyesi: nodes (the central data room, cabinets, splice points,
 * radio switches) and the lines between them and to every remote unit.
 *
 * - Backbone: municipal (or leased) fibre between nodes on the same street, HAT-001 onwards, as
 *   listed in ./data/network; several rings, so many nodes have two ways to the centre.
 * - Access: each remote unit from the nearest cabinet along its street; units with a WIRED backup
 *   get a second one from the nearest cabinet on the other side; LTE backups run straight to the
 *   central data room, RADIO_LINK backups straight from the nearest radio switch.
 *
 * Wired lines follow the street: the part of its polyline between the projections of the two ends,
 * with a straight connector to an end that is off the street; every line starts exactly at its A end
 * and finishes exactly at its Z end. PostGIS computes all of it; this file chooses the media,
 * providers, circuits and capacities with a seeded random generator. Upserted by code: safe to run again.
 */

type Medium = 'FIBER' | 'COPPER' | 'RADIO_LINK' | 'XDSL' | 'MPLS' | 'LTE';
type LineStatus = 'PLANNED' | 'ACTIVE' | 'OFFLINE' | 'DECOMMISSIONED';
type Provider = 'Türk Telekom' | 'Superonline' | 'Vodafone' | 'Belediye';
type AccessKind = 'PRIMARY' | Backup;

interface BackboneRow {
  code: string;
  a: string;
  z: string;
  street: string;
  provider: Provider;
  circuit_id: string | null;
  capacity_mbps: number;
  status: LineStatus;
}

interface AccessRow {
  code: string;
  unit: string;
  kind: AccessKind;
  medium: Medium;
  provider: Provider;
  circuit_id: string | null;
  capacity_mbps: number;
  status: LineStatus;
}

/** Municipality-owned lines (own fibre, own radio links) have this provider and no circuit id. */
const OWN = 'Belediye';

export async function seed(knex: Knex): Promise<void> {
  const { random, intBetween, pick } = seededRandom('kbs-nizip-network');
  const circuit = (provider: Provider, medium: Medium): string | null => {
    if (provider === OWN) return null;
    const prefix = provider === 'Türk Telekom' ? 'TT' : provider === 'Superonline' ? 'SOL' : 'VF';
    return `${prefix}-${medium === 'FIBER' ? 'DF' : medium}-${intBetween(1_000_000, 9_999_999)}`;
  };
  const streetNames = new Set(STREETS.map((s) => s.name));
  const squares = new Map(SQUARES.map((q) => [q.name, q.at]));

  const nodes = NETWORK_NODES.map((n) => {
    if (n.street && !streetNames.has(n.street)) throw new Error(`node ${n.code}: no street named ${n.street}`);
    const at = n.square ? squares.get(n.square) : undefined;
    if (n.square && !at) throw new Error(`node ${n.code}: no square named ${n.square}`);
    return {
      code: n.code,
      label: n.label,
      name: n.name,
      kind: n.kind,
      status: n.status,
      lon: at ? at[0] : null,
      lat: at ? at[1] : null,
      street: n.street ?? null,
      vertex: n.vertex ?? null,
      fraction: n.fraction ?? null,
      side: n.side ?? 1,
      offset_m: n.offset_m ?? 0,
    };
  });
  const nodeCodes = new Set(nodes.map((n) => n.code));

  let lineNo = 0;
  const nextCode = (): string => `HAT-${String(++lineNo).padStart(3, '0')}`;

  const backbone: BackboneRow[] = BACKBONE.map((b) => {
    for (const end of [b.a, b.z]) if (!nodeCodes.has(end)) throw new Error(`backbone line: no node ${end}`);
    if (!streetNames.has(b.street)) throw new Error(`backbone line ${b.a}–${b.z}: no street named ${b.street}`);
    const provider: Provider = b.provider ?? OWN;
    return {
      code: nextCode(),
      a: b.a,
      z: b.z,
      street: b.street,
      provider,
      circuit_id: circuit(provider, 'FIBER'),
      capacity_mbps: b.capacity_mbps,
      status: b.status ?? 'ACTIVE',
    };
  });

  // The remote units' codes and statuses as 04_remote_units gives them (UB-01... in REMOTE_UNITS order).
  const unitStatus = new Map<string, string>(
    ((await knex('remote_units').select('code', 'status')) as Array<{ code: string; status: string }>).map((r) => [r.code, r.status]),
  );

  const access: AccessRow[] = [];
  const backups: AccessRow[] = [];
  REMOTE_UNITS.forEach((u, i) => {
    const unit = `UB-${String(i + 1).padStart(2, '0')}`;
    const unitState = unitStatus.get(unit);
    if (!unitState) throw new Error(`remote unit ${unit} is missing: run 04_remote_units first`);
    // A line is only as alive as the unit it serves.
    const status = (usual: LineStatus): LineStatus =>
      unitState === 'CLOSED' ? 'DECOMMISSIONED' : unitState === 'PLANNED' ? 'PLANNED' : unitState === 'OFFLINE' ? 'OFFLINE' : usual;

    const medium = pick<Medium>([
      ['FIBER', 45],
      ['MPLS', 35],
      ['XDSL', 20],
    ]);
    const provider: Provider =
      medium === 'FIBER' ? OWN : medium === 'XDSL' ? 'Türk Telekom' : pick<Provider>([['Türk Telekom', 50], ['Superonline', 30], ['Vodafone', 20]]);
    access.push({
      code: '',
      unit,
      kind: 'PRIMARY',
      medium,
      provider,
      circuit_id: circuit(provider, medium),
      capacity_mbps: medium === 'FIBER' ? 1000 : medium === 'MPLS' ? pick([[20, 1], [50, 2], [100, 2]] as const) : pick([[16, 1], [24, 2], [50, 1]] as const),
      status: status('ACTIVE'),
    });

    for (const kind of u.backups) {
      let row: AccessRow;
      if (kind === 'WIRED') {
        // Another carrier than the primary line, so that one fault does not cut both.
        const second: Provider = provider === 'Türk Telekom' ? 'Superonline' : 'Türk Telekom';
        const secondMedium: Medium = second === 'Türk Telekom' && random() < 0.5 ? 'XDSL' : 'MPLS';
        row = {
          code: '',
          unit,
          kind,
          medium: secondMedium,
          provider: second,
          circuit_id: circuit(second, secondMedium),
          capacity_mbps: secondMedium === 'XDSL' ? 24 : 50,
          status: status('ACTIVE'),
        };
      } else if (kind === 'LTE') {
        const carrier = pick<Provider>([['Vodafone', 50], ['Türk Telekom', 30], ['Superonline', 20]]);
        row = {
          code: '',
          unit,
          kind,
          medium: 'LTE',
          provider: carrier,
          circuit_id: circuit(carrier, 'LTE'),
          capacity_mbps: pick([[50, 2], [100, 1]] as const),
          status: status(pick<LineStatus>([['ACTIVE', 80], ['PLANNED', 10], ['OFFLINE', 10]])),
        };
      } else {
        row = {
          code: '',
          unit,
          kind,
          medium: 'RADIO_LINK',
          provider: OWN,
          circuit_id: null,
          capacity_mbps: pick([[300, 1], [500, 1]] as const),
          status: status('ACTIVE'),
        };
      }
      backups.push(row);
    }
  });
  // Codes: the backbone, then every unit's access line, then the backups (in unit order).
  for (const row of [...access, ...backups]) row.code = nextCode();

  // Nodes: at a square, at a vertex of a street or at a fraction of it; some moved off the street.
  await knex.raw(
    `
    WITH streets AS (
      SELECT s.name, ST_GeomFromText(s.wkt, 4326) AS geom
      FROM json_to_recordset(?::json) AS s(name text, wkt text)
    ),
    input AS (
      SELECT *
      FROM json_to_recordset(?::json) AS n(
        code text, label text, name text, kind text, status text, lon float8, lat float8, street text,
        vertex int, fraction float8, side int, offset_m float8)
    ),
    based AS (
      SELECT n.*,
             CASE
               WHEN n.lon IS NOT NULL THEN ST_SetSRID(ST_MakePoint(n.lon, n.lat), 4326)
               WHEN n.vertex IS NOT NULL THEN ST_PointN(s.geom, n.vertex + 1)
               ELSE ST_LineInterpolatePoint(s.geom, n.fraction)
             END AS base,
             s.geom AS street_geom
      FROM input n
      LEFT JOIN streets s ON s.name = n.street
    ),
    placed AS (
      SELECT b.*,
             CASE WHEN b.offset_m > 0 THEN
               ST_Project(b.base::geography, b.offset_m,
                 ST_Azimuth(
                   ST_LineInterpolatePoint(b.street_geom, greatest(ST_LineLocatePoint(b.street_geom, b.base) - 0.002, 0))::geography,
                   ST_LineInterpolatePoint(b.street_geom, least(ST_LineLocatePoint(b.street_geom, b.base) + 0.002, 1))::geography)
                 + b.side * pi() / 2)::geometry
             ELSE b.base END AS geom
      FROM based b
    )
    INSERT INTO network_nodes (code, name, kind, status, geom)
    SELECT code, name, kind, status, geom
    FROM placed
    ORDER BY code
    ON CONFLICT (code) DO UPDATE SET
      name = EXCLUDED.name,
      kind = EXCLUDED.kind,
      status = EXCLUDED.status,
      geom = EXCLUDED.geom,
      updated_at = now()
    `,
    [JSON.stringify(STREETS.map((s) => ({ name: s.name, wkt: lineWkt(s.path) }))), JSON.stringify(nodes)],
  );

  await knex.raw(
    `
    WITH streets AS (
      SELECT s.name, ST_GeomFromText(s.wkt, 4326) AS geom, ST_Length(ST_GeomFromText(s.wkt, 4326)::geography) AS length_m
      FROM json_to_recordset(?::json) AS s(name text, wkt text)
    ),
    nodes AS (
      SELECT n.id, n.code, n.kind, n.geom, l.label
      FROM json_to_recordset(?::json) AS l(code text, label text)
      JOIN network_nodes n ON n.code = l.code
    ),
    units AS (
      SELECT r.id, r.code, r.name, r.geom, r.address_street
      FROM remote_units r
      JOIN json_to_recordset(?::json) AS u(code text) ON u.code = r.code
    ),
    backbone AS (
      SELECT *
      FROM json_to_recordset(?::json) AS b(
        code text, a text, z text, street text, provider text, circuit_id text, capacity_mbps int, status text)
    ),
    access AS (
      SELECT *
      FROM json_to_recordset(?::json) AS x(
        code text, unit text, kind text, medium text, provider text, circuit_id text, capacity_mbps int, status text)
    ),
    -- Cabinets near each unit's street, with their distance along it from the unit (signed, metres).
    along AS (
      SELECT u.code AS unit, n.code AS node,
             (ST_LineLocatePoint(s.geom, n.geom) - ST_LineLocatePoint(s.geom, u.geom)) * s.length_m AS offset_m
      FROM units u
      JOIN streets s ON s.name = u.address_street
      JOIN nodes n ON n.kind = 'CABINET' AND ST_DWithin(n.geom::geography, s.geom::geography, ?)
    ),
    nearest AS (
      SELECT DISTINCT ON (unit) unit, node, offset_m
      FROM along
      ORDER BY unit, abs(offset_m), node
    ),
    -- The second access: preferably from the other side along the street.
    other_side AS (
      SELECT DISTINCT ON (a.unit) a.unit, a.node
      FROM along a
      JOIN nearest p ON p.unit = a.unit AND p.node <> a.node
      ORDER BY a.unit, sign(a.offset_m) = sign(p.offset_m), abs(a.offset_m), a.node
    ),
    nearest_switch AS (
      SELECT DISTINCT ON (u.code) u.code AS unit, n.code AS node
      FROM units u
      JOIN nodes n ON n.kind = 'SWITCH'
      ORDER BY u.code, ST_Distance(u.geom::geography, n.geom::geography), n.code
    ),
    ends AS (
      -- Every line as: code, name, attributes, A and Z ends (node or unit), the street it follows (if any).
      SELECT b.code, format('%s – %s omurga', a.label, z.label) AS name, 'FIBER' AS medium, b.provider, b.circuit_id,
             b.capacity_mbps, b.status, a.id AS a_node_id, NULL::int AS a_remote_unit_id, a.geom AS a_geom,
             z.id AS z_node_id, NULL::int AS z_remote_unit_id, z.geom AS z_geom, b.street
      FROM backbone b
      JOIN nodes a ON a.code = b.a
      JOIN nodes z ON z.code = b.z
      UNION ALL
      SELECT x.code,
             format('%s – %s %s', c.label, u.name,
                    CASE x.kind WHEN 'PRIMARY' THEN 'erişim' WHEN 'WIRED' THEN 'yedek erişim' ELSE 'radyolink' END),
             x.medium, x.provider, x.circuit_id, x.capacity_mbps, x.status, c.id, NULL, c.geom, NULL, u.id, u.geom,
             -- Radio links go straight through the air.
             CASE WHEN x.kind = 'RADIO_LINK' THEN NULL ELSE u.address_street END
      FROM access x
      JOIN units u ON u.code = x.unit
      JOIN (SELECT unit, node, 'PRIMARY' AS kind FROM nearest
            UNION ALL SELECT unit, node, 'WIRED' FROM other_side
            UNION ALL SELECT unit, node, 'RADIO_LINK' FROM nearest_switch) pick ON pick.unit = x.unit AND pick.kind = x.kind
      JOIN nodes c ON c.code = pick.node
      UNION ALL
      SELECT x.code, format('%s – %s LTE yedek', u.name, m.label), x.medium, x.provider, x.circuit_id, x.capacity_mbps,
             x.status, NULL, u.id, u.geom, m.id, NULL, m.geom, NULL
      FROM access x
      JOIN units u ON u.code = x.unit
      JOIN nodes m ON m.kind = 'CENTRAL_DATA_ROOM'
      WHERE x.kind = 'LTE'
    ),
    routed AS (
      SELECT e.*,
             CASE WHEN e.street IS NULL THEN ST_MakeLine(e.a_geom, e.z_geom) ELSE r.geom END AS geom
      FROM ends e
      LEFT JOIN streets s ON s.name = e.street
      LEFT JOIN LATERAL (
        -- The street between the projections of the ends, in the A-to-Z direction...
        SELECT CASE WHEN f.fa <= f.fz THEN ST_LineSubstring(s.geom, f.fa, f.fz)
                    ELSE ST_Reverse(ST_LineSubstring(s.geom, f.fz, f.fa)) END AS sub
        FROM (SELECT ST_LineLocatePoint(s.geom, e.a_geom) AS fa, ST_LineLocatePoint(s.geom, e.z_geom) AS fz) f
      ) p ON s.name IS NOT NULL
      LEFT JOIN LATERAL (
        -- ...its first vertex replaced by the A end when that is on the street, else a connector added...
        SELECT CASE WHEN ST_Distance(ST_StartPoint(p.sub)::geography, e.a_geom::geography) < 0.5
                    THEN ST_SetPoint(p.sub, 0, e.a_geom) ELSE ST_AddPoint(p.sub, e.a_geom, 0) END AS g
      ) q ON s.name IS NOT NULL
      LEFT JOIN LATERAL (
        -- ...and the same at the Z end.
        SELECT CASE WHEN ST_Distance(ST_EndPoint(q.g)::geography, e.z_geom::geography) < 0.5
                    THEN ST_SetPoint(q.g, ST_NPoints(q.g) - 1, e.z_geom) ELSE ST_AddPoint(q.g, e.z_geom) END AS geom
      ) r ON s.name IS NOT NULL
    )
    INSERT INTO network_lines (code, name, medium, provider, circuit_id, capacity_mbps, status,
                               a_node_id, a_remote_unit_id, z_node_id, z_remote_unit_id, geom)
    SELECT code, name, medium, provider, circuit_id, capacity_mbps, status,
           a_node_id, a_remote_unit_id, z_node_id, z_remote_unit_id, geom
    FROM routed
    ORDER BY code
    ON CONFLICT (code) DO UPDATE SET
      name = EXCLUDED.name,
      medium = EXCLUDED.medium,
      provider = EXCLUDED.provider,
      circuit_id = EXCLUDED.circuit_id,
      capacity_mbps = EXCLUDED.capacity_mbps,
      status = EXCLUDED.status,
      a_node_id = EXCLUDED.a_node_id,
      a_remote_unit_id = EXCLUDED.a_remote_unit_id,
      z_node_id = EXCLUDED.z_node_id,
      z_remote_unit_id = EXCLUDED.z_remote_unit_id,
      geom = EXCLUDED.geom,
      updated_at = now()
    `,
    [
      JSON.stringify(STREETS.map((s) => ({ name: s.name, wkt: lineWkt(s.path) }))),
      JSON.stringify(nodes.map((n) => ({ code: n.code, label: n.label }))),
      JSON.stringify(REMOTE_UNITS.map((_, i) => ({ code: `UB-${String(i + 1).padStart(2, '0')}` }))),
      JSON.stringify(backbone),
      JSON.stringify([...access, ...backups]),
      CABINET_STREET_TOLERANCE_M,
    ],
  );
}
