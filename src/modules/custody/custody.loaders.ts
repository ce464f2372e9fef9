import type { Knex } from 'knex';
import DataLoader from 'dataloader';
import type { Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { groupBy } from '../../common/group-by';
import { CustodyRepository } from './custody.repository';
import type { Custody, Handover, HandoverItem } from './custody.type';

/** Whose custody a loader is asked for, and whether returned custody counts. */
export interface HolderKey {
  id: number;
  includeReturned: boolean;
}

const holderKey = (k: HolderKey) => `${k.id}:${k.includeReturned}`;

/** The per-request loaders of the custody module; each batch is one statement with the request's scope in it. */
export interface CustodyLoaders {
  byId: DataLoader<number, Custody | null>;
  /** The open custody of each asset (null when it is held by no one). */
  currentOfAsset: DataLoader<number, Custody | null>;
  /** Every custody of each asset, newest first. */
  historyOfAsset: DataLoader<number, Custody[]>;
  /** What each person holds (and held), newest first. */
  ofUser: DataLoader<HolderKey, Custody[], string>;
  handover: DataLoader<number, Handover | null>;
  /** The assets of each handover that the request may read. */
  handoverItems: DataLoader<number, HandoverItem[]>;
}

/**
 * This request's custody loaders. Without a READ grant on CUSTODY there is nothing to read: they
 * answer empty without a statement.
 */
export function createCustodyLoaders(db: Knex, access: Access): CustodyLoaders {
  const repo = new CustodyRepository(db, access);
  const readable = () => access.can(Resource.CUSTODY, Action.READ);
  return {
    byId: new DataLoader<number, Custody | null>(async (ids) => {
      const found = new Map((readable() ? await repo.byIds(ids) : []).map((c) => [c.id, c]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    currentOfAsset: new DataLoader<number, Custody | null>(async (ids) => {
      const found = new Map((readable() ? await repo.ofAssets(ids, true) : []).map((c) => [c.assetId, c]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    historyOfAsset: new DataLoader<number, Custody[]>(async (ids) => {
      const found = groupBy(readable() ? await repo.ofAssets(ids, false) : [], (c) => c.assetId);
      return ids.map((id) => found.get(id) ?? []);
    }),
    ofUser: new DataLoader<HolderKey, Custody[], string>(
      async (keys) => {
        const found = new Map<string, Custody[]>();
        if (readable()) {
          for (const [includeReturned, group] of groupBy(keys, (k) => k.includeReturned)) {
            const rows = groupBy(await repo.ofHolders('holder_user_id', [...new Set(group.map((k) => k.id))], includeReturned), (c) => c.holderUserId);
            for (const k of group) found.set(holderKey(k), rows.get(k.id) ?? []);
          }
        }
        return keys.map((k) => found.get(holderKey(k)) ?? []);
      },
      { cacheKeyFn: holderKey },
    ),
    handover: new DataLoader<number, Handover | null>(async (ids) => {
      const found = new Map((readable() ? await repo.handoversByIds(ids) : []).map((h) => [h.id, h]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    handoverItems: new DataLoader<number, HandoverItem[]>(async (ids) => {
      const found = groupBy(readable() ? await repo.handoverItems(ids) : [], (i) => i.handoverId);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}
