import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { Resource } from '../../common/auth/resources';
import { LayerRepository, layerReferenced, type LayerDefinition } from '../../geo/layer.repository';
import { foldedContainsAny, foldedEquals } from '../../db/text-search';
import type { NetworkLine, NetworkLineFilter, NetworkNode, NetworkNodeFilter } from './network.type';
import type { Topology, TopologyNode } from './network.graph';

const nodeLayer = (db: Knex): LayerDefinition<NetworkNodeFilter> => ({
  resource: Resource.NETWORK_NODES,
  table: 'network_nodes',
  geometryType: 'POINT',
  columns: {
    code: 'code',
    name: 'name',
    kind: 'kind',
    status: 'status',
  },
  applyFilter(qb, f, col) {
    if (f.kind?.length) qb.whereIn(col('kind'), f.kind);
    if (f.status?.length) qb.whereIn(col('status'), f.status);
    if (f.search) qb.where(foldedContainsAny(db, [col('name'), col('code')], f.search));
  },
});

const lineLayer = (db: Knex): LayerDefinition<NetworkLineFilter> => ({
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
  },
  references: {
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
  const [nodes, units, lines] = await Promise.all([
    db('network_nodes').select('id', 'kind', 'status'),
    db('remote_units').pluck('id'),
    db('network_lines').select(
      'id',
      'status',
      db.raw(`CASE WHEN a_node_id IS NOT NULL THEN 'n' || a_node_id WHEN a_remote_unit_id IS NOT NULL THEN 'u' || a_remote_unit_id END AS a`),
      db.raw(`CASE WHEN z_node_id IS NOT NULL THEN 'n' || z_node_id WHEN z_remote_unit_id IS NOT NULL THEN 'u' || z_remote_unit_id END AS z`),
      db.raw('ST_Length(geom::geography) AS "lengthMeters"'),
    ),
  ]);
  return {
    nodes: nodes as TopologyNode[],
    units: (units as (number | string)[]).map(Number),
    lines: (lines as { id: number; status: string; a: string | null; z: string | null; lengthMeters: number | string }[]).map((l) => ({ ...l, lengthMeters: Number(l.lengthMeters) })),
  };
}

/**
 * What hangs on a set of remote units, as ids (the caller reads the rows through the request's
 * loaders, which apply its grants): the cameras whose asset is at one of them, the people holding
 * custody of an asset there, and the directorates housed there. One statement.
 */
export async function dependentsOfUnits(db: Knex, unitIds: number[]): Promise<{ cameras: number[]; custodians: number[]; orgUnits: number[] }> {
  if (!unitIds.length) return { cameras: [], custodians: [], orgUnits: [] };
  const { rows } = await db.raw(
    `SELECT
       ARRAY(SELECT DISTINCT a.camera_id FROM assets a WHERE a.remote_unit_id = ANY(?::int[]) AND a.camera_id IS NOT NULL ORDER BY 1) AS cameras,
       ARRAY(SELECT DISTINCT c.holder_user_id FROM custody c JOIN assets a ON a.id = c.asset_id
             WHERE a.remote_unit_id = ANY(?::int[]) AND c.to_at IS NULL AND c.holder_user_id IS NOT NULL ORDER BY 1) AS custodians,
       ARRAY(SELECT DISTINCT r.org_unit_id FROM remote_units r WHERE r.id = ANY(?::int[]) ORDER BY 1) AS "orgUnits"`,
    [unitIds, unitIds, unitIds],
  );
  const ints = (xs: (number | string)[]) => xs.map(Number);
  return { cameras: ints(rows[0].cameras), custodians: ints(rows[0].custodians), orgUnits: ints(rows[0].orgUnits) };
}
