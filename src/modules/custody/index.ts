export { CustodyResolver, HandoverResolver, HandoverItemResolver } from './custody.resolver';
export { CustodyMutationResolver } from './custody.mutations';
export { AssetCustodyResolver, UserCustodyResolver } from './custody-relations.resolver';
export { createCustodyLoaders, type CustodyLoaders } from './custody.loaders';
export { endCustodyOfAsset } from './custody.service';
export { assetTarget, throughAsset } from './asset-scope';
export { Custodian, Custody, Handover, HandoverItem } from './custody.type';
