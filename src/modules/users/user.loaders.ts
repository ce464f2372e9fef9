import type { Knex } from 'knex';
import DataLoader from 'dataloader';
import { UserRepository } from './user.repository';
import type { User } from './user.type';

export interface UserLoaders {
  byId: DataLoader<number, User | null>;
}

export function createUserLoaders(db: Knex): UserLoaders {
  const repo = new UserRepository(db);
  return {
    byId: new DataLoader<number, User | null>(async (ids) => {
      const found = new Map((await repo.byIds(ids)).map((u) => [u.id, u]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
