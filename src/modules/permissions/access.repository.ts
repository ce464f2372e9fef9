import type { Knex } from 'knex';
import type { EffectiveGrant } from '../../common/auth/access';

export const PUBLIC_ROLE = 'public';

interface Loaded {
  grants: EffectiveGrant[] | null;
  units: number[] | null;
  user: LoadedUser | null;
}

/** The account access is loaded for, as it is now. */
export interface LoadedUser {
  id: number;
  username: string;
  orgUnitId: number;
  active: boolean;
  /** Moves on when the password changes: access tokens of another generation are refused. */
  sessionGeneration: number;
}

/**
 * Loads what a request may do, in one statement: the user as now stored, the grants of the user's
 * roles and of the public role, each grant's area as one geometry (its neighbourhoods and polygon,
 * unioned by PostGIS), and the org units of the user's directorate.
 */
export class AccessRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** The counter every change to roles, grants, accounts, units or neighbourhoods bumps. */
  async version(): Promise<string> {
    const { rows } = await this.db.raw('SELECT version::text AS version FROM access_version WHERE id = 1');
    return rows[0].version as string;
  }

  async load(userId: number | null): Promise<{ user: LoadedUser | null; grants: EffectiveGrant[]; ownOrgUnitIds: number[] }> {
    const { rows } = await this.db.raw(
      `SELECT
         (SELECT coalesce(json_agg(json_build_object(
             'resource', g.resource,
             'action', g.action,
             'ownOrgUnitOnly', g.own_org_unit_only,
             'fields', g.fields,
             'publicOnly', lower(r.code) = ?,
             'area', CASE WHEN g.area_geom IS NOT NULL OR a.geoms <> '{}' THEN
               -- an area whose parts no longer exist is empty, never "no limit"
               encode(ST_AsEWKB(coalesce(ST_Union(array_remove(a.geoms || g.area_geom, NULL)), 'SRID=4326;POLYGON EMPTY'::geometry)), 'hex')
             END) ORDER BY g.id), '[]')
          FROM role_grants g
          JOIN roles r ON r.id = g.role_id
          CROSS JOIN LATERAL (
            SELECT ARRAY(SELECT n.geom FROM role_grant_neighbourhoods gn JOIN neighbourhoods n ON n.id = gn.neighbourhood_id
                         WHERE gn.grant_id = g.id) AS geoms) a
          WHERE (lower(r.code) = ? AND g.action = 'READ')
             OR r.id IN (SELECT ur.role_id FROM user_roles ur WHERE ur.user_id = ?::int)
         ) AS grants,
         (WITH RECURSIVE up AS (
             SELECT o.id, o.parent_id, o.kind, 0 AS depth FROM org_units o WHERE o.id = (SELECT org_unit_id FROM users WHERE id = ?::int)
             UNION ALL
             SELECT o.id, o.parent_id, o.kind, up.depth + 1 FROM org_units o JOIN up ON o.id = up.parent_id
           ), top AS (
             -- the nearest directorate above (or at) the user's unit; the unit itself when there is none
             SELECT id FROM up ORDER BY (kind = 'DIRECTORATE') DESC, depth ASC LIMIT 1
           ), down AS (
             SELECT id FROM top
             UNION ALL
             SELECT o.id FROM org_units o JOIN down ON o.parent_id = down.id
           )
           SELECT array_agg(id ORDER BY id) FROM down
         ) AS units,
         (SELECT json_build_object('id', u.id, 'username', u.username, 'orgUnitId', u.org_unit_id, 'active', u.active,
                                  'sessionGeneration', u.session_generation)
          FROM users u WHERE u.id = ?::int) AS "user"`,
      [PUBLIC_ROLE, PUBLIC_ROLE, userId, userId, userId],
    );
    const row = rows[0] as Loaded;
    return { user: row.user, grants: row.grants ?? [], ownOrgUnitIds: row.units ?? [] };
  }
}
