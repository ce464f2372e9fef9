import { getNamedType, isObjectType, isNonNullType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { buildAppSchema } from '../src/schema';
import { GeoJsonText, geometryObject, stringifyAnswer } from '../src/geo/geojson-text';
import { GEOGRAPHIC_DIGITS } from '../src/geo/layer.repository';
import { startTestApp, type TestApp } from './helpers/app';

/**
 * Layer rows carry their geometry as PostGIS's GeoJSON text, which goes into the answer as it is
 * (no parse, no rewrite): the answers must be what they were, the geometry PostGIS's own.
 */
describe('stringifyAnswer', () => {
  const point = '{"type":"Point","coordinates":[37.79,37.01]}';
  const polygon = '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}';

  it('writes each text as it is, anywhere in the answer, and the rest as JSON.stringify does', () => {
    const answer = {
      data: {
        cameras: { edges: [{ node: { id: '1', name: 'K1 "kuzey"\n', geometry: new GeoJsonText(point) } }, { node: { id: '2', geometry: null } }] },
        parcels: [new GeoJsonText(polygon), { nested: { g: new GeoJsonText(point) } }],
      },
      errors: [{ message: 'x', extensions: { code: 'BAD_USER_INPUT' } }],
    };
    const parsed = JSON.parse(JSON.stringify(answer, (_k, v) => v));
    const out = stringifyAnswer(answer);
    expect(out.endsWith('\n')).toBe(true);
    expect(JSON.parse(out)).toEqual(parsed);
    expect(out).toContain(`"geometry":${point}`);
    expect(out).toContain(polygon);
  });

  it('leaves strings of the data that look like its marks as strings', () => {
    // A mark carries random bits drawn for each answer: data cannot hold the next one.
    const lookalikes = ['kbs-geojson-0000000000000000-0', '"kbs-geojson-', 'kbs-geojson-ffffffffffffffff-1'];
    const answer = { data: { names: lookalikes, g: new GeoJsonText(point), more: lookalikes } };
    expect(JSON.parse(stringifyAnswer(answer))).toEqual({ data: { names: lookalikes, g: JSON.parse(point), more: lookalikes } });
  });

  it('writes a page of texts in order, the same text object as often as it appears', () => {
    // Marks numbered past one digit (1,200 texts), and one object met twice (aliases of a field).
    const texts = Array.from({ length: 1200 }, (_, i) => new GeoJsonText(`{"type":"Point","coordinates":[${i},${i / 7}]}`));
    const answer = { data: { a: texts.map((g, i) => ({ id: String(i), g })), b: texts[3], c: [texts[3], 'x'] } };
    const expected = { data: { a: texts.map((g, i) => ({ id: String(i), g: g.value })), b: texts[3].value, c: [texts[3].value, 'x'] } };
    const out = stringifyAnswer(answer);
    expect(JSON.parse(out)).toEqual(expected);
    expect(out).toContain(`"id":"1199","g":${texts[1199].text}`);
  });

  it('outside it, a text serialises as the parsed geometry (graphql-ws, cache keys)', () => {
    expect(JSON.parse(JSON.stringify({ g: new GeoJsonText(polygon) }))).toEqual({ g: JSON.parse(polygon) });
    expect(geometryObject(point)).toEqual(JSON.parse(point));
    expect(geometryObject(JSON.parse(point))).toEqual(JSON.parse(point));
    expect(geometryObject(null)).toBeNull();
  });
});

/** Every list of the schema whose rows have a GeoJSON `geometry` and that takes no required argument. */
async function geometryLists(): Promise<{ field: string; type: string }[]> {
  const schema = await buildAppSchema();
  const lists: { field: string; type: string }[] = [];
  for (const field of Object.values(schema.getQueryType()!.getFields()) as GraphQLField<unknown, unknown>[]) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const type = getNamedType(field.type);
    if (!isObjectType(type) || !type.getFields().edges) continue;
    const node = getNamedType((getNamedType(type.getFields().edges.type) as GraphQLObjectType).getFields().node?.type);
    if (isObjectType(node) && getNamedType(node.getFields().geometry?.type)?.name === 'GeoJSON') lists.push({ field: field.name, type: node.name });
  }
  return lists;
}

describe('geometries of every layer list, over HTTP', () => {
  let app: TestApp;
  let lists: { field: string; type: string }[];
  beforeAll(async () => {
    app = await startTestApp({ seed: true });
    lists = await geometryLists();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('are found in the schema: every layer and register with a geometry', () => {
    expect(lists.map((l) => l.field).sort()).toEqual(expect.arrayContaining(['assets', 'cameras', 'faults', 'neighbourhoods', 'networkLines', 'networkNodes', 'parcels', 'remoteUnits']));
  });

  it('are PostGIS\'s own GeoJSON of each row, byte for byte in the body (RFC 7946 ring order)', async () => {
    for (const { field, type } of lists) {
      const table = `${type.replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c.toLowerCase())}s`;
      const res = await app.post(`{ ${field}(first: 50) { edges { node { id geometry } } } }`, {}, `Bearer ${app.admin.token}`);
      const body = await res.text();
      const { data, errors } = JSON.parse(body);
      expect({ field, errors }).toEqual({ field, errors: undefined });
      const nodes = data[field].edges.map((e: { node: { id: string; geometry: unknown } }) => e.node);
      expect({ field, rows: nodes.length }).toEqual({ field, rows: expect.any(Number) });
      const { rows } = await app.knex.raw(
        // Rings in RFC 7946 order for polygons; lines as stored (PostGIS 3.3's ST_ForcePolygonCCW reverses them).
        `SELECT id::text AS id, ST_AsGeoJSON(CASE WHEN GeometryType(geom) LIKE '%POLYGON' THEN ST_ForcePolygonCCW(geom) ELSE geom END, ?::int) AS text
           FROM ?? WHERE id = ANY(?::int[])`,
        [GEOGRAPHIC_DIGITS, table, nodes.map((n: { id: string }) => Number(n.id))],
      );
      const postgis = new Map((rows as { id: string; text: string | null }[]).map((r) => [r.id, r.text]));
      for (const n of nodes) {
        const text = postgis.get(n.id);
        expect({ field, id: n.id, geometry: n.geometry }).toEqual({ field, id: n.id, geometry: text == null ? null : JSON.parse(text) });
        if (text != null) expect(body.includes(`"geometry":${text}`)).toBe(true);
      }
    }
  });

  it('answer a GET as a POST, with an ETag that a repeat matches (304)', async () => {
    const query = '{ cameras(first: 5) { edges { node { id geometry } } } }';
    const post = await (await app.post(query, {}, `Bearer ${app.admin.token}`)).json();
    const url = `${app.url}/graphql?query=${encodeURIComponent(query)}`;
    const headers = { authorization: `Bearer ${app.admin.token}`, 'apollo-require-preflight': 'true' };
    const first = await fetch(url, { headers });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual(post);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(url, { headers: { ...headers, 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });
});
