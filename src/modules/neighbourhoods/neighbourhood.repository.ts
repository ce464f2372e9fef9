import type { Knex } from 'knex';
import { LayerRepository, type LayerDefinition } from '../../geo/layer.repository';
import { NEIGHBOURHOOD_TABLE } from '../../geo/spatial-filter';
import { foldedContains, foldedEquals } from '../../db/text-search';
import type { Neighbourhood, NeighbourhoodFilter } from './neighbourhood.type';

export const neighbourhoodLayer = (db: Knex): LayerDefinition<NeighbourhoodFilter> => ({
  table: NEIGHBOURHOOD_TABLE,
  geometryType: 'MULTIPOLYGON',
  columns: {
    code: 'code',
    name: 'name',
    district: 'district',
    province: 'province',
    population: 'population',
    version: 'version',
    createdAt: 'created_at',
    updatedAt: 'updated_at',
  },
  computed: {
    areaSquareMeters: `ST_Area(${NEIGHBOURHOOD_TABLE}.geom::geography)`,
  },
  applyFilter(qb, f, col) {
    if (f.name != null) qb.where(foldedEquals(db, col('name'), f.name));
    if (f.district != null) qb.where(foldedEquals(db, col('district'), f.district));
    if (f.search) {
      const text = f.search;
      qb.where((w) => w.where(foldedContains(db, col('name'), text)).orWhere(foldedContains(db, col('code'), text)));
    }
  },
});

export class NeighbourhoodRepository extends LayerRepository<Neighbourhood, NeighbourhoodFilter> {
  constructor(db: Knex) {
    super(db, neighbourhoodLayer(db));
  }
}
