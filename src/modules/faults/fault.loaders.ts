import type { Knex } from 'knex';
import DataLoader from 'dataloader';
import type { Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { groupBy } from '../../common/group-by';
import { createLayerLoaders, type LayerLoaders } from '../../geo/layer.loaders';
import { FaultRepository } from './fault.repository';
import type { Fault, FaultEvent, VendorRepair } from './fault.type';

export interface FaultLoaders extends LayerLoaders<Fault> {
  /** The faults of each asset (its repair history), newest first. */
  byAsset: DataLoader<number, Fault[]>;
  /** The steps of each fault, in order. */
  events: DataLoader<number, FaultEvent[]>;
  /** The vendor repairs of each fault, in order. */
  vendorRepairs: DataLoader<number, VendorRepair[]>;
}

/** This request's fault loaders: each batch one statement, within the request's FAULTS read scope. */
export function createFaultLoaders(db: Knex, access: Access): FaultLoaders {
  const repo = new FaultRepository(db, access);
  // Without a FAULTS READ grant there is nothing to read: no statement at all.
  const readable = () => access.can(Resource.FAULTS, Action.READ);
  const grouped = <T>(rows: T[], key: (row: T) => number | null, ids: readonly number[]): T[][] => {
    const found = groupBy(rows, key);
    return ids.map((id) => found.get(id) ?? []);
  };
  return {
    ...createLayerLoaders(repo),
    byAsset: new DataLoader<number, Fault[]>(async (ids) => (readable() ? grouped(await repo.ofAssets(ids), (f) => f.assetId, ids) : ids.map(() => []))),
    events: new DataLoader<number, FaultEvent[]>(async (ids) => grouped(await repo.events(ids), (e) => e.faultId, ids)),
    vendorRepairs: new DataLoader<number, VendorRepair[]>(async (ids) => grouped(await repo.vendorRepairs(ids), (r) => r.faultId, ids)),
  };
}
