import type { Knex } from 'knex';
import { AppError } from '../errors/app-error';
import type { Identity } from './identity';
import { Action, type Resource } from './resources';

/** A grant as it applies to one request: the area already resolved to a geometry. */
export interface EffectiveGrant {
  resource: Resource;
  action: Action;
  /** Only rows owned by the holder's own directorate (or its units). */
  ownOrgUnitOnly: boolean;
  /** Only rows in this area: hex EWKB of a (Multi)Polygon in EPSG:4326; null for no area limit. */
  area: string | null;
  /** Sensitive fields this grant reveals (READ grants). */
  fields: readonly string[];
  /** A grant of the public role: rows flagged public only. */
  publicOnly: boolean;
}

/** The columns a scope condition refers to, qualified (e.g. `cameras.geom`); absent: the resource has none. */
export interface ScopeTarget {
  geom?: string;
  owner?: string;
  isPublic?: string;
}

/** The usual layer columns under a table name or alias. */
export const layerTarget = (alias: string): ScopeTarget => ({
  geom: `${alias}.geom`,
  owner: `${alias}.owner_org_unit_id`,
  isPublic: `${alias}.is_public`,
});

export const forbidden = (message: string) => new AppError('FORBIDDEN', message);

/**
 * What one request may do: its identity's grants (or the public role's, when anonymous) and the
 * org units of its directorate. It turns them into SQL conditions that repositories put into
 * their own queries (NetBox's `restrict(user, action)`), so every path sees the same rows.
 */
export class Access {
  constructor(
    readonly identity: Identity | null,
    /** Every grant the request holds (its roles' and the public role's). */
    readonly grants: readonly EffectiveGrant[],
    /** The holder's directorate and every unit under it. */
    readonly ownOrgUnitIds: readonly number[],
  ) {}

  get anonymous(): boolean {
    return this.identity === null;
  }

  grantsFor(resource: Resource, action: Action): EffectiveGrant[] {
    return this.grants.filter((g) => g.resource === resource && g.action === action);
  }

  /** Whether any grant allows the action on some rows of the resource. */
  can(resource: Resource, action: Action): boolean {
    return this.grantsFor(resource, action).length > 0;
  }

  /** Whether some grant allows the action on every row of the resource (no area, directorate or public limit). */
  canEverywhere(resource: Resource, action: Action): boolean {
    return this.grantsFor(resource, action).some((g) => !g.area && !g.ownOrgUnitOnly && !g.publicOnly);
  }

  /**
   * FORBIDDEN unless some grant allows the action somewhere; for an anonymous request
   * UNAUTHENTICATED says what is missing (a login), with HTTP 200 like any other field error.
   */
  require(resource: Resource, action: Action, what: string): void {
    if (this.can(resource, action)) return;
    if (this.anonymous) {
      throw new AppError('UNAUTHENTICATED', `log in (or send an API token) to ${action.toLowerCase()} ${what}`);
    }
    throw forbidden(`you may not ${action.toLowerCase()} ${what}`);
  }

  /**
   * The SQL condition rows must meet for the action, or null when every row qualifies. Reading
   * takes rows that touch a granted area; writing takes rows lying wholly inside it, so that an
   * editor can neither reach out of, nor move a feature out of or into, an area not held.
   * With `field`, only grants that reveal that sensitive field count.
   */
  condition(db: Knex, resource: Resource, action: Action, target: ScopeTarget, field?: string): Knex.Raw | null {
    const grants = this.grantsFor(resource, action).filter((g) => field === undefined || g.fields.includes(field));
    const alternatives: Knex.Raw[] = [];
    for (const grant of grants) {
      const parts: Knex.Raw[] = [];
      if (grant.publicOnly) parts.push(target.isPublic ? db.raw('??', [target.isPublic]) : db.raw('FALSE'));
      if (grant.area) {
        if (!target.geom) parts.push(db.raw('FALSE'));
        else if (action === Action.READ) parts.push(db.raw('ST_Intersects(??, ?::geometry)', [target.geom, grant.area]));
        else parts.push(db.raw('ST_CoveredBy(??, ?::geometry)', [target.geom, grant.area]));
      }
      if (grant.ownOrgUnitOnly) {
        parts.push(target.owner ? db.raw('?? = ANY(?::int[])', [target.owner, [...this.ownOrgUnitIds]]) : db.raw('FALSE'));
      }
      if (parts.length === 0) return null;
      alternatives.push(db.raw(parts.map(() => '?').join(' AND '), parts));
    }
    if (alternatives.length === 0) return db.raw('FALSE');
    return db.raw(`(${alternatives.map(() => '(?)').join(' OR ')})`, alternatives);
  }
}
