import type { Knex } from 'knex';

/**
 * Long-lived API tokens of service accounts. Only a SHA-256 hash of the secret is kept (the secret
 * is random, 256 bits: a slow hash adds nothing); the prefix identifies a token in listings.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_tokens', (t) => {
    t.increments('id').primary();
    t.integer('user_id').notNullable().references('id').inTable('users').onDelete('RESTRICT');
    t.text('name').notNullable().comment('What the token is for, e.g. "EBYS integration"');
    t.text('token_prefix').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('last_used_at', { useTz: true });
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_tokens');
}
