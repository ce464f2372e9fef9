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
  /** Limits that keep one client or request from starving the others (README, "Limits"). */
  limits: LimitSettings;
  /** Pool and timeout settings of the database connections. */
  database: DatabaseSettings;
  /** Express's `trust proxy` (which proxies' X-Forwarded-For to believe for the client address); false: none. */
  trustProxy: boolean | number | string;
  /** Imports uploaded to POST /imports: the largest file, how many run at once, where uploads wait. */
  imports: ImportJobSettings;
}

/** Who may use a development aid (introspection, "Did you mean …" suggestions). */
export type Audience = 'everyone' | 'authenticated' | 'nobody';

/** Limits on GraphQL operations, requests and logins; every one is refused with a code the client can read. */
export interface LimitSettings {
  /** Deepest nesting of fields in an operation (fragments do not count as a level). */
  maxDepth: number;
  /** Most aliases in an operation. */
  maxAliases: number;
  /** Highest estimated cost of an operation: every field 1, times the page size of the lists it is in. */
  maxCost: number;
  /** Who may run introspection queries (`__schema`, `__type`). */
  introspection: Audience;
  /** Who gets "Did you mean …" suggestions in error messages. */
  fieldSuggestions: Audience;
  /** PostgreSQL's statement_timeout on the connections that serve requests, in ms; 0: none. */
  statementTimeoutMs: number;
  /** A request's database work must end within this many milliseconds; 0: no deadline. */
  requestTimeoutMs: number;
  /** Database connections one request may hold at a time. */
  connectionsPerRequest: number;
  /** Failed logins of one account within `loginWindowSeconds` after which it is locked for `loginLockSeconds`. */
  loginFailuresPerAccount: number;
  /** Failed logins from one client address within `loginWindowSeconds` after which it is locked. */
  loginFailuresPerAddress: number;
  loginWindowSeconds: number;
  loginLockSeconds: number;
  /** Requests without a token from one client address within `anonymousWindowSeconds`; 0: no limit. */
  anonymousRequests: number;
  anonymousWindowSeconds: number;
  /** The most features one OGC API download (f=gpkg, csv, kml) may hold. */
  exportMaxFeatures: number;
  /** OGC API downloads one server writes at a time; one more is refused with SERVICE_UNAVAILABLE. */
  exportsAtOnce: number;
  /** Active subscriptions one WebSocket connection may hold. */
  subscriptionsPerConnection: number;
  /** Active subscriptions one account (or, anonymous, one client address) may hold on a server, over all its connections. */
  subscriptionsPerAccount: number;
  /** The WebSocket heartbeat: a ping this often; a connection that has not answered the last one is closed. In ms. */
  subscriptionKeepAliveMs: number;
}

/** Settings of the pool of database connections. */
export interface DatabaseSettings {
  /** How long a statement waits for a free connection of the pool before SERVICE_UNAVAILABLE, in ms. */
  acquireTimeoutMs: number;
}

export const DEFAULT_LIMITS: LimitSettings = {
  maxDepth: 12,
  maxAliases: 15,
  maxCost: 50000,
  introspection: 'authenticated',
  fieldSuggestions: 'authenticated',
  statementTimeoutMs: 15000,
  requestTimeoutMs: 30000,
  connectionsPerRequest: 2,
  loginFailuresPerAccount: 10,
  loginFailuresPerAddress: 30,
  loginWindowSeconds: 900,
  loginLockSeconds: 900,
  anonymousRequests: 1200,
  anonymousWindowSeconds: 60,
  exportMaxFeatures: 2000000,
  exportsAtOnce: 2,
  subscriptionsPerConnection: 20,
  subscriptionsPerAccount: 100,
  subscriptionKeepAliveMs: 12000,
};

/** Settings of the imports uploaded to POST /imports. */
export interface ImportJobSettings {
  /** The largest file POST /imports takes, in bytes. */
  maxBytes: number;
  /** Imports one server runs at a time; the others wait, QUEUED. */
  atOnce: number;
  /** Where uploads are kept while their job waits or runs; the system's temporary folder when unset. */
  uploadDir?: string;
}

export const DEFAULT_IMPORT_JOB_SETTINGS: ImportJobSettings = { maxBytes: 512 * 1024 * 1024, atOnce: 1 };

export const DEFAULT_DATABASE_SETTINGS: DatabaseSettings = {
  acquireTimeoutMs: 10000,
};

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
    limits: {
      maxDepth: count(env, 'KBS_MAX_QUERY_DEPTH', DEFAULT_LIMITS.maxDepth, 1),
      maxAliases: count(env, 'KBS_MAX_QUERY_ALIASES', DEFAULT_LIMITS.maxAliases, 0),
      maxCost: count(env, 'KBS_MAX_QUERY_COST', DEFAULT_LIMITS.maxCost, 1),
      introspection: audience(env, 'KBS_INTROSPECTION', DEFAULT_LIMITS.introspection),
      fieldSuggestions: audience(env, 'KBS_FIELD_SUGGESTIONS', DEFAULT_LIMITS.fieldSuggestions),
      statementTimeoutMs: count(env, 'KBS_STATEMENT_TIMEOUT_MS', DEFAULT_LIMITS.statementTimeoutMs, 0),
      requestTimeoutMs: count(env, 'KBS_REQUEST_TIMEOUT_MS', DEFAULT_LIMITS.requestTimeoutMs, 0),
      connectionsPerRequest: count(env, 'KBS_DB_CONNECTIONS_PER_REQUEST', DEFAULT_LIMITS.connectionsPerRequest, 1),
      loginFailuresPerAccount: count(env, 'KBS_LOGIN_FAILURES_PER_ACCOUNT', DEFAULT_LIMITS.loginFailuresPerAccount, 1),
      loginFailuresPerAddress: count(env, 'KBS_LOGIN_FAILURES_PER_ADDRESS', DEFAULT_LIMITS.loginFailuresPerAddress, 1),
      loginWindowSeconds: count(env, 'KBS_LOGIN_WINDOW_SECONDS', DEFAULT_LIMITS.loginWindowSeconds, 1),
      loginLockSeconds: count(env, 'KBS_LOGIN_LOCK_SECONDS', DEFAULT_LIMITS.loginLockSeconds, 1),
      anonymousRequests: count(env, 'KBS_ANONYMOUS_RATE_LIMIT', DEFAULT_LIMITS.anonymousRequests, 0),
      anonymousWindowSeconds: count(env, 'KBS_ANONYMOUS_RATE_WINDOW_SECONDS', DEFAULT_LIMITS.anonymousWindowSeconds, 1),
      exportMaxFeatures: count(env, 'KBS_EXPORT_MAX_FEATURES', DEFAULT_LIMITS.exportMaxFeatures, 1),
      exportsAtOnce: count(env, 'KBS_EXPORTS_AT_ONCE', DEFAULT_LIMITS.exportsAtOnce, 1),
      subscriptionsPerConnection: count(env, 'KBS_SUBSCRIPTIONS_PER_CONNECTION', DEFAULT_LIMITS.subscriptionsPerConnection, 1),
      subscriptionsPerAccount: count(env, 'KBS_SUBSCRIPTIONS_PER_ACCOUNT', DEFAULT_LIMITS.subscriptionsPerAccount, 1),
      subscriptionKeepAliveMs: count(env, 'KBS_SUBSCRIPTION_KEEPALIVE_MS', DEFAULT_LIMITS.subscriptionKeepAliveMs, 1000),
    },
    database: {
      acquireTimeoutMs: count(env, 'KBS_DB_ACQUIRE_TIMEOUT_MS', DEFAULT_DATABASE_SETTINGS.acquireTimeoutMs, 1),
    },
    trustProxy: trustProxy(env.KBS_TRUST_PROXY),
    imports: {
      maxBytes: count(env, 'KBS_IMPORT_MAX_BYTES', DEFAULT_IMPORT_JOB_SETTINGS.maxBytes, 1),
      atOnce: count(env, 'KBS_IMPORTS_AT_ONCE', DEFAULT_IMPORT_JOB_SETTINGS.atOnce, 1),
      uploadDir: env.KBS_IMPORT_DIR?.trim() ? path.resolve(env.KBS_IMPORT_DIR.trim()) : undefined,
    },
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

/** A whole number from the environment, at least `min`; `fallback` when unset or empty. */
function count(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  return value;
}

const AUDIENCES: Audience[] = ['everyone', 'authenticated', 'nobody'];

function audience(env: NodeJS.ProcessEnv, name: string, fallback: Audience): Audience {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (!(AUDIENCES as string[]).includes(raw)) throw new Error(`${name} must be one of ${AUDIENCES.join(', ')}, got "${env[name]}"`);
  return raw as Audience;
}

/**
 * Express's `trust proxy`: unset or "false" trusts no proxy (the client address is the socket's);
 * "true", a number of hops, or addresses/subnets ("loopback", "10.0.0.0/8") as Express takes them.
 */
function trustProxy(value: string | undefined): boolean | number | string {
  const v = value?.trim();
  if (!v || v === 'false') return false;
  if (v === 'true') return true;
  return /^\d+$/.test(v) ? Number(v) : v;
}
