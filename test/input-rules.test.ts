import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { insertCamera } from './helpers/factories';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await insertCamera(app.knex, 37.79, 37.01);
});
afterAll(() => app.close());

/** Nothing of a library, the runtime or the database in a message. */
const INTERNALS = /Cannot read propert|undefined|Invalid JSON|call stack|Exception|lwgeom|SELECT|stack/i;

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
    ['coordinates nested 2,000 deep', { type: 'Point', coordinates: nested(2_000) }, /nested more than 20 levels deep/],
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
