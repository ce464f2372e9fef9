import type { Knex } from 'knex';
import DataLoader from 'dataloader';
import type { Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { USER_TARGET, UserRepository } from './user.repository';
import type { User } from './user.type';

export interface UserLoaders {
  byId: DataLoader<number, User | null>;
}

/** This request's user loaders: only the users it may read (a READ grant on USERS). */
export function createUserLoaders(db: Knex, access: Access): UserLoaders {
  const repo = new UserRepository(db);
  return {
    byId: new DataLoader<number, User | null>(async (ids) => {
      const scope = access.condition(db, Resource.USERS, Action.READ, USER_TARGET);
      const found = new Map((await repo.byIds(ids, scope)).map((u) => [u.id, u]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
