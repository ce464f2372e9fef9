import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import DataLoader from 'dataloader';
import { createLayerLoaders, type LayerLoaders } from '../../geo/layer.loaders';
import { camerasByVertex, elementsOfFaults, NetworkLineRepository, NetworkNodeRepository, networkVersion, readTopology, type FaultElement } from './network.repository';
import { NetworkGraph } from './network.graph';
import type { NetworkLine, NetworkNode } from './network.type';

export interface NetworkLoaders {
  nodes: LayerLoaders<NetworkNode>;
  lines: LayerLoaders<NetworkLine>;
  /** The lines with an end at each node. */
  linesAtNode: DataLoader<number, NetworkLine[]>;
  /** The lines with an end at each remote unit. */
  linesAtRemoteUnit: DataLoader<number, NetworkLine[]>;
  /** The whole network as a graph: kept between requests while the network's version stays (one tiny read per request). */
  graph(): Promise<NetworkGraph>;
  /** The network element each fault is on (by fault id), and whether the fault is open. */
  faultElement: DataLoader<number, FaultElement>;
  /** The cameras hanging on each unit and node (by vertex), read once per request when first asked for. */
  camerasByVertex(): Promise<Map<string, number[]>>;
}

/** Lines whose A or Z end is one of the keys, per key, in one statement. */
function linesAtEnd(repo: NetworkLineRepository, a: 'a_node_id' | 'a_remote_unit_id', z: 'z_node_id' | 'z_remote_unit_id') {
  const [aField, zField] = [a === 'a_node_id' ? 'aNodeId' : 'aRemoteUnitId', z === 'z_node_id' ? 'zNodeId' : 'zRemoteUnitId'] as const;
  return new DataLoader<number, NetworkLine[]>(async (ids) => {
    const rows = await repo.whereAnyIn([a, z], ids);
    return ids.map((id) => rows.filter((line) => line[aField] === id || line[zField] === id));
  });
}

/** The graph of each database (and schema) this process serves, with the network version it was read at. */
const graphs = new Map<string, { version: string; graph: Promise<NetworkGraph> }>();
const MAX_DATABASES = 16;

/**
 * The network as a graph, shared by the requests of this process: read again only when the
 * database's network version (bumped in the same transaction as any change to nodes, lines, remote
 * units or faults) has moved. A request reads the version first, so a change committed after that
 * read costs at most one more reading, never a stale answer later on.
 */
async function sharedGraph(db: Knex): Promise<NetworkGraph> {
  const { version, place } = await networkVersion(db);
  const kept = graphs.get(place);
  if (kept && kept.version === version) return kept.graph;
  const graph = readTopology(db).then((t) => new NetworkGraph(t));
  const entry = { version, graph };
  graphs.delete(place);
  if (graphs.size >= MAX_DATABASES) graphs.delete(graphs.keys().next().value!);
  graphs.set(place, entry);
  graph.catch(() => {
    if (graphs.get(place) === entry) graphs.delete(place);
  });
  return graph;
}

export function createNetworkLoaders(db: Knex, access: Access): NetworkLoaders {
  const lines = new NetworkLineRepository(db, access);
  let graph: Promise<NetworkGraph> | undefined;
  let cameras: Promise<Map<string, number[]>> | undefined;
  return {
    graph: () => (graph ??= sharedGraph(db)),
    camerasByVertex: () => (cameras ??= camerasByVertex(db)),
    faultElement: new DataLoader<number, FaultElement>(async (ids) => {
      const found = await elementsOfFaults(db, ids);
      return ids.map((id) => found.get(id) ?? { open: false, element: null });
    }),
    nodes: createLayerLoaders(new NetworkNodeRepository(db, access)),
    lines: createLayerLoaders(lines),
    linesAtNode: linesAtEnd(lines, 'a_node_id', 'z_node_id'),
    linesAtRemoteUnit: linesAtEnd(lines, 'a_remote_unit_id', 'z_remote_unit_id'),
  };
}
