import { FINISHED_STATES } from '../faults/fault-states';
import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { Resource } from '../../common/auth/resources';
import { LayerRepository, layerReferenced, type LayerDefinition } from '../../geo/layer.repository';
import { foldedContainsAny, foldedEquals } from '../../db/text-search';
import type { NetworkLine, NetworkLineFilter, NetworkNode, NetworkNodeFilter } from './network.type';
import type { Topology, TopologyNode } from './network.graph';

export const nodeLayer = (db: Knex): LayerDefinition<NetworkNodeFilter> => ({
  resource: Resource.NETWORK_NODES,
  table: 'network_nodes',
  geometryType: 'POINT',
  columns: {
    code: 'code',
    name: 'name',
    kind: 'kind',
    status: 'status',
    assetId: 'asset_id',
  },
  references: {
    assetId: layerReferenced(Resource.ASSETS, 'assets', 'inventory_no'),
  },
  applyFilter(qb, f, col) {
    if (f.kind?.length) qb.whereIn(col('kind'), f.kind);
    if (f.status?.length) qb.whereIn(col('status'), f.status);
    if (f.search) qb.where(foldedContainsAny(db, [col('name'), col('code')], f.search));
  },
});

export const lineLayer = (db: Knex): LayerDefinition<NetworkLineFilter> => ({
  resource: Resource.NETWORK_LINES,
  table: 'network_lines',
  geometryType: 'LINESTRING',
  columns: {
    code: 'code',
    name: 'name',
    medium: 'medium',
    provider: 'provider',
    circuitId: 'circuit_id',
    capacityMbps: 'capacity_mbps',
    status: 'status',
    aNodeId: 'a_node_id',
    aRemoteUnitId: 'a_remote_unit_id',
    zNodeId: 'z_node_id',
    zRemoteUnitId: 'z_remote_unit_id',
    assetId: 'asset_id',
  },
  references: {
    assetId: layerReferenced(Resource.ASSETS, 'assets', 'inventory_no'),
    aNodeId: layerReferenced(Resource.NETWORK_NODES, 'network_nodes', 'code'),
    zNodeId: layerReferenced(Resource.NETWORK_NODES, 'network_nodes', 'code'),
    aRemoteUnitId: layerReferenced(Resource.REMOTE_UNITS, 'remote_units', 'code'),
    zRemoteUnitId: layerReferenced(Resource.REMOTE_UNITS, 'remote_units', 'code'),
  },
  computed: {
    lengthMeters: 'ST_Length(network_lines.geom::geography)',
  },
  applyFilter(qb, f, col) {
    if (f.medium?.length) qb.whereIn(col('medium'), f.medium);
    if (f.status?.length) qb.whereIn(col('status'), f.status);
    if (f.provider != null) qb.where(foldedEquals(db, col('provider'), f.provider));
    if (f.search) qb.where(foldedContainsAny(db, [col('name'), col('code'), col('circuit_id')], f.search));
  },
});

export class NetworkNodeRepository extends LayerRepository<NetworkNode, NetworkNodeFilter> {
  constructor(db: Knex | Knex.Transaction, access: Access) {
    super(db, nodeLayer(db as Knex), access);
  }
}

export class NetworkLineRepository extends LayerRepository<NetworkLine, NetworkLineFilter> {
  constructor(db: Knex | Knex.Transaction, access: Access) {
    super(db, lineLayer(db as Knex), access);
  }
}

/**
 * The whole network as the graph needs it, whatever the request may read: a cut is a physical
 * fact, so routes and cut-offs are computed on every node and line, and only the answers are
 * filtered by the reader's grants. Three statements.
 */
export async function readTopology(db: Knex): Promise<Topology> {
  // An element is down now when it is OFFLINE, or when its asset has an open fault.
  const faulted = (table: string) =>
    db.raw(`EXISTS (SELECT 1 FROM faults f WHERE f.asset_id = ${table}.asset_id AND f.state NOT IN (${FINISHED_STATES.map(() => '?').join(', ')})) AS faulted`, [...FINISHED_STATES]);
  const [nodes, units, lines] = await Promise.all([
    db('network_nodes').select('id', 'kind', 'status', faulted('network_nodes')),
    db('remote_units').pluck('id'),
    db('network_lines').select(
      'id',
      'status',
      faulted('network_lines'),
      db.raw(`CASE WHEN a_node_id IS NOT NULL THEN 'n' || a_node_id WHEN a_remote_unit_id IS NOT NULL THEN 'u' || a_remote_unit_id END AS a`),
      db.raw(`CASE WHEN z_node_id IS NOT NULL THEN 'n' || z_node_id WHEN z_remote_unit_id IS NOT NULL THEN 'u' || z_remote_unit_id END AS z`),
      db.raw('ST_Length(geom::geography) AS "lengthMeters"'),
    ),
  ]);
  return {
    nodes: nodes as TopologyNode[],
    units: (units as (number | string)[]).map(Number),
    lines: (lines as { id: number; status: string; faulted: boolean; a: string | null; z: string | null; lengthMeters: number | string }[]).map((l) => ({ ...l, lengthMeters: Number(l.lengthMeters) })),
  };
}

/** The network's version (see its migration), and which database and schema it is of. */
export async function networkVersion(db: Knex): Promise<{ version: string; place: string }> {
  const { rows } = await db.raw(`SELECT version::text AS version, database_id::text || '/' || current_schema() AS place FROM network_version WHERE id = 1`);
  return rows[0];
}

/**
 * What hangs on the remote units and nodes a failure takes away, as ids (the caller reads the rows
 * through the request's loaders, which apply its grants): the cameras served through one of those
 * units or nodes or whose asset is at one of the units, the people holding custody of an asset at
 * the units, and the directorates housed there. One statement.
 */
export async function dependentsOf(db: Knex, unitIds: number[], nodeIds: number[]): Promise<{ cameras: number[]; custodians: number[]; orgUnits: number[] }> {
  if (!unitIds.length && !nodeIds.length) return { cameras: [], custodians: [], orgUnits: [] };
  const { rows } = await db.raw(
    `SELECT
       ARRAY(SELECT a.camera_id FROM assets a WHERE a.remote_unit_id = ANY(:units::int[]) AND a.camera_id IS NOT NULL
             UNION SELECT c.id FROM cameras c WHERE c.served_by_remote_unit_id = ANY(:units::int[]) OR c.served_by_node_id = ANY(:nodes::int[])
             ORDER BY 1) AS cameras,
       ARRAY(SELECT DISTINCT c.holder_user_id FROM custody c JOIN assets a ON a.id = c.asset_id
             WHERE a.remote_unit_id = ANY(:units::int[]) AND c.to_at IS NULL AND c.holder_user_id IS NOT NULL ORDER BY 1) AS custodians,
       ARRAY(SELECT DISTINCT r.org_unit_id FROM remote_units r WHERE r.id = ANY(:units::int[]) ORDER BY 1) AS "orgUnits"`,
    { units: unitIds, nodes: nodeIds },
  );
  const ints = (xs: (number | string)[]) => xs.map(Number);
  return { cameras: ints(rows[0].cameras), custodians: ints(rows[0].custodians), orgUnits: ints(rows[0].orgUnits) };
}

/** The network element (node or line) whose asset each fault is on, and whether the fault is open. */
export async function elementsOfFaults(db: Knex, faultIds: readonly number[]): Promise<Map<number, FaultElement>> {
  const { rows } = await db.raw(
    `SELECT f.id, n.id AS node, l.id AS line, f.state NOT IN (${FINISHED_STATES.map(() => '?').join(', ')}) AS open
     FROM faults f
     LEFT JOIN network_nodes n ON n.asset_id = f.asset_id
     LEFT JOIN network_lines l ON l.asset_id = f.asset_id
     WHERE f.id = ANY(?::int[])`,
    [...FINISHED_STATES, [...faultIds]],
  );
  return new Map((rows as { id: number; node: number | null; line: number | null; open: boolean }[]).map((r) => [Number(r.id), toElement(r)]));
}

/** A fault's network element: null when its asset is none (or it has no asset). */
export interface FaultElement { open: boolean; element: { kind: 'node' | 'line'; id: number } | null }

export const toElement = (r: { node: number | string | null; line: number | string | null; open: boolean }): FaultElement => ({
  open: r.open,
  element: r.node != null ? { kind: 'node', id: Number(r.node) } : r.line != null ? { kind: 'line', id: Number(r.line) } : null,
});

/**
 * The cameras hanging on each unit and node, by vertex: served through it, or (at a unit) with
 * their asset there. For ranking what failures cut off, on the whole network (like the counts of
 * single points of failure); the lists a reader sees are filtered by its grants.
 */
export async function camerasByVertex(db: Knex): Promise<Map<string, number[]>> {
  const { rows } = await db.raw(
    `SELECT v, array_agg(DISTINCT camera ORDER BY camera) AS cameras FROM (
       SELECT 'n' || served_by_node_id AS v, id AS camera FROM cameras WHERE served_by_node_id IS NOT NULL
       UNION ALL SELECT 'u' || served_by_remote_unit_id, id FROM cameras WHERE served_by_remote_unit_id IS NOT NULL
       UNION ALL SELECT 'u' || remote_unit_id, camera_id FROM assets WHERE camera_id IS NOT NULL AND remote_unit_id IS NOT NULL
     ) s GROUP BY v`,
  );
  return new Map((rows as { v: string; cameras: (number | string)[] }[]).map((r) => [r.v, r.cameras.map(Number)]));
}
