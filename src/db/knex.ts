import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '../logger';

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
  /** Where the pool's warnings go (a connection lost, …); knex prints them to the console otherwise. */
  logger?: Logger;
  /** How long a statement waits for a free connection before knex gives up (SERVICE_UNAVAILABLE); default 60 s. */
  acquireTimeoutMs?: number;
}

/**
 * How long a request waits for the database when it cannot be reached, before it is answered
 * SERVICE_UNAVAILABLE: a new connection gets CONNECT_TIMEOUT_MS (a refused one fails at once), a
 * request waiting for a free connection of the pool ACQUIRE_TIMEOUT_MS. A connection that died is
 * never handed out again (knex drops one that reported an error or its end), so the first request
 * after the database is back opens a new one: the API answers again as soon as the database does.
 * TCP keepalive probes idle connections, so that one a firewall dropped silently is found too.
 */
export const CONNECT_TIMEOUT_MS = 5000;
export const ACQUIRE_TIMEOUT_MS = 10000;
const KEEPALIVE_DELAY_MS = 10000;

/**
 * The kind of statement that failed, on the error itself: a foreign-key violation means "still in
 * use" in a DELETE and "refers to nothing" in an INSERT or UPDATE, and PostgreSQL before 16 gives
 * both the same SQLSTATE (23503) and the same fields. knex emits every failed query with its method
 * before it rejects with the same error object.
 */
function tagFailedStatement(err: unknown, query: { method?: string; sql?: string }): void {
  if (typeof err !== 'object' || err === null) return;
  const kind = query.method === 'raw' ? /^\s*(\w+)/.exec(query.sql ?? '')?.[1]?.toLowerCase() : query.method;
  Object.defineProperty(err, 'statementKind', { value: kind === 'delete' ? 'del' : kind, enumerable: false, configurable: true });
}

function knexLog(logger: Logger) {
  const warn = (message: unknown) => logger.warn(`database: ${String(message)}`);
  return { warn, deprecate: warn, error: (message: unknown) => logger.error('database error', message), debug: () => undefined };
}

/** A knex instance on the pg driver, for a PostgreSQL + PostGIS server or the embedded one. */
export function createKnex(connectionString: string, options: KnexOptions = {}): Knex {
  const knex = knexFactory({
    client: 'pg',
    connection: {
      connectionString,
      application_name: 'kbs-graphql',
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    },
    searchPath: options.searchPath,
    pool: {
      min: 0,
      max: options.poolMax ?? 10,
      // Many small concurrent statements, not a few big ones: JIT compiling a plan (8-17 ms for a
      // page of a million parcels) and parallel workers (which other requests' statements then wait
      // for) cost more than they save. Measured with pgbench, 8 clients counting the parcels of a
      // zoom-16 viewport: 61 tps as PostgreSQL ships, 224 tps with both off.
      afterCreate(connection: { query(sql: string, done: (err: Error | null) => void): void }, done: (err: Error | null, c: unknown) => void) {
        connection.query('SET jit = off; SET max_parallel_workers_per_gather = 0', (err) => done(err, connection));
      },
    },
    acquireConnectionTimeout: options.acquireTimeoutMs ?? ACQUIRE_TIMEOUT_MS,
    log: options.logger && knexLog(options.logger),
  });
  knex.on('query-error', tagFailedStatement);
  return knex;
}
