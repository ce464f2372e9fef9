export { AssetResolver, CameraAssetResolver, RemoteUnitAssetResolver } from './asset.resolver';
export { AssetMutationResolver, AssetStateResolver } from './asset.mutations';
export { createAssetLoaders, type AssetLoaders } from './asset.loaders';
export { AssetRepository, ASSET_TABLE } from './asset.repository';
export { assetGeometry } from './asset.service';
export { ASSET_TRANSITIONS, checkTransition, transitionAsset, type TransitionVia } from './asset-states';
export { Asset, AssetConnection, AssetFilter, AssetState, AssetType } from './asset.type';
export { Vendor } from './vendor.type';
export { VendorRepository } from './vendor.repository';
