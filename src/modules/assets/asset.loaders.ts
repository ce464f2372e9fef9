import type { Knex } from 'knex';
import DataLoader from 'dataloader';
import type { Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { createLayerLoaders, type LayerLoaders } from '../../geo/layer.loaders';
import { AssetRepository } from './asset.repository';
import type { Asset } from './asset.type';
import { VENDOR_TARGET, VendorRepository } from './vendor.repository';
import type { Vendor } from './vendor.type';

export interface AssetLoaders extends LayerLoaders<Asset> {
  /** The asset record of each camera (null when it has none, or the request may not read it). */
  byCamera: DataLoader<number, Asset | null>;
  /** The assets at each remote unit. */
  byRemoteUnit: DataLoader<number, Asset[]>;
  /** Vendors by id: null where the request may not read vendors (as every relation). */
  vendors: DataLoader<number, Vendor | null>;
}

/** This request's asset loaders: scoped by its grants like every layer's. */
export function createAssetLoaders(db: Knex, access: Access): AssetLoaders {
  const repo = new AssetRepository(db, access);
  const vendors = new VendorRepository(db);
  return {
    ...createLayerLoaders(repo),
    byCamera: new DataLoader<number, Asset | null>(async (ids) => {
      const rows = await repo.whereAnyIn(['camera_id'], ids);
      return ids.map((id) => rows.find((a) => a.cameraId === id) ?? null);
    }),
    byRemoteUnit: new DataLoader<number, Asset[]>(async (ids) => {
      const rows = await repo.whereAnyIn(['remote_unit_id'], ids);
      return ids.map((id) => rows.filter((a) => a.remoteUnitId === id));
    }),
    vendors: new DataLoader<number, Vendor | null>(async (ids) => {
      if (!access.can(Resource.VENDORS, Action.READ)) return ids.map(() => null);
      const rows = await vendors.byIds(access.condition(db, Resource.VENDORS, Action.READ, VENDOR_TARGET), ids);
      return ids.map((id) => rows.find((v) => v.id === id) ?? null);
    }),
  };
}
