import fs from 'node:fs';
import path from 'node:path';
import { getIntrospectionQuery, Kind, parse, print } from 'graphql';
import type { Knex } from 'knex';
import { createKnex } from '../src/db/knex';
import { DEFAULT_LIMITS } from '../src/config';
import { codeOf, embedded, startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { insertCamera, insertNeighbourhood, insertOrgUnit, insertUser } from './helpers/factories';

/**
 * Denial of service (issue 11): every limit is tested through HTTP, with the code a client reads.
 * The queries are the ones that took a server down: nested pages, a thousand aliases, huge polygons,
 * slow statements, password guessing and floods of anonymous requests.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Long enough that 20 parallel logins all arrive within one lock, even on a busy machine. */
const LOCK_SECONDS = 5;
const BOX: [number, number, number, number] = [37.78, 37.0, 37.8, 37.02];

/** POSTs and times a GraphQL request; the parsed body, status and headers. */
async function timed(app: TestApp, query: string, variables?: Record<string, unknown>, token?: string | null) {
  const started = Date.now();
  const as = token === undefined ? app.admin.token : token;
  const res = await app.post(query, variables, as === null ? undefined : `Bearer ${as}`);
  const body = (await res.json()) as GraphQLResponse;
  return { body, status: res.status, headers: res.headers, ms: Date.now() - started };
}

/** `neighbourhood → cameras → edges → node → neighbourhood → …`, `depth` fields deep. */
function nestedQuery(depth: number, neighbourhoodId: number): string {
  const cycle = ['cameras(first: 2)', 'edges', 'node', 'neighbourhood'];
  const path = [`neighbourhood(id: "${neighbourhoodId}")`];
  while (path.length < depth - 1) path.push(cycle[(path.length - 1) % cycle.length]);
  const leaf = path[path.length - 1] === 'edges' ? 'cursor' : 'id';
  return `{ ${path.map((f) => `${f} {`).join(' ')} ${leaf} ${'}'.repeat(path.length)} }`;
}

/** Statements of `fn` that read from one of these tables (the access check joins others). */
async function statementsOn(app: TestApp, tables: string[], fn: () => Promise<unknown>): Promise<string[]> {
  const { sql } = await app.countStatements(fn);
  return sql.filter((s) => tables.some((t) => new RegExp(`\\bfrom\\s+"?${t}"?`, 'i').test(s)));
}

describe('operations are refused before they run when they are too deep, too wide or too costly', () => {
  let app: TestApp;
  let hood: number;

  beforeAll(async () => {
    app = await startTestApp();
    hood = await insertNeighbourhood(app.knex, BOX, { name: 'Limit' });
    for (let i = 0; i < 3; i++) await insertCamera(app.knex, 37.79 + i * 0.001, 37.01);
    await app.knex('cameras').update({ is_public: true });
  });
  afterAll(() => app.close());

  it('refuses the 21-deep neighbourhood → cameras → neighbourhood query at once, with QUERY_TOO_COMPLEX and the limit', async () => {
    let res!: Awaited<ReturnType<typeof timed>>;
    const touched = await statementsOn(app, ['cameras', 'neighbourhoods'], async () => (res = await timed(app, nestedQuery(21, hood))));
    expect(codeOf(res.body)).toBe('QUERY_TOO_COMPLEX');
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors![0].message).toMatch(/nests fields 21 deep; at most 12 levels/);
    expect(res.body.errors![0].extensions).toMatchObject({ limit: DEFAULT_LIMITS.maxDepth, depth: 21 });
    expect(touched).toEqual([]); // nothing ran
    expect(res.ms).toBeLessThan(2000);
  });

  it('runs a query exactly at the depth limit', async () => {
    const res = await timed(app, nestedQuery(DEFAULT_LIMITS.maxDepth, hood));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.neighbourhood.cameras.edges.length).toBeGreaterThan(0);
    expect(codeOf((await timed(app, nestedQuery(DEFAULT_LIMITS.maxDepth + 1, hood))).body)).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses 1,000 aliases of parcels(first: 1000) from an anonymous client before any statement', async () => {
    const query = `{ ${Array.from({ length: 1000 }, (_, i) => `p${i}: parcels(first: 1000) { edges { node { id geometry } } }`).join(' ')} }`;
    let res!: Awaited<ReturnType<typeof timed>>;
    const touched = await statementsOn(app, ['parcels'], async () => (res = await timed(app, query, undefined, null)));
    expect(codeOf(res.body)).toBe('QUERY_TOO_COMPLEX');
    expect(res.status).toBe(400);
    // 1,000 aliases are more tokens than a document may hold: refused before parsing, with the limit named.
    expect(res.body.errors![0].message).toMatch(/more than 10000 tokens/);
    expect(touched).toEqual([]);
    // Fewer, within the token limit: the alias limit refuses them, before any statement too.
    const hundred = `{ ${Array.from({ length: 100 }, (_, i) => `p${i}: parcels(first: 1000) { edges { node { id geometry } } }`).join(' ')} }`;
    const again = await statementsOn(app, ['parcels'], async () => (res = await timed(app, hundred, undefined, null)));
    expect(codeOf(res.body)).toBe('QUERY_TOO_COMPLEX');
    expect(res.body.errors![0].message).toMatch(/has 100 aliases; at most 15 are allowed/);
    expect(again).toEqual([]);
  });

  it('refuses 100,000 aliases of totalCount without running them', async () => {
    const query = `{ ${Array.from({ length: 100000 }, (_, i) => `c${i}: cameras { totalCount }`).join(' ')} }`;
    let res!: Awaited<ReturnType<typeof timed>>;
    const touched = await statementsOn(app, ['cameras'], async () => (res = await timed(app, query, undefined, null)));
    expect(codeOf(res.body)).toBe('QUERY_TOO_COMPLEX');
    expect(touched).toEqual([]);
    // Parsing and validating 100,000 fields still takes seconds (it took 84 s to run them).
    expect(res.ms).toBeLessThan(30000);
  });

  it('allows as many aliases as the limit', async () => {
    const query = `{ ${Array.from({ length: DEFAULT_LIMITS.maxAliases }, (_, i) => `c${i}: cameras(first: 1) { totalCount }`).join(' ')} }`;
    const res = await timed(app, query);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.c0.totalCount).toBe(3);
  });

  it('counts pages multiplicatively: nested pages are refused with the cost and the limit, small ones run', async () => {
    const nested = `query($outer: Int, $inner: Int) { neighbourhoods(first: $outer) { edges { node { cameras(first: $inner) { edges { node { id name } } } } } } }`;
    const big = await timed(app, nested, { outer: 100, inner: 1000 });
    expect(codeOf(big.body)).toBe('QUERY_TOO_COMPLEX');
    expect(big.status).toBe(400);
    expect(big.body.errors![0].message).toMatch(/would cost \d+, more than the 50000 allowed/);
    const cost = big.body.errors![0].extensions!.cost as number;
    expect(cost).toBeGreaterThan(100 * 1000 * 3); // 100 pages of 1,000 cameras, 3 fields each
    expect(big.body.errors![0].extensions!.limit).toBe(DEFAULT_LIMITS.maxCost);

    // Omitted `first` counts as the default page (50): three nested lists of 50 are 125,000 items.
    // Twice: a document without variables has its cost counted once, and is refused every time.
    for (const _attempt of [1, 2]) {
      const defaults = await timed(app, `{ neighbourhoods { edges { node { cameras { edges { node { neighbourhood { cameras { edges { node { id } } } } } } } } } } }`);
      expect(codeOf(defaults.body)).toBe('QUERY_TOO_COMPLEX');
    }

    const small = await timed(app, nested, { outer: 10, inner: 100 });
    expect(small.body.errors).toBeUndefined();
    expect(small.body.data.neighbourhoods.edges).toHaveLength(1);
    // totalCount and pageInfo are one value whatever the page size.
    const counts = await timed(app, `{ neighbourhoods { edges { node { cameras(first: 1000) { totalCount pageInfo { hasNextPage } } } } } }`);
    expect(counts.body.errors).toBeUndefined();
  });

  it('runs every query the README documents', async () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const operations: string[] = [];
    for (const [, block] of readme.matchAll(/```graphql\n([\s\S]*?)```/g)) {
      for (const d of parse(block).definitions) if (d.kind === Kind.OPERATION_DEFINITION) operations.push(print(d));
    }
    for (const [, body] of readme.matchAll(/-d '(\{"query":.*?\})'/g)) operations.push(JSON.parse(body).query);
    expect(operations.length).toBeGreaterThan(20);
    for (const op of operations) {
      const res = await timed(app, op);
      const refused = (res.body.errors ?? []).filter((e) => ['QUERY_TOO_COMPLEX', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'].includes(e.extensions?.code as string));
      expect({ op, refused }).toEqual({ op, refused: [] });
    }
  });

  it('answers the full introspection query GraphiQL and Apollo send to a logged-in user', async () => {
    const full = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true });
    for (const query of [full, getIntrospectionQuery()]) {
      const res = await timed(app, query);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.__schema.types.length).toBeGreaterThan(50);
    }
  });

  it('refuses introspection to anonymous requests by default, but not __typename', async () => {
    for (const query of [getIntrospectionQuery(), '{ __type(name: "Camera") { fields { name } } }']) {
      const res = await timed(app, query, undefined, null);
      expect(codeOf(res.body)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.status).toBe(400);
      expect(res.body.errors![0].message).toMatch(/introspection .* not allowed without logging in/);
    }
    const plain = await timed(app, '{ __typename }', undefined, null);
    expect(plain.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses an introspection query that nests its lists deeper than the full one (graphql-js), before it runs', async () => {
    const res = await timed(app, '{ __schema { types { fields { type { ofType { fields { type { ofType { fields { type { ofType { fields { name } } } } } } } } } } } } }');
    expect(codeOf(res.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors![0].message).toMatch(/Maximum introspection depth exceeded/);
    expect(res.status).toBe(400);
  });

  it('hides "Did you mean …" suggestions from anonymous requests and shows them to logged-in users', async () => {
    const anonymous = await timed(app, '{ camras { totalCount } }', undefined, null);
    expect(codeOf(anonymous.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(anonymous.body.errors![0].message).toBe('Cannot query field "camras" on type "Query".');
    const enumValue = await timed(app, 'query($k: [CameraKind!]) { cameras(filter: { kind: $k }) { totalCount } }', { k: ['DOMEE'] }, null);
    expect(enumValue.body.errors![0].message).not.toMatch(/Did you mean/);
    const loggedIn = await timed(app, '{ camras { totalCount } }');
    expect(loggedIn.body.errors![0].message).toMatch(/Did you mean "cameras"/);
  });
});

describe('huge geometries are refused before they are parsed', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  /** A closed ring of `n` vertices around (37.79, 37.01). */
  const ring = (n: number) => {
    const coords = Array.from({ length: n - 1 }, (_, i) => {
      const a = (2 * Math.PI * i) / (n - 1);
      return [Math.round((37.79 + 0.01 * Math.cos(a)) * 1e5) / 1e5, Math.round((37.01 + 0.01 * Math.sin(a)) * 1e5) / 1e5];
    });
    return { type: 'Polygon', coordinates: [[...coords, coords[0]]] };
  };
  const QUERY = 'query($g: GeoJSON!) { cameras(spatial: { intersects: { geometry: $g } }) { totalCount } }';

  it('refuses a 60,000-vertex polygon with the count and the limit, without sending it to PostGIS', async () => {
    let res!: GraphQLResponse;
    const { sql } = await app.countStatements(async () => (res = await app.gql(QUERY, { g: ring(60000) })));
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/the geometry has 60000 vertices; at most 10000 are accepted/);
    expect(sql.filter((s) => /ST_GeomFromGeoJSON/i.test(s))).toEqual([]);
  });

  it('refuses four 120,000-vertex polygons in one request before parsing them', async () => {
    // Short numbers, so that four fit in the 5 MB body limit.
    const g = { type: 'Polygon', coordinates: [Array.from({ length: 120000 }, (_, i) => [i % 10, (i * 7) % 10])] };
    const query = 'query($a: GeoJSON!, $b: GeoJSON!, $c: GeoJSON!, $d: GeoJSON!) { a: cameras(spatial: { intersects: { geometry: $a } }) { totalCount } b: cameras(spatial: { intersects: { geometry: $b } }) { totalCount } c: cameras(spatial: { intersects: { geometry: $c } }) { totalCount } d: cameras(spatial: { intersects: { geometry: $d } }) { totalCount } }';
    let res!: GraphQLResponse;
    const { sql } = await app.countStatements(async () => (res = await app.gql(query, { a: g, b: g, c: g, d: g })));
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    // Refused by the input checks before PostGIS parses any of them (how fast is the bench's concern).
    expect(sql.filter((s) => /ST_GeomFromGeoJSON/i.test(s))).toEqual([]);
  });

  it('refuses a geometry literal over the limit too, and still takes one at the limit', async () => {
    const literal = JSON.stringify(ring(10001)).replace(/"(\w+)":/g, '$1:');
    let res!: GraphQLResponse;
    const { sql } = await app.countStatements(async () => (res = await app.gql(`{ cameras(spatial: { intersects: { geometry: ${literal} } }) { totalCount } }`)));
    // Written inline, 10,001 positions are more tokens than a document may hold: refused before parsing.
    expect(codeOf(res)).toBe('QUERY_TOO_COMPLEX');
    expect(res.errors![0].message).toMatch(/more than 10000 tokens; send large values such as geometries as variables/);
    expect(sql.filter((s) => /ST_GeomFromGeoJSON/i.test(s))).toEqual([]);
    const atLimit = await app.gql(QUERY, { g: ring(10000) });
    expect(atLimit.errors).toBeUndefined();
  });
});

/** A transaction on its own connection that holds an exclusive lock on `table` until released. */
async function lockTable(table: string, schema: string): Promise<{ release(): Promise<void> }> {
  const other = createKnex(process.env.TEST_DATABASE_URL!, { searchPath: [schema, 'public'], poolMax: 1 });
  const trx = await other.transaction();
  await trx.raw('LOCK TABLE ?? IN ACCESS EXCLUSIVE MODE', [table]);
  let released: Promise<void> | undefined;
  const release = () => (released ??= trx.rollback().catch(() => undefined).then(() => other.destroy()));
  setTimeout(release, 8000); // never hang the run, whatever the server does
  return { release };
}

/** Backends of the API waiting for a lock (a statement still queued behind the test's lock). */
async function waitingOnLocks(knex: Knex): Promise<number> {
  const { rows } = await knex.raw(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'kbs-graphql' AND wait_event_type = 'Lock' AND datname = current_database()",
  );
  return rows[0].n;
}

// PGlite answers one statement at a time for every connection: a lock held open on another
// connection would stop the whole embedded database. There the tests check what applies to a pool
// of one connection instead; CI's `npm test` runs them against a PostgreSQL server.
describe('slow statements and requests are cut off and never hold more than their share of the pool', () => {
  it('cancels a statement that runs past statement_timeout: TIMEOUT, HTTP 503 with Retry-After', async () => {
    const app = await startTestApp({ server: { limits: { statementTimeoutMs: 300, requestTimeoutMs: 0 } } });
    try {
      if (embedded()) {
        // The setting is PostgreSQL's own, made on the connection that serves requests.
        expect((await timed(app, '{ cameras { totalCount } }')).body.errors).toBeUndefined();
        expect((await app.knex.raw('SHOW statement_timeout')).rows[0].statement_timeout).toBe('300ms');
        return;
      }
      const lock = await lockTable('cameras', app.schema);
      const res = await timed(app, '{ cameras { totalCount } }');
      await lock.release();
      expect(codeOf(res.body)).toBe('TIMEOUT');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(res.ms).toBeLessThan(4000);
      expect((await timed(app, '{ cameras { totalCount } }')).body.errors).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('answers a request past its deadline with TIMEOUT and cancels its statement in PostgreSQL', async () => {
    const app = await startTestApp({ server: { limits: { statementTimeoutMs: 0, requestTimeoutMs: 700 } } });
    try {
      if (embedded()) {
        expect((await timed(app, '{ cameras { totalCount } }')).body.errors).toBeUndefined();
        return;
      }
      const lock = await lockTable('cameras', app.schema);
      const res = await timed(app, '{ cameras { totalCount } }');
      const stillWaiting = await waitingOnLocks(app.knex);
      await lock.release();
      expect(codeOf(res.body)).toBe('TIMEOUT');
      expect(res.status).toBe(503);
      expect(res.body.errors![0].message).toMatch(/took longer than the server allows/);
      expect(res.ms).toBeLessThan(4000);
      expect(stillWaiting).toBe(0);
      expect((await timed(app, '{ cameras { totalCount } }')).body.errors).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('does not start the statements of a request whose deadline has passed', async () => {
    const app = await startTestApp({ server: { limits: { requestTimeoutMs: 1 } } });
    try {
      let res!: Awaited<ReturnType<typeof timed>>;
      const touched = await statementsOn(app, ['cameras'], async () => {
        // The access check may or may not fit in 1 ms; nothing after the deadline is sent.
        for (let i = 0; i < 20 && codeOf((res = await timed(app, '{ cameras { totalCount } }')).body) !== 'TIMEOUT'; i++);
      });
      expect(codeOf(res.body)).toBe('TIMEOUT');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(res.body.errors![0].message).toMatch(/longer than the 1 ms the server allows/);
      expect(touched.length).toBeLessThan(20);
    } finally {
      await app.close();
    }
  });

  it('keeps a request that fans out to its share of the pool, so others still get connections', async () => {
    // Pool of 4, 2 per request: a request with 4 aliases on a locked table holds 2 connections.
    const app = await startTestApp({ knex: { poolMax: embedded() ? 1 : 4, acquireTimeoutMs: 1000 }, server: { limits: { statementTimeoutMs: 0, requestTimeoutMs: 0, connectionsPerRequest: 2 } } });
    try {
      await insertNeighbourhood(app.knex, BOX);
      const wide = `{ ${['a', 'b', 'c', 'd'].map((a) => `${a}: cameras(first: 1) { totalCount }`).join(' ')} }`;
      if (embedded()) {
        // One connection in all: the request's share is the whole pool, and it still works.
        const res = await timed(app, wide);
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.d.totalCount).toBe(0);
        return;
      }
      const lock = await lockTable('cameras', app.schema);
      const stuck = timed(app, wide);
      await sleep(300);
      const other = await timed(app, '{ neighbourhoods { totalCount } }');
      expect(other.body.errors).toBeUndefined();
      expect(other.body.data.neighbourhoods.totalCount).toBe(1);
      expect(other.ms).toBeLessThan(900);

      // Two such requests take the whole pool: a third waits no longer than the acquire timeout.
      const stuck2 = timed(app, wide);
      await sleep(300);
      const refused = await timed(app, '{ neighbourhoods { totalCount } }');
      expect(codeOf(refused.body)).toBe('SERVICE_UNAVAILABLE');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(refused.ms).toBeLessThan(3000);

      await lock.release();
      for (const r of await Promise.all([stuck, stuck2])) expect(r.body.data.a.totalCount).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('logins are throttled per account and per client address', () => {
  let app: TestApp;
  const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }';
  /** A login from `address`: the server trusts the loopback proxy's X-Forwarded-For here. */
  const login = async (address: string, u: string, p: string) => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ query: LOGIN, variables: { u, p } }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse };
  };

  beforeAll(async () => {
    app = await startTestApp({
      server: { trustProxy: 'loopback', limits: { loginFailuresPerAccount: 3, loginFailuresPerAddress: 6, loginWindowSeconds: 60, loginLockSeconds: LOCK_SECONDS } },
    });
    const unit = await insertOrgUnit(app.knex, 'BIM');
    await insertUser(app.knex, unit, 'ayse.demir', { password: 'doğru-parola-1' });
    await insertUser(app.knex, unit, 'ali.celik', { password: 'doğru-parola-2' });
  });
  afterAll(() => app.close());

  it('locks an account after its failures: even the right password is refused until the lock ends', async () => {
    for (let i = 0; i < 3; i++) expect(codeOf((await login('10.0.0.1', 'ayse.demir', `yanlış-${i}`)).body)).toBe('UNAUTHENTICATED');
    // From any address, in any letter case.
    const locked = await login('10.0.0.9', 'Ayse.Demir', 'doğru-parola-1');
    expect(codeOf(locked.body)).toBe('TOO_MANY_REQUESTS');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(LOCK_SECONDS);
    expect(locked.body.errors![0].message).toMatch(/too many failed logins for this account: try again in \d s/);
    expect(locked.body.data).toBeNull();
    // Another account from the same address is not locked.
    expect((await login('10.0.0.1', 'ali.celik', 'doğru-parola-2')).body.data.login.accessToken).toEqual(expect.any(String));

    await sleep(LOCK_SECONDS * 1000 + 100);
    const after = await login('10.0.0.1', 'ayse.demir', 'doğru-parola-1');
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data.login.accessToken).toEqual(expect.any(String));
  });

  it('locks an address that guesses across accounts, whichever account it tries next', async () => {
    for (let i = 0; i < 6; i++) expect(codeOf((await login('10.0.0.2', `yok-${i}`, 'parola')).body)).toBe('UNAUTHENTICATED');
    const refused = await login('10.0.0.2', 'ali.celik', 'doğru-parola-2');
    expect(codeOf(refused.body)).toBe('TOO_MANY_REQUESTS');
    expect(refused.status).toBe(429);
    expect(refused.body.errors![0].message).toMatch(/from this address/);
    expect((await login('10.0.0.3', 'ali.celik', 'doğru-parola-2')).body.data.login.accessToken).toEqual(expect.any(String));
    await sleep(LOCK_SECONDS * 1000 + 100);
    expect((await login('10.0.0.2', 'ali.celik', 'doğru-parola-2')).body.data.login.accessToken).toEqual(expect.any(String));
  });

  it('counts parallel guesses too: of 20 at once, only the allowed number reach the password check', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login('10.0.0.5', 'paralel', `tahmin-${i}`)));
    const codes = answers.map((a) => codeOf(a.body));
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(3);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(17);
  });

  it('does not count successful logins as failures', async () => {
    for (let i = 0; i < 8; i++) expect((await login('10.0.0.4', 'ali.celik', 'doğru-parola-2')).body.errors).toBeUndefined();
  });
});

describe('anonymous requests are rate-limited per address; development aids follow the settings', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      server: { limits: { anonymousRequests: 5, anonymousWindowSeconds: 2, introspection: 'nobody', fieldSuggestions: 'everyone' } },
    });
  });
  afterAll(() => app.close());

  it('answers the request over the limit with 429, Retry-After and TOO_MANY_REQUESTS on every route; tokens are not limited', async () => {
    for (let i = 0; i < 5; i++) expect((await timed(app, '{ __typename }', undefined, null)).status).toBe(200);
    const refused = await timed(app, '{ __typename }', undefined, null);
    expect(refused.status).toBe(429);
    expect(codeOf(refused.body)).toBe('TOO_MANY_REQUESTS');
    expect(refused.body.errors![0].message).toMatch(/at most 5 in 2 s/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const ogc = await fetch(`${app.url}/ogc/collections`);
    expect(ogc.status).toBe(429);
    expect(((await ogc.json()) as { code: string }).code).toBe('TOO_MANY_REQUESTS');
    expect((await fetch(`${app.url}/tiles/neighbourhoods.json`)).status).toBe(429);

    expect((await timed(app, '{ __typename }')).status).toBe(200); // with a token
    await sleep(2100);
    expect((await timed(app, '{ __typename }', undefined, null)).status).toBe(200);
  });

  it('refuses introspection even to logged-in users when it is off, and shows suggestions to everyone when on', async () => {
    const res = await timed(app, '{ __schema { queryType { name } } }');
    expect(codeOf(res.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors![0].message).toMatch(/not allowed on this server/);
    await sleep(2100);
    const anonymous = await timed(app, '{ camras { totalCount } }', undefined, null);
    expect(anonymous.body.errors![0].message).toMatch(/Did you mean "cameras"/);
  });
});

describe('security headers on every route', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('nosniff everywhere; nothing may be framed; the map page only loads from its own origin', async () => {
    const responses = {
      graphql: await app.post('{ __typename }'),
      map: await fetch(`${app.url}/map`),
      mapScript: await fetch(`${app.url}/map/vendor/ol.js`),
      tiles: await fetch(`${app.url}/tiles/neighbourhoods.json`),
      ogc: await fetch(`${app.url}/ogc`),
      health: await fetch(`${app.url}/health`),
      missing: await fetch(`${app.url}/nothing-here`),
    };
    for (const [route, res] of Object.entries(responses)) {
      expect({ route, nosniff: res.headers.get('x-content-type-options') }).toEqual({ route, nosniff: 'nosniff' });
      expect({ route, frame: res.headers.get('x-frame-options') }).toEqual({ route, frame: 'DENY' });
      expect(res.headers.get('x-powered-by')).toBeNull();
      // Express answers an unknown path with its own, stricter policy (default-src 'none').
      if (route !== 'missing') expect({ route, csp: res.headers.get('content-security-policy') }).toEqual({ route, csp: expect.stringMatching(/frame-ancestors 'none'/) });
    }
    const csp = responses.map.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(responses.map.status).toBe(200);
  });
});
