import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { Access } from './common/auth/access';
import type { AuthSettings, Identity } from './common/auth/identity';
import type { GeoService } from './geo/geo.service';
import { createAssetLoaders, type AssetLoaders } from './modules/assets';
import { createCameraLoaders, type CameraLoaders } from './modules/cameras';
import { createCustodyLoaders, type CustodyLoaders } from './modules/custody';
import { createDisposalLoaders, type DisposalLoaders } from './modules/disposals';
import { createFaultLoaders, type FaultLoaders } from './modules/faults';
import { createImportJobLoaders, type ImportJobLoaders } from './modules/imports';
import { createNeighbourhoodLoaders, type NeighbourhoodLoaders } from './modules/neighbourhoods';
import { createNetworkLoaders, type NetworkLoaders } from './modules/network';
import { createOrgUnitLoaders, type OrgUnitLoaders } from './modules/org-units';
import { createParcelLoaders, type ParcelLoaders } from './modules/parcels';
import { createRemoteUnitLoaders, type RemoteUnitLoaders } from './modules/remote-units';
import { createStockLoaders, type StockLoaders } from './modules/stock';
import { createUserLoaders, type UserLoaders } from './modules/users';
import type { RequestLogContext } from './logger';

/** What every resolver gets: the database, the geo checks, and this request's own DataLoaders. */
export interface Context {
  db: Knex;
  geo: GeoService;
  requestId: string;
  auth: AuthSettings;
  /** Who the request acts as; null when it carries no token (anonymous). */
  identity: Identity | null;
  /** What the request may do: its grants, as SQL conditions for repositories. */
  access: Access;
  loaders: {
    assets: AssetLoaders;
    cameras: CameraLoaders;
    custody: CustodyLoaders;
    disposals: DisposalLoaders;
    faults: FaultLoaders;
    imports: ImportJobLoaders;
    neighbourhoods: NeighbourhoodLoaders;
    network: NetworkLoaders;
    orgUnits: OrgUnitLoaders;
    parcels: ParcelLoaders;
    remoteUnits: RemoteUnitLoaders;
    stock: StockLoaders;
    users: UserLoaders;
  };
  /** The request's line in the access log (HTTP requests): the operation and errors are noted on it. */
  log?: RequestLogContext;
}

export interface AppServices {
  db: Knex;
  geo: GeoService;
  auth: AuthSettings;
}

/**
 * A new context per request: loaders are never shared between requests (their caches would leak),
 * and each is built on this request's access, so its batches read only what the request may.
 */
export function createContext(
  services: AppServices,
  requestId: string = randomUUID(),
  access: Access = new Access(null, [], []),
): Context {
  const { geo, auth } = services;
  const context: Context = Object.assign(Object.create(DATABASE_ON_FIRST_USE) as { services: AppServices }, {
    // Read through `services` by the prototype's `db` getter: a request's database handle is made
    // when first used (see server.ts). Apollo Server copies the context's own properties into a new
    // object for each operation (reading every getter among them), so the getter must not be one.
    services,
    geo,
    requestId,
    auth,
    identity: access.identity,
    access,
    // Built when a resolver first asks for them: a request that reads no cameras builds no
    // camera loaders (and no read scope for them).
    loaders: undefined as unknown as Context['loaders'],
  }) as unknown as Context;
  context.loaders = new RequestLoaders(context, access) as unknown as Loaders;
  return context;
}

/** The prototype of every context: `db` is the services' handle, read when a resolver uses it. */
const DATABASE_ON_FIRST_USE = Object.create(Object.prototype, {
  db: {
    get(this: { services: AppServices }) {
      return this.services.db;
    },
  },
});

type Loaders = Context['loaders'];

/** How each kind of a request's loaders is made, on the request's database handle and access. */
const LOADER_FACTORIES: { [K in keyof Loaders]: (db: Knex, access: Access) => Loaders[K] } = {
  assets: createAssetLoaders,
  cameras: createCameraLoaders,
  custody: createCustodyLoaders,
  disposals: createDisposalLoaders,
  faults: createFaultLoaders,
  imports: createImportJobLoaders,
  neighbourhoods: createNeighbourhoodLoaders,
  network: createNetworkLoaders,
  orgUnits: (db) => createOrgUnitLoaders(db),
  parcels: createParcelLoaders,
  remoteUnits: createRemoteUnitLoaders,
  stock: createStockLoaders,
  users: createUserLoaders,
};

/**
 * A request's loaders, each kind made on first read, then kept. The getters are defined once, on
 * the prototype: a request builds one small object, not a getter per kind.
 */
class RequestLoaders {
  readonly made: Partial<Loaders> = {};

  constructor(
    readonly context: Context,
    readonly access: Access,
  ) {}
}
for (const key of Object.keys(LOADER_FACTORIES) as (keyof Loaders)[]) {
  Object.defineProperty(RequestLoaders.prototype, key, {
    enumerable: true,
    get(this: RequestLoaders) {
      return (this.made[key] ??= LOADER_FACTORIES[key](this.context.db, this.access) as never);
    },
  });
}
