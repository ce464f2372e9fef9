import { buildAppSchema } from '../src/schema';
import { embedded, startTestApp, type TestApp } from './helpers/app';
import { casesOf, describe as show, rngOf, sample, sitesOf, toJson, type FuzzCase } from './helpers/fuzz';
import { nested } from './helpers/fuzz-values';

/**
 * Bad input of every kind, to every argument of the schema and every HTTP route, never gets an
 * internal error: every answer is a client error (4xx, or a GraphQL error with a client code)
 * whose message says what was wrong in the API's words, never a library's, the runtime's or the
 * database's. Generated from the built schema with a fixed seed, so each run sends the same requests.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

/** Text that must never reach a client: runtime exceptions, stacks, SQL, PostGIS's and GEOS's internals. */
const INTERNALS =
  /Cannot read propert|undefined is not|is not a function|is not iterable|Maximum call stack|call stack|stacktrace|\bat \S+ \(|\.(?:js|ts):\d|node_modules|TypeError|RangeError|ReferenceError|SyntaxError: Unexpected|Exception|lwgeom|GEOS|\bSELECT\b|\bINSERT INTO\b|\bDELETE FROM\b|\bUPDATE \w+ SET\b|invalid input syntax|out of range for type|violates|relation "|column "|syntax error at or near|pg_|knex|\$\d+::/;

/** A request whose answer is wrong, and how. */
interface Outcome {
  label: string;
  status: number;
  message: string;
}

/** What is wrong with an answer, or undefined when it is a proper client error (or a success). */
function problem(status: number, body: string): string | undefined {
  if (status >= 500) return `HTTP ${status}: ${body.slice(0, 200)}`;
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    return status >= 400 ? `HTTP ${status} with a body that is not JSON: ${body.slice(0, 120)}` : undefined;
  }
  const errors: { message?: string; extensions?: { code?: string } }[] = json?.errors ?? (json?.code ? [{ message: json.description, extensions: { code: json.code } }] : []);
  for (const e of errors) {
    if (e.extensions?.code === 'INTERNAL_SERVER_ERROR' || !e.extensions?.code) return `code ${e.extensions?.code}: ${e.message}`;
    if (typeof e.message !== 'string' || INTERNALS.test(e.message)) return `internal text: ${e.message?.slice(0, 300)}`;
  }
  return undefined;
}

async function send(c: FuzzCase): Promise<Outcome | undefined> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!c.anonymous) headers.authorization = `Bearer ${app.admin.token}`;
  const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: toJson({ query: c.query, variables: c.variables }) });
  const body = await res.text();
  const wrong = problem(res.status, body);
  return wrong ? { label: c.label, status: res.status, message: wrong } : undefined;
}

async function get(path: string, anonymous: boolean): Promise<Outcome | undefined> {
  const res = await fetch(`${app.url}${path}`, { headers: anonymous ? {} : { authorization: `Bearer ${app.admin.token}` } });
  const body = await res.text();
  const wrong = problem(res.status, body);
  return wrong ? { label: `GET ${path.slice(0, 120)}${anonymous ? ' (anonymous)' : ''}`, status: res.status, message: wrong } : undefined;
}

/** Runs `tasks` with at most `width` at a time; returns the problems found. */
async function run<T>(items: T[], width: number, task: (item: T) => Promise<Outcome | undefined>): Promise<Outcome[]> {
  const found: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const outcome = await task(items[next++]);
        if (outcome) found.push(outcome);
      }
    }),
  );
  return found;
}

const report = (found: Outcome[]) => found.slice(0, 60).map((o) => `${o.label}\n    -> ${o.message}`);

/** What the server logged (internal faults, masked for the client) since `from`. */
const loggedSince = (from: number) => app.logged.slice(from).map((e) => show(e instanceof Error ? e.message : e));

describe('no bad input gets an internal error', () => {
  it('every argument of every query and mutation (and the arguments of the fields under the queries)', async () => {
    const logged = app.logged.length;
    const schema = await buildAppSchema();
    const rng = rngOf('kbs-fuzz-1');
    const sites = sitesOf(schema);
    // Every leaf gets the values its type must be tried with, and one more drawn from its type's
    // pool (none on the embedded database, which answers one query at a time): about 2,700 requests (1,800 there).
    const extra = embedded() ? 0 : 1;
    const queries = sites.filter((s) => s.operation === 'query').flatMap((s) => casesOf(s, rng, extra));
    const mutations = sites.filter((s) => s.operation === 'mutation').flatMap((s) => casesOf(s, rng, extra));
    // Queries run side by side; mutations one at a time, as a client's would (no deadlock between them).
    const found = [...(await run(queries, 4, send)), ...(await run(mutations, 1, send))];
    expect(report(found)).toEqual([]);
    expect(queries.length + mutations.length).toBeGreaterThan(1500);
    expect(loggedSince(logged)).toEqual([]);
  }, 300_000);

  it('malformed requests: syntax, nesting, operation types, persisted queries', async () => {
    const logged = app.logged.length;
    const raw = (label: string, body: unknown, anonymous = false): FuzzCase & { body: unknown } => ({ label, query: '', variables: {}, anonymous, body });
    const bodies = [
      raw('a subscription over HTTP (served over WebSocket)', { query: 'subscription { layerChanges { kind } }' }),
      raw('a subscription of no field', { query: 'subscription { x }' }),
      raw('a subscription, anonymous', { query: 'subscription S { me { id } }' }, true),
      raw('selection 5,000 deep', { query: `{ me { orgUnit ${'{ parent '.repeat(5000)}{ id }${'}'.repeat(5000)} } }` }),
      raw('selection 200 deep', { query: `{ me { orgUnit ${'{ parent '.repeat(200)}{ id }${'}'.repeat(200)} } }` }),
      raw('selection 60 deep', { query: `{ me { orgUnit ${'{ parent '.repeat(60)}{ id }${'}'.repeat(60)} } }` }),
      raw('list literal 5,000 deep', { query: `{ cameras(filter: { search: ${'['.repeat(5000)}"a"${']'.repeat(5000)} }) { totalCount } }` }),
      raw('object literal 5,000 deep', { query: `{ cameras(spatial: { intersects: { geometry: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)} } }) { totalCount } }` }),
      raw('list variable 100,000 deep', { query: 'query($g: GeoJSON!) { cameras(spatial: { intersects: { geometry: $g } }) { totalCount } }', variables: { g: { type: 'Point', coordinates: nested(100_000) } } }),
      raw('twenty thousand tokens', { query: `{ ${'__typename '.repeat(20_000)}}` }),
      raw('a body past the size limit', { query: `{ ${'__typename '.repeat(1_000_000)}}` }),
      raw('unterminated string', { query: '{ cameras(filter: { search: "a' }),
      raw('NUL in the document', { query: '{ me { id } }\u0000' }),
      raw('an unknown persisted query', { extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } }),
      raw('a persisted query of another version', { extensions: { persistedQuery: { version: 2, sha256Hash: 'ab'.repeat(32) } } }),
      raw('a persisted query whose hash does not match', { query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } }),
      raw('a persisted query with a number for a hash', { extensions: { persistedQuery: { version: 1, sha256Hash: 5 } } }),
      raw('a persisted query that is not an object', { query: '{ me { id } }', extensions: { persistedQuery: 'x' } }),
      raw('extensions not an object', { query: '{ me { id } }', extensions: 5 }),
      raw('query not a string', { query: 5 }),
      raw('query an object', { query: { a: 1 } }),
      raw('no query', {}),
      raw('variables not an object', { query: '{ me { id } }', variables: [1] }),
      raw('variables a string', { query: '{ me { id } }', variables: 'x' }),
      raw('operationName unknown', { query: 'query A { me { id } } query B { me { id } }', operationName: 'C' }),
      raw('operationName missing with two operations', { query: 'query A { me { id } } query B { me { id } }' }),
      raw('operationName not a string', { query: '{ me { id } }', operationName: 5 }),
      raw('a batch', [{ query: '{ me { id } }' }, { query: '{ me { id } }' }]),
      raw('a string body', 'x'),
      raw('null body', null),
      raw('an unknown directive', { query: '{ me @nope { id } }' }),
      raw('@include with a bad argument', { query: '{ me @include(if: "yes") { id } }' }),
      raw('a fragment cycle', { query: '{ me { ...A } } fragment A on User { orgUnit { ...B } } fragment B on OrgUnit { id ...A }' }),
      raw('an undefined variable', { query: '{ cameras(first: $n) { totalCount } }' }),
      raw('a variable of an unknown type', { query: 'query($n: Nope) { cameras(first: $n) { totalCount } }', variables: { n: 1 } }),
      raw('a variable of an input type used as output', { query: 'query($n: Camera) { me { id } }', variables: { n: 1 } }),
      raw('ten thousand aliases', { query: `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` }),
      raw('introspection, deep', { query: `{ __schema { types { fields { type ${'{ ofType '.repeat(30)}{ name }${'}'.repeat(30)} } } } }` }),
    ];
    const found = await run(bodies, 2, async (c) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (!c.anonymous) headers.authorization = `Bearer ${app.admin.token}`;
      const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: toJson(c.body) });
      const text = await res.text();
      const wrong = problem(res.status, text);
      return wrong ? { label: c.label, status: res.status, message: wrong } : undefined;
    });
    const gets = [
      '/graphql?query=%7B%20me%20%7B%20id%20%7D%20%7D',
      `/graphql?query=${encodeURIComponent(`{ me { orgUnit ${'{ parent '.repeat(300)}{ id }${'}'.repeat(300)} } }`)}`,
      '/graphql?query=mutation%20%7B%20login(username%3A%22a%22%2C%20password%3A%22b%22)%20%7B%20accessToken%20%7D%20%7D',
      '/graphql?query=%',
      '/graphql?query=%7B%20me%20%7B%20id%20%7D%20%7D&variables=%7Bnot-json',
      '/graphql?query=%7B%20me%20%7B%20id%20%7D%20%7D&extensions=%7B%22persistedQuery%22%3A1%7D',
    ];
    for (const path of gets) {
      const res = await fetch(`${app.url}${path}`, { headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${app.admin.token}` } });
      const wrong = problem(res.status, await res.text());
      if (wrong) found.push({ label: `GET ${path.slice(0, 100)}`, status: res.status, message: wrong });
    }
    expect(report(found)).toEqual([]);
    expect(loggedSince(logged)).toEqual([]);
  });

  it('every parameter of the tile and OGC API routes', async () => {
    const logged = app.logged.length;
    const rng = rngOf('kbs-fuzz-http');
    const segments = ['%', '%00', '%ZZ', '%2F', '', ' ', 'x'.repeat(5000), '-1', '1e309', '99999999999999999999', '9007199254740993', '1.5', '0x1', '%D9%A3', 'NaN', 'Infinity', '%E2%80%AE', "'", '%27%3B--'];
    const paths: string[] = [];
    const tile = ['cameras', '3', '4', '5'];
    for (let i = 0; i < 4; i++) {
      for (const s of segments) {
        const parts = [...tile];
        parts[i] = s;
        paths.push(`/tiles/${parts[0]}/${parts[1]}/${parts[2]}/${parts[3]}.mvt`);
      }
    }
    for (const s of segments) paths.push(`/tiles/${s}.json`, `/ogc/collections/${s}`, `/ogc/collections/${s}/items`, `/ogc/collections/cameras/items/${s}`);
    const values = [...segments, 'a%00b', '1,2,3', '1,2,3,4,5', '200,0,201,1', '0,0,1e308,1e308', '1,1,0,0', 'a,b,c,d', ',,,', '37,37,38,38', '-90,-180,90,180',
      'http://www.opengis.net/def/crs/EPSG/0/999999', 'EPSG:5257', 'http://www.opengis.net/def/crs/EPSG/0/5257', 'json', 'geojson', 'xml', 'aWQ6MQ', 'aWQ6LTE', 'aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OQ'];
    for (const param of ['limit', 'bbox', 'bbox-crs', 'crs', 'cursor', 'f', 'datetime', 'nope']) {
      for (const v of sample(rng, values, 12)) paths.push(`/ogc/collections/cameras/items?${param}=${v}`);
      paths.push(`/ogc/collections/parcels/items?${param}=1&${param}=2`, `/ogc/collections/cameras/items?${param}[a]=1`);
    }
    paths.push('/ogc/collections/cameras/items?bbox=392000,4097500,393500,4099000&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/5257');
    paths.push('/ogc/collections/cameras/items?bbox=4097500,392000,4099000,1e308&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/5257');
    paths.push('/ogc/collections/cameras/items/1?crs=%00', '/ogc/collections/cameras/items/1?f=%00', '/ogc/%', '/ogc/api?f=%00', '/ogc/conformance?x=1');
    const found = await run(paths, 4, (p) => get(p, rng() < 0.3));
    expect(report(found)).toEqual([]);
    expect(loggedSince(logged)).toEqual([]);
  });
});
