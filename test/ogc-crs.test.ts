import { startTestApp, type TestApp } from './helpers/app';
import { insertCamera, insertParcel } from './helpers/factories';
import { ids, linkOf, ogcGet } from './helpers/ogc';

/**
 * OGC API - Features Part 2 (CRS by reference): `crs` and `bbox-crs`, the Content-Crs header, and
 * axis order. Coordinates follow the axis order of the CRS definition: CRS84 is lon/lat,
 * EPSG:4326 lat/lon, EPSG:3857 easting/northing, and the TUREF TM zones (EPSG:5253-5259)
 * northing/easting, as EPSG defines them ("northing (X)", "easting (Y)").
 */
let app: TestApp;
const id: Record<string, number> = {};
const LAT = 37.005;
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const EPSG = (code: number) => `http://www.opengis.net/def/crs/EPSG/0/${code}`;
const items = '/ogc/collections/cameras/items';

beforeAll(async () => {
  app = await startTestApp();
  id.w1 = await insertCamera(app.knex, 37.785, LAT, { name: 'w1' });
  id.w2 = await insertCamera(app.knex, 37.7851, LAT, { name: 'w2' }); // ~8.9 m east of w1
  id.e1 = await insertCamera(app.knex, 37.795, LAT, { name: 'e1' });
  id.far = await insertCamera(app.knex, 37.9, 37.1, { name: 'far' });
  id.parcel = await insertParcel(app.knex, [37.782, 37.002, 37.783, 37.003], { mahalle: 'Batı', ada: 101, parsel: 7 });
});
afterAll(() => app.close());

/** x/y of a camera transformed by PostGIS. */
async function transformed(cameraId: number, srid: number): Promise<[number, number]> {
  const { rows } = await app.knex.raw('SELECT ST_X(g) AS x, ST_Y(g) AS y FROM (SELECT ST_Transform(geom, ?::int) AS g FROM cameras WHERE id = ?) s', [srid, cameraId]);
  return [rows[0].x, rows[0].y];
}

const coordinatesOf = (fc: any, featureId: number): [number, number] => fc.features.find((f: any) => f.id === featureId).geometry.coordinates;

describe('crs parameter', () => {
  it('defaults to CRS84, longitude first, and says so in Content-Crs', async () => {
    const res = await ogcGet(app, items);
    expect(res.headers.get('content-crs')).toBe(`<${CRS84}>`);
    expect(coordinatesOf(res.body, id.w1)).toEqual([37.785, LAT]);
    const explicit = await ogcGet(app, `${items}?crs=${encodeURIComponent(CRS84)}`);
    expect(explicit.body.features).toEqual(res.body.features);
  });

  it('EPSG:4326 is latitude first', async () => {
    const res = await ogcGet(app, `${items}?crs=${encodeURIComponent(EPSG(4326))}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-crs')).toBe(`<${EPSG(4326)}>`);
    expect(coordinatesOf(res.body, id.w1)).toEqual([LAT, 37.785]);
    expect(coordinatesOf(res.body, id.far)).toEqual([37.1, 37.9]);
    const parcel = await ogcGet(app, `/ogc/collections/parcels/items/${id.parcel}?crs=${encodeURIComponent(EPSG(4326))}`);
    expect(parcel.body.geometry.coordinates[0][0]).toEqual(
      expect.arrayContaining([[37.002, 37.782], [37.003, 37.782], [37.003, 37.783], [37.002, 37.783]]),
    );
  });

  it('TUREF / TM39 (EPSG:5257) matches PostGIS ST_Transform, northing first', async () => {
    const res = await ogcGet(app, `${items}?crs=${encodeURIComponent(EPSG(5257))}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-crs')).toBe(`<${EPSG(5257)}>`);
    for (const camera of [id.w1, id.e1, id.far]) {
      const [x, y] = await transformed(camera, 5257);
      const [first, second] = coordinatesOf(res.body, camera);
      expect(first).toBeCloseTo(y, 3); // northing, about 4,097 km
      expect(second).toBeCloseTo(x, 3); // easting, about 393 km (false easting 500 km at 39°E)
      expect(first).toBeGreaterThan(4_000_000);
      expect(second).toBeLessThan(500_000);
    }
    const parcel = await ogcGet(app, `/ogc/collections/parcels/items/${id.parcel}?crs=${encodeURIComponent(EPSG(5257))}`);
    // Rings counterclockwise on the map (RFC 7946), whatever the axis order they are written in.
    const { rows } = await app.knex.raw(
      'SELECT ST_AsGeoJSON(ST_FlipCoordinates(ST_ForcePolygonCCW(ST_Transform(geom, 5257))), 3, 0)::json AS g FROM parcels WHERE id = ?',
      [id.parcel],
    );
    expect(parcel.body.geometry).toEqual(rows[0].g);
    expect(parcel.body.geometry.crs).toBeUndefined();
  });

  it('web Mercator (EPSG:3857) is easting first', async () => {
    const res = await ogcGet(app, `${items}?crs=${encodeURIComponent(EPSG(3857))}`);
    expect(res.headers.get('content-crs')).toBe(`<${EPSG(3857)}>`);
    const [x, y] = await transformed(id.w1, 3857);
    const [first, second] = coordinatesOf(res.body, id.w1);
    expect(first).toBeCloseTo(x, 3);
    expect(second).toBeCloseTo(y, 3);
  });

  it('offers every TUREF TM zone, and accepts the short spellings', async () => {
    for (const code of [5253, 5254, 5255, 5256, 5257, 5258, 5259]) {
      const res = await ogcGet(app, `${items}?limit=1&crs=${encodeURIComponent(EPSG(code))}`);
      expect({ code, status: res.status, crs: res.headers.get('content-crs') }).toEqual({ code, status: 200, crs: `<${EPSG(code)}>` });
    }
    for (const spelling of ['EPSG:4326', '[EPSG:4326]', 'urn:ogc:def:crs:EPSG::4326', 'https://www.opengis.net/def/crs/EPSG/0/4326']) {
      const res = await ogcGet(app, `${items}?crs=${encodeURIComponent(spelling)}`);
      expect({ spelling, crs: res.headers.get('content-crs') }).toEqual({ spelling, crs: `<${EPSG(4326)}>` });
      expect(coordinatesOf(res.body, id.w1)).toEqual([LAT, 37.785]);
    }
  });

  it('refuses a CRS it does not offer with 400 and an exception', async () => {
    for (const crs of [EPSG(2320), EPSG(99999), 'EPSG:23037', 'nonsense', '']) {
      const res = await ogcGet(app, `${items}?crs=${encodeURIComponent(crs)}`);
      expect({ crs, status: res.status, code: res.body.code }).toEqual({ crs, status: 400, code: 'BAD_USER_INPUT' });
      expect(res.body.description).toContain(EPSG(5257));
    }
    const one = await ogcGet(app, `/ogc/collections/cameras/items/${id.w1}?crs=EPSG:2320`);
    expect(one.status).toBe(400);
  });

  it('applies to a single feature', async () => {
    const res = await ogcGet(app, `/ogc/collections/cameras/items/${id.w1}?crs=${encodeURIComponent(EPSG(4326))}`);
    expect(res.headers.get('content-crs')).toBe(`<${EPSG(4326)}>`);
    expect(res.body.geometry.coordinates).toEqual([LAT, 37.785]);
    expect(linkOf(res.body, 'self')).toContain('crs=');
  });

  it('is kept in the next link', async () => {
    const first = await ogcGet(app, `${items}?limit=2&crs=${encodeURIComponent(EPSG(5257))}`);
    const second = await ogcGet(app, linkOf(first.body, 'next')!);
    expect(second.headers.get('content-crs')).toBe(`<${EPSG(5257)}>`);
    expect(ids(second.body)).toEqual([id.e1, id.far]);
  });
});

describe('bbox-crs parameter', () => {
  it('EPSG:4326 takes the box latitude first', async () => {
    const latLon = await ogcGet(app, `${items}?bbox=37.004,37.784,37.006,37.786&bbox-crs=${encodeURIComponent(EPSG(4326))}`);
    expect(latLon.status).toBe(200);
    expect(ids(latLon.body)).toEqual([id.w1, id.w2]);
    const lonLat = await ogcGet(app, `${items}?bbox=37.784,37.004,37.786,37.006`);
    expect(ids(lonLat.body)).toEqual([id.w1, id.w2]);
    // The same numbers read as CRS84 are a box elsewhere.
    expect(ids((await ogcGet(app, `${items}?bbox=37.004,37.784,37.006,37.786`)).body)).toEqual([]);
    // A box east of 90°E given in lon/lat order by mistake: its "latitude" is out of range.
    const wrong = await ogcGet(app, `${items}?bbox=100,37.784,101,37.786&bbox-crs=${encodeURIComponent(EPSG(4326))}`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.description).toMatch(/latitude/);
  });

  it('TUREF / TM39 (EPSG:5257) takes northing, easting, in metres, and matches the GraphQL box', async () => {
    const [x1, y1] = await transformed(id.w1, 5257);
    const [x2, y2] = await transformed(id.e1, 5257);
    // Grid north is not true north in TM39: the same latitude has different northings.
    const [miny, maxy] = [Math.min(y1, y2) - 1, Math.max(y1, y2) + 1];
    const crs = encodeURIComponent(EPSG(5257));
    const res = await ogcGet(app, `${items}?bbox=${[miny, x1 - 1, maxy, x2 + 1].join(',')}&bbox-crs=${crs}`);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([id.w1, id.w2, id.e1]);
    expect(res.body.numberMatched).toBe(3);
    // Still CRS84 out: bbox-crs says nothing about the response.
    expect(res.headers.get('content-crs')).toBe(`<${CRS84}>`);

    const tight = await ogcGet(app, `${items}?bbox=${[y1 - 5, x1 - 5, y1 + 5, x1 + 5].join(',')}&bbox-crs=${crs}`);
    expect(ids(tight.body)).toEqual([id.w1]);
    const gql = await app.gql(`query($b: BBoxInput) { cameras(spatial: { bbox: $b }) { edges { node { id } } } }`, {
      b: { minx: x1 - 5, miny: y1 - 5, maxx: x1 + 5, maxy: y1 + 5, srid: 5257 },
    });
    expect(gql.data.cameras.edges.map((e: any) => Number(e.node.id))).toEqual(ids(tight.body));

    // Six numbers: heights are ignored.
    const six = await ogcGet(app, `${items}?bbox=${[y1 - 5, x1 - 5, 0, y1 + 5, x1 + 5, 100].join(',')}&bbox-crs=${crs}`);
    expect(ids(six.body)).toEqual([id.w1]);
  });

  it('combines with crs: the box in one CRS, the coordinates in another', async () => {
    const res = await ogcGet(
      app,
      `${items}?bbox=37.004,37.784,37.006,37.786&bbox-crs=${encodeURIComponent(EPSG(4326))}&crs=${encodeURIComponent(EPSG(3857))}`,
    );
    expect(ids(res.body)).toEqual([id.w1, id.w2]);
    expect(res.headers.get('content-crs')).toBe(`<${EPSG(3857)}>`);
    expect(coordinatesOf(res.body, id.w1)[0]).toBeCloseTo((await transformed(id.w1, 3857))[0], 3);
  });

  it("clips a box to the CRS's area of use, and is 400 naming the area for a box wholly outside it", async () => {
    const crs = encodeURIComponent(EPSG(5257));
    const huge = await ogcGet(app, `${items}?bbox=0,0,1e12,1e12&bbox-crs=${crs}`);
    expect(huge.status).toBe(200);
    expect(ids(huge.body)).toEqual([id.w1, id.w2, id.e1, id.far]);
    const res = await ogcGet(app, `${items}?bbox=0,0,1000,1000&bbox-crs=${crs}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BAD_USER_INPUT');
    expect(res.body.description).toMatch(/the box lies outside the area of use of EPSG:5257 \(TUREF \/ TM39: 37\.5°E to 40\.5°E/);
  });

  it('refuses a bbox-crs it does not offer with 400', async () => {
    const res = await ogcGet(app, `${items}?bbox=1,2,3,4&bbox-crs=${encodeURIComponent(EPSG(2320))}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BAD_USER_INPUT');
    expect(res.body.description).toMatch(/^bbox-crs/);
  });
});
