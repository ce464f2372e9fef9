import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { Resource } from '../../common/auth/resources';
import { LayerRepository, layerReferenced, type LayerDefinition } from '../../geo/layer.repository';
import { foldedContainsAny, foldedEquals } from '../../db/text-search';
import type { NetworkLine, NetworkLineFilter, NetworkNode, NetworkNodeFilter } from './network.type';

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
