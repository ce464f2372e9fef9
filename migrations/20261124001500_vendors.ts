import type { Knex } from 'knex';

/** Suppliers, warranty and maintenance-contract vendors the IT directorate deals with. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('vendors', (t) => {
    t.increments('id').primary();
    t.text('name').notNullable();
    t.text('phone');
    t.text('email');
    t.text('contract_no').comment('Maintenance contract number, when there is one');
    t.date('contract_ends_on');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
  });
  await knex.raw('CREATE UNIQUE INDEX vendors_name_lower ON vendors (lower(name))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('vendors');
}
