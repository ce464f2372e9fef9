import type { Knex } from 'knex';
import { Access } from '../../common/auth/access';
import type { Identity } from '../../common/auth/identity';
import { AccessRepository, type LoadedUser } from './access.repository';

/**
 * What a user (or an anonymous request, for null) may do, with the account as it is now stored:
 * one statement per request. `user` is null when there is no account with that id.
 */
export async function loadAccess(
  db: Knex,
  userId: number | null,
  identify: (user: LoadedUser) => Identity = (u) => ({ userId: u.id, username: u.username, orgUnitId: u.orgUnitId, via: 'ACCESS_TOKEN' }),
): Promise<{ access: Access; user: LoadedUser | null }> {
  const { user, grants, ownOrgUnitIds } = await new AccessRepository(db).load(userId);
  if (userId === null || !user) return { access: new Access(null, grants.filter((g) => g.publicOnly), []), user };
  return { access: new Access(identify(user), grants, ownOrgUnitIds), user };
}
