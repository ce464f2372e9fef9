import type { Knex } from 'knex';
import type { EffectiveGrant } from '../../common/auth/access';
import { PUBLIC_ROLE } from './access.repository';

/** Whose grants are compared with the actor's. */
export type CoverSubject =
  /** Every grant the account holds, its directorate limits standing for the account's directorate. */
  | { account: number }
  /** The role's grants, as the actor would hold them and as each of its holders does. */
  | { role: number };

/** Grants of the subject that the actor's grants do not cover, alike ones counted once. */
export interface UncoveredGrant {
  resource: string;
  action: string;
  ownOrgUnitOnly: boolean;
  limitedToArea: boolean;
  fields: string[];
  /** How many holders of the role the grant would go beyond the actor for (0: as the actor would hold it). */
  holders: number;
}

/** What the actor holds: the request's grants and the org units its directorate limit stands for. */
export interface CoverActor {
  grants: readonly EffectiveGrant[];
  ownOrgUnitIds: readonly number[];
}

// An actor's grant that may cover grant c (one of the same action on the same resource, no narrower
// in the public, directorate and field dimensions); the area is compared by the caller.
const MATCH = `h.resource = c.resource AND h.action = c.action
  AND (NOT h.public OR c.public)
  AND (NOT h.own OR (c.units IS NOT NULL AND c.units <@ (SELECT units FROM me)))
  AND h.fields @> c.fields`;

/**
 * Compares grants with an actor's, in PostgreSQL: a grant is covered when the actor holds the same
 * action on the same resource with no narrower limit. A directorate limit stands for the org units
 * of the holder's directorate (the actor's own for a role as the actor would hold it), so an
 * actor limited to theirs covers only holders of the same directorate; areas are compared with
 * ST_Covers against the union of the actor's areas; revealed fields must be a subset.
 */
export class GrantCoverRepository {
  constructor(private readonly trx: Knex.Transaction) {}

  /**
   * Locks the roles the account holds against changes until the transaction ends (updateRole locks
   * a role FOR UPDATE), so that no role can gain grants between the check and the commit.
   */
  async lockRolesOf(userId: number): Promise<void> {
    await this.trx.raw('SELECT id FROM roles WHERE id IN (SELECT role_id FROM user_roles WHERE user_id = ?) ORDER BY id FOR SHARE', [userId]);
  }

  /** The subject's grants the actor's do not cover; none when the actor may do everything the subject may. */
  async uncovered(actor: CoverActor, subject: CoverSubject): Promise<UncoveredGrant[]> {
    const grants = actor.grants.map((g) => ({ resource: g.resource, action: g.action, own: g.ownOrgUnitOnly, public: g.publicOnly, fields: g.fields, area: g.area }));
    const isRole = 'role' in subject;
    const { rows } = await this.trx.raw(
      `WITH RECURSIVE
       me AS (SELECT ?::int[] AS units),
       actor AS (
         SELECT h.resource, h.action, h.own, h.public, h.fields, h.area::geometry AS area
         FROM json_to_recordset(?::json) AS h(resource text, action text, own boolean, public boolean, fields text[], area text)
       ),
       held AS (
         SELECT ur.user_id, ur.role_id, u.org_unit_id FROM user_roles ur JOIN users u ON u.id = ur.user_id
         WHERE ${isRole ? 'ur.role_id' : 'ur.user_id'} = ?
       ),
       -- the directorate of each holder's unit (the nearest above or at it), and every unit under it
       up AS (
         SELECT s.start, o.id, o.parent_id, o.kind, 0 AS depth
         FROM (SELECT DISTINCT org_unit_id AS start FROM held) s JOIN org_units o ON o.id = s.start
         UNION ALL
         SELECT up.start, o.id, o.parent_id, o.kind, up.depth + 1 FROM org_units o JOIN up ON o.id = up.parent_id
       ),
       top AS (SELECT DISTINCT ON (start) start, id FROM up ORDER BY start, (kind = 'DIRECTORATE') DESC, depth),
       down AS (
         SELECT start, id FROM top
         UNION ALL
         SELECT down.start, o.id FROM org_units o JOIN down ON o.parent_id = down.id
       ),
       unit_sets AS (SELECT start, array_agg(id ORDER BY id) AS units FROM down GROUP BY start),
       applies AS (
         SELECT id AS role_id, (SELECT units FROM me) AS units, NULL::int AS user_id FROM roles WHERE ${isRole ? 'id = ?' : 'FALSE'}
         UNION ALL
         SELECT h.role_id, us.units, h.user_id FROM held h JOIN unit_sets us ON us.start = h.org_unit_id
       ),
       c AS (
         SELECT g.resource, g.action, g.own_org_unit_only AS own, g.fields, lower(r.code) = ? AS public, a.user_id,
                CASE WHEN g.own_org_unit_only THEN a.units END AS units,
                -- as access is loaded: an area whose parts no longer exist is empty, never "no limit"
                CASE WHEN g.area_geom IS NOT NULL OR n.geoms <> '{}' THEN
                  coalesce(ST_Union(array_remove(n.geoms || g.area_geom, NULL)), 'SRID=4326;POLYGON EMPTY'::geometry)
                END AS area
         FROM applies a
         JOIN roles r ON r.id = a.role_id
         JOIN role_grants g ON g.role_id = a.role_id
         CROSS JOIN LATERAL (
           SELECT ARRAY(SELECT nb.geom FROM role_grant_neighbourhoods gn JOIN neighbourhoods nb ON nb.id = gn.neighbourhood_id
                        WHERE gn.grant_id = g.id) AS geoms) n
       )
       SELECT c.resource, c.action, c.own AS "ownOrgUnitOnly", c.area IS NOT NULL AS "limitedToArea", c.fields,
              count(DISTINCT c.user_id)::int AS holders
       FROM c
       WHERE NOT EXISTS (SELECT 1 FROM actor h WHERE ${MATCH} AND (h.area IS NULL OR (c.area IS NOT NULL AND ST_Covers(h.area, c.area))))
         AND NOT (c.area IS NOT NULL AND (
           ST_IsEmpty(c.area)
           OR coalesce(ST_Covers((SELECT ST_Union(h.area) FROM actor h WHERE ${MATCH} AND h.area IS NOT NULL), c.area), false)))
       GROUP BY 1, 2, 3, 4, 5
       ORDER BY 1, 2, 3, 4`,
      [[...actor.ownOrgUnitIds], JSON.stringify(grants), isRole ? subject.role : subject.account, ...(isRole ? [subject.role] : []), PUBLIC_ROLE],
    );
    return rows as UncoveredGrant[];
  }
}
