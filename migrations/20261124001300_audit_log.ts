import type { Knex } from 'knex';

/**
 * The append-only record of every write: who (user, token), what (entity, id), the action, the
 * values before and after, when, the request id, and where (for queries by area). A trigger
 * refuses UPDATE, DELETE and TRUNCATE, so not even the application can rewrite it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('actor_user_id').references('id').inTable('users').onDelete('RESTRICT');
    t.text('actor_username');
    t.integer('actor_org_unit_id').references('id').inTable('org_units').onDelete('RESTRICT').comment("The actor's unit then, for auditors limited to their own directorate");
    t.integer('api_token_id').references('id').inTable('api_tokens').onDelete('RESTRICT');
    t.text('request_id');
    t.text('entity').notNullable().comment('Resource, e.g. CAMERAS, USERS');
    t.text('entity_id').notNullable();
    t.text('action').notNullable().comment('CREATE, UPDATE or DELETE');
    t.jsonb('before');
    t.jsonb('after');
    t.specificType('geom', 'geometry(Geometry, 4326)').comment('Where the change was: old and new geometry');
    t.index(['entity', 'entity_id']);
    t.index(['actor_user_id']);
    t.index(['at']);
  });
  await knex.raw('CREATE INDEX audit_log_geom_gist ON audit_log USING gist (geom)');
  await knex.raw(`CREATE FUNCTION kbs_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await knex.raw(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION kbs_audit_log_append_only()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.raw('DROP FUNCTION kbs_audit_log_append_only()');
}
