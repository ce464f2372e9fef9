import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AuthSettings } from './common/auth/identity';

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
  /** Access-token signing; `jwtSecretGenerated` when KBS_JWT_SECRET was not set. */
  auth: AuthSettings & { jwtSecretGenerated: boolean };
  /** Origins whose web pages may call the API (CORS): `*`, or a list. */
  corsOrigins: '*' | string[];
}

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  const ttl = Number(env.KBS_ACCESS_TOKEN_TTL_SECONDS ?? 3600);
  if (!Number.isInteger(ttl) || ttl <= 0) {
    throw new Error(`KBS_ACCESS_TOKEN_TTL_SECONDS must be a positive number of seconds, got "${env.KBS_ACCESS_TOKEN_TTL_SECONDS}"`);
  }
  if (env.KBS_JWT_SECRET !== undefined && env.KBS_JWT_SECRET.length < 32) {
    throw new Error('KBS_JWT_SECRET must be at least 32 characters');
  }
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.KBS_DATA_DIR || path.join(process.cwd(), 'data', 'pglite')),
    maxPageSize: MAX_PAGE_SIZE,
    defaultPageSize: DEFAULT_PAGE_SIZE,
    corsOrigins: corsOrigins(env.KBS_CORS_ORIGINS),
    auth: {
      // Without a configured secret, a random one: access tokens then end with the process.
      jwtSecret: env.KBS_JWT_SECRET ?? randomBytes(32).toString('base64url'),
      jwtSecretGenerated: env.KBS_JWT_SECRET === undefined,
      accessTokenTtlSeconds: ttl,
    },
  };
}

/**
 * Tokens travel in the Authorization header, never in cookies, so any origin may call by default;
 * a comma-separated list narrows it.
 */
function corsOrigins(value: string | undefined): '*' | string[] {
  if (value === undefined || value.trim() === '' || value.trim() === '*') return '*';
  return value.split(',').map((o) => o.trim()).filter(Boolean);
}
