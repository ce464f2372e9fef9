import type { Knex } from 'knex';
import DataLoader from 'dataloader';
import { createLayerLoaders, type LayerLoaders } from '../../geo/layer.loaders';
import type { RegionPage } from '../../geo/layer.repository';
import { NEIGHBOURHOOD_TABLE } from '../../geo/spatial-filter';
import { CameraRepository, type Camera, type CameraFilter } from '../cameras';
import { NeighbourhoodRepository } from './neighbourhood.repository';
import type { Neighbourhood } from './neighbourhood.type';

export interface CamerasInKey {
  neighbourhoodId: number;
  first: number;
  filter: CameraFilter | null;
}

export interface NeighbourhoodLoaders extends LayerLoaders<Neighbourhood> {
  /** The first cameras inside each neighbourhood: one statement per distinct (first, filter). */
  cameras: DataLoader<CamerasInKey, RegionPage<Camera>, string>;
}

const argsKey = (k: CamerasInKey) => JSON.stringify([k.first, k.filter]);

export function createNeighbourhoodLoaders(db: Knex): NeighbourhoodLoaders {
  const cameras = new CameraRepository(db);
  return {
    ...createLayerLoaders(new NeighbourhoodRepository(db)),
    cameras: new DataLoader<CamerasInKey, RegionPage<Camera>, string>(
      async (keys) => {
        const groups = new Map<string, CamerasInKey[]>();
        for (const key of keys) groups.set(argsKey(key), [...(groups.get(argsKey(key)) ?? []), key]);
        const pages = new Map<string, RegionPage<Camera>>();
        for (const [args, group] of groups) {
          const { first, filter } = group[0];
          const ids = [...new Set(group.map((k) => k.neighbourhoodId))];
          const byRegion = await cameras.pagesWithin(NEIGHBOURHOOD_TABLE, ids, { filter, predicates: [], first });
          for (const [id, page] of byRegion) pages.set(`${id}:${args}`, page);
        }
        return keys.map((k) => pages.get(`${k.neighbourhoodId}:${argsKey(k)}`)!);
      },
      { cacheKeyFn: (k) => `${k.neighbourhoodId}:${argsKey(k)}` },
    ),
  };
}
