import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertUserWithGrants } from './helpers/access';
import { insertCamera, insertNeighbourhood, insertNetworkLine, insertNetworkNode, insertParcel } from './helpers/factories';

let app: TestApp;
const ids: Record<string, number> = {};
let readerToken: string;

beforeAll(async () => {
  app = await startTestApp();
  ids.n = await insertNeighbourhood(app.knex, [37.78, 37.0, 37.8, 37.02], { name: 'İstasyon' });
  ids.a = await insertCamera(app.knex, 37.79, 37.01, { name: 'Cumhuriyet Meydanı K1', kind: 'PTZ', horizontal_fov: 360 });
  ids.b = await insertCamera(app.knex, 37.791, 37.011, { name: 'İstasyon Caddesi K2', status: 'OFFLINE' });
  ids.c = await insertCamera(app.knex, 37.792, 37.012, { name: 'Atatürk Bulvarı K3', purpose: 'TRAFFIC' });
  await app.knex('cameras').where({ id: ids.b }).update({ installed_on: '2024-05-01', is_public: true });
  ids.p1 = await insertParcel(app.knex, [37.781, 37.001, 37.7812, 37.0012], { mahalle: 'İSTASYON', ada: 101, parsel: 1 });
  ids.p2 = await insertParcel(app.knex, [37.7813, 37.001, 37.7815, 37.0012], { mahalle: 'İSTASYON', ada: 101, parsel: 2, registeredFactor: 1.1 });
  const a = await insertNetworkNode(app.knex, 37.79, 37.01);
  const z = await insertNetworkNode(app.knex, 37.795, 37.012);
  ids.line = await insertNetworkLine(app.knex, { node: a }, { node: z }, [
    [37.79, 37.01],
    [37.792, 37.011],
    [37.795, 37.012],
  ]);
  // May read cameras, but not their stream URLs.
  ({ token: readerToken } = await insertUserWithGrants(app.knex, app.admin.orgUnitId, 'fc-reader', [{ resource: 'CAMERAS', action: 'READ' }]));
});
afterAll(() => app.close());

const CAMERA_FIELDS = 'id code name kind purpose status azimuth horizontalFov rangeMeters mountHeightMeters recorder recorderChannel installedOn isPublic version createdAt updatedAt';

/** The properties of a feature against the node's fields (timestamps to the millisecond, ids as numbers). */
function expectSameAttributes(properties: Record<string, unknown>, node: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(node)) {
    if (field === 'id' || field === 'geometry' || field === 'streamUrl' || field.startsWith('tm')) continue;
    if (field === 'createdAt' || field === 'updatedAt') {
      expect(Math.abs(Date.parse(properties[field] as string) - Date.parse(value as string))).toBeLessThanOrEqual(1);
      expect(properties[field]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    } else {
      expect([field, properties[field]]).toEqual([field, value]);
    }
  }
}

describe('featureCollection on layer connections', () => {
  it('is the page as one RFC 7946 FeatureCollection: ids, properties and geometry in EPSG:4326, in one statement', async () => {
    const page = `{ cameras(first: 2) { edges { node { ${CAMERA_FIELDS} streamUrl geometry } } } }`;
    const withFc = `{ cameras(first: 2) { edges { node { ${CAMERA_FIELDS} streamUrl geometry } } featureCollection } }`;
    await app.gql(withFc); // the SRID check is cached after the first request
    const without = await app.countStatements(() => app.gql(page));
    const { result, statements } = await app.countStatements(() => app.gql(withFc));
    expect(result.errors).toBeUndefined();
    expect(statements).toBe(without.statements + 1);

    const edges = result.data.cameras.edges;
    const fc = result.data.cameras.featureCollection;
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: any) => f.id)).toEqual(edges.map((e: any) => Number(e.node.id)));
    expect(fc.features.map((f: any) => f.id)).toEqual([ids.a, ids.b]);
    fc.features.forEach((f: any, i: number) => {
      const node = edges[i].node;
      expect(f.type).toBe('Feature');
      expect(f.geometry).toEqual(node.geometry);
      expect(f.geometry.crs).toBeUndefined();
      expectSameAttributes(f.properties, node);
      expect(f.properties.streamUrl).toBe(node.streamUrl);
      expect(f.properties).not.toHaveProperty('id');
      expect(f.properties).not.toHaveProperty('geometry');
      expect(f.properties).not.toHaveProperty('withheld');
    });
    expect(fc.features[1].properties).toMatchObject({ installedOn: '2024-05-01', status: 'OFFLINE', isPublic: true });
  });

  it('gives the geometry in another SRID with a crs member, exactly as geometry(srid) does', async () => {
    const res = await app.gql(`{ cameras(first: 3) { edges { node { id tm: geometry(srid: 5257) } } featureCollection(srid: 5257) } }`);
    expect(res.errors).toBeUndefined();
    const { edges, featureCollection: fc } = res.data.cameras;
    expect(fc.features).toHaveLength(3);
    fc.features.forEach((f: any, i: number) => {
      expect(f.id).toBe(Number(edges[i].node.id));
      expect(f.geometry).toEqual(edges[i].node.tm);
      expect(f.geometry.crs).toEqual({ type: 'name', properties: { name: 'EPSG:5257' } });
    });
  });

  it('leaves withheld sensitive fields null, as the list does', async () => {
    const res = await app.gql(`{ cameras(first: 3) { featureCollection } }`, {}, readerToken);
    expect(res.errors).toBeUndefined();
    for (const f of res.data.cameras.featureCollection.features) {
      expect(f.properties).toHaveProperty('streamUrl', null);
      expect(f.properties.name).toEqual(expect.any(String));
    }
    const admin = await app.gql(`{ cameras(first: 1) { featureCollection } }`);
    expect(admin.data.cameras.featureCollection.features[0].properties.streamUrl).toMatch(/^rtsp:\/\//);
  });

  it('follows the page: filters, cursors and nested pages', async () => {
    const res = await app.gql(
      `query($n: ID!) {
        offline: cameras(filter: { status: [OFFLINE] }) { featureCollection }
        rest: cameras(first: 1) { pageInfo { endCursor } }
        neighbourhood(id: $n) { cameras(first: 2) { edges { node { id } } featureCollection } }
      }`,
      { n: String(ids.n) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.offline.featureCollection.features.map((f: any) => f.id)).toEqual([ids.b]);
    const nested = res.data.neighbourhood.cameras;
    expect(nested.featureCollection.features.map((f: any) => f.id)).toEqual(nested.edges.map((e: any) => Number(e.node.id)));

    const next = await app.gql(`query($after: String) { cameras(first: 5, after: $after) { featureCollection } }`, {
      after: res.data.rest.pageInfo.endCursor,
    });
    expect(next.data.cameras.featureCollection.features.map((f: any) => f.id)).toEqual([ids.b, ids.c]);
  });

  it('serves lines and polygons with their computed attributes', async () => {
    const res = await app.gql(`{
      parcels { edges { node { id mahalle ada parsel nitelik areaSquareMeters registeredAreaSquareMeters areaDifferenceRatio geometry } } featureCollection }
      networkLines { edges { node { id code medium lengthMeters geometry } } featureCollection(srid: 3857) }
      neighbourhoods { featureCollection }
    }`);
    expect(res.errors).toBeUndefined();
    const parcels = res.data.parcels;
    expect(parcels.featureCollection.features.map((f: any) => f.id)).toEqual([ids.p1, ids.p2]);
    parcels.featureCollection.features.forEach((f: any, i: number) => {
      const node = parcels.edges[i].node;
      expect(f.geometry).toEqual(node.geometry);
      expect(f.geometry.type).toBe('MultiPolygon');
      expectSameAttributes(f.properties, node);
    });
    const line = res.data.networkLines.featureCollection.features[0];
    expect(line.id).toBe(ids.line);
    expect(line.geometry.type).toBe('LineString');
    expect(line.geometry.crs.properties.name).toBe('EPSG:3857');
    expect(line.properties.lengthMeters).toBeCloseTo(res.data.networkLines.edges[0].node.lengthMeters, 6);
    expect(res.data.neighbourhoods.featureCollection.features[0]).toMatchObject({ id: ids.n, properties: { name: 'İstasyon' } });
  });

  it('is on every layer connection, is empty for an empty page, and checks the SRID', async () => {
    const types = await app.gql(`{ __schema { types { name fields { name } } } }`);
    const withField = types.data.__schema.types
      .filter((t: any) => t.fields?.some((f: any) => f.name === 'featureCollection'))
      .map((t: any) => t.name)
      .sort();
    expect(withField).toEqual([
      'AssetConnection',
      'CameraConnection',
      'FaultConnection',
      'NeighbourhoodConnection',
      'NetworkLineConnection',
      'NetworkNodeConnection',
      'ParcelConnection',
      'RemoteUnitConnection',
    ]);

    const empty = await app.countStatements(() => app.gql(`{ cameras(first: 0) { featureCollection } assets { featureCollection } faults { featureCollection } }`));
    expect(empty.result.errors).toBeUndefined();
    expect(empty.result.data.cameras.featureCollection).toEqual({ type: 'FeatureCollection', features: [] });
    expect(empty.result.data.assets.featureCollection.features).toEqual([]);
    expect(empty.result.data.faults.featureCollection.features).toEqual([]);

    const bad = await app.gql(`{ cameras { featureCollection(srid: 999999) } }`);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  });
});
