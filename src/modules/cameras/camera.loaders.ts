import type { Knex } from 'knex';
import type DataLoader from 'dataloader';
import { createLayerLoaders, sridLoader, type LayerLoaders, type SridKey } from '../../geo/layer.loaders';
import { CameraRepository } from './camera.repository';
import type { Camera } from './camera.type';

export interface CameraLoaders extends LayerLoaders<Camera> {
  fieldOfView: DataLoader<SridKey, unknown, string>;
}

/** This request's camera loaders. */
export function createCameraLoaders(db: Knex): CameraLoaders {
  const repository = new CameraRepository(db);
  return {
    ...createLayerLoaders(repository),
    fieldOfView: sridLoader((ids, srid, digits) => repository.fieldsOfView(ids, srid, digits)),
  };
}
