import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { AuthSettings, Identity } from './common/auth/identity';
import type { GeoService } from './geo/geo.service';
import { createCameraLoaders, type CameraLoaders } from './modules/cameras';
import { createNeighbourhoodLoaders, type NeighbourhoodLoaders } from './modules/neighbourhoods';
import { createNetworkLoaders, type NetworkLoaders } from './modules/network';
import { createOrgUnitLoaders, type OrgUnitLoaders } from './modules/org-units';
import { createParcelLoaders, type ParcelLoaders } from './modules/parcels';
import { createRemoteUnitLoaders, type RemoteUnitLoaders } from './modules/remote-units';
import { createUserLoaders, type UserLoaders } from './modules/users';

/** What every resolver gets: the database, the geo checks, and this request's own DataLoaders. */
export interface Context {
  db: Knex;
  geo: GeoService;
  requestId: string;
  auth: AuthSettings;
  /** Who the request acts as; null when it carries no token (anonymous). */
  identity: Identity | null;
  loaders: {
    cameras: CameraLoaders;
    neighbourhoods: NeighbourhoodLoaders;
    network: NetworkLoaders;
    orgUnits: OrgUnitLoaders;
    parcels: ParcelLoaders;
    remoteUnits: RemoteUnitLoaders;
    users: UserLoaders;
  };
}

export interface AppServices {
  db: Knex;
  geo: GeoService;
  auth: AuthSettings;
}

/** A new context per request: loaders are never shared between requests (their caches would leak). */
export function createContext(services: AppServices, requestId: string = randomUUID(), identity: Identity | null = null): Context {
  const { db, geo, auth } = services;
  return {
    db,
    geo,
    requestId,
    auth,
    identity,
    loaders: {
      cameras: createCameraLoaders(db),
      neighbourhoods: createNeighbourhoodLoaders(db),
      network: createNetworkLoaders(db),
      orgUnits: createOrgUnitLoaders(db),
      parcels: createParcelLoaders(db),
      remoteUnits: createRemoteUnitLoaders(db),
      users: createUserLoaders(db),
    },
  };
}
