import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createKnex, type KnexOptions } from '../../src/db/knex';
import { migrateLatest, seedSampleData } from '../../src/db/migrate';
import { GeoService } from '../../src/geo/geo.service';
import { silentLogger, type Logger } from '../../src/logger';
import { createServer, type KbsServer, type ServerOptions } from '../../src/server';
import { accessEventsOf } from '../../src/modules/permissions/access-events';
import { allGrants, assignRoles, insertRole, tokenFor } from './access';
import { copySampleData, ensureSampleTemplate } from './sample-template';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: (string | number)[] }[];
}

export interface TestApp {
  knex: Knex;
  server: KbsServer;
  url: string;
  schema: string;
  /** Errors the server logged (masked ones included). */
  logged: unknown[];
  /**
   * POSTs a GraphQL operation to /graphql as `token`: by default as `admin` (a user holding every
   * grant); null sends no Authorization header (anonymous).
   */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLResponse<T>>;
  /** A user holding every grant on every resource, and its access token. */
  admin: { userId: number; orgUnitId: number; token: string };
  /** The same, with the raw HTTP response. */
  post(query: string, variables?: Record<string, unknown>, authorization?: string): Promise<Response>;
  /**
   * Statements a request spends checking that the access kept for its account is current: none
   * where the server hears the database's access notifications (a PostgreSQL server), one read of
   * access_version where it cannot (the embedded database).
   */
  accessCheckStatements: number;
  /** Runs `fn` and returns how many SQL statements it sent. */
  countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number; sql: string[]; bindings: unknown[][] }>;
  close(): Promise<void>;
}

function databaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set (test/global-setup.ts sets it)');
  return url;
}

export const embedded = () => process.env.KBS_TEST_EMBEDDED === '1';

/** Access tokens in tests: a fixed key, so a test can also sign tokens of its own (an expired one). */
export const TEST_AUTH = { jwtSecret: 'test-secret-test-secret-test-secret-0123', accessTokenTtlSeconds: 600 };

/**
 * A real server on a free port, over its own PostgreSQL schema (migrated, optionally seeded with
 * the sample data), dropped again by close(). Test files never see each other's rows.
 */
export async function startTestApp(
  options: {
    /**
     * The Nizip sample data: true copies the rows the run's template was seeded with (see
     * sample-template.ts); 'run' runs the seed files themselves (the seeds' own tests).
     */
    seed?: boolean | 'run';
    /** Where the server connects (a proxy); the schema is made directly. */
    databaseUrl?: string;
    /** The server's logger; by default a silent one that keeps the errors in `logged`. */
    logger?: Logger;
    knex?: KnexOptions;
    server?: ServerOptions;
  } = {},
): Promise<TestApp> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const owner = createKnex(databaseUrl(), { poolMax: 1 });
  await owner.raw('CREATE SCHEMA ??', [schema]);
  // The embedded database serves every connection from one session, so a second app started inside
  // a test file moves the first app's search_path: close() puts it back.
  const { rows: [{ search_path: previousSearchPath }] } = await owner.raw('SHOW search_path');
  await owner.destroy();
  if (options.seed === true) await ensureSampleTemplate(databaseUrl());

  const knex = createKnex(options.databaseUrl ?? databaseUrl(), { searchPath: [schema, 'public'], poolMax: embedded() ? 1 : 4, logger: silentLogger, ...options.knex });
  await migrateLatest(knex);
  if (options.seed === 'run') await seedSampleData(knex);
  else if (options.seed) await copySampleData(knex, schema);

  const admin = await insertAdmin(knex);
  const logged: unknown[] = [];
  const logger: Logger = { ...silentLogger, error: (_m, err) => { logged.push(err); if (process.env.KBS_TEST_LOG) console.error(err); } };
  const server = await createServer({ db: knex, geo: new GeoService(), auth: TEST_AUTH }, options.logger ?? logger, options.server);
  // Tests block this process (the client and the server both) while a reference tool runs; Node's
  // 5 s keep-alive would then close idle sockets just as the client reuses them (ECONNRESET).
  server.httpServer.keepAliveTimeout = 120_000;
  const port = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;

  const post = (query: string, variables?: Record<string, unknown>, authorization?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization !== undefined) headers.authorization = authorization;
    return fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  };

  const sent: { sql: string; bindings: unknown[] }[] = [];
  knex.on('query', (q: { sql: string; bindings?: unknown[] }) => sent.push({ sql: q.sql, bindings: q.bindings ?? [] }));

  return {
    knex,
    server,
    url,
    schema,
    logged,
    post,
    admin,
    accessCheckStatements: accessEventsOf(knex)?.listening ? 0 : 1,
    async gql(query, variables, token) {
      const as = token === undefined ? admin.token : token;
      const res = await post(query, variables, as === null ? undefined : `Bearer ${as}`);
      return (await res.json()) as GraphQLResponse;
    },
    async countStatements(fn) {
      const before = sent.length;
      const result = await fn();
      const ran = sent.slice(before);
      return { result, statements: ran.length, sql: ran.map((q) => q.sql), bindings: ran.map((q) => q.bindings) };
    },
    async close() {
      await server.stop();
      await knex.raw('DROP SCHEMA ?? CASCADE', [schema]);
      if (embedded()) await knex.raw("SELECT set_config('search_path', ?, false)", [previousSearchPath]);
      await knex.destroy();
    },
  };
}

/** An administrator of the test schema: a unit of its own, every grant. */
async function insertAdmin(knex: Knex): Promise<TestApp['admin']> {
  const [unit] = await knex('org_units').insert({ code: 'KBS-TEST', name: 'Test yönetimi' }).returning('id');
  const [user] = await knex('users').insert({ org_unit_id: unit.id, username: 'kbs-test-admin', full_name: 'Test Admin' }).returning('id');
  await assignRoles(knex, user.id, await insertRole(knex, allGrants(), 'kbs-test-admin'));
  return { userId: user.id, orgUnitId: unit.id, token: tokenFor(user.id, 3600) };
}

/** The error code of the first error, for assertions. */
export const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;
