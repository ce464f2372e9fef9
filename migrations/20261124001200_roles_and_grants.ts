import type { Knex } from 'knex';

export const RESOURCES = [
  'NEIGHBOURHOODS',
  'CAMERAS',
  'NETWORK_NODES',
  'NETWORK_LINES',
  'REMOTE_UNITS',
  'PARCELS',
  'USERS',
  'ROLES',
  'API_TOKENS',
  'AUDIT_LOG',
];
export const ACTIONS = ['READ', 'CREATE', 'UPDATE', 'DELETE'];

/**
 * Roles grant actions on resources. A grant may be limited to an area (neighbourhoods and/or a
 * polygon) and to the rows of the holder's own directorate, and may reveal sensitive fields.
 * The built-in role `public` holds what anonymous requests may read (rows flagged public only).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('roles', (t) => {
    t.increments('id').primary();
    t.text('code').notNullable().comment('Short name, e.g. fen-editor');
    t.text('name').notNullable();
    t.text('description');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
  });
  await knex.raw('CREATE UNIQUE INDEX roles_code_lower ON roles (lower(code))');

  await knex.schema.createTable('role_grants', (t) => {
    t.increments('id').primary();
    t.integer('role_id').notNullable().references('id').inTable('roles').onDelete('CASCADE');
    t.text('resource').notNullable();
    t.text('action').notNullable();
    t.boolean('own_org_unit_only').notNullable().defaultTo(false).comment("Only rows owned by the holder's own directorate");
    t.specificType('area_geom', 'geometry(MultiPolygon, 4326)').comment('Only rows inside this polygon (with the neighbourhoods, if any)');
    t.specificType('fields', 'text[]').notNullable().defaultTo('{}').comment('Sensitive fields this READ grant reveals');
    t.index(['role_id']);
  });
  await knex.raw(`ALTER TABLE role_grants
    ADD CONSTRAINT role_grants_resource CHECK (resource IN (${RESOURCES.map((r) => `'${r}'`).join(', ')})),
    ADD CONSTRAINT role_grants_action CHECK (action IN (${ACTIONS.map((a) => `'${a}'`).join(', ')})),
    ADD CONSTRAINT role_grants_area_valid CHECK (area_geom IS NULL OR (ST_IsValid(area_geom) AND NOT ST_IsEmpty(area_geom)))`);

  await knex.schema.createTable('role_grant_neighbourhoods', (t) => {
    t.integer('grant_id').notNullable().references('id').inTable('role_grants').onDelete('CASCADE');
    t.integer('neighbourhood_id').notNullable().references('id').inTable('neighbourhoods').onDelete('RESTRICT');
    t.primary(['grant_id', 'neighbourhood_id']);
    t.index(['neighbourhood_id']);
  });

  await knex.schema.createTable('user_roles', (t) => {
    t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('role_id').notNullable().references('id').inTable('roles').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'role_id']);
    t.index(['role_id']);
  });

  // Present on every database, with no grants until an administrator (or the sample data) adds them.
  await knex('roles').insert({
    code: 'public',
    name: 'Anonymous (e-Belediye)',
    description: 'What requests without a token may read; only READ grants, only rows flagged public.',
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_roles');
  await knex.schema.dropTable('role_grant_neighbourhoods');
  await knex.schema.dropTable('role_grants');
  await knex.schema.dropTable('roles');
}
