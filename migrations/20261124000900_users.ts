import type { Knex } from 'knex';

/** User accounts: staff of a directorate, or a directorate's integration client (service account). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.integer('org_unit_id').notNullable().references('id').inTable('org_units').onDelete('RESTRICT');
    t.text('username').notNullable();
    t.text('full_name').notNullable();
    t.text('email');
    t.text('password_hash').comment('argon2id; null for service accounts, which use API tokens');
    t.enu('kind', ['PERSON', 'SERVICE']).notNullable().defaultTo('PERSON');
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamps(true, true);
    t.index(['org_unit_id']);
  });
  await knex.raw('CREATE UNIQUE INDEX users_username_lower ON users (lower(username))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
