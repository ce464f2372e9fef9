import { getNamedType, isInputObjectType, type GraphQLInputType } from 'graphql';
import { buildAppSchema } from '../src/schema';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { insertCamera } from './helpers/factories';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await insertCamera(app.knex, 37.79, 37.01);
});
afterAll(() => app.close());

/** Nothing of a library, the runtime or the database in a message. */
const INTERNALS = /Cannot read propert|undefined|Invalid JSON|call stack|Exception|lwgeom|SELECT |stacktrace/;

function expectRefused(res: GraphQLResponse, message: RegExp, code = 'BAD_USER_INPUT') {
  expect(codeOf(res)).toBe(code);
  expect(res.errors![0].message).toMatch(message);
  expect(res.errors![0].message).not.toMatch(INTERNALS);
}

const INTERSECTS = 'query($g: GeoJSON!) { cameras(spatial: { intersects: { geometry: $g } }) { totalCount } }';

describe('GeoJSON input of any shape gets a message about the GeoJSON', () => {
  const ring = [[37.78, 37.0], [37.8, 37.0], [37.8, 37.02], [37.78, 37.0]];
  it.each([
    ['an empty ring', { type: 'Polygon', coordinates: [[]] }, /four or more positions here \(at \[\]\)/],
    ['an empty polygon of a MultiPolygon', { type: 'MultiPolygon', coordinates: [[[]]] }, /four or more positions/],
    ['an empty ring in a collection', { type: 'GeometryCollection', geometries: [{ type: 'Polygon', coordinates: [[]] }] }, /four or more positions/],
    ['a ring of empty positions', { type: 'Polygon', coordinates: [[[], [], [], []]] }, /A position should have 2 or 3 elements - found 0/],
    ['a ring of numbers', { type: 'Polygon', coordinates: [[1, 2, 3, 4]] }, /Expected to find a position here/],
    ['coordinates not an array', { type: 'Polygon', coordinates: 'x' }, /This must be an array/],
    ['an empty LineString', { type: 'LineString', coordinates: [] }, /two or more positions/],
    ['a Point with a nested position', { type: 'Point', coordinates: [[1, 2]] }, /must be a number/],
    ['geometries not an array', { type: 'GeometryCollection', geometries: 'x' }, /This must be an array/],
    ['a null in geometries', { type: 'GeometryCollection', geometries: [null] }, /invalid GeoJSON/],
    ['collections nested 15 deep', nestedCollections(15), /nested more than 20 levels deep/],
    ['coordinates nested 50 deep', { type: 'Point', coordinates: nested(50) }, /nested more than 20 levels deep/],
    ['a valid ring inside an invalid one', { type: 'Polygon', coordinates: [ring, []] }, /four or more positions/],
  ])('%s', async (_what, geometry, message) => {
    const res = await app.gql(INTERSECTS, { g: geometry });
    expectRefused(res, message);
    // The same written inline in the document, where the scalar parses a literal.
    if (JSON.stringify(geometry).length < 2000) {
      const inline = await app.gql(`{ cameras(spatial: { intersects: { geometry: ${literal(geometry)} } }) { totalCount } }`);
      expect(inline.errors![0].message).toMatch(message);
      expect(inline.errors![0].message).not.toMatch(INTERNALS);
    }
  });
});

function nested(depth: number): unknown {
  let v: unknown = [1, 2];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function nestedCollections(depth: number): unknown {
  let v: unknown = { type: 'Point', coordinates: [37.79, 37.01] };
  for (let i = 0; i < depth; i++) v = { type: 'GeometryCollection', geometries: [v] };
  return v;
}

/** A JSON value as a GraphQL literal. */
const literal = (v: unknown): string => JSON.stringify(v).replace(/"(\w+)":/g, '$1: ');

describe('text input: no NUL or other control characters, no unpaired surrogates, anywhere', () => {
  /** POSTs and returns the status with the body. */
  async function post(query: string, variables?: Record<string, unknown>, token: string | null = app.admin.token) {
    const res = await app.post(query, variables, token ? `Bearer ${token}` : undefined);
    return { status: res.status, body: (await res.json()) as GraphQLResponse };
  }

  it.each([
    ['a search filter, as a variable', 'query($s: String) { cameras(filter: { search: $s }) { totalCount } }', { s: 'a\u0000b' }, /^cameras: filter\.search contains the control character U\+0000 \(at character 2\)/],
    ['a search filter, inline', '{ cameras(filter: { search: "a\\u0000b" }) { totalCount } }', undefined, /^cameras: filter\.search contains the control character U\+0000/],
    ['a whole filter as a variable', 'query($f: CameraFilter) { cameras(filter: $f) { totalCount } }', { f: { recorder: 'NVR\u001b[31m' } }, /^cameras: filter\.recorder contains the control character U\+001B \(at character 4\)/],
    ['parcelByNumber', '{ parcelByNumber(mahalle: "\\u0000", ada: 1, parsel: 1) { id } }', undefined, /^parcelByNumber: mahalle contains the control character U\+0000/],
    ['an id', 'query($id: ID!) { camera(id: $id) { id } }', { id: '1\u0000' }, /^camera: id contains the control character U\+0000/],
    ['an item of a list', 'mutation($r: [ID!]!) { setUserRoles(userId: "1", roleIds: $r) { id } }', { r: ['1', '2\u0007'] }, /^setUserRoles: roleIds\[1\] contains the control character U\+0007/],
    ['a member of GeoJSON given as a JSON string', INTERSECTS, { g: '{"type":"Point","coordinates":[37.79,37.01],"p":"a\\u0000"}' }, /; invalid GeoJSON: GeoJSON\.p contains the control character U\+0000/],
    ['a member of GeoJSON', INTERSECTS, { g: { type: 'Point', coordinates: [37.79, 37.01], 'x\u0000': 1 } }, /^cameras: spatial\.intersects\.geometry: the name of a member contains the control character U\+0000/],
    ['DEL', 'query($s: String) { cameras(filter: { search: $s }) { totalCount } }', { s: 'a\u007f' }, /U\+007F/],
    ['an unpaired surrogate', 'query($s: String) { cameras(filter: { search: $s }) { totalCount } }', { s: 'a\ud800b' }, /^cameras: filter\.search contains an unpaired UTF-16 surrogate/],
    ['a default value of a variable', 'query($s: String = "\\u0001") { cameras(filter: { search: $s }) { totalCount } }', undefined, /^cameras: filter\.search contains the control character U\+0001/],
    ['an argument of a field in a fragment', '{ cameras { edges { node { ...F } } } } fragment F on Camera { neighbourhood { cameras(filter: { search: "\\u0002" }) { totalCount } } }', undefined, /^cameras: filter\.search contains the control character U\+0002/],
  ])('%s', async (_what, query, variables, message) => {
    // Twice: the second time, a document without variables is answered from what the first check found.
    for (const _attempt of [1, 2]) {
      const { status, body } = await post(query, variables);
      expect(status).toBe(400);
      expect(body.data ?? null).toBeNull();
      expectRefused(body, message);
    }
  });

  it('in login, anonymously, before any password is checked', async () => {
    const { status, body } = await post('mutation($u: String!) { login(username: $u, password: "x") { accessToken } }', { u: 'ayse\u0000' }, null);
    expect(status).toBe(400);
    expectRefused(body, /^login: username contains the control character U\+0000/);
  });

  it('allows tabs and line breaks, and any other Unicode', async () => {
    const res = await app.gql('query($s: String) { cameras(filter: { search: $s }) { totalCount } }', { s: 'İstasyon\t\r\nçğöşü 🛰️' });
    expect(res.errors).toBeUndefined();
  });

  it('checks only the operation that runs', async () => {
    const run = async (operationName: string) => {
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${app.admin.token}` },
        body: JSON.stringify({ query: 'query A { cameras { totalCount } } query B { cameras(filter: { search: "\\u0000" }) { totalCount } }', operationName }),
      });
      return (await res.json()) as GraphQLResponse;
    };
    expect((await run('A')).errors).toBeUndefined();
    expectRefused(await run('B'), /^cameras: filter\.search contains the control character U\+0000/);
  });

  it('refuses values nested more than 64 levels deep, naming where', async () => {
    const { status, body } = await post(INTERSECTS, { g: { type: 'Point', coordinates: nested(2_000) } });
    expect(status).toBe(400);
    expectRefused(body, /^cameras: spatial\.intersects\.geometry\.coordinates\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]… nests lists and objects more than 64 levels deep$/);
  });
});

describe('operations HTTP does not serve', () => {
  it('refuses a subscription over HTTP as a validation error naming the WebSocket, not an internal one', async () => {
    for (const query of ['subscription { layerChanges { kind } }', 'subscription { x }']) {
      const res = await app.post(query, undefined, `Bearer ${app.admin.token}`);
      expect(res.status).toBe(400);
      expectRefused((await res.json()) as GraphQLResponse, /^subscriptions are served over WebSocket on this same path, in the graphql-ws protocol \(graphql-transport-ws\); send queries and mutations over HTTP$/, 'GRAPHQL_VALIDATION_FAILED');
    }
  });
});

describe('documents too deep or too long to parse', () => {
  async function refused(res: Response, message: RegExp) {
    expect(res.status).toBe(400);
    expectRefused((await res.json()) as GraphQLResponse, message, 'QUERY_TOO_COMPLEX');
  }
  const deep = (n: number) => `{ me { orgUnit ${'{ parent '.repeat(n)}{ id }${' }'.repeat(n)} } }`;

  it.each([
    ['a selection 5,000 levels deep', deep(5000)],
    ['a selection 66 levels deep', deep(62)],
    ['a list literal 5,000 levels deep', `{ cameras(filter: { search: ${'['.repeat(5000)}"a"${']'.repeat(5000)} }) { totalCount } }`],
    ['an object literal 5,000 levels deep', `{ cameras(spatial: { intersects: { geometry: ${'{ a: '.repeat(5000)}1${' }'.repeat(5000)} } }) { totalCount } }`],
  ])('refuses %s before parsing it', async (_what, query) => {
    await refused(await app.post(query, undefined, `Bearer ${app.admin.token}`), /^the document nests selections, lists or objects more than 64 levels deep$/);
  });

  it('refuses a document of more than 10,000 tokens, and by GET too', async () => {
    await refused(await app.post(`{ ${'__typename '.repeat(10_000)}}`, undefined), /^the document has more than 10000 tokens; send large values such as geometries as variables$/);
    const get = await fetch(`${app.url}/graphql?query=${encodeURIComponent(deep(100))}`, { headers: { 'apollo-require-preflight': '1' } });
    await refused(get, /more than 64 levels deep/);
  });

  it('parses what is within the limits: 64 levels, and a 2,000-vertex polygon written inline', async () => {
    // Parsed, then refused by the operation's own depth limit (12 by default): not a parse failure.
    const ok = await app.gql(deep(60));
    expect(ok.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(ok.errors?.[0]?.message).toMatch(/nests fields \d+ deep; at most 12 levels/);
    const ring = Array.from({ length: 2_000 }, (_, i) => {
      const a = (2 * Math.PI * i) / 1_999;
      return `[${(37.79 + 0.01 * Math.cos(a)).toFixed(6)}, ${(37.01 + 0.01 * Math.sin(a)).toFixed(6)}]`;
    });
    ring[ring.length - 1] = ring[0];
    const polygon = await app.gql(`{ cameras(spatial: { intersects: { geometry: { type: "Polygon", coordinates: [[${ring.join(', ')}]] } } }) { totalCount } }`);
    expect(polygon.errors).toBeUndefined();
  });

  it('leaves syntax errors to the parser, with their location', async () => {
    const res = await app.gql(`{ cameras(filter: { search: "a${'['.repeat(100)} }) { totalCount } }`);
    expect(codeOf(res)).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.errors![0].message).toMatch(/^Syntax Error: Unterminated string/);
  });
});

describe('persisted queries (APQ)', () => {
  const hash = 'ab'.repeat(32);
  async function send(body: unknown) {
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as GraphQLResponse };
  }

  it('an unknown hash is PERSISTED_QUERY_NOT_FOUND, as the protocol asks (the client then sends the query)', async () => {
    const { status, body } = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(status).toBeLessThan(500);
    expect(codeOf(body)).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it.each([
    ['another version', { extensions: { persistedQuery: { version: 2, sha256Hash: hash } } }, /^Unsupported persisted query version$/],
    ['not an object', { query: '{ me { id } }', extensions: { persistedQuery: 'x' } }, /^Unsupported persisted query version$/],
    ['a hash that is not the query\'s', { query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, /^provided sha does not match query$/],
  ])('%s is BAD_REQUEST, not INTERNAL_SERVER_ERROR', async (_what, request, message) => {
    const { status, body } = await send(request);
    expect(status).toBe(400);
    expectRefused(body, message, 'BAD_REQUEST');
    expect(app.logged).toEqual([]);
  });
});

describe('dates', () => {
  it('every date-like input of the schema is a Date or a DateTimeISO (found by name in the built schema)', async () => {
    const schema = await buildAppSchema();
    const dateLike = /(On|Date|Before|After|At)$|^(from|to)$/;
    const found: string[] = [];
    const check = (where: string, name: string, type: GraphQLInputType) => {
      const named = getNamedType(type).name;
      if (dateLike.test(name) && !['Date', 'DateTimeISO'].includes(named)) found.push(`${where}.${name}: ${named}`);
    };
    for (const root of [schema.getQueryType()!, schema.getMutationType()!]) {
      for (const field of Object.values(root.getFields())) for (const arg of field.args) check(field.name, arg.name, arg.type);
    }
    for (const type of Object.values(schema.getTypeMap())) {
      if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) check(type.name, field.name, field.type);
    }
    expect(found).toEqual([]);
  });

  const FILTER = 'query($d: Date) { assets(filter: { warrantyEndsBefore: $d }) { totalCount } }';
  it.each([
    ['2026-02-30', /^Variable "\$d" got invalid value "2026-02-30"; "2026-02-30" is not a date: February 2026 has 28 days$/],
    ['2025-02-29', /February 2025 has 28 days/],
    ['2026-04-31', /April 2026 has 30 days/],
    ['2026-13-01', /"2026-13-01" is not a date: there is no month 13/],
    ['0000-00-00', /"0000-00-00" is not a date: there is no year 0/],
    ['2026-00-10', /there is no month 00/],
    ['2026-01-00', /there is no day 00/],
    ['yesterday', /"yesterday" is not a date written YYYY-MM-DD/],
    ['infinity', /"infinity" is not a date written YYYY-MM-DD/],
    ['2026-1-5', /"2026-1-5" is not a date written YYYY-MM-DD/],
    ['2026-01-05T00:00:00Z', /is not a date written YYYY-MM-DD/],
    [20260105, /a date is a string YYYY-MM-DD, not a number/],
  ])('refuses %s', async (value, message) => {
    const res = await app.gql(FILTER, { d: value });
    expectRefused(res, message);
    if (typeof value === 'string') {
      const inline = await app.gql(`{ assets(filter: { warrantyEndsBefore: ${JSON.stringify(value)} }) { totalCount } }`);
      expect(inline.errors![0].message).toMatch(message.source.startsWith('^Variable') ? /is not a date/ : message);
      expect(codeOf(inline)).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('takes any real day, 29 February of a leap year included', async () => {
    for (const d of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) expect((await app.gql(FILTER, { d })).errors).toBeUndefined();
  });

  it('in a camera: installedOn is checked before anything is written, and comes back as it went in', async () => {
    const CREATE = `mutation($d: Date) { createCamera(input: { code: "KAM-D1", name: "d", kind: FIXED, purpose: SECURITY, azimuth: 0, horizontalFov: 60, rangeMeters: 30,
      geometry: { type: "Point", coordinates: [37.79, 37.01] }, installedOn: $d }) { installedOn } }`;
    expectRefused(await app.gql(CREATE, { d: '2026-02-30' }), /February 2026 has 28 days/);
    expectRefused(await app.gql(CREATE, { d: 'epoch' }), /"epoch" is not a date written YYYY-MM-DD/);
    expect((await app.gql(CREATE, { d: '2024-02-29' })).data.createCamera).toEqual({ installedOn: '2024-02-29' });
  });
});

describe('numbers that become intervals, limits or narrow columns are bounded, with the field named', () => {
  it.each([
    ['faults(filter.olderThanDays) 2147483647 (was "timestamp out of range")', '{ faults(filter: { olderThanDays: 2147483647 }) { totalCount } }', /^filter\.olderThanDays must be between 0 and 36500 \(a century\), got 2147483647$/],
    ['faults(filter.olderThanDays) -1', '{ faults(filter: { olderThanDays: -1 }) { totalCount } }', /^filter\.olderThanDays must be between 0 and 36500/],
    ['parcels(filter.minAreaDifferenceRatio) 1e308', '{ parcels(filter: { minAreaDifferenceRatio: 1e308 }) { totalCount } }', /^filter\.minAreaDifferenceRatio must be between 0 and 1000, got 1e\+308$/],
    [
      'createCamera(input.azimuth) 2147483647 (past smallint)',
      'mutation { createCamera(input: { code: "KAM-N1", name: "n", kind: FIXED, purpose: SECURITY, azimuth: 2147483647, horizontalFov: 60, rangeMeters: 30, geometry: { type: "Point", coordinates: [37.79, 37.01] } }) { id } }',
      /^input\.azimuth must be at least 0 and at most 359, got 2147483647$/,
    ],
    [
      'updateCamera(input.horizontalFov) 0',
      'mutation { updateCamera(id: "1", version: 1, input: { horizontalFov: 0 }) { id } }',
      /^input\.horizontalFov must be more than 0 and at most 360, got 0$/,
    ],
  ])('%s', async (_what, query, message) => {
    expectRefused(await app.gql(query), message);
  });

  it('takes the bounds themselves', async () => {
    expect((await app.gql('{ faults(filter: { olderThanDays: 36500 }) { totalCount } }')).errors).toBeUndefined();
    expect((await app.gql('{ parcels(filter: { minAreaDifferenceRatio: 1000 }) { totalCount } }')).errors).toBeUndefined();
  });
});

describe('geometries that are no geography', () => {
  const world = { type: 'Polygon', coordinates: [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]] };
  const halfEquator = { type: 'LineString', coordinates: [[0, 0], [180, 0]] };
  const ANTIPODAL = /an edge joins two antipodal points .*; add vertices along it$/;

  it('withinDistance of a whole-world polygon names the argument (was PostGIS\'s "Antipodal (180 degrees long) edge detected!")', async () => {
    for (const g of [world, halfEquator]) {
      const res = await app.gql('query($g: GeoJSON!) { cameras(spatial: { withinDistance: { geometry: $g, meters: 10 } }) { totalCount } }', { g });
      expectRefused(res, new RegExp(`^spatial\\.withinDistance\\.geometry: ${ANTIPODAL.source}`));
    }
  });

  it('is never stored: a feature is measured on the ellipsoid every time it is read', async () => {
    const res = await app.gql('mutation($g: GeoJSON!) { createNeighbourhood(input: { code: "W", name: "World", district: "x", province: "y", geometry: $g }) { id } }', { g: world });
    expectRefused(res, new RegExp(`^input\\.geometry: ${ANTIPODAL.source}`));
    expect((await app.gql('{ neighbourhoods { totalCount edges { node { areaSquareMeters } } } }')).errors).toBeUndefined();
  });

  it('intersects, which is planar, still takes the whole world', async () => {
    const res = await app.gql(INTERSECTS, { g: world });
    expect(res.errors).toBeUndefined();
    expect(res.data.cameras.totalCount).toBeGreaterThan(0);
  });
});

describe('HTTP routes: a URL that is not validly percent-encoded is the request\'s fault', () => {
  it.each(['/tiles/cameras/%/0/0.mvt', '/tiles/%.json', '/ogc/collections/%', '/ogc/collections/cameras/items/%25%'])('%s is 400 BAD_REQUEST', async (path) => {
    const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${app.admin.token}` } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 'BAD_REQUEST', description: 'the URL is not validly percent-encoded' });
  });
});
