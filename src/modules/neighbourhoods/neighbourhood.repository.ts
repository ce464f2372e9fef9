import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { layerTarget } from '../../common/auth/access';
import { Action, LAYER_TABLES, Resource } from '../../common/auth/resources';
import { LayerRepository, type LayerDefinition } from '../../geo/layer.repository';
import { NEIGHBOURHOOD_TABLE } from '../../geo/spatial-filter';
import { foldedContainsAny, foldedEquals } from '../../db/text-search';
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

/** The layers whose features neighbourhoods count, by GraphQL field name. */
export const COUNTED_LAYERS = {
  cameras: Resource.CAMERAS,
  networkNodes: Resource.NETWORK_NODES,
  networkLines: Resource.NETWORK_LINES,
  remoteUnits: Resource.REMOTE_UNITS,
  parcels: Resource.PARCELS,
  assets: Resource.ASSETS,
} as const;

const COUNTED_TABLES: Record<(typeof COUNTED_LAYERS)[keyof typeof COUNTED_LAYERS], string> = { ...LAYER_TABLES, [Resource.ASSETS]: 'assets' };

export type LayerCounts = Record<keyof typeof COUNTED_LAYERS, number>;

export class NeighbourhoodRepository extends LayerRepository<Neighbourhood, NeighbourhoodFilter> {
  constructor(db: Knex | Knex.Transaction, access: Access) {
    super(db, neighbourhoodLayer(db as Knex), access);
  }

  /**
   * For features of `layerTable`, the neighbourhood each is in: the one containing a point on the
   * feature (its position; a point on a line; a point inside a polygon), lowest id on a boundary.
   */
  async containing(layerTable: string, featureIds: readonly number[]): Promise<Map<number, Neighbourhood>> {
    const { rows } = await this.db.raw(
      `SELECT DISTINCT ON (f.id) f.id AS "featureId", s.*
       FROM ?? AS f
       JOIN (?) AS s ON ST_Intersects(s.boundary, ST_PointOnSurface(f.geom))
       WHERE f.id = ANY(?::int[])
       ORDER BY f.id, s.id`,
      [layerTable, this.scoped().select(this.selectList()).select(`${NEIGHBOURHOOD_TABLE}.geom as boundary`), [...featureIds]],
    );
    return new Map(
      (rows as (Neighbourhood & { featureId: number; boundary: unknown })[]).map(({ featureId, boundary: _b, ...n }) => [
        featureId,
        n as Neighbourhood,
      ]),
    );
  }

  /**
   * How many features of each layer intersect each neighbourhood, in one statement; each layer
   * counts only the features this request may read.
   */
  async counts(ids: readonly number[]): Promise<Map<number, LayerCounts>> {
    const columns = Object.entries(COUNTED_LAYERS).map(([field, resource]) => {
      const scope = this.access.condition(this.db as Knex, resource, Action.READ, layerTarget('f'));
      return this.db.raw(`(SELECT count(*) FROM ?? AS f WHERE ST_Intersects(f.geom, n.geom)${scope ? ' AND ?' : ''})::int AS ??`, [
        COUNTED_TABLES[resource],
        ...(scope ? [scope] : []),
        field,
      ]);
    });
    const rows = (await this.db(`${NEIGHBOURHOOD_TABLE} as n`)
      .select('n.id', ...columns)
      .whereIn('n.id', [...ids])) as (LayerCounts & { id: number })[];
    return new Map(rows.map(({ id, ...counts }) => [id, counts]));
  }
}
