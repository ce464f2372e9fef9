import type { Knex } from 'knex';
import { Action, LAYER_TABLES, Resource, SENSITIVE_FIELDS } from '../../common/auth/resources';
import { badInput } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import type { Context } from '../../context';
import { RoleEditRepository, type GrantRow } from './role-edit.repository';
import type { GrantInput } from './role.inputs';

/** More grants than a role sensibly needs: a sign of a client gone wrong. */
export const MAX_GRANTS = 200;

const LAYERS = new Set<string>(Object.keys(LAYER_TABLES));

// What an area limit can apply to: rows with a geometry (layers, assets, faults, audit entries). On users, roles and tokens the limit
// would match no row at all, which is never what the administrator meant.
const hasPlace = (r: Resource) => LAYERS.has(r) || r === Resource.AUDIT_LOG || r === Resource.ASSETS || r === Resource.FAULTS;

/** The rules the public role's grants obey: anonymous requests read public map features, nothing else. */
function checkPublic(g: GrantInput, at: string): void {
  if (g.action !== Action.READ) throw badInput(`${at}.action: the public role may only READ (anonymous requests never write)`);
  if (g.ownOrgUnitOnly) throw badInput(`${at}.ownOrgUnitOnly: anonymous requests belong to no directorate`);
  if (!LAYERS.has(g.resource)) throw badInput(`${at}.resource: the public role may only read map layers, not ${g.resource}`);
  if (g.fields?.length) throw badInput(`${at}.fields: the public role may not reveal sensitive fields`);
}

/**
 * Checks the grants given for a role and turns them into rows: fields each a sensitive field of
 * the resource and only on READ grants, areas checked by PostGIS (in any SRID), neighbourhoods that
 * exist. Every refusal is BAD_USER_INPUT naming the grant and its field.
 */
export async function checkGrants(
  ctx: Context,
  trx: Knex.Transaction,
  grants: readonly GrantInput[],
  isPublic: boolean,
  argument: string,
): Promise<GrantRow[]> {
  if (grants.length > MAX_GRANTS) throw badInput(`${argument}: at most ${MAX_GRANTS} grants, got ${grants.length}`);
  const rows: GrantRow[] = [];
  for (const [i, g] of grants.entries()) {
    const at = `${argument}[${i}]`;
    if (isPublic) checkPublic(g, at);
    const neighbourhoodIds = [...new Set((g.neighbourhoodIds ?? []).map((id, j) => parseId(id, `${at}.neighbourhoodIds[${j}]`)))];
    if ((neighbourhoodIds.length > 0 || g.area) && !hasPlace(g.resource)) {
      throw badInput(`${at}: ${g.resource} has no place on the map; area and neighbourhoodIds limit map layers and the audit log only`);
    }
    const fields = [...new Set(g.fields ?? [])];
    const sensitive = SENSITIVE_FIELDS[g.resource] ?? [];
    for (const field of fields) {
      if (!sensitive.includes(field)) {
        throw badInput(`${at}.fields: "${field}" is not a sensitive field of ${g.resource} (${sensitive.length ? `those are: ${sensitive.join(', ')}` : 'it has none'})`);
      }
    }
    if (fields.length > 0 && g.action !== Action.READ) throw badInput(`${at}.fields: only READ grants reveal fields, this one is ${g.action}`);
    const area = g.area
      ? (await ctx.geo.geometry(trx, g.area, g.areaSrid ?? 4326, { argument: `${at}.area`, types: ['POLYGON', 'MULTIPOLYGON'] })).ewkb
      : null;
    rows.push({ resource: g.resource, action: g.action, ownOrgUnitOnly: g.ownOrgUnitOnly ?? false, neighbourhoodIds, areaEwkb: area, fields });
  }
  await checkNeighbourhoods(trx, rows, argument);
  return rows;
}

async function checkNeighbourhoods(trx: Knex.Transaction, rows: readonly GrantRow[], argument: string): Promise<void> {
  const wanted = [...new Set(rows.flatMap((r) => r.neighbourhoodIds))];
  if (wanted.length === 0) return;
  const existing = await new RoleEditRepository(trx).existingNeighbourhoods(wanted);
  for (const [i, row] of rows.entries()) {
    const missing = row.neighbourhoodIds.find((n) => !existing.has(n));
    if (missing !== undefined) throw badInput(`${argument}[${i}].neighbourhoodIds: neighbourhood ${missing} does not exist`);
  }
}
