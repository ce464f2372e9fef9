import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import type DataLoader from 'dataloader';
import { createLayerLoaders, sridLoader, type LayerLoaders, type SridKey } from '../../geo/layer.loaders';
import { CameraRepository } from './camera.repository';
import type { Camera } from './camera.type';
import { neighbourhoodCoverageLoader, type CameraCoverage, type CoverageKey } from './camera-coverage';

export interface CameraLoaders extends LayerLoaders<Camera> {
  fieldOfView: DataLoader<SridKey, unknown, string>;
  /** Camera coverage of each neighbourhood. */
  coverage: DataLoader<CoverageKey, CameraCoverage, string>;
}

/** This request's camera loaders. */
export function createCameraLoaders(db: Knex, access: Access): CameraLoaders {
  const repository = new CameraRepository(db, access);
  return {
    ...createLayerLoaders(repository),
    fieldOfView: sridLoader((ids, srid, digits) => repository.fieldsOfView(ids, srid, digits)),
    coverage: neighbourhoodCoverageLoader(db, access),
  };
}
