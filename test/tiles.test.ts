import { startTestApp, type TestApp } from './helpers/app';
import { insertGrant, insertUserWithGrants, publicRoleId } from './helpers/access';
import { insertCamera, insertNeighbourhood, insertNetworkLine, insertNetworkNode, insertParcel } from './helpers/factories';
import http from 'node:http';
import { decodeTile, distanceToPolyline, fetchTile, getTiles, inTile, tileAt, tilePath, ringArea, type DecodedLayer } from './helpers/tiles';

/**
 * Around Nizip: a neighbourhood, three cameras (A public), a network line between two nodes and
 * parcels (one with a hole). All of it lies in the z12 tile 2477/1594; a reader limited to an
 * area holding A and B (not C) must never get C.
 */
let app: TestApp;
const ids: Record<string, number> = {};
const token: Record<string, string> = {};
const CAM_A: [number, number] = [37.7775, 37.0113];
const CAM_B: [number, number] = [37.778, 37.0115];
const CAM_C: [number, number] = [37.786, 37.018];
const LINE: [number, number][] = [
  [37.775, 37.01],
  [37.78, 37.0105],
  [37.785, 37.015],
];
const N1: [number, number, number, number] = [37.76, 37.0, 37.78, 37.02];
const P1: [number, number, number, number] = [37.777, 37.011, 37.7774, 37.0113];
const AREA: [number, number, number, number] = [37.77, 37.005, 37.782, 37.014];

const MVT = 'application/vnd.mapbox-vector-tile';
const byId = (layer: DecodedLayer | undefined, id: number) => layer?.features.find((f) => f.id === id);
const idsOf = (layer: DecodedLayer | undefined) => (layer?.features ?? []).map((f) => f.id).sort((a, b) => a! - b!);

beforeAll(async () => {
  app = await startTestApp();
  ids.n1 = await insertNeighbourhood(app.knex, N1, { name: 'İstasyon', code: 'T-IST', population: 4200 });
  ids.camA = await insertCamera(app.knex, ...CAM_A, { name: 'Meydan K1', code: 'KAM-A', kind: 'PTZ', horizontal_fov: 360, azimuth: 172 });
  ids.camB = await insertCamera(app.knex, ...CAM_B, { name: 'Cadde K2', code: 'KAM-B' });
  ids.camC = await insertCamera(app.knex, ...CAM_C, { name: 'Bulvar K3', code: 'KAM-C', purpose: 'TRAFFIC', status: 'OFFLINE' });
  await app.knex('cameras').where({ id: ids.camA }).update({ is_public: true });
  ids.node1 = await insertNetworkNode(app.knex, ...LINE[0], { code: 'T-N1' });
  ids.node2 = await insertNetworkNode(app.knex, ...LINE[2], { code: 'T-N2' });
  ids.line = await insertNetworkLine(app.knex, { node: ids.node1 }, { node: ids.node2 }, LINE, { code: 'T-HAT-1', name: 'İstasyon hattı', medium: 'FIBER' });
  await app.knex('network_lines').where({ id: ids.line }).update({ capacity_mbps: 1000 });
  ids.p1 = await insertParcel(app.knex, P1, { mahalle: 'İSTASYON', ada: 101, parsel: 1, nitelik: 'Arsa' });
  ids.p2 = await insertParcel(app.knex, [37.7774, 37.011, 37.7778, 37.0113], { mahalle: 'İSTASYON', ada: 101, parsel: 2 });
  ids.p3 = await insertParcel(app.knex, [37.778, 37.011, 37.779, 37.0118], { mahalle: 'İSTASYON', ada: 102, parsel: 1, nitelik: 'Bahçe' });
  await app.knex('parcels').where({ id: ids.p3 }).update({
    geom: app.knex.raw('ST_Multi(ST_Difference(geom, ST_MakeEnvelope(37.7783, 37.0113, 37.7786, 37.0115, 4326)))'),
  });

  await insertGrant(app.knex, await publicRoleId(app.knex), { resource: 'CAMERAS', action: 'READ' });
  ({ token: token.area } = await insertUserWithGrants(app.knex, app.admin.orgUnitId, 'tiles-area', [
    { resource: 'CAMERAS', action: 'READ', box: AREA },
    { resource: 'PARCELS', action: 'READ', box: AREA },
  ]));
  ({ token: token.camerasOnly } = await insertUserWithGrants(app.knex, app.admin.orgUnitId, 'tiles-cameras', [{ resource: 'CAMERAS', action: 'READ' }]));
  token.admin = app.admin.token;
});
afterAll(() => app.close());

describe('vector tiles: content', () => {
  it.each([12, 14, 17])('a point tile at z%i holds the cameras with their ids, map attributes and positions', async (z) => {
    const t = tileAt(...CAM_A, z);
    const layer = await fetchTile(app, 'cameras', t, token.admin);
    expect(layer).toMatchObject({ version: 2, extent: 4096 });
    const a = byId(layer, ids.camA)!;
    expect(a.type).toBe(1);
    expect(a.properties).toEqual({
      code: 'KAM-A',
      name: 'Meydan K1',
      kind: 'PTZ',
      purpose: 'SECURITY',
      status: 'ACTIVE',
      azimuth: 172,
      horizontalFov: 360,
      rangeMeters: 50,
    });
    const [x, y] = inTile(...CAM_A, t);
    expect(a.geometry).toHaveLength(1);
    expect(Math.abs(a.geometry[0][0][0] - x)).toBeLessThanOrEqual(1);
    expect(Math.abs(a.geometry[0][0][1] - y)).toBeLessThanOrEqual(1);
    // Sensitive fields never go into a tile.
    for (const f of layer!.features) expect(f.properties).not.toHaveProperty('streamUrl');
    if (z === 12) expect(idsOf(layer)).toEqual([ids.camA, ids.camB, ids.camC]);
  });

  it.each([12, 14, 17])('a line tile at z%i holds the line, clipped to the tile and its buffer', async (z) => {
    const t = tileAt(...LINE[1], z);
    const layer = await fetchTile(app, 'network-lines', t, token.admin);
    const line = byId(layer, ids.line)!;
    expect(line.type).toBe(2);
    expect(line.properties).toEqual({ code: 'T-HAT-1', name: 'İstasyon hattı', medium: 'FIBER', status: 'ACTIVE', capacityMbps: 1000 });
    const projected = LINE.map(([lon, lat]) => inTile(lon, lat, t));
    const vertices = line.geometry.flat();
    for (const v of vertices) {
      expect(v[0]).toBeGreaterThanOrEqual(-65);
      expect(v[0]).toBeLessThanOrEqual(4161);
      expect(distanceToPolyline(v, projected)).toBeLessThanOrEqual(1);
    }
    if (projected.every(([x, y]) => x >= 0 && x <= 4096 && y >= 0 && y <= 4096)) {
      // Wholly inside (z12, z14): every vertex, to the unit.
      expect(line.geometry).toHaveLength(1);
      expect(vertices).toHaveLength(3);
      vertices.forEach((v, i) => expect(Math.hypot(v[0] - projected[i][0], v[1] - projected[i][1])).toBeLessThanOrEqual(1));
      expect(line.geojson.type).toBe('LineString');
    } else {
      expect(z).toBe(17);
      expect(vertices.some((v) => v[0] === -64 || v[0] === 4160 || v[1] === -64 || v[1] === 4160)).toBe(true);
    }
  });

  it('a polygon tile at z12 holds the neighbourhood whole, at z14 clipped, at z17 as the buffered tile square', async () => {
    for (const z of [12, 14, 17]) {
      const t = tileAt(N1[2] - 0.001, N1[3] - 0.001, z);
      const layer = await fetchTile(app, 'neighbourhoods', t, token.admin);
      const n = byId(layer, ids.n1)!;
      expect(n.type).toBe(3);
      expect(n.properties).toEqual({ code: 'T-IST', name: 'İstasyon', district: 'Nizip', population: 4200 });
      const xs = n.geometry[0].map((p) => p[0]);
      const ys = n.geometry[0].map((p) => p[1]);
      const [minx, maxy] = inTile(N1[0], N1[1], t);
      const [maxx, miny] = inTile(N1[2], N1[3], t);
      const clamp = (v: number) => Math.min(4160, Math.max(-64, v));
      expect(Math.abs(Math.min(...xs) - clamp(minx))).toBeLessThanOrEqual(1);
      expect(Math.abs(Math.max(...xs) - clamp(maxx))).toBeLessThanOrEqual(1);
      expect(Math.abs(Math.min(...ys) - clamp(miny))).toBeLessThanOrEqual(1);
      expect(Math.abs(Math.max(...ys) - clamp(maxy))).toBeLessThanOrEqual(1);
      // An exterior ring is clockwise on screen (positive area with y down).
      expect(ringArea(n.geometry[0])).toBeGreaterThan(0);
    }
  });

  it.each([14, 17])('a parcel tile at z%i holds the parcels with ada/parsel, and holes as holes', async (z) => {
    const t = tileAt(P1[0] + 0.0001, P1[1] + 0.0001, z);
    const layer = await fetchTile(app, 'parcels', t, token.admin);
    const p1 = byId(layer, ids.p1)!;
    expect(p1.type).toBe(3);
    expect(p1.properties).toEqual({ mahalle: 'İSTASYON', ada: 101, parsel: 1, nitelik: 'Arsa' });
    const corners = [inTile(P1[0], P1[1], t), inTile(P1[2], P1[3], t)];
    const ring = p1.geometry[0];
    expect(Math.abs(Math.min(...ring.map((p) => p[0])) - corners[0][0])).toBeLessThanOrEqual(1);
    expect(Math.abs(Math.max(...ring.map((p) => p[1])) - corners[0][1])).toBeLessThanOrEqual(1);
    expect(Math.abs(Math.max(...ring.map((p) => p[0])) - corners[1][0])).toBeLessThanOrEqual(1);
    expect(Math.abs(Math.min(...ring.map((p) => p[1])) - corners[1][1])).toBeLessThanOrEqual(1);
    expect(idsOf(layer)).toEqual(expect.arrayContaining([ids.p1, ids.p2, ids.p3]));
    const p3 = byId(layer, ids.p3)!;
    expect(p3.properties).toMatchObject({ ada: 102, nitelik: 'Bahçe' });
    expect(ringArea(p3.geometry[0])).toBeGreaterThan(0);
    expect(p3.geojson.type).toBe('Polygon');
    if (z === 14) {
      // Wholly inside: the hole is an interior ring (counter-clockwise on screen).
      expect(p3.geometry.length).toBe(2);
      expect(ringArea(p3.geometry[1])).toBeLessThan(0);
    } else {
      // The hole crosses the buffer's edge: clipped, it becomes a notch in the exterior ring.
      expect(p3.geometry.length).toBe(1);
    }
  });

  it('answers an empty tile with 200, no bytes and the MVT content type: nothing there, or outside the zoom range', async () => {
    for (const path of [tilePath('cameras', { z: 14, x: 0, y: 0 }), tilePath('cameras', tileAt(...CAM_A, 10)), tilePath('parcels', tileAt(...CAM_A, 13))]) {
      const res = await getTiles(app, path, token.admin);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers.get('content-type')).toBe(MVT);
      expect(res.headers.get('content-length')).toBe('0');
      expect((await res.arrayBuffer()).byteLength).toBe(0);
    }
  });
});

describe('vector tiles: requests and permissions', () => {
  it('refuses a bad z/x/y with 400 JSON, an unknown layer or path with 404 JSON', async () => {
    for (const path of ['cameras/25/0/0.mvt', 'cameras/3/8/0.mvt', 'cameras/3/0/8.mvt', 'cameras/a/1/1.mvt', 'cameras/-1/0/0.mvt', 'cameras/1.5/0/0.mvt', 'cameras/01/0/0.mvt']) {
      const res = await getTiles(app, path, token.admin);
      expect([path, res.status]).toEqual([path, 400]);
      expect((await res.json()) as object).toMatchObject({ code: 'BAD_USER_INPUT', description: expect.stringMatching(/^[zxy] must be/) });
    }
    for (const path of ['roads/14/0/0.mvt', 'roads.json', 'cameras/14/0/0.png', 'cameras']) {
      const res = await getTiles(app, path, token.admin);
      expect([path, res.status]).toEqual([path, 404]);
      expect(((await res.json()) as { code: string }).code).toBe('NOT_FOUND');
    }
  });

  it('refuses a layer the request may not read: 401 with WWW-Authenticate when anonymous, 403 when logged in', async () => {
    const t = tileAt(...LINE[1], 14);
    for (const path of [tilePath('network-lines', t), 'network-lines.json']) {
      const anonymous = await getTiles(app, path, null);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="kbs", charset="UTF-8", Bearer realm="kbs"');
      expect(await anonymous.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
      const user = await getTiles(app, path, token.camerasOnly);
      expect(user.status).toBe(403);
      expect(await user.json()).toMatchObject({ code: 'FORBIDDEN' });
      const badToken = await getTiles(app, path, 'not-a-token');
      expect(badToken.status).toBe(401);
      expect(badToken.headers.get('www-authenticate')).toBe('Basic realm="kbs", charset="UTF-8", Bearer realm="kbs"');
    }
  });

  it('gives an anonymous request the public subset, cacheable for a minute by anyone', async () => {
    const t = tileAt(...CAM_A, 12);
    const res = await getTiles(app, tilePath('cameras', t), null);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('vary')).toBe('Authorization, Accept-Encoding');
    const layer = (await decodeTile(new Uint8Array(await res.arrayBuffer()), t)).cameras;
    expect(idsOf(layer)).toEqual([ids.camA]);
  });

  it("leaves out of an area-limited reader's tiles the rows outside its area", async () => {
    const t = tileAt(...CAM_A, 12);
    expect(idsOf(await fetchTile(app, 'cameras', t, token.area))).toEqual([ids.camA, ids.camB]);
    expect(idsOf(await fetchTile(app, 'cameras', t, token.admin))).toEqual([ids.camA, ids.camB, ids.camC]);
    // A tile wholly outside the area is empty for the reader, not for the administrator.
    const c = tileAt(...CAM_C, 17);
    expect(await fetchTile(app, 'cameras', c, token.area)).toBeUndefined();
    expect(idsOf(await fetchTile(app, 'cameras', c, token.admin))).toEqual([ids.camC]);
  });
});

describe('vector tiles: caching', () => {
  it('revalidates with the ETag (304), and an edit changes the ETag and the tile', async () => {
    const t = tileAt(...CAM_A, 14);
    const path = tilePath('cameras', t);
    const first = await getTiles(app, path, token.admin);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, max-age=0, must-revalidate');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);

    const again = await getTiles(app, path, token.admin, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    expect((await getTiles(app, path, token.admin, { 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    // Other grants, other content: another ETag for the same tile.
    expect((await getTiles(app, path, token.area)).headers.get('etag')).not.toBe(etag);

    const version = (await app.knex('cameras').where({ id: ids.camA }).first('version')).version;
    const edit = await app.gql(`mutation($id: ID!, $v: Int!) { updateCamera(id: $id, version: $v, input: { name: "Meydan K1 (yeni)" }) { version } }`, {
      id: String(ids.camA),
      v: version,
    });
    expect(edit.errors).toBeUndefined();
    const after = await getTiles(app, path, token.admin, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const layer = (await decodeTile(new Uint8Array(await after.arrayBuffer()), t)).cameras;
    expect(byId(layer, ids.camA)!.properties.name).toBe('Meydan K1 (yeni)');

    // A tile costs the request's access check and the tile's one statement, nothing over the
    // whole layer; a 304 is the same statement (the ETag is the tile's digest) without the bytes.
    const full = await app.countStatements(() => getTiles(app, path, token.admin));
    const revalidated = await app.countStatements(() => getTiles(app, path, token.admin, { 'if-none-match': after.headers.get('etag')! }));
    expect(revalidated.result.status).toBe(304);
    expect(revalidated.statements).toBe(full.statements);
    expect(full.statements).toBe(1 + app.accessCheckStatements);

    // A new feature (and a deleted one) changes it too.
    const before = after.headers.get('etag')!;
    const added = await insertCamera(app.knex, CAM_A[0] + 0.0002, CAM_A[1], { code: 'KAM-D' });
    const withAdded = (await getTiles(app, path, token.admin, { 'if-none-match': before })).headers.get('etag')!;
    expect(withAdded).not.toBe(before);
    await app.knex('cameras').where({ id: added }).delete();
    expect((await getTiles(app, path, token.admin, { 'if-none-match': withAdded })).status).toBe(200);
  });
});

describe('TileJSON', () => {
  it('describes the layer: tilejson 3.0.0, absolute tiles URL, zooms, bounds of the readable rows, fields', async () => {
    const res = await getTiles(app, 'cameras.json', token.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('etag')).toBeTruthy();
    const tj = (await res.json()) as any;
    expect(tj).toMatchObject({
      tilejson: '3.0.0',
      name: 'cameras',
      scheme: 'xyz',
      tiles: [`${app.url}/tiles/cameras/{z}/{x}/{y}.mvt`],
      minzoom: 12,
      maxzoom: 18,
      vector_layers: [
        {
          id: 'cameras',
          minzoom: 12,
          maxzoom: 18,
          fields: { code: 'String', name: 'String', kind: 'String', purpose: 'String', status: 'String', azimuth: 'Number', horizontalFov: 'Number', rangeMeters: 'Number' },
        },
      ],
    });
    const expected = [CAM_A[0], CAM_A[1], CAM_C[0], CAM_C[1]];
    tj.bounds.forEach((v: number, i: number) => expect(v).toBeCloseTo(expected[i], 5));
    expect(tj.center[2]).toBe(12);

    const limited = (await (await getTiles(app, 'cameras.json', token.area)).json()) as any;
    [CAM_A[0], CAM_A[1], CAM_B[0], CAM_B[1]].forEach((v, i) => expect(limited.bounds[i]).toBeCloseTo(v, 5));

    const revalidated = await getTiles(app, 'cameras.json', token.admin, { 'if-none-match': res.headers.get('etag')! });
    expect(revalidated.status).toBe(304);

    // The tiles URL follows the request's host; a layer with nothing readable has the world's bounds.
    const faults = await getJson(`${app.url}/tiles/faults.json`, { authorization: `Bearer ${token.admin}`, host: 'tiles.example.org:8443' });
    expect(faults.tiles).toEqual(['http://tiles.example.org:8443/tiles/faults/{z}/{x}/{y}.mvt']);
    expect(faults.bounds).toEqual([-180, -85.05112877980659, 180, 85.0511287798066]);
  });
});

/** GET with headers fetch() may not send (Host). */
function getJson(url: string, headers: Record<string, string>): Promise<any> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}


describe('a web map on another origin', () => {
  it('may fetch tiles with a token: CORS preflight allows the Authorization header and exposes the ETag', async () => {
    const pre = await fetch(`${app.url}/tiles/cameras/14/0/0.mvt`, {
      method: 'OPTIONS',
      headers: { origin: 'http://harita.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const res = await fetch(`${app.url}/tiles/cameras.json`, { headers: { origin: 'http://harita.example', authorization: `Bearer ${app.admin.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/etag/);
  });
});

describe('compression', () => {
  it('gzips tiles, GeoJSON and GraphQL answers for clients that ask, and sends them as they are otherwise', async () => {
    const http = await import('node:http');
    const zlib = await import('node:zlib');
    const get = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; encoding?: string; body: Buffer }>((resolve, reject) => {
        const u = new URL(`${app.url}${path}`);
        http.get({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers: { authorization: `Bearer ${token.admin}`, ...headers } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const t = tileAt(...CAM_A, 14);
    for (const path of [`/tiles/${tilePath('cameras', t)}`, '/ogc/collections/cameras/items?limit=100']) {
      const plain = await get(path, {});
      const gzipped = await get(path, { 'accept-encoding': 'gzip' });
      expect(plain.status).toBe(200);
      expect(plain.encoding).toBeUndefined();
      if (plain.body.length < 1024) continue; // below the threshold nothing is compressed
      expect(gzipped.encoding).toBe('gzip');
      const unzipped = zlib.gunzipSync(gzipped.body);
      if (path.startsWith('/ogc')) {
        // An OGC page says when it was made: compare everything else.
        const { timeStamp: _a, ...a } = JSON.parse(unzipped.toString('utf8'));
        const { timeStamp: _b, ...b } = JSON.parse(plain.body.toString('utf8'));
        expect(a).toEqual(b);
      } else expect(unzipped.equals(plain.body)).toBe(true);
      expect(gzipped.body.length).toBeLessThan(plain.body.length);
    }
  });
});
