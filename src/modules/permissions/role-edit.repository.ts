import type { Knex } from 'knex';
import { PUBLIC_ROLE } from './access.repository';
import { grantsJson } from './role.repository';

/** A role as the audit trail keeps it: its columns and its grants. */
export type RoleSnapshot = Record<string, unknown>;

/** A grant as it is stored: the area already checked by PostGIS, as hex EWKB in EPSG:4326. */
export interface GrantRow {
  resource: string;
  action: string;
  ownOrgUnitOnly: boolean;
  neighbourhoodIds: number[];
  areaEwkb: string | null;
  fields: string[];
}

/** The role a write is about to change, locked, as it was before. */
export interface LockedRole {
  id: number;
  code: string;
  version: number;
  isPublic: boolean;
  before: RoleSnapshot;
}

/**
 * The SQL of changes to roles, their grants and who holds them. Always built on the caller's
 * transaction, so that a change and its audit row commit together.
 */
export class RoleEditRepository {
  constructor(private readonly trx: Knex.Transaction) {}

  private snapshot(): Knex.Raw {
    return this.trx.raw(`to_jsonb(roles) || jsonb_build_object('grants', ?) AS snapshot`, [grantsJson(this.trx, 'roles.id')]);
  }

  /** The role, locked until the transaction ends; undefined when there is none. */
  async lock(id: number): Promise<LockedRole | undefined> {
    const row = await this.trx('roles')
      .select('roles.id', 'roles.code', 'roles.version', this.trx.raw('lower(roles.code) = ? AS "isPublic"', [PUBLIC_ROLE]), this.snapshot())
      .where('roles.id', id)
      .forUpdate()
      .first();
    return row ? { id: row.id, code: row.code, version: row.version, isPublic: row.isPublic, before: row.snapshot } : undefined;
  }

  /** The role as it now is, for the audit trail. */
  async snapshotOf(id: number): Promise<RoleSnapshot> {
    const row = await this.trx('roles').select(this.snapshot()).where('roles.id', id).first();
    return row.snapshot;
  }

  async insert(values: { code: string; name: string; description: string | null }): Promise<number> {
    const [row] = await this.trx('roles').insert(values).returning('id');
    return row.id;
  }

  /** Sets the values and bumps the version (also when only the grants changed). */
  async update(id: number, values: Record<string, unknown>): Promise<void> {
    await this.trx('roles')
      .where({ id })
      .update({ ...values, version: this.trx.raw('version + 1'), updated_at: this.trx.fn.now() });
  }

  /** Replaces all of the role's grants. */
  async replaceGrants(roleId: number, grants: readonly GrantRow[]): Promise<void> {
    await this.trx('role_grants').where({ role_id: roleId }).delete();
    for (const g of grants) {
      const [row] = await this.trx('role_grants')
        .insert({
          role_id: roleId,
          resource: g.resource,
          action: g.action,
          own_org_unit_only: g.ownOrgUnitOnly,
          fields: g.fields,
          area_geom: g.areaEwkb ? this.trx.raw('ST_Multi(?::geometry)', [g.areaEwkb]) : null,
        })
        .returning('id');
      if (g.neighbourhoodIds.length) {
        await this.trx('role_grant_neighbourhoods').insert(g.neighbourhoodIds.map((n) => ({ grant_id: row.id, neighbourhood_id: n })));
      }
    }
  }

  /** How many users hold the role (all of them, whoever asks). */
  async holders(id: number): Promise<number> {
    const row = await this.trx('user_roles').where({ role_id: id }).count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  async delete(id: number): Promise<void> {
    await this.trx('roles').where({ id }).delete();
  }

  /** Which of these neighbourhood ids exist. */
  async existingNeighbourhoods(ids: readonly number[]): Promise<Set<number>> {
    const rows: { id: number }[] = await this.trx('neighbourhoods').select('id').whereIn('id', [...ids]);
    return new Set(rows.map((r) => r.id));
  }

  /** Roles by id, with whether each is the public role (for assigning them). */
  async codes(ids: readonly number[]): Promise<{ id: number; code: string; isPublic: boolean }[]> {
    return this.trx('roles').select('id', 'code', this.trx.raw('lower(code) = ? AS "isPublic"', [PUBLIC_ROLE])).whereIn('id', [...ids]);
  }

  /** The codes of the roles a user holds, sorted. */
  async codesOfUser(userId: number): Promise<string[]> {
    const rows: { code: string }[] = await this.trx('user_roles')
      .join('roles', 'roles.id', 'user_roles.role_id')
      .where('user_roles.user_id', userId)
      .orderBy('roles.code')
      .select('roles.code');
    return rows.map((r) => r.code);
  }

  /** Makes these the user's roles, and only these; roles kept keep the time they were given. */
  async replaceUserRoles(userId: number, roleIds: readonly number[]): Promise<void> {
    const dropped = this.trx('user_roles').where({ user_id: userId });
    if (roleIds.length) dropped.whereNotIn('role_id', [...roleIds]);
    await dropped.delete();
    if (roleIds.length) {
      await this.trx('user_roles')
        .insert(roleIds.map((roleId) => ({ user_id: userId, role_id: roleId })))
        .onConflict(['user_id', 'role_id'])
        .ignore();
    }
  }
}
