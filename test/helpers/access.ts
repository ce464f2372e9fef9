import jwt from 'jsonwebtoken';
import type { Knex } from 'knex';
import { Action, Resource } from '../../src/common/auth/resources';
import { TEST_AUTH } from './app';
import { insertUser } from './factories';

export interface GrantSpec {
  resource: Resource | `${Resource}`;
  action: Action | `${Action}`;
  ownOrgUnitOnly?: boolean;
  neighbourhoodIds?: number[];
  /** A polygon area as [minx, miny, maxx, maxy] in lon/lat. */
  box?: [number, number, number, number];
  fields?: string[];
}

let roles = 0;

/** A role with these grants (straight into the tables, as an administrator's mutation would). */
export async function insertRole(knex: Knex, grants: GrantSpec[], code = `test-role-${++roles}`): Promise<number> {
  const [role] = await knex('roles').insert({ code, name: code }).returning('id');
  for (const g of grants) await insertGrant(knex, role.id, g);
  return role.id;
}

export async function insertGrant(knex: Knex, roleId: number, g: GrantSpec): Promise<number> {
  const [grant] = await knex('role_grants')
    .insert({
      role_id: roleId,
      resource: g.resource,
      action: g.action,
      own_org_unit_only: g.ownOrgUnitOnly ?? false,
      fields: g.fields ?? [],
      area_geom: g.box ? knex.raw('ST_Multi(ST_MakeEnvelope(?, ?, ?, ?, 4326))', g.box) : null,
    })
    .returning('id');
  for (const n of g.neighbourhoodIds ?? []) await knex('role_grant_neighbourhoods').insert({ grant_id: grant.id, neighbourhood_id: n });
  return grant.id;
}

export async function assignRoles(knex: Knex, userId: number, ...roleIds: number[]): Promise<void> {
  for (const roleId of roleIds) await knex('user_roles').insert({ user_id: userId, role_id: roleId });
}

/** The grants of the public role (what anonymous requests may read). */
export async function publicRoleId(knex: Knex): Promise<number> {
  return (await knex('roles').where({ code: 'public' }).first('id')).id;
}

/** An access token for a user, signed as the test server expects (sessions of a password never changed: generation 0). */
export function tokenFor(userId: number, ttlSeconds = 600, sessionGeneration = 0): string {
  return jwt.sign({ typ: 'access', gen: sessionGeneration }, TEST_AUTH.jwtSecret, { algorithm: 'HS256', expiresIn: ttlSeconds, issuer: 'kbs-graphql', subject: String(userId) });
}

/** Every action on every resource, every sensitive field revealed: an administrator. */
export function allGrants(): GrantSpec[] {
  const grants: GrantSpec[] = [];
  for (const resource of Object.values(Resource)) {
    for (const action of Object.values(Action)) grants.push({ resource, action, fields: action === Action.READ ? ['streamUrl', 'email'] : [] });
  }
  return grants;
}

/** A user of `orgUnitId` holding one role with these grants (none: no role), and an access token for them. */
export async function insertUserWithGrants(
  knex: Knex,
  orgUnitId: number,
  username: string,
  grants: GrantSpec[],
  attrs: Parameters<typeof insertUser>[3] = {},
): Promise<{ id: number; token: string }> {
  const id = await insertUser(knex, orgUnitId, username, attrs);
  if (grants.length) await assignRoles(knex, id, await insertRole(knex, grants, `${username}-role`));
  return { id, token: tokenFor(id) };
}
