import type { Knex } from 'knex';

/**
 * Imports started over HTTP (POST /imports) as records that outlive the server: what was uploaded
 * and how it is to be imported, who started it, its state and progress, the report's counts or the
 * error, and the refused rows in a table of their own so that they can be paged.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('import_jobs', (t) => {
    t.increments('id').primary();
    t.uuid('import_id').notNullable().unique().comment('Names the import in the audit log: request_id "import:<import_id>"');
    t.text('state').notNullable().defaultTo('QUEUED');
    t.text('layer').notNullable();
    t.text('mode').notNullable();
    t.boolean('dry_run').notNullable();
    t.jsonb('options').notNullable().comment('ImportOptions without the file (srid, encoding, map, set, defaults, key, wkt, x, y, table)');
    t.text('file_name').notNullable().comment('The name the client gave the file');
    t.bigInteger('file_size').notNullable();
    t.text('upload_path').comment('Where the server keeps the upload while the job waits or runs; removed when it ends');
    t.integer('started_by').notNullable().references('id').inTable('users').onDelete('RESTRICT');
    t.text('started_by_username').notNullable().comment('Kept as it was then, as the audit log keeps it');
    t.integer('started_by_org_unit_id').references('id').inTable('org_units').onDelete('RESTRICT').comment("The starter's unit then, for auditors limited to their own directorate");
    t.integer('api_token_id').references('id').inTable('api_tokens').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.text('phase').comment('reading, checking, writing, done');
    t.integer('rows_read').notNullable().defaultTo(0);
    t.double('fraction').comment('0..1 of the file read, when known');
    t.integer('rows');
    t.integer('inserted');
    t.integer('updated');
    t.integer('unchanged');
    t.integer('rejected');
    t.boolean('committed').notNullable().defaultTo(false);
    t.jsonb('report').comment('The report without its rejections: format, crs, encoding, mapping, ignored, notes');
    t.text('error_code');
    t.text('error_message');
    t.index(['started_by', 'id']);
    t.index(['state']);
  });
  await knex.raw(`ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_state_check CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'REJECTED', 'FAILED'))`);
  await knex.raw(`ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_mode_check CHECK (mode IN ('insert', 'upsert'))`);
  await knex.schema.createTable('import_job_rejections', (t) => {
    t.bigIncrements('id').primary();
    // A job's refused rows are part of its record: they go with it.
    t.integer('job_id').notNullable().references('id').inTable('import_jobs').onDelete('CASCADE');
    t.integer('row').notNullable().comment('1 = the first feature or data line of the file');
    t.text('field').notNullable();
    t.text('reason').notNullable();
    t.index(['job_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('import_job_rejections');
  await knex.schema.dropTable('import_jobs');
}
