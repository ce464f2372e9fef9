import type { Knex } from 'knex';
import { Access, type EffectiveGrant } from '../../common/auth/access';
import type { Identity } from '../../common/auth/identity';
import { AccessRepository, type LoadedUser } from './access.repository';
import { accessEventsOf } from './access-events';

interface Loaded {
  user: LoadedUser | null;
  grants: EffectiveGrant[];
  ownOrgUnitIds: number[];
}

/** Accounts whose access a server keeps between requests, per database handle. */
const MAX_CACHED = 1000;
const caches = new WeakMap<Knex, Map<string, { version: string; loaded: Loaded }>>();

/**
 * The account's user row, grants and units, reused while nothing access is computed from has
 * changed. Where the server listens for the database's access notifications (see AccessEvents),
 * that costs no statement at all; otherwise it is the access_version counter (bumped by triggers on
 * every table access comes from): one tiny statement per request instead of the grants query.
 * Either way never stale, whichever process made the change.
 */
async function loadCached(db: Knex, userId: number | null, stamp?: string): Promise<Loaded> {
  const repo = new AccessRepository(db);
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const key = String(userId);
  // The stamp is read before loading: a change that lands while the grants are read makes the
  // kept entry stale at once.
  const version = stamp ?? (await accessStamp(db));
  const hit = cache.get(key);
  if (hit && hit.version === version) return hit.loaded;
  const loaded = await repo.load(userId);
  cache.delete(key);
  cache.set(key, { version, loaded });
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return loaded;
}

/**
 * Where access stands now: a string that changes whenever anything access is computed from may have
 * changed (accounts, their passwords and roles, grants, units, neighbourhoods), in any process. Free
 * where the server hears the database's notifications; one read of access_version otherwise.
 */
export async function accessStamp(db: Knex): Promise<string> {
  const events = accessEventsOf(db);
  return events?.listening ? `epoch ${events.epoch()}` : new AccessRepository(db).version();
}

/**
 * What a user (or an anonymous request, for null) may do, with the account as it is now stored.
 * `user` is null when there is no account with that id. `stamp`: an accessStamp the caller read
 * just before (not read again).
 */
export async function loadAccess(
  db: Knex,
  userId: number | null,
  identify: (user: LoadedUser) => Identity = (u) => ({ userId: u.id, username: u.username, orgUnitId: u.orgUnitId, via: 'ACCESS_TOKEN' }),
  stamp?: string,
): Promise<{ access: Access; user: LoadedUser | null }> {
  const { user, grants, ownOrgUnitIds } = await loadCached(db, userId, stamp);
  if (userId === null || !user) return { access: new Access(null, grants.filter((g) => g.publicOnly), []), user };
  return { access: new Access(identify(user), grants, ownOrgUnitIds), user };
}
