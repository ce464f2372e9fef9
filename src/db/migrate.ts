import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';

const root = path.resolve(__dirname, '..', '..');
// Compiled code loads the compiled .js files; ts-jest and ts-node load the .ts sources.
const extension = path.extname(__filename);
const migrationsDir = path.join(root, 'migrations');

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Migrations are recorded by name without extension, so that a database migrated by the compiled
 * code (.js) and one migrated from the sources (.ts) agree on what has run.
 */
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return fs
      .readdirSync(migrationsDir)
      .filter((f) => f.endsWith(extension) && !f.endsWith('.d.ts'))
      .map((f) => path.basename(f, extension))
      .sort();
  },
  getMigrationName: (name) => name,
  getMigration: async (name) => (await import(path.join(migrationsDir, name + extension))) as MigrationModule,
};

export const migrationConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

export const seedConfig: Knex.SeederConfig = {
  directory: path.join(root, 'seeds'),
  loadExtensions: [extension],
};

/** Brings the schema up to date; returns the names of the migrations it ran. */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, ran] = await knex.migrate.latest(migrationConfig);
  return ran as string[];
}

/** Undoes every migration (each one's `down`). */
export async function rollbackAll(knex: Knex): Promise<string[]> {
  const [, undone] = await knex.migrate.rollback(migrationConfig, true);
  return undone as string[];
}

/** Loads the Nizip sample data; safe to run again (rows are upserted by their codes). */
export async function seedSampleData(knex: Knex): Promise<string[]> {
  const [files] = await knex.seed.run(seedConfig);
  return files.map((f) => path.basename(f));
}

/** True when no layer holds a row yet: a new embedded database gets the sample data then. */
export async function layersAreEmpty(knex: Knex): Promise<boolean> {
  const { rows } = await knex.raw(
    'SELECT NOT EXISTS (SELECT 1 FROM neighbourhoods) AND NOT EXISTS (SELECT 1 FROM cameras) AS empty',
  );
  return rows[0].empty === true;
}
