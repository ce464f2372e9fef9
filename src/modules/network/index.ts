export { NetworkLineResolver, NetworkNodeResolver, RemoteUnitNetworkResolver } from './network.resolver';
export { createNetworkLoaders, type NetworkLoaders } from './network.loaders';
export { NetworkLineRepository, NetworkNodeRepository } from './network.repository';
export { networkLineGeometry, networkNodeGeometry } from './network.service';
export { NetworkLine, NetworkLineConnection, NetworkMedium, NetworkNode, NetworkNodeConnection, NetworkStatus } from './network.type';
export { NetworkLineInputs, NetworkNodeInputs, NetworkNodeMutationResolver, NetworkLineMutationResolver } from './network.mutations';
export {
  CameraServedByResolver,
  FaultImpactResolver,
  NetworkLineAssetResolver,
  NetworkNodeAssetResolver,
  NetworkCriticalElementResolver,
  NetworkImpactResolver,
  NetworkNodeRouteResolver,
  NetworkOperationsResolver,
  NetworkRouteStepResolver,
  RemoteUnitConnectivityResolver,
} from './network-operations.resolver';
export { NetworkGraph } from './network.graph';
export { networkOperations } from './network-operations.service';
export { toElement, type FaultElement } from './network.repository';
