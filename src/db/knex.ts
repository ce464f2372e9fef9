import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// int8 (counts, bigint ids) as numbers: every count and id here fits in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// date as the calendar day it is, never shifted through a time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// numeric as numbers: areas and lengths computed by PostGIS.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export interface KnexOptions {
  /** Schemas to search, first one first (tests put each file in its own schema). */
  searchPath?: string[];
  /** Connections in the pool; the embedded database takes one at a time. */
  poolMax?: number;
}

/** A knex instance on the pg driver, for a PostgreSQL + PostGIS server or the embedded one. */
export function createKnex(connectionString: string, options: KnexOptions = {}): Knex {
  return knexFactory({
    client: 'pg',
    connection: { connectionString, application_name: 'kbs-graphql' },
    searchPath: options.searchPath,
    pool: { min: 0, max: options.poolMax ?? 10 },
    acquireConnectionTimeout: 60000,
  });
}
