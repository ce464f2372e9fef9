import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertCamera } from './helpers/factories';

let app: TestApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  app = await startTestApp();
  ids.a = await insertCamera(app.knex, 37.79, 37.01, { name: 'Cumhuriyet Meydanı K1', kind: 'PTZ', horizontal_fov: 360, purpose: 'LIVE_BROADCAST' });
  ids.b = await insertCamera(app.knex, 37.791, 37.011, { name: 'İstasyon Caddesi K2', kind: 'FIXED', status: 'OFFLINE' });
  ids.c = await insertCamera(app.knex, 37.792, 37.012, { name: 'Atatürk Bulvarı K3', kind: 'BULLET', purpose: 'TRAFFIC', recorder: 'NVR-02' });
  ids.d = await insertCamera(app.knex, 37.793, 37.013, { name: 'ISTASYON MEYDANI K4', kind: 'DOME', horizontal_fov: 360 });
});
afterAll(() => app.close());

const LIST = `query($first: Int, $after: String, $filter: CameraFilter) {
  cameras(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id name kind purpose status geometry } distanceMeters }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe('cameras', () => {
  it('lists cameras as a Relay connection ordered by id, with GeoJSON in EPSG:4326', async () => {
    const res = await app.gql(LIST, {});
    expect(res.errors).toBeUndefined();
    const conn = res.data.cameras;
    expect(conn.totalCount).toBe(4);
    expect(conn.edges.map((e: any) => Number(e.node.id))).toEqual([ids.a, ids.b, ids.c, ids.d]);
    expect(conn.edges[0].node.geometry).toEqual({ type: 'Point', coordinates: [37.79, 37.01] });
    expect(conn.edges[0].distanceMeters).toBeNull();
    expect(conn.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('pages forward with first/after without gaps or repeats', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const res: any = await app.gql(LIST, { first: 2, after });
      expect(res.errors).toBeUndefined();
      const conn = res.data.cameras;
      seen.push(...conn.edges.map((e: any) => Number(e.node.id)));
      expect(conn.totalCount).toBe(4);
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual([ids.a, ids.b, ids.c, ids.d]);
  });

  it('filters by status, kind, purpose, recorder and by name the Turkish way', async () => {
    const names = async (filter: object) =>
      (await app.gql(LIST, { filter })).data.cameras.edges.map((e: any) => e.node.name).sort();
    expect(await names({ status: ['OFFLINE'] })).toEqual(['İstasyon Caddesi K2']);
    expect(await names({ kind: ['PTZ', 'DOME'] })).toEqual(['Cumhuriyet Meydanı K1', 'ISTASYON MEYDANI K4']);
    expect(await names({ purpose: ['TRAFFIC'] })).toEqual(['Atatürk Bulvarı K3']);
    expect(await names({ recorder: 'NVR-02' })).toEqual(['Atatürk Bulvarı K3']);
    expect(await names({ search: 'istasyon' })).toEqual(['ISTASYON MEYDANI K4', 'İstasyon Caddesi K2']);
    expect(await names({ search: 'İSTASYON' })).toEqual(['ISTASYON MEYDANI K4', 'İstasyon Caddesi K2']);
    expect(await names({ search: 'meydani' })).toEqual(['Cumhuriyet Meydanı K1', 'ISTASYON MEYDANI K4']);
    expect(await names({ search: '100%' })).toEqual([]);
    expect(await names({ kind: ['PTZ', 'DOME'], status: ['ACTIVE'], search: 'cumhuriyet' })).toEqual(['Cumhuriyet Meydanı K1']);
  });

  it('returns one camera by id with all its attributes, and NOT_FOUND for a missing one', async () => {
    const res = await app.gql(
      `query($id: ID!) { camera(id: $id) { id code name kind purpose status azimuth horizontalFov rangeMeters
         mountHeightMeters recorder recorderChannel streamUrl installedOn version createdAt updatedAt } }`,
      { id: String(ids.c) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.camera).toMatchObject({
      id: String(ids.c),
      name: 'Atatürk Bulvarı K3',
      kind: 'BULLET',
      purpose: 'TRAFFIC',
      azimuth: 90,
      horizontalFov: 60,
      rangeMeters: 50,
      mountHeightMeters: 6,
      recorder: 'NVR-02',
      version: 1,
    });
    expect(res.data.camera.streamUrl).toMatch(/^rtsp:\/\//);

    const missing = await app.gql(`{ camera(id: "999999") { id } }`);
    expect(codeOf(missing)).toBe('NOT_FOUND');
    expect(missing.errors![0].message).toBe('camera 999999 does not exist');

    const bad = await app.gql(`{ camera(id: "abc") { id } }`);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  });

  it('returns geometry in any EPSG code: TM39 (5257), web Mercator (3857), ED50 (23037)', async () => {
    const res = await app.gql(
      `query($id: ID!) { camera(id: $id) { wgs: geometry tm39: geometry(srid: 5257) merc: geometry(srid: 3857) ed50: geometry(srid: 23037) } }`,
      { id: String(ids.a) },
    );
    expect(res.errors).toBeUndefined();
    const { wgs, tm39, merc, ed50 } = res.data.camera;
    expect(wgs.coordinates).toEqual([37.79, 37.01]);
    // TM39: central meridian 39 E, false easting 500 km, scale 1: west of the meridian, easting < 500 km.
    expect(tm39.crs.properties.name).toBe('EPSG:5257');
    expect(tm39.coordinates[0]).toBeGreaterThan(390000);
    expect(tm39.coordinates[0]).toBeLessThan(395000);
    expect(tm39.coordinates[1]).toBeGreaterThan(4095000);
    expect(tm39.coordinates[1]).toBeLessThan(4100000);
    // Web Mercator x = R * lon in radians.
    expect(merc.coordinates[0]).toBeCloseTo((6378137 * 37.79 * Math.PI) / 180, 0);
    expect(ed50.crs.properties.name).toBe('EPSG:23037');
    expect(ed50.coordinates[0]).toBeGreaterThan(300000);
  });

  it('exposes the field of view as a sector polygon computed from azimuth, fov and range', async () => {
    const res = await app.gql(
      `query($id: ID!) { camera(id: $id) { azimuth horizontalFov rangeMeters geometry fieldOfView tm: fieldOfView(srid: 5257) } }`,
      { id: String(ids.b) },
    );
    expect(res.errors).toBeUndefined();
    const { fieldOfView, tm, geometry } = res.data.camera;
    expect(fieldOfView.type).toBe('Polygon');
    const ring: [number, number][] = fieldOfView.coordinates[0];
    // Starts and ends at the camera.
    expect(ring[0]).toEqual(geometry.coordinates);
    expect(ring[ring.length - 1]).toEqual(geometry.coordinates);
    // Azimuth 90 (east) +/- 30: every arc vertex is east of the camera.
    for (const [x] of ring.slice(1, -1)) expect(x).toBeGreaterThan(geometry.coordinates[0]);
    // In TM39 (metres) the arc vertices lie at the range (50 m) from the apex.
    const tmRing: [number, number][] = tm.coordinates[0];
    const [ax, ay] = tmRing[0];
    for (const [x, y] of tmRing.slice(1, -1)) expect(Math.hypot(x - ax, y - ay)).toBeCloseTo(50, -0.5);
    // The middle of the arc points east: dy small compared with dx.
    const mid = tmRing[Math.floor(tmRing.length / 2)];
    expect(Math.abs(mid[1] - ay)).toBeLessThan(2);

    const circle = await app.gql(`query($id: ID!) { camera(id: $id) { fieldOfView(srid: 5257) } }`, { id: String(ids.a) });
    const cRing: [number, number][] = circle.data.camera.fieldOfView.coordinates[0];
    const cx = cRing.reduce((s, p) => s + p[0], 0) / cRing.length;
    const cy = cRing.reduce((s, p) => s + p[1], 0) / cRing.length;
    for (const [x, y] of cRing) expect(Math.hypot(x - cx, y - cy)).toBeCloseTo(50, -0.5);
  });

  it('runs a constant number of statements for a page, whatever the geometry and srid fields asked', async () => {
    const q = `{ cameras(first: 100) { edges { node { id geometry tm: geometry(srid: 5257) fieldOfView } } } }`;
    const { result, statements } = await app.countStatements(() => app.gql(q));
    expect(result.errors).toBeUndefined();
    // The request's access (account and grants), the page, the SRID check (cached after the first
    // request), geometry in 5257, fields of view.
    expect(statements).toBeLessThanOrEqual(5);
    const again = await app.countStatements(() => app.gql(q));
    expect(again.statements).toBe(3 + app.accessCheckStatements);
  });

  it('reads the GeoJSON of the rows only when geometry is asked for in EPSG:4326', async () => {
    const geoJson4326 = (sql: string[]) => sql.some((q) => /ST_AsGeoJSON\("cameras"\."geom"/.test(q));
    const page = (fields: string) => app.countStatements(() => app.gql(`{ cameras(first: 3) { edges { node { id ${fields} } } } }`));
    const tm = await page('tm: geometry(srid: 5257)');
    expect(tm.result.errors).toBeUndefined();
    expect(tm.result.data.cameras.edges[0].node.tm.crs.properties.name).toBe('EPSG:5257');
    expect(geoJson4326(tm.sql)).toBe(false);
    for (const fields of ['geometry', 'geometry(srid: 4326)', 'tm: geometry(srid: 5257) geometry']) {
      const both = await page(fields);
      expect(both.result.errors).toBeUndefined();
      expect(geoJson4326(both.sql)).toBe(true);
    }
  });

  it('places a point given in another CRS with one statement before the page, and refuses one outside its CRS as before', async () => {
    const near = `{ cameras(first: 2, nearest: { x: 392750, y: 4098300, srid: 5257 }) { edges { distanceMeters node { id } } } }`;
    const around = `{ cameras(spatial: { withinDistance: { geometry: { type: "Point", coordinates: [392750, 4098300] }, srid: 5257, meters: 5000000 } }) { edges { node { id } } } }`;
    for (const q of [near, around]) {
      await app.gql(q); // the CRS and its area of use, read once and kept
      const { result, statements } = await app.countStatements(() => app.gql(q));
      expect(result.errors).toBeUndefined();
      expect(result.data.cameras.edges.length).toBeGreaterThan(0);
      // The access, the point placed in EPSG:4326 (checked against the CRS's area of use), the page.
      expect(statements).toBe(2 + app.accessCheckStatements);
    }
    const far = await app.gql(`{ cameras(first: 1, nearest: { x: 92750, y: 4098300, srid: 5257 }) { edges { node { id } } } }`);
    expect(far.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(far.errors?.[0]?.message).toMatch(/^nearest: the point lies outside the area of use of EPSG:5257/);
    const line = await app.gql(`{ cameras(first: 1, nearest: { point: { type: "Point", coordinates: [392750, 4098300, 5] }, srid: 5257 }) { edges { node { id } } } }`);
    expect(line.errors).toBeUndefined();
  });

  it('counts the first page in its own statement when totalCount is asked for, and separately after a cursor', async () => {
    const page = (vars: Record<string, unknown>) => app.countStatements(() => app.gql(LIST, vars));
    const first = await page({ first: 2 });
    expect(first.result.data.cameras.totalCount).toBe(4);
    expect(first.result.data.cameras.edges).toHaveLength(2);
    expect(first.statements).toBe(1 + app.accessCheckStatements);
    expect(first.sql.some((q) => /count\(\*\) OVER \(\)/i.test(q))).toBe(true);
    // After a cursor the page holds only the rows that follow it: the count is its own statement.
    const next = await page({ first: 2, after: first.result.data.cameras.pageInfo.endCursor });
    expect(next.result.data.cameras.totalCount).toBe(4);
    expect(next.result.data.cameras.edges.map((e: any) => Number(e.node.id))).toEqual([ids.c, ids.d]);
    expect(next.statements).toBe(2 + app.accessCheckStatements);
    // Filtered, and filtered to nothing: the count is what the filter lets through.
    expect((await page({ first: 1, filter: { kind: ['PTZ', 'DOME'] } })).result.data.cameras.totalCount).toBe(2);
    const none = await page({ first: 5, filter: { search: 'yok böyle bir kamera' } });
    expect(none.result.data.cameras).toMatchObject({ totalCount: 0, edges: [] });
  });
});
