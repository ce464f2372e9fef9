import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { layerTarget } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { LayerRepository, type LayerDefinition } from '../../geo/layer.repository';
import { NEIGHBOURHOOD_TABLE } from '../../geo/spatial-filter';
import { foldedContainsAny, foldedEquals } from '../../db/text-search';
import { AssetRepository } from '../assets';
import { CameraRepository } from '../cameras';
import { NetworkLineRepository, NetworkNodeRepository } from '../network';
import { ParcelRepository } from '../parcels';
import { RemoteUnitRepository } from '../remote-units';
import type { Neighbourhood, NeighbourhoodFilter } from './neighbourhood.type';

export const neighbourhoodLayer = (db: Knex): LayerDefinition<NeighbourhoodFilter> => ({
  resource: Resource.NEIGHBOURHOODS,
  table: NEIGHBOURHOOD_TABLE,
  geometryType: 'MULTIPOLYGON',
  columns: {
    code: 'code',
    name: 'name',
    district: 'district',
    province: 'province',
    population: 'population',
  },
  computed: {
    areaSquareMeters: `ST_Area(${NEIGHBOURHOOD_TABLE}.geom::geography)`,
  },
  applyFilter(qb, f, col) {
    if (f.name != null) qb.where(foldedEquals(db, col('name'), f.name));
    if (f.district != null) qb.where(foldedEquals(db, col('district'), f.district));
    if (f.search) qb.where(foldedContainsAny(db, [col('name'), col('code')], f.search));
  },
});

/** A layer's repository class: what gives a count the layer's table, scope and default filter. */
type CountedRepository = new (db: Knex, access: Access) => { readonly layer: LayerDefinition<any> };

/** The layers whose features neighbourhoods count, by GraphQL field name. */
export const COUNTED_LAYERS = {
  cameras: CameraRepository,
  networkNodes: NetworkNodeRepository,
  networkLines: NetworkLineRepository,
  remoteUnits: RemoteUnitRepository,
  parcels: ParcelRepository,
  assets: AssetRepository,
} satisfies Record<string, CountedRepository>;

export type CountedLayer = keyof typeof COUNTED_LAYERS;
export type LayerCounts = Record<CountedLayer, number>;

/** The counted layers among `fields` (what a query selects on `counts`), in a fixed order; all of them without `fields`. */
export function countedLayers(fields?: ReadonlySet<string>): CountedLayer[] {
  const all = Object.keys(COUNTED_LAYERS) as CountedLayer[];
  return fields ? all.filter((layer) => fields.has(layer)) : all;
}

export class NeighbourhoodRepository extends LayerRepository<Neighbourhood, NeighbourhoodFilter> {
  constructor(db: Knex | Knex.Transaction, access: Access) {
    super(db, neighbourhoodLayer(db as Knex), access);
  }

  /**
   * For features of `layerTable`, the neighbourhood each is in: the one containing a point on the
   * feature (its position; a point on a line; a point inside a polygon), lowest id on a boundary.
   */
  async containing(layerTable: string, featureIds: readonly number[], fields?: ReadonlySet<string>): Promise<Map<number, Neighbourhood>> {
    // Per feature, the first readable neighbourhood under a point of it (through the GiST index),
    // with only the columns the query asks for: not the boundary, nor its area, fifty times over.
    const { rows } = await this.db.raw(
      `SELECT f.id AS "featureId", s.*
       FROM ?? AS f
       CROSS JOIN LATERAL (?) AS s
       WHERE f.id = ANY(?::int[])`,
      [
        layerTable,
        this.scoped()
          .select(this.selectList(fields))
          .where(this.db.raw('ST_Intersects(??, ST_PointOnSurface(f.geom))', [`${NEIGHBOURHOOD_TABLE}.geom`]))
          .orderBy(`${NEIGHBOURHOOD_TABLE}.id`)
          .limit(1),
        [...featureIds],
      ],
    );
    return new Map((rows as (Neighbourhood & { featureId: number })[]).map(({ featureId, ...n }) => [featureId, n as Neighbourhood]));
  }

  /**
   * How many features of each layer intersect each neighbourhood, in one statement; each layer
   * counts what its list holds for this request: the rows it may read, under the list's default
   * filter (so disposed assets, which leave the active lists, leave the counts too). Only the
   * `layers` asked for are counted: a count of the parcels near a neighbourhood costs more than
   * all the others together.
   */
  async counts(ids: readonly number[], layers: readonly CountedLayer[] = countedLayers()): Promise<Map<number, Partial<LayerCounts>>> {
    if (layers.length === 0) return new Map(ids.map((id) => [id, {}]));
    const columns = layers.map((field) => {
      const layer = new COUNTED_LAYERS[field](this.db as Knex, this.access).layer;
      const { table, resource } = layer;
      const qb = this.db(table).count('*').where(this.db.raw('ST_Intersects(??, n.geom)', [`${table}.geom`]));
      const scope = this.access.condition(this.db as Knex, resource, Action.READ, layerTarget(table));
      if (scope) qb.where(scope);
      layer.applyFilter(qb, {}, (column: string) => `${table}.${column}`);
      return this.db.raw('(?)::int AS ??', [qb, field]);
    });
    const rows = (await this.db(`${NEIGHBOURHOOD_TABLE} as n`)
      .select('n.id', ...columns)
      .whereIn('n.id', [...ids])) as (Partial<LayerCounts> & { id: number })[];
    return new Map(rows.map(({ id, ...counts }) => [id, counts]));
  }
}
