import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertCamera } from './helpers/factories';

let app: TestApp;
let cameraId: number;

beforeAll(async () => {
  app = await startTestApp();
  cameraId = await insertCamera(app.knex, 37.79, 37.01);
});
afterAll(() => app.close());

const Q = `query($spatial: SpatialFilter, $nearest: NearestInput, $first: Int, $after: String) {
  cameras(spatial: $spatial, nearest: $nearest, first: $first, after: $after) { totalCount edges { node { id } } }
}`;

/** Asserts BAD_USER_INPUT with a message matching `message`, and no internals in it. */
async function expectBadInput(vars: Record<string, unknown>, message: RegExp, query = Q) {
  const res = await app.gql(query, vars);
  expect(res.data?.cameras ?? null).toBeNull();
  expect(codeOf(res)).toBe('BAD_USER_INPUT');
  expect(res.errors![0].message).toMatch(message);
  expect(JSON.stringify(res.errors)).not.toMatch(/SELECT |FROM |stacktrace|\.ts:\d|\.js:\d/i);
  expect(res.errors![0].extensions).toEqual({ code: "BAD_USER_INPUT" });
}

const point = (coordinates: unknown) => ({ spatial: { intersects: { geometry: { type: 'Point', coordinates } } } });

describe('bad input gets BAD_USER_INPUT with a message that says what is wrong', () => {
  it('malformed GeoJSON', async () => {
    await expectBadInput({ spatial: { intersects: { geometry: { type: 'Pointy', coordinates: [1, 2] } } } }, /"type" must be one of Point, .*got "Pointy"/);
    await expectBadInput({ spatial: { intersects: { geometry: { type: 'Polygon' } } } }, /requires a coordinates member/);
    await expectBadInput({ spatial: { intersects: { geometry: [1, 2] } } }, /expected an object with a "type", got an array/);
    await expectBadInput(point(['a', 'b']), /Each element in a position must be a number/);
    await expectBadInput(point([37]), /A position should have 2 or 3 elements - found 1/);
    await expectBadInput(
      { spatial: { intersects: { geometry: { type: 'Polygon', coordinates: [[[37, 37], [38, 38], [37, 37]]] } } } },
      /four or more positions/,
    );
    await expectBadInput(
      { spatial: { intersects: { geometry: { type: 'FeatureCollection', features: [] } } } },
      /got "FeatureCollection"/,
    );
  });

  it('an unknown SRID', async () => {
    await expectBadInput({ spatial: { bbox: { minx: 0, miny: 0, maxx: 1, maxy: 1, srid: 999999 } } }, /unknown SRID 999999/);
    await expectBadInput({ nearest: { x: 0, y: 0, srid: 424242 } }, /nearest\.srid: unknown SRID 424242/);
    const res = await app.gql(`query($id: ID!) { camera(id: $id) { geometry(srid: 999999) } }`, { id: String(cameraId) });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/unknown SRID 999999/);
  });

  it("a self-intersecting polygon, with PostGIS's reason", async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[37.78, 37.0], [37.8, 37.02], [37.8, 37.0], [37.78, 37.02], [37.78, 37.0]]] };
    await expectBadInput({ spatial: { intersects: { geometry: bowtie } } }, /invalid geometry: Self-intersection\[37\.79 37\.01\]/);
  });

  it('the wrong geometry type', async () => {
    const polygon = { type: 'Polygon', coordinates: [[[37.78, 37.0], [37.8, 37.0], [37.8, 37.02], [37.78, 37.0]]] };
    await expectBadInput({ nearest: { point: polygon } }, /nearest\.point: expected Point, got Polygon/);
    await expectBadInput({ nearest: { point: { type: 'Point', coordinates: [37.79, 37.01] }, x: 1, y: 2 } }, /either x and y or point, not both/);
    await expectBadInput({ nearest: { x: 37.79 } }, /give both x and y, or point/);
    await expectBadInput({ spatial: { intersects: { geometry: { type: 'Feature', properties: {}, geometry: null } } } }, /the Feature has no geometry/);
    await expectBadInput(
      { spatial: { intersects: { geometry: { type: 'GeometryCollection', coordinates: [] } } } },
      /requires a geometries member/,
    );
  });

  it('longitude or latitude out of range', async () => {
    await expectBadInput(point([200, 37]), /longitude 200 is out of range \[-180, 180\]/);
    await expectBadInput(point([37, -91]), /latitude -91 is out of range \[-90, 90\]/);
    await expectBadInput({ spatial: { bbox: { minx: 37, miny: 37, maxx: 181, maxy: 38 } } }, /longitude 181 is out of range/);
    await expectBadInput({ nearest: { x: 37.79, y: 137.01 } }, /nearest: latitude 137.01 is out of range/);
  });

  it("coordinates outside the projection's domain, naming the CRS's area of use", async () => {
    const far = { spatial: { intersects: { geometry: { type: 'Point', coordinates: [1e12, 1e12] }, srid: 5257 } } };
    const area = /outside the area of use of EPSG:5257 \(TUREF \/ TM39: 37\.5°E to 40\.5°E, 36\.66°N to 41\.19°N\)/;
    await expectBadInput(far, new RegExp(`spatial\\.intersects\\.geometry: the coordinates lie ${area.source}`));
    await expectBadInput({ nearest: { x: 1e12, y: 1e12, srid: 5257 } }, new RegExp(`nearest: the coordinates lie ${area.source}`));
  });

  it('an inverted bbox', async () => {
    await expectBadInput({ spatial: { bbox: { minx: 38, miny: 37, maxx: 37, maxy: 38 } } }, /minx \(38\) is greater than maxx \(37\)/);
  });

  it('a negative distance', async () => {
    await expectBadInput(
      { spatial: { withinDistance: { geometry: { type: 'Point', coordinates: [37.79, 37.01] }, meters: -5 } } },
      /withinDistance\.meters must be zero or more, got -5/,
    );
    await expectBadInput({ nearest: { x: 37.79, y: 37.01, maxDistanceMeters: -1 } }, /maxDistanceMeters must be zero or more/);
  });

  it('a page size over the limit, or negative', async () => {
    await expectBadInput({ first: 1001 }, /"first" may be at most 1000, got 1001/);
    await expectBadInput({ first: -1 }, /"first" must not be negative/);
    const nested = await app.gql(`{ neighbourhoods { edges { node { cameras(first: 5000) { totalCount } } } } }`);
    expect(nested.errors).toBeUndefined(); // no neighbourhoods: nothing to resolve
  });

  it('a malformed cursor', async () => {
    await expectBadInput({ after: 'not-a-cursor' }, /malformed cursor "not-a-cursor"/);
    await expectBadInput({ after: Buffer.from('id:-3').toString('base64url') }, /malformed cursor/);
  });

  it('a too large geometry', async () => {
    const ring = Array.from({ length: 10001 }, (_, i) => {
      const a = (2 * Math.PI * i) / 10000;
      return [37.79 + 0.01 * Math.cos(a), 37.01 + 0.01 * Math.sin(a)];
    });
    ring[ring.length - 1] = ring[0];
    await expectBadInput({ spatial: { intersects: { geometry: { type: 'Polygon', coordinates: [ring] } } } }, /10001 vertices; at most 10000/);
  });

  it('a wrong variable type is BAD_USER_INPUT, an unknown field GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await app.gql(Q, { first: 'ten' });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    const unknown = await app.gql(`{ cameras { edges { node { nope } } } }`);
    expect(codeOf(unknown)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('nothing internal reaches the client', () => {
  it('masks a database fault as INTERNAL_SERVER_ERROR and logs it', async () => {
    await app.knex.raw('ALTER TABLE cameras RENAME TO cameras_away');
    try {
      const res = await app.gql(`{ cameras { edges { node { id } } } }`);
      expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(res.errors![0].message).toBe('Internal server error');
      expect(JSON.stringify(res)).not.toMatch(/cameras_away|relation|select/i);
      expect(app.logged.length).toBeGreaterThan(0);
    } finally {
      await app.knex.raw('ALTER TABLE cameras_away RENAME TO cameras');
    }
  });

  it('answers a malformed JSON body with 400 and no stack trace', async () => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(text).not.toMatch(/node_modules|at .*\.js/);
  });

  it('serves /health', async () => {
    const res = await fetch(`${app.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
