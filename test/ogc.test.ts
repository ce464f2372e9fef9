import { startTestApp, type TestApp } from './helpers/app';
import { insertGrant, insertUserWithGrants, publicRoleId } from './helpers/access';
import {
  insertCamera,
  insertNeighbourhood,
  insertNetworkLine,
  insertNetworkNode,
  insertOrgUnit,
  insertParcel,
  insertRemoteUnit,
} from './helpers/factories';
import { insertAsset, insertFault } from './helpers/faults';
import { ids, linkOf, ogcGet } from './helpers/ogc';

/**
 * OGC API - Features at /ogc: the documents and links QGIS and GDAL follow, paging, bbox, and the
 * same rows, attributes and limits as the GraphQL lists. CRS handling is in ogc-crs.test.ts.
 *
 * Two neighbourhoods side by side near Nizip: west = [37.78, 37.00, 37.79, 37.01] with 7 cameras,
 * east = [37.79, 37.00, 37.80, 37.01] with 5; one camera on each side is public.
 */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string> = {};
const west: number[] = [];
const east: number[] = [];
const WEST: [number, number, number, number] = [37.78, 37.0, 37.79, 37.01];
const EAST: [number, number, number, number] = [37.79, 37.0, 37.8, 37.01];
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const close = (values: number[]) => values.map((v) => expect.closeTo(v, 9));
const ALL_COLLECTIONS = ['cameras', 'neighbourhoods', 'network-nodes', 'network-lines', 'remote-units', 'parcels', 'assets', 'faults'];

beforeAll(async () => {
  app = await startTestApp();
  const k = app.knex;
  id.zab = await insertOrgUnit(k, 'ZAB');
  id.west = await insertNeighbourhood(k, WEST, { name: 'Batı' });
  id.east = await insertNeighbourhood(k, EAST, { name: 'Doğu' });
  for (let i = 0; i < 7; i++) west.push(await insertCamera(k, 37.781 + i * 0.001, 37.005, { name: `w${i}`, kind: i % 2 ? 'PTZ' : 'FIXED' }));
  for (let i = 0; i < 5; i++) east.push(await insertCamera(k, 37.791 + i * 0.001, 37.005, { name: `e${i}` }));
  await k('cameras').whereIn('id', [west[0], east[0]]).update({ is_public: true });
  await k('cameras').where('id', west[1]).update({ installed_on: '2024-05-17' });
  id.n1 = await insertNetworkNode(k, 37.785, 37.002);
  id.n2 = await insertNetworkNode(k, 37.795, 37.002);
  id.line = await insertNetworkLine(k, { node: id.n1 }, { node: id.n2 }, [[37.785, 37.002], [37.79, 37.003], [37.795, 37.002]]);
  id.unit = await insertRemoteUnit(k, 37.786, 37.006, id.zab);
  id.parcel = await insertParcel(k, [37.782, 37.002, 37.783, 37.003], { mahalle: 'Batı', ada: 101, parsel: 7 });
  id.asset = await insertAsset(k, 37.784, 37.004, id.zab);
  id.disposed = await insertAsset(k, 37.784, 37.004, id.zab, { state: 'DISPOSED' });
  id.fault = await insertFault(k, { owner: id.zab, assetId: id.asset, reportedAt: '2026-01-05T09:00:00Z' });

  await insertGrant(k, await publicRoleId(k), { resource: 'CAMERAS', action: 'READ' });
  const layers = ['CAMERAS', 'NEIGHBOURHOODS', 'NETWORK_NODES', 'NETWORK_LINES', 'REMOTE_UNITS', 'PARCELS'] as const;
  ({ token: token.reader } = await insertUserWithGrants(k, id.zab, 'reader', layers.map((resource) => ({ resource, action: 'READ' as const }))));
  ({ token: token.westOnly } = await insertUserWithGrants(k, id.zab, 'west-only', [{ resource: 'CAMERAS', action: 'READ', box: WEST }]));
});
afterAll(() => app.close());

describe('OGC API landing page, conformance, API definition', () => {
  it('links to itself, the API definition, the conformance classes and the collections', async () => {
    const res = await ogcGet(app, '/ogc', null);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const base = `${app.url}/ogc`;
    expect(linkOf(res.body, 'self', 'application/json')).toBe(`${base}/`);
    expect(linkOf(res.body, 'service-desc', 'application/vnd.oai.openapi+json;version=3.0')).toBe(`${base}/api`);
    expect(linkOf(res.body, 'conformance', 'application/json')).toBe(`${base}/conformance`);
    expect(linkOf(res.body, 'data', 'application/json')).toBe(`${base}/collections`);
    expect((await ogcGet(app, '/ogc/?f=json', null)).status).toBe(200);
  });

  it('declares Part 1 core, OpenAPI 3.0 and GeoJSON, and Part 2 CRS', async () => {
    const res = await ogcGet(app, '/ogc/conformance', null);
    expect(res.status).toBe(200);
    expect(res.body.conformsTo).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
        'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
      ]),
    );
  });

  it('serves an OpenAPI 3.0 document describing every route and parameter', async () => {
    const res = await fetch(`${app.url}/ogc/api`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.oai\.openapi\+json/);
    expect(res.headers.get('content-type')).toMatch(/version=3\.0/);
    const doc: any = await res.json();
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(doc.servers[0].url).toBe(`${app.url}/ogc`);
    expect(Object.keys(doc.paths)).toEqual([
      '/',
      '/api',
      '/conformance',
      '/collections',
      '/collections/{collectionId}',
      '/collections/{collectionId}/items',
      '/collections/{collectionId}/schema',
      '/collections/{collectionId}/schema/geojson',
      '/collections/{collectionId}/queryables',
      '/collections/{collectionId}/items/{featureId}',
    ]);
    const items = doc.paths['/collections/{collectionId}/items'].get;
    const names = items.parameters.map((p: { $ref: string }) => p.$ref.split('/').pop());
    expect(names).toEqual(['collectionId', 'limit', 'bbox', 'bbox-crs', 'crs', 'cursor', 'datetime', 'filter', 'filter-lang', 'filter-crs', 'sortby', 'properties', 'featuresFormat']);
    for (const name of names) expect(doc.components.parameters[name]).toBeDefined();
    expect(doc.components.parameters.featuresFormat.schema.enum).toEqual(['json', 'geojson', 'gpkg', 'csv', 'kml']);
    expect(doc.components.parameters.limit.schema).toEqual({ type: 'integer', minimum: 1, maximum: 10000, default: 100 });
    expect(doc.components.parameters.collectionId.schema.enum).toEqual(ALL_COLLECTIONS);
  });

  it('answers unknown paths and parameters with an OGC exception', async () => {
    const missing = await ogcGet(app, '/ogc/nothing');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: 'NOT_FOUND', description: expect.stringContaining('/ogc/nothing') });
    const unknown = await ogcGet(app, '/ogc/collections?foo=1');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('BAD_USER_INPUT');
    expect(unknown.body.description).toContain('"foo"');
    expect((await ogcGet(app, '/ogc/conformance?f=html')).status).toBe(400);
  });
});

describe('OGC API collections', () => {
  it('lists every layer to a reader of all of them, with extent, CRS list, storage CRS and item links', async () => {
    const res = await ogcGet(app, '/ogc/collections');
    expect(res.status).toBe(200);
    expect(res.body.collections.map((c: { id: string }) => c.id)).toEqual(ALL_COLLECTIONS);
    expect(linkOf(res.body, 'self')).toBe(`${app.url}/ogc/collections`);
    const cameras = res.body.collections[0];
    expect(cameras).toMatchObject({ id: 'cameras', title: 'Cameras', itemType: 'feature', storageCrs: CRS84 });
    expect(cameras.crs).toEqual(
      expect.arrayContaining([
        CRS84,
        'http://www.opengis.net/def/crs/EPSG/0/4326',
        'http://www.opengis.net/def/crs/EPSG/0/3857',
        ...[5253, 5254, 5255, 5256, 5257, 5258, 5259].map((c) => `http://www.opengis.net/def/crs/EPSG/0/${c}`),
      ]),
    );
    const { rows } = await app.knex.raw('SELECT ST_XMin(e) AS a, ST_YMin(e) AS b, ST_XMax(e) AS c, ST_YMax(e) AS d FROM (SELECT ST_Extent(geom) AS e FROM cameras) s');
    expect(cameras.extent.spatial.crs).toBe(CRS84);
    const [bbox] = cameras.extent.spatial.bbox;
    [rows[0].a, rows[0].b, rows[0].c, rows[0].d].forEach((v: number, i: number) => expect(bbox[i]).toBeCloseTo(v, 9));
    expect(linkOf(cameras, 'items', 'application/geo+json')).toBe(`${app.url}/ogc/collections/cameras/items`);
    for (const c of res.body.collections) {
      expect(c.links.every((l: { rel: string; type: string }) => l.rel && l.type)).toBe(true);
      expect(linkOf(c, 'items', 'application/geo+json')).toBe(`${app.url}/ogc/collections/${c.id}/items`);
    }

    const one = await ogcGet(app, '/ogc/collections/network-lines');
    expect(one.status).toBe(200);
    expect(one.body).toEqual(res.body.collections.find((c: { id: string }) => c.id === 'network-lines'));
  });

  it('lists only what the request may read, with the extent of what it may read', async () => {
    const anonymous = await ogcGet(app, '/ogc/collections', null);
    expect(anonymous.body.collections.map((c: { id: string }) => c.id)).toEqual(['cameras']);
    // Only the two public cameras: w0 and e0.
    expect(anonymous.body.collections[0].extent.spatial.bbox[0]).toEqual(close([37.781, 37.005, 37.791, 37.005]));

    const reader = await ogcGet(app, '/ogc/collections', token.reader);
    expect(reader.body.collections.map((c: { id: string }) => c.id)).toEqual(ALL_COLLECTIONS.slice(0, 6));

    // The west cameras, and the public ones that every logged-in user reads too (e0).
    const westOnly = await ogcGet(app, '/ogc/collections/cameras', token.westOnly);
    expect(westOnly.body.extent.spatial.bbox[0]).toEqual(close([37.781, 37.005, 37.791, 37.005]));
    await app.knex('cameras').where('id', east[0]).update({ is_public: false });
    try {
      const westOnlyNow = await ogcGet(app, '/ogc/collections/cameras', token.westOnly);
      expect(westOnlyNow.body.extent.spatial.bbox[0]).toEqual(close([37.781, 37.005, 37.787, 37.005]));
    } finally {
      await app.knex('cameras').where('id', east[0]).update({ is_public: true });
    }
  });

  it('is 404 for an unknown collection', async () => {
    const res = await ogcGet(app, '/ogc/collections/roads');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect((await ogcGet(app, '/ogc/collections/roads/items')).status).toBe(404);
  });
});

describe('OGC API items', () => {
  it('is a GeoJSON FeatureCollection with ids, properties, counts, a time stamp and links', async () => {
    const res = await ogcGet(app, '/ogc/collections/cameras/items');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(res.headers.get('content-crs')).toBe(`<${CRS84}>`);
    const fc = res.body;
    expect(fc.type).toBe('FeatureCollection');
    expect(ids(fc)).toEqual([...west, ...east]);
    expect(fc).toMatchObject({ numberMatched: 12, numberReturned: 12 });
    expect(Date.now() - Date.parse(fc.timeStamp)).toBeLessThan(60000);
    expect(linkOf(fc, 'self', 'application/geo+json')).toBe(`${app.url}/ogc/collections/cameras/items`);
    expect(linkOf(fc, 'alternate', 'application/json')).toBe(`${app.url}/ogc/collections/cameras/items?f=json`);
    expect(linkOf(fc, 'collection', 'application/json')).toBe(`${app.url}/ogc/collections/cameras`);
    expect(linkOf(fc, 'next')).toBeUndefined();
    const w1 = fc.features[1];
    expect(w1).toMatchObject({ type: 'Feature', id: west[1], geometry: { type: 'Point', coordinates: [37.782, 37.005] } });
    expect(w1.properties).toMatchObject({ name: 'w1', kind: 'PTZ', installedOn: '2024-05-17', version: 1, isPublic: false });
    expect(Object.keys(w1.properties)).not.toContain('withheld');
    // The id is a property too (QGIS numbers features itself and shows the real id only as an attribute).
    expect(Object.keys(w1.properties)[0]).toBe('id');
    expect(w1.properties.id).toBe(west[1]);
  });

  it('serves plain JSON for f=json or a client that accepts only application/json', async () => {
    const f = await ogcGet(app, '/ogc/collections/cameras/items?f=json&limit=1');
    expect(f.headers.get('content-type')).toMatch(/^application\/json/);
    expect(linkOf(f.body, 'self', 'application/json')).toBe(`${app.url}/ogc/collections/cameras/items?f=json&limit=1`);
    expect(linkOf(f.body, 'alternate', 'application/geo+json')).toBe(`${app.url}/ogc/collections/cameras/items?limit=1&f=geojson`);
    const accept = await ogcGet(app, '/ogc/collections/cameras/items?limit=1', undefined, { accept: 'application/json' });
    expect(accept.headers.get('content-type')).toMatch(/^application\/json/);
    const gdal = await ogcGet(app, '/ogc/collections/cameras/items?limit=1', undefined, { accept: 'application/geo+json, application/json' });
    expect(gdal.headers.get('content-type')).toMatch(/^application\/geo\+json/);
  });

  it('pages by limit and next links without gaps or repeats', async () => {
    const seen: number[] = [];
    let next: string | undefined = '/ogc/collections/cameras/items?limit=5';
    let pages = 0;
    while (next) {
      const res: any = await ogcGet(app, next);
      expect(res.status).toBe(200);
      expect(res.body.numberMatched).toBe(12);
      expect(res.body.numberReturned).toBe(res.body.features.length);
      expect(res.body.numberReturned).toBeLessThanOrEqual(5);
      seen.push(...ids(res.body));
      next = linkOf(res.body, 'next', 'application/geo+json');
      if (next) expect(next.startsWith(`${app.url}/ogc/collections/cameras/items?`)).toBe(true);
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...west, ...east]);
  });

  it('keeps bbox and the other parameters in the next link', async () => {
    const first = await ogcGet(app, `/ogc/collections/cameras/items?bbox=${WEST.join(',')}&limit=4`);
    expect(first.body).toMatchObject({ numberMatched: 7, numberReturned: 4 });
    const second = await ogcGet(app, linkOf(first.body, 'next')!);
    expect(ids(second.body)).toEqual(west.slice(4));
    expect(linkOf(second.body, 'next')).toBeUndefined();
  });

  it('checks limit: at least 1, a whole number; above the maximum gets the maximum', async () => {
    for (const bad of ['0', '-1', 'ten', '2.5']) {
      const res = await ogcGet(app, `/ogc/collections/cameras/items?limit=${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BAD_USER_INPUT');
      expect(res.body.description).toMatch(/limit/);
    }
    const huge = await ogcGet(app, '/ogc/collections/cameras/items?limit=1000000');
    expect(huge.status).toBe(200);
    expect(huge.body.numberReturned).toBe(12);
    expect((await ogcGet(app, '/ogc/collections/cameras/items?limit=2&limit=3')).status).toBe(400);
  });

  it('refuses malformed bbox, cursor and unknown parameters with 400', async () => {
    for (const q of ['bbox=1,2,3', 'bbox=a,b,c,d', 'bbox=37.79,37.0,37.78,37.01', 'bbox=37,95,38,96', 'cursor=nonsense', 'datetime=2026-13-01', 'nosuch=ACTIVE']) {
      const res = await ogcGet(app, `/ogc/collections/cameras/items?${q}`);
      expect({ q, status: res.status, code: res.body.code }).toEqual({ q, status: 400, code: 'BAD_USER_INPUT' });
      expect(typeof res.body.description).toBe('string');
    }
  });

  it('gives the same features and attribute values as the GraphQL list for the same bbox', async () => {
    const box = [37.7805, 37.0, 37.7925, 37.01];
    const ogc = await ogcGet(app, `/ogc/collections/cameras/items?bbox=${box.join(',')}`);
    const gql = await app.gql(
      `query($b: BBoxInput) { cameras(spatial: { bbox: $b }, first: 100) { totalCount edges { node {
        id version createdAt updatedAt isPublic code name kind purpose status azimuth horizontalFov rangeMeters mountHeightMeters
        recorder recorderChannel streamUrl installedOn geometry } } } }`,
      { b: { minx: box[0], miny: box[1], maxx: box[2], maxy: box[3] } },
    );
    expect(gql.errors).toBeUndefined();
    const nodes = gql.data.cameras.edges.map((e: any) => e.node);
    expect(ids(ogc.body)).toEqual(nodes.map((n: any) => Number(n.id)));
    expect(ids(ogc.body)).toEqual([...west, east[0], east[1]]);
    expect(ogc.body.numberMatched).toBe(gql.data.cameras.totalCount);
    ogc.body.features.forEach((f: any, i: number) => {
      const { id: _id, geometry, ...attributes } = nodes[i];
      expect(f.geometry).toEqual(geometry);
      for (const [name, value] of Object.entries(attributes)) expect({ name, value: f.properties[name] }).toEqual({ name, value });
    });
  });

  it('reads every collection, each feature with its own attributes', async () => {
    const expected: Record<string, number[]> = {
      neighbourhoods: [id.west, id.east],
      'network-nodes': [id.n1, id.n2],
      'network-lines': [id.line],
      'remote-units': [id.unit],
      parcels: [id.parcel],
      // Disposed assets are out of the list, as in GraphQL's assets.
      assets: [id.asset],
      faults: [id.fault],
    };
    for (const [collection, want] of Object.entries(expected)) {
      const res = await ogcGet(app, `/ogc/collections/${collection}/items`);
      expect({ collection, status: res.status, ids: ids(res.body) }).toEqual({ collection, status: 200, ids: want });
    }
    const line = (await ogcGet(app, `/ogc/collections/network-lines/items/${id.line}`)).body;
    expect(line.geometry.type).toBe('LineString');
    expect(line.properties).toMatchObject({ aNodeId: id.n1, zNodeId: id.n2, medium: 'FIBER' });
    expect(line.properties.lengthMeters).toBeGreaterThan(800);
    const parcel = (await ogcGet(app, `/ogc/collections/parcels/items/${id.parcel}`)).body;
    expect(parcel.geometry.type).toBe('MultiPolygon');
    expect(parcel.properties).toMatchObject({ mahalle: 'Batı', ada: 101, parsel: 7 });
  });

  it('sends a constant number of SQL statements per page, whatever its size or position', async () => {
    await ogcGet(app, `/ogc/collections/cameras/items?bbox=${WEST.join(',')}`); // the SRID check is cached from then on
    const page1 = await app.countStatements(() => ogcGet(app, '/ogc/collections/cameras/items?limit=2'));
    const next = linkOf(page1.result.body, 'next')!;
    const page2 = await app.countStatements(() => ogcGet(app, next));
    const big = await app.countStatements(() => ogcGet(app, '/ogc/collections/cameras/items?limit=12'));
    const bbox = await app.countStatements(() => ogcGet(app, `/ogc/collections/cameras/items?limit=12&bbox=${WEST.join(',')}`));
    expect(page2.statements).toBe(page1.statements);
    expect(big.statements).toBe(page1.statements);
    expect(bbox.statements).toBe(page1.statements);
    // The page and numberMatched; the rest is authentication.
    expect(page1.sql.filter((s) => /from "cameras"/.test(s)).length).toBe(2);
  });
});

describe('OGC API single features', () => {
  it('returns one feature with links, and 404 when there is none', async () => {
    const res = await ogcGet(app, `/ogc/collections/cameras/items/${west[2]}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    expect(res.headers.get('content-crs')).toBe(`<${CRS84}>`);
    expect(res.body).toMatchObject({ type: 'Feature', id: west[2], properties: { name: 'w2' } });
    expect(linkOf(res.body, 'self')).toBe(`${app.url}/ogc/collections/cameras/items/${west[2]}`);
    expect(linkOf(res.body, 'collection')).toBe(`${app.url}/ogc/collections/cameras`);
    for (const missing of ['999999', 'abc', '0', '99999999999']) {
      const r = await ogcGet(app, `/ogc/collections/cameras/items/${missing}`);
      expect({ missing, status: r.status, code: r.body.code }).toEqual({ missing, status: 404, code: 'NOT_FOUND' });
    }
    // Another layer's id is not a feature of this one.
    expect((await ogcGet(app, `/ogc/collections/network-lines/items/${id.n2 + 1000}`)).status).toBe(404);
  });

  it('reads a disposed asset by id, as GraphQL does', async () => {
    expect((await ogcGet(app, `/ogc/collections/assets/items/${id.disposed}`)).body.properties.state).toBe('DISPOSED');
  });
});

describe('OGC API permissions', () => {
  it('is 401 with WWW-Authenticate for an anonymous request on a layer that is not public', async () => {
    for (const path of ['/ogc/collections/network-nodes', '/ogc/collections/network-nodes/items', `/ogc/collections/network-nodes/items/${id.n1}`]) {
      const res = await ogcGet(app, path, null);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="kbs", charset="UTF-8", Bearer realm="kbs"');
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
  });

  it('is 401 for a bad token, even on the landing page', async () => {
    const res = await ogcGet(app, '/ogc', 'not-a-token');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="kbs", charset="UTF-8", Bearer realm="kbs"');
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('is 403 for a logged-in user without a READ grant', async () => {
    for (const path of ['/ogc/collections/faults', '/ogc/collections/faults/items', `/ogc/collections/assets/items/${id.asset}`]) {
      const res = await ogcGet(app, path, token.reader);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 403, code: 'FORBIDDEN' });
    }
    expect((await ogcGet(app, '/ogc/collections/neighbourhoods/items', token.westOnly)).status).toBe(403);
  });

  it('gives anonymous requests the public rows only', async () => {
    const res = await ogcGet(app, '/ogc/collections/cameras/items', null);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([west[0], east[0]]);
    expect(res.body.numberMatched).toBe(2);
    expect((await ogcGet(app, `/ogc/collections/cameras/items/${west[1]}`, null)).status).toBe(404);
  });

  it('gives an area-limited reader the features in its area, and says so in numberMatched', async () => {
    // The west cameras, and e0, public, which every logged-in user reads.
    const res = await ogcGet(app, '/ogc/collections/cameras/items?limit=3', token.westOnly);
    expect(res.body.numberMatched).toBe(8);
    const all: number[] = [...ids(res.body)];
    let next = linkOf(res.body, 'next');
    while (next) {
      const page = await ogcGet(app, next, token.westOnly);
      all.push(...ids(page.body));
      next = linkOf(page.body, 'next');
    }
    expect(all).toEqual([...west, east[0]]);
    const eastBox = await ogcGet(app, `/ogc/collections/cameras/items?bbox=${EAST.join(',')}`, token.westOnly);
    expect(eastBox.body).toMatchObject({ numberMatched: 1, numberReturned: 1 });
    expect(ids(eastBox.body)).toEqual([east[0]]);
    const outside = await ogcGet(app, `/ogc/collections/cameras/items/${east[1]}`, token.westOnly);
    expect(outside.status).toBe(404);
  });

  it('leaves a sensitive field null without a grant that reveals it', async () => {
    const admin = await ogcGet(app, `/ogc/collections/cameras/items/${west[0]}`);
    expect(admin.body.properties.streamUrl).toMatch(/^rtsp:\/\//);
    const reader = await ogcGet(app, '/ogc/collections/cameras/items', token.reader);
    expect(reader.body.features).toHaveLength(12);
    for (const f of reader.body.features) {
      expect(f.properties).toHaveProperty('streamUrl', null);
      expect(f.properties.name).toMatch(/^[we]\d$/);
    }
    const one = await ogcGet(app, `/ogc/collections/cameras/items/${west[0]}`, token.reader);
    expect(one.body.properties.streamUrl).toBeNull();
  });
});
