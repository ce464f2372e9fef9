import type { Knex } from 'knex';
import { migrationConfig, seedConfig } from './src/db/migrate';

/**
 * For the knex CLI (`npx knex migrate:latest` with ts-node installed). The project's own commands are
 * `npm run migrate`, `npm run migrate:down` and `npm run seed`, which need only DATABASE_URL.
 */
const config: Knex.Config = {
  client: 'pg',
  connection: process.env.DATABASE_URL,
  migrations: migrationConfig,
  seeds: seedConfig,
};

export default config;
