import type { Knex } from 'knex';
import DataLoader from 'dataloader';
import type { Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { groupBy } from '../../common/group-by';
import { DisposalRepository } from './disposal.repository';
import type { Disposal } from './disposal.type';

/** The per-request loaders of the disposals module; each batch is one statement with the request's scope in it. */
export interface DisposalLoaders {
  byId: DataLoader<number, Disposal | null>;
  /** The disposals of each asset, newest first. */
  ofAsset: DataLoader<number, Disposal[]>;
}

/** This request's disposal loaders; without a READ grant on DISPOSALS they answer empty, without a statement. */
export function createDisposalLoaders(db: Knex, access: Access): DisposalLoaders {
  const repo = new DisposalRepository(db, access);
  const readable = () => access.can(Resource.DISPOSALS, Action.READ);
  return {
    byId: new DataLoader<number, Disposal | null>(async (ids) => {
      const found = new Map((readable() ? await repo.byIds(ids) : []).map((d) => [d.id, d]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    ofAsset: new DataLoader<number, Disposal[]>(async (ids) => {
      const found = groupBy(readable() ? await repo.ofAssets(ids) : [], (d) => d.assetId);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}
