import type { Knex } from 'knex';

/** Directorates (müdürlük) and their units, as a tree. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('org_units', (t) => {
    t.increments('id').primary();
    t.text('code').notNullable().unique().comment('Short code, e.g. BIM for Bilgi İşlem Müdürlüğü');
    t.text('name').notNullable();
    t.enu('kind', ['DIRECTORATE', 'UNIT']).notNullable().defaultTo('DIRECTORATE');
    t.integer('parent_id').references('id').inTable('org_units').onDelete('RESTRICT');
    t.timestamps(true, true);
    t.index(['parent_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('org_units');
}
