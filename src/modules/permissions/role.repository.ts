import type { Knex } from 'knex';
import type { Access, ScopeTarget } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import type { Role } from './role.type';

/** The users columns a USERS scope refers to (the same as the users module's USER_TARGET). */
const USERS_TARGET: ScopeTarget = { owner: 'users.org_unit_id' };

/**
 * The grants of the role whose id is in `roleId` (a qualified column), as one jsonb array: what the
 * Role type shows and what the audit trail keeps. Areas as GeoJSON in EPSG:4326.
 */
export function grantsJson(db: Knex | Knex.Transaction, roleId: string): Knex.Raw {
  return db.raw(
    `(SELECT coalesce(jsonb_agg(jsonb_build_object(
        'id', g.id,
        'resource', g.resource,
        'action', g.action,
        'ownOrgUnitOnly', g.own_org_unit_only,
        'fields', to_jsonb(g.fields),
        'area', ST_AsGeoJSON(ST_ForcePolygonCCW(g.area_geom), 8)::jsonb,
        'neighbourhoodIds', to_jsonb(ARRAY(SELECT gn.neighbourhood_id FROM role_grant_neighbourhoods gn WHERE gn.grant_id = g.id ORDER BY 1))
      ) ORDER BY g.id), '[]'::jsonb)
      FROM role_grants g WHERE g.role_id = ??)`,
    [roleId],
  );
}

/**
 * Reads of roles, limited to what the request may read: roles with a ROLES READ grant (roles lie
 * nowhere on the map and belong to no directorate, so only an unlimited grant reads them), user
 * counts within the request's USERS READ scope.
 */
export class RoleRepository {
  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly access: Access,
  ) {}

  private condition(resource: Resource, target: ScopeTarget): Knex.Raw | null {
    return this.access.condition(this.db as Knex, resource, Action.READ, target);
  }

  private columns(): (string | Knex.Raw)[] {
    const usersScope = this.condition(Resource.USERS, USERS_TARGET);
    return [
      'roles.id',
      'roles.code',
      'roles.name',
      'roles.description',
      'roles.version',
      'roles.created_at as createdAt',
      'roles.updated_at as updatedAt',
      this.db.raw('? AS grants', [grantsJson(this.db, 'roles.id')]),
      this.db.raw(
        `(SELECT count(*)::int FROM user_roles ur JOIN users ON users.id = ur.user_id WHERE ur.role_id = roles.id AND ${usersScope ? '?' : 'TRUE'}) AS "userCount"`,
        usersScope ? [usersScope] : [],
      ),
    ];
  }

  private scoped(qb: Knex.QueryBuilder): Knex.QueryBuilder {
    const scope = this.condition(Resource.ROLES, {});
    if (scope) qb.where(scope);
    return qb;
  }

  /** Every role the request may read (or those with these ids), by code. */
  list(ids?: readonly number[]): Promise<Role[]> {
    const qb = this.scoped(this.db('roles').select(this.columns()).orderBy('roles.code'));
    if (ids) qb.whereIn('roles.id', [...ids]);
    return qb;
  }

  /**
   * The roles of each of these users, in one statement: only with a ROLES READ grant, except that
   * everyone may see their own (`selfId`). Each role's grants are built once, however many of the
   * users hold it.
   */
  async ofUsers(userIds: readonly number[], selfId: number | null): Promise<Map<number, Role[]>> {
    const held = this.db('user_roles').select('role_id').whereIn('user_id', [...userIds]);
    const roles = this.db('roles').select(this.columns()).whereIn('roles.id', held);
    const qb = this.db
      .withMaterialized('r', roles)
      .select('ur.user_id as userId', 'r.*')
      .from('user_roles as ur')
      .join('r', 'r.id', 'ur.role_id')
      .whereIn('ur.user_id', [...userIds])
      .orderBy(['ur.user_id', 'r.code']);
    const scope = this.condition(Resource.ROLES, {});
    if (scope) qb.where((w) => w.where(scope).orWhere('ur.user_id', selfId ?? 0));
    const found = new Map<number, Role[]>(userIds.map((id) => [id, []]));
    for (const { userId, ...role } of (await qb) as (Role & { userId: number })[]) found.get(userId)!.push(role);
    return found;
  }
}
