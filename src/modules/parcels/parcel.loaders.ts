import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { createLayerLoaders, type LayerLoaders } from '../../geo/layer.loaders';
import { ParcelRepository } from './parcel.repository';
import type { Parcel } from './parcel.type';

export type ParcelLoaders = LayerLoaders<Parcel>;

export function createParcelLoaders(db: Knex, access: Access): ParcelLoaders {
  return createLayerLoaders(new ParcelRepository(db, access));
}
