import type { Knex } from 'knex';
import type { Access } from '../common/auth/access';
import { Resource } from '../common/auth/resources';
import type { LayerDefinition } from '../geo/layer.repository';
import { AssetRepository } from '../modules/assets';
import { CameraRepository } from '../modules/cameras';
import { FaultRepository } from '../modules/faults';
import { NeighbourhoodRepository } from '../modules/neighbourhoods';
import { NetworkLineRepository, NetworkNodeRepository } from '../modules/network';
import { ParcelRepository } from '../modules/parcels';
import { RemoteUnitRepository } from '../modules/remote-units';

/** A feature collection of the OGC API: one map layer or register with a geometry. */
export interface OgcCollection {
  id: string;
  title: string;
  description: string;
  resource: Resource;
  /** The layer's definition, taken from the module's own repository (so the same table, columns and scope). */
  layer(db: Knex, access: Access): LayerDefinition<unknown>;
}

const definitionOf =
  (Repo: new (db: Knex, access: Access) => { readonly layer: LayerDefinition<unknown> }) =>
  (db: Knex, access: Access): LayerDefinition<unknown> =>
    new Repo(db, access).layer;

/** The collections, in the order the API lists them. */
export const COLLECTIONS: readonly OgcCollection[] = [
  {
    id: 'cameras',
    title: 'Cameras',
    description: 'Security, traffic and live-broadcast cameras (points).',
    resource: Resource.CAMERAS,
    layer: definitionOf(CameraRepository),
  },
  {
    id: 'neighbourhoods',
    title: 'Neighbourhoods',
    description: 'Neighbourhoods (mahalle), MultiPolygons.',
    resource: Resource.NEIGHBOURHOODS,
    layer: definitionOf(NeighbourhoodRepository),
  },
  {
    id: 'network-nodes',
    title: 'Network nodes',
    description: 'The central data room, cabinets, switches and splice points of the municipal network (points).',
    resource: Resource.NETWORK_NODES,
    layer: definitionOf(NetworkNodeRepository),
  },
  {
    id: 'network-lines',
    title: 'Network lines',
    description: 'Network lines (LineStrings) between two ends: a network node or a remote unit.',
    resource: Resource.NETWORK_LINES,
    layer: definitionOf(NetworkLineRepository),
  },
  {
    id: 'remote-units',
    title: 'Remote units',
    description: 'Remote units (uzak birimler): branch offices and service points (points).',
    resource: Resource.REMOTE_UNITS,
    layer: definitionOf(RemoteUnitRepository),
  },
  {
    id: 'parcels',
    title: 'Parcels',
    description: 'Land-registry parcels (ada/parsel), MultiPolygons.',
    resource: Resource.PARCELS,
    layer: definitionOf(ParcelRepository),
  },
  {
    id: 'assets',
    title: 'IT assets',
    description: "The IT directorate's inventory (demirbaş) where it stands (points); disposed assets are left out.",
    resource: Resource.ASSETS,
    layer: definitionOf(AssetRepository),
  },
  {
    id: 'faults',
    title: 'Faults',
    description: 'Reported faults (arıza) where they are (points).',
    resource: Resource.FAULTS,
    layer: definitionOf(FaultRepository),
  },
];

export const collectionById = (id: string): OgcCollection | undefined => COLLECTIONS.find((c) => c.id === id);
