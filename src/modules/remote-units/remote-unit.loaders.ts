import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import type DataLoader from 'dataloader';
import { anchoredPagesLoader, createLayerLoaders, type AnchoredKey, type LayerLoaders } from '../../geo/layer.loaders';
import type { RegionPage } from '../../geo/layer.repository';
import { CameraRepository, type Camera, type CameraFilter } from '../cameras';
import { REMOTE_UNIT_TABLE, RemoteUnitRepository } from './remote-unit.repository';
import type { RemoteUnit } from './remote-unit.type';

export interface RemoteUnitLoaders extends LayerLoaders<RemoteUnit> {
  /** Cameras within a distance of each remote unit, nearest first. */
  camerasNear: DataLoader<AnchoredKey<CameraFilter>, RegionPage<Camera>, string>;
}

export function createRemoteUnitLoaders(db: Knex, access: Access): RemoteUnitLoaders {
  return {
    ...createLayerLoaders(new RemoteUnitRepository(db, access)),
    camerasNear: anchoredPagesLoader(new CameraRepository(db, access), REMOTE_UNIT_TABLE),
  };
}
