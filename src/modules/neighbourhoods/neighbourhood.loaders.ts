import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import DataLoader from 'dataloader';
import { anchoredPagesLoader, createLayerLoaders, type AnchoredKey, type LayerLoaders } from '../../geo/layer.loaders';
import type { RegionPage } from '../../geo/layer.repository';
import { NEIGHBOURHOOD_TABLE } from '../../geo/spatial-filter';
import { CameraRepository, type Camera, type CameraFilter } from '../cameras';
import { countedLayers, NeighbourhoodRepository, type LayerCounts } from './neighbourhood.repository';
import type { Neighbourhood } from './neighbourhood.type';

export interface NeighbourhoodLoaders extends LayerLoaders<Neighbourhood> {
  /** The first cameras inside each neighbourhood: one statement per distinct (first, filter). */
  cameras: DataLoader<AnchoredKey<CameraFilter>, RegionPage<Camera>, string>;
  /**
   * How many features of each layer each neighbourhood holds, for the layers a query selects on
   * `counts` (all of them when not given): one loader (and statement) per selection.
   */
  counts(fields?: ReadonlySet<string>): DataLoader<number, Partial<LayerCounts>>;
  /**
   * The neighbourhood a feature of `layerTable` is in, with the fields a query selects on it: one
   * loader (and statement) per layer and selection.
   */
  containing(layerTable: string, fields?: ReadonlySet<string>): DataLoader<number, Neighbourhood | null>;
}

export function createNeighbourhoodLoaders(db: Knex, access: Access): NeighbourhoodLoaders {
  const repo = new NeighbourhoodRepository(db, access);
  const containing = new Map<string, DataLoader<number, Neighbourhood | null>>();
  const counts = new Map<string, DataLoader<number, Partial<LayerCounts>>>();
  return {
    ...createLayerLoaders(repo),
    cameras: anchoredPagesLoader(new CameraRepository(db, access), NEIGHBOURHOOD_TABLE),
    counts(fields) {
      const layers = countedLayers(fields);
      const key = layers.join(',');
      let loader = counts.get(key);
      if (!loader) {
        loader = new DataLoader<number, Partial<LayerCounts>>(async (ids) => {
          const found = await repo.counts(ids, layers);
          return ids.map((id) => found.get(id)!);
        });
        counts.set(key, loader);
      }
      return loader;
    },
    containing(layerTable, fields) {
      const key = `${layerTable} ${fields ? [...fields].sort().join(',') : '*'}`;
      let loader = containing.get(key);
      if (!loader) {
        loader = new DataLoader<number, Neighbourhood | null>(async (ids) => {
          const found = await repo.containing(layerTable, ids, fields);
          return ids.map((id) => found.get(id) ?? null);
        });
        containing.set(key, loader);
      }
      return loader;
    },
  };
}
