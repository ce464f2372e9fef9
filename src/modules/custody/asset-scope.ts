import type { Knex } from 'knex';
import { layerTarget, type Access, type ScopeTarget } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';

/**
 * The asset under `alias` as a register kept per asset (custody, disposals) sees it: its area and
 * directorate, never its public flag (these records are not for e-Belediye).
 */
export const assetTarget = (alias: string): ScopeTarget => ({ geom: `${alias}.geom`, owner: `${alias}.owner_org_unit_id` });

/**
 * The rows of a register kept per asset that the request may read: those of assets it may read
 * (ASSETS READ), where its grant for `action` on the register itself reaches the asset; null when
 * every row qualifies. The caller joins `assets` as `alias`.
 */
export function throughAsset(db: Knex, access: Access, resource: Resource, action: Action, alias = 'a'): Knex.Raw | null {
  const parts = [
    access.condition(db, Resource.ASSETS, Action.READ, layerTarget(alias)),
    access.condition(db, resource, action, assetTarget(alias)),
  ].filter((p): p is Knex.Raw => p !== null);
  if (parts.length === 0) return null;
  return db.raw(parts.map(() => '(?)').join(' AND '), parts);
}
