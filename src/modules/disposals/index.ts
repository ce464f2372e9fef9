export { AssetDisposalsResolver, DisposalMutationResolver, DisposalResolver } from './disposal.resolver';
export { createDisposalLoaders, type DisposalLoaders } from './disposal.loaders';
export { Disposal, DisposalState } from './disposal.type';
