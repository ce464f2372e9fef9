import type { Knex } from 'knex';

const BEFORE = ['NEIGHBOURHOODS', 'CAMERAS', 'NETWORK_NODES', 'NETWORK_LINES', 'REMOTE_UNITS', 'PARCELS', 'USERS', 'ROLES', 'API_TOKENS', 'AUDIT_LOG'];
const AFTER = [...BEFORE, 'ASSETS', 'FAULTS', 'CUSTODY', 'STOCK', 'DISPOSALS', 'VENDORS'];

const constraint = (resources: string[]) =>
  `ALTER TABLE role_grants DROP CONSTRAINT role_grants_resource,
     ADD CONSTRAINT role_grants_resource CHECK (resource IN (${resources.map((r) => `'${r}'`).join(', ')}))`;

/** Grants may name the IT directorate's registers: assets, faults, custody, stock, disposals, vendors. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(constraint(AFTER));
}

export async function down(knex: Knex): Promise<void> {
  await knex('role_grants').whereNotIn('resource', BEFORE).delete();
  await knex.raw(constraint(BEFORE));
}
