import type { Knex } from 'knex';
import type { Logger } from '../logger';
import { createKnex } from './knex';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';

/** The database the API runs on: a PostgreSQL + PostGIS server, or the embedded one. */
export interface Database {
  knex: Knex;
  /** True for the embedded PGlite database. */
  embedded: boolean;
  /** Where it is, for log lines (no password). */
  description: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** Progress of the embedded database's start. */
  log?: (message: string) => void;
  /** Where the connection pool's warnings go (a connection lost, …). */
  logger?: Logger;
  /** How long a statement waits for a free connection of the pool (ms); knex's 60 s when unset. */
  acquireTimeoutMs?: number;
}

/** Connects to DATABASE_URL when given, otherwise starts the embedded database in dataDir. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const knex = createKnex(options.databaseUrl, { logger: options.logger, acquireTimeoutMs: options.acquireTimeoutMs });
    return {
      knex,
      embedded: false,
      description: redact(options.databaseUrl),
      close: () => knex.destroy(),
    };
  }
  const embedded: EmbeddedDatabase = await startEmbeddedDatabase({ dataDir: options.dataDir, log: options.log });
  const knex = createKnex(embedded.url, { poolMax: 1, logger: options.logger, acquireTimeoutMs: options.acquireTimeoutMs });
  return {
    knex,
    embedded: true,
    description: `embedded PGlite + PostGIS in ${options.dataDir ?? 'memory'}`,
    async close() {
      await knex.destroy();
      await embedded.close();
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured database';
  }
}
