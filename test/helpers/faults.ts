import type { Knex } from 'knex';
import type { GrantSpec } from './access';

let counter = 0;

/** An asset at lon/lat (x, y), straight into the table. */
export async function insertAsset(
  knex: Knex,
  x: number,
  y: number,
  owner: number,
  attrs: Partial<{ type: string; state: string; warranty_ends_on: string | null; vendor_id: number }> = {},
): Promise<number> {
  const n = ++counter;
  const [row] = await knex('assets')
    .insert({
      inventory_no: `T-DMB-${n}`,
      serial_no: `T-SN-${n}`,
      type: attrs.type ?? 'COMPUTER',
      state: attrs.state ?? 'IN_USE',
      owner_org_unit_id: owner,
      warranty_ends_on: attrs.warranty_ends_on ?? null,
      vendor_id: attrs.vendor_id ?? null,
      geom: knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', [x, y]),
    })
    .returning('id');
  return row.id;
}

/**
 * A fault straight into the table, with fixed timestamps (figures tests): on an asset (at its
 * position) or at lon/lat `at`.
 */
export async function insertFault(
  knex: Knex,
  f: {
    owner: number;
    assetId?: number;
    at?: [number, number];
    state?: string;
    priority?: string;
    category?: string;
    reportedAt: string;
    resolvedAt?: string;
    assigneeId?: number;
    reportedBy?: number;
  },
): Promise<number> {
  const [row] = await knex('faults')
    .insert({
      asset_id: f.assetId ?? null,
      owner_org_unit_id: f.owner,
      reported_by: f.reportedBy ?? null,
      assignee_id: f.assigneeId ?? null,
      category: f.category ?? 'HARDWARE',
      priority: f.priority ?? 'NORMAL',
      description: 'test',
      state: f.state ?? 'NEW',
      reported_at: f.reportedAt,
      resolved_at: f.resolvedAt ?? null,
      geom: f.at ? knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', f.at) : knex.raw('(SELECT geom FROM assets WHERE id = ?)', [f.assetId!]),
    })
    .returning('id');
  return row.id;
}

export async function insertVendor(knex: Knex, name: string, contractEndsOn: string | null = null): Promise<number> {
  const [row] = await knex('vendors').insert({ name, contract_ends_on: contractEndsOn }).returning('id');
  return row.id;
}

/** The IT directorate's fault managers: read every asset, manage every fault. */
export const MANAGER_GRANTS: GrantSpec[] = [
  { resource: 'ASSETS', action: 'READ' },
  { resource: 'FAULTS', action: 'READ' },
  { resource: 'FAULTS', action: 'CREATE' },
  { resource: 'FAULTS', action: 'UPDATE' },
  { resource: 'VENDORS', action: 'READ' },
  { resource: 'USERS', action: 'READ' },
  { resource: 'NEIGHBOURHOODS', action: 'READ' },
];

/** Another directorate: reads its own inventory and faults, reports faults on its own assets. */
export const REPORTER_GRANTS: GrantSpec[] = [
  { resource: 'ASSETS', action: 'READ', ownOrgUnitOnly: true },
  { resource: 'FAULTS', action: 'READ', ownOrgUnitOnly: true },
  { resource: 'FAULTS', action: 'CREATE', ownOrgUnitOnly: true },
];

/** How many audit rows and events a fault has, and its FAULTS audit rows by action. */
export async function trail(knex: Knex, faultId: number): Promise<{ audit: number; events: number }> {
  const audit = await knex('audit_log').where({ entity: 'FAULTS', entity_id: String(faultId) }).count({ n: '*' }).first();
  const events = await knex('fault_events').where({ fault_id: faultId }).count({ n: '*' }).first();
  return { audit: Number(audit!.n), events: Number(events!.n) };
}

export const assetState = async (knex: Knex, id: number): Promise<string> => (await knex('assets').where({ id }).first('state')).state;

/** The fields most tests read back after a step. */
export const FAULT_FIELDS = 'id version state assigneeName reopenCount asset { id state } vendorRepairs { id version returnedOn outcome }';
