import { featureCollectionResolver } from './geo/feature-collection';
import { AssetConnection, AssetRepository } from './modules/assets';
import { CameraConnection, CameraRepository } from './modules/cameras';
import { FaultConnection, FaultRepository } from './modules/faults';
import { NeighbourhoodConnection, NeighbourhoodRepository } from './modules/neighbourhoods';
import { NetworkLineConnection, NetworkLineRepository, NetworkNodeConnection, NetworkNodeRepository } from './modules/network';
import { ParcelConnection, ParcelRepository } from './modules/parcels';
import { RemoteUnitConnection, RemoteUnitRepository } from './modules/remote-units';

/** `featureCollection(srid)` on the connection of every layer (and register with a geometry). */
export const featureCollectionResolvers = [
  featureCollectionResolver(CameraConnection, CameraRepository),
  featureCollectionResolver(NeighbourhoodConnection, NeighbourhoodRepository),
  featureCollectionResolver(NetworkNodeConnection, NetworkNodeRepository),
  featureCollectionResolver(NetworkLineConnection, NetworkLineRepository),
  featureCollectionResolver(RemoteUnitConnection, RemoteUnitRepository),
  featureCollectionResolver(ParcelConnection, ParcelRepository),
  featureCollectionResolver(AssetConnection, AssetRepository),
  featureCollectionResolver(FaultConnection, FaultRepository),
];
