import type { Knex } from 'knex';
import DataLoader from 'dataloader';
import type { Access } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { groupBy } from '../../common/group-by';
import { RoleRepository, type Role } from '../permissions';
import { ApiTokenRepository, type ApiTokenRow } from './api-token.repository';
import { UserRepository } from './user.repository';
import type { User } from './user.type';

/** The per-request loaders of the users module. */
export interface UserLoaders {
  /** Users by id: only those the request may read (a READ grant on USERS), e-mail where a grant names it. */
  byId: DataLoader<number, User | null>;
  /** The roles of each user: with a READ grant on ROLES, or of the request's own account. */
  roles: DataLoader<number, Role[]>;
  /** The API tokens of each user: those the request's API_TOKENS READ grants cover. */
  apiTokens: DataLoader<number, ApiTokenRow[]>;
}

/** This request's user loaders; each batch is one statement with the request's scope in it. */
export function createUserLoaders(db: Knex, access: Access): UserLoaders {
  const users = new UserRepository(db, access);
  return {
    byId: new DataLoader<number, User | null>(async (ids) => {
      const found = new Map((await users.byIds(ids)).map((u) => [u.id, u]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    roles: new DataLoader<number, Role[]>(async (ids) => {
      const found = await new RoleRepository(db, access).ofUsers(ids, access.identity?.userId ?? null);
      return ids.map((id) => found.get(id) ?? []);
    }),
    apiTokens: new DataLoader<number, ApiTokenRow[]>(async (ids) => {
      // Without the grant there is nothing to read: no statement at all.
      if (!access.can(Resource.API_TOKENS, Action.READ)) return ids.map(() => []);
      const found = groupBy(await new ApiTokenRepository(db).list({ userIds: ids }, access), (t) => t.userId);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}
