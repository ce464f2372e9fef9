import type { Knex } from 'knex';
import DataLoader from 'dataloader';
import type { Access } from '../../common/auth/access';
import { groupBy } from '../../common/group-by';
import { StockRepository, type MovementPage } from './stock.repository';
import type { StockItem } from './stock.type';

/** Which page of an item's movements. */
export interface MovementPageKey {
  itemId: number;
  first: number;
  afterId: number | null;
}

const pageArgs = (k: MovementPageKey) => `${k.first}:${k.afterId ?? ''}`;
const pageKey = (k: MovementPageKey) => `${k.itemId}:${pageArgs(k)}`;

/** The per-request loaders of the stock module; each batch is one statement with the request's scope in it. */
export interface StockLoaders {
  /** Items by id, with their level. */
  byId: DataLoader<number, StockItem | null>;
  /** A page of each item's movements: one statement per distinct page arguments. */
  movements: DataLoader<MovementPageKey, MovementPage, string>;
  movementCount: DataLoader<number, number>;
}

export function createStockLoaders(db: Knex, access: Access): StockLoaders {
  const repo = new StockRepository(db, access);
  return {
    byId: new DataLoader<number, StockItem | null>(async (ids) => {
      const found = new Map((await repo.byIds(ids)).map((i) => [i.id, i]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    movements: new DataLoader<MovementPageKey, MovementPage, string>(
      async (keys) => {
        const pages = new Map<string, MovementPage>();
        for (const group of groupBy(keys, pageArgs).values()) {
          const { first, afterId } = group[0];
          const found = await repo.movementPages([...new Set(group.map((k) => k.itemId))], first, afterId);
          for (const k of group) pages.set(pageKey(k), found.get(k.itemId)!);
        }
        return keys.map((k) => pages.get(pageKey(k))!);
      },
      { cacheKeyFn: pageKey },
    ),
    movementCount: new DataLoader<number, number>(async (ids) => {
      const found = await repo.movementCounts(ids);
      return ids.map((id) => found.get(id) ?? 0);
    }),
  };
}
