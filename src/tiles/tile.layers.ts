import type { Knex } from 'knex';
import { Access } from '../common/auth/access';
import { Resource } from '../common/auth/resources';
import type { LayerDefinition } from '../geo/layer.repository';
import { AssetRepository } from '../modules/assets';
import { CameraRepository } from '../modules/cameras';
import { FaultRepository } from '../modules/faults';
import { NeighbourhoodRepository } from '../modules/neighbourhoods';
import { NetworkLineRepository, NetworkNodeRepository } from '../modules/network';
import { ParcelRepository } from '../modules/parcels';
import { RemoteUnitRepository } from '../modules/remote-units';

/** The type of a tile attribute, as TileJSON's vector_layers name it. */
export type AttributeType = 'String' | 'Number' | 'Boolean';

/**
 * What a layer's tiles draw when it is not the row's `geom` column: a geometry computed from the
 * row (a camera's field of view from its position, azimuth, angle and range).
 */
export interface TileGeometry {
  /** SQL of the geometry, in EPSG:4326, over a row of the layer's table; `col` qualifies a column with the table. */
  sql(col: (column: string) => string): string;
  /**
   * SQL of a bound, in geodesic metres, on how far the geometry of any row lies from its `geom`:
   * the tiles widen their index filter on `geom` by it, so a row whose geometry reaches into a tile
   * from outside is found.
   */
  reachMeters: string;
}

/** A layer served as vector tiles. */
export interface TileLayer {
  /** The URL segment and the name of the one MVT layer in each tile. */
  name: string;
  description: string;
  resource: Resource;
  /** The layer's definition from its module's repository: the same table, columns and read scope. */
  definition(db: Knex): LayerDefinition<unknown>;
  /** What the tiles draw, when not the definition's geom column. */
  geometry?: TileGeometry;
  /**
   * What a map styles by: GraphQL field names of plain columns, with their types. No sensitive
   * field is ever put into a tile (tiles are cached; the GraphQL API reveals those per row).
   */
  attributes: Record<string, AttributeType>;
  /** Below minzoom and above maxzoom a tile is empty (clients overzoom maxzoom tiles). */
  minzoom: number;
  maxzoom: number;
}

type RepositoryClass = new (db: Knex, access: Access) => { readonly layer: LayerDefinition<any> };

// The definition does not depend on the access it is built with: any Access will do.
const definitionOf = (Repo: RepositoryClass) => (db: Knex) => new Repo(db, new Access(null, [], [])).layer;

/** Tiles stop at z18 (a tile is about 120 m wide in Nizip); maps overzoom beyond. */
const MAXZOOM = 18;

/** The cameras' map attributes: the camera points and their fields of view alike. */
const CAMERA_ATTRIBUTES: Record<string, AttributeType> = {
  code: 'String',
  name: 'String',
  kind: 'String',
  purpose: 'String',
  status: 'String',
  azimuth: 'Number',
  horizontalFov: 'Number',
  rangeMeters: 'Number',
};

export const TILE_LAYERS: readonly TileLayer[] = [
  {
    name: 'cameras',
    description: 'Security, traffic and live-broadcast cameras (points).',
    resource: Resource.CAMERAS,
    definition: definitionOf(CameraRepository),
    attributes: CAMERA_ATTRIBUTES,
    minzoom: 12,
    maxzoom: MAXZOOM,
  },
  {
    name: 'camera-fov',
    description: "The cameras' fields of view (polygons): a sector of the camera's range around its azimuth, a circle for a 360 degree camera.",
    resource: Resource.CAMERAS,
    definition: definitionOf(CameraRepository),
    // The one field-of-view computation (its migration): the same polygon as Camera.fieldOfView and camerasSeeing.
    geometry: {
      // kbs_camera_fov's sector, kept in the row (see the migration camera_fov_column).
      sql: (col) => col('fov'),
      reachMeters: '(SELECT coalesce(max(range_m), 0) FROM cameras)',
    },
    attributes: CAMERA_ATTRIBUTES,
    minzoom: 14,
    maxzoom: MAXZOOM,
  },
  {
    name: 'neighbourhoods',
    description: 'Neighbourhoods (mahalle), polygons.',
    resource: Resource.NEIGHBOURHOODS,
    definition: definitionOf(NeighbourhoodRepository),
    attributes: { code: 'String', name: 'String', district: 'String', population: 'Number' },
    minzoom: 8,
    maxzoom: MAXZOOM,
  },
  {
    name: 'network-nodes',
    description: 'The data room, cabinets, switches and splice points of the municipal network (points).',
    resource: Resource.NETWORK_NODES,
    definition: definitionOf(NetworkNodeRepository),
    attributes: { code: 'String', name: 'String', kind: 'String', status: 'String' },
    minzoom: 12,
    maxzoom: MAXZOOM,
  },
  {
    name: 'network-lines',
    description: 'Network lines between nodes and remote units (lines).',
    resource: Resource.NETWORK_LINES,
    definition: definitionOf(NetworkLineRepository),
    attributes: { code: 'String', name: 'String', medium: 'String', status: 'String', capacityMbps: 'Number' },
    minzoom: 10,
    maxzoom: MAXZOOM,
  },
  {
    name: 'remote-units',
    description: 'Remote units (uzak birimler): branch offices and service points (points).',
    resource: Resource.REMOTE_UNITS,
    definition: definitionOf(RemoteUnitRepository),
    attributes: { code: 'String', name: 'String', status: 'String', isp: 'String' },
    minzoom: 10,
    maxzoom: MAXZOOM,
  },
  {
    name: 'parcels',
    description: 'Land-registry parcels (ada/parsel), polygons.',
    resource: Resource.PARCELS,
    definition: definitionOf(ParcelRepository),
    attributes: { mahalle: 'String', ada: 'Number', parsel: 'Number', nitelik: 'String' },
    minzoom: 14,
    maxzoom: MAXZOOM,
  },
  {
    name: 'assets',
    description: "The IT directorate's inventory where it stands (points); disposed assets are left out, as in the GraphQL list.",
    resource: Resource.ASSETS,
    definition: definitionOf(AssetRepository),
    attributes: { inventoryNo: 'String', type: 'String', make: 'String', model: 'String', state: 'String' },
    minzoom: 14,
    maxzoom: MAXZOOM,
  },
  {
    name: 'faults',
    description: 'Reported faults where they are (points).',
    resource: Resource.FAULTS,
    definition: definitionOf(FaultRepository),
    attributes: { category: 'String', priority: 'String', state: 'String' },
    minzoom: 12,
    maxzoom: MAXZOOM,
  },
];

export const tileLayerByName = (name: string): TileLayer | undefined => TILE_LAYERS.find((l) => l.name === name);
