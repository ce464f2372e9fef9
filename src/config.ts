import path from 'node:path';

/** Runtime configuration, read once from the environment. */
export interface Config {
  /** HTTP port of the API. */
  port: number;
  /** PostgreSQL + PostGIS server; when unset the embedded PGlite database is used. */
  databaseUrl?: string;
  /** Where the embedded database keeps its files. */
  dataDir: string;
  /** Largest page a list query may ask for. */
  maxPageSize: number;
  /** Page size when a list query does not say. */
  defaultPageSize: number;
}

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.KBS_DATA_DIR || path.join(process.cwd(), 'data', 'pglite')),
    maxPageSize: MAX_PAGE_SIZE,
    defaultPageSize: DEFAULT_PAGE_SIZE,
  };
}
