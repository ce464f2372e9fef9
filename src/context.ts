import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { GeoService } from './geo/geo.service';
import { createCameraLoaders, type CameraLoaders } from './modules/cameras';
import { createNeighbourhoodLoaders, type NeighbourhoodLoaders } from './modules/neighbourhoods';
import { createNetworkLoaders, type NetworkLoaders } from './modules/network';
import { createOrgUnitLoaders, type OrgUnitLoaders } from './modules/org-units';
import { createParcelLoaders, type ParcelLoaders } from './modules/parcels';
import { createRemoteUnitLoaders, type RemoteUnitLoaders } from './modules/remote-units';

/** What every resolver gets: the database, the geo checks, and this request's own DataLoaders. */
export interface Context {
  db: Knex;
  geo: GeoService;
  requestId: string;
  loaders: {
    cameras: CameraLoaders;
    neighbourhoods: NeighbourhoodLoaders;
    network: NetworkLoaders;
    orgUnits: OrgUnitLoaders;
    parcels: ParcelLoaders;
    remoteUnits: RemoteUnitLoaders;
  };
}

export interface AppServices {
  db: Knex;
  geo: GeoService;
}

/** A new context per request: loaders are never shared between requests (their caches would leak). */
export function createContext(services: AppServices, requestId: string = randomUUID()): Context {
  const { db, geo } = services;
  return {
    db,
    geo,
    requestId,
    loaders: {
      cameras: createCameraLoaders(db),
      neighbourhoods: createNeighbourhoodLoaders(db),
      network: createNetworkLoaders(db),
      orgUnits: createOrgUnitLoaders(db),
      parcels: createParcelLoaders(db),
      remoteUnits: createRemoteUnitLoaders(db),
    },
  };
}
