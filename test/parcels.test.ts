import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertNeighbourhood, insertParcel } from './helpers/factories';

/**
 * İSTASYON ada 101: parcels 1, 2, 3 side by side (3 has a deed 20 % larger than its geometry);
 * KIBRIS ada 101: parcel 1 (Bahçe). Each parcel is 0.001 x 0.001 degrees (about 89 m x 111 m).
 */
let app: TestApp;
const id: Record<string, number> = {};
const box = (x: number, y: number): [number, number, number, number] => [x, y, x + 0.001, y + 0.001];

beforeAll(async () => {
  app = await startTestApp();
  id.istasyon = await insertNeighbourhood(app.knex, [37.78, 37.0, 37.79, 37.01], { name: 'İstasyon' });
  id.kibris = await insertNeighbourhood(app.knex, [37.79, 37.0, 37.8, 37.01], { name: 'Kıbrıs' });
  id.p1 = await insertParcel(app.knex, box(37.781, 37.001), { mahalle: 'İSTASYON', ada: 101, parsel: 1, nitelik: 'Arsa' });
  id.p2 = await insertParcel(app.knex, box(37.782, 37.001), { mahalle: 'İSTASYON', ada: 101, parsel: 2, nitelik: 'Kargir Ev' });
  id.p3 = await insertParcel(app.knex, box(37.783, 37.001), { mahalle: 'İSTASYON', ada: 101, parsel: 3, nitelik: 'Arsa', registeredFactor: 1.2 });
  id.k1 = await insertParcel(app.knex, box(37.791, 37.001), { mahalle: 'KIBRIS', ada: 101, parsel: 1, nitelik: 'Bahçe' });
});
afterAll(() => app.close());

const PARCEL = `id mahalle ada parsel nitelik registeredAreaSquareMeters areaSquareMeters areaDifferenceSquareMeters areaDifferenceRatio neighbourhood { name }`;

describe('parcels', () => {
  it('finds one parcel by mahalle + ada + parsel, the mahalle matched the Turkish way', async () => {
    for (const mahalle of ['İSTASYON', 'istasyon', 'Istasyon', 'İstasyon', 'ıstasyon']) {
      const res = await app.gql(`query($m: String!) { parcelByNumber(mahalle: $m, ada: 101, parsel: 2) { ${PARCEL} } }`, { m: mahalle });
      expect(res.errors).toBeUndefined();
      expect(res.data.parcelByNumber).toMatchObject({ id: String(id.p2), mahalle: 'İSTASYON', ada: 101, parsel: 2 });
    }
    const kibris = await app.gql(`{ parcelByNumber(mahalle: "Kıbrıs", ada: 101, parsel: 1) { id } }`);
    expect(kibris.data.parcelByNumber.id).toBe(String(id.k1));
    const none = await app.gql(`{ parcelByNumber(mahalle: "İstasyon", ada: 101, parsel: 99) { id } }`);
    expect(none.errors).toBeUndefined();
    expect(none.data.parcelByNumber).toBeNull();
  });

  it('finds the parcel that contains a point, in 4326 or TM39, and null where there is none', async () => {
    const res = await app.gql(`{ parcelAt(x: 37.7825, y: 37.0015) { id parsel neighbourhood { name } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.parcelAt).toEqual({ id: String(id.p2), parsel: 2, neighbourhood: { name: 'İstasyon' } });

    const tm = await app.knex.raw(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM ST_Transform(ST_SetSRID(ST_MakePoint(37.7915, 37.0015), 4326), 5257) AS p`);
    const inTm = await app.gql(`query($x: Float!, $y: Float!) { parcelAt(x: $x, y: $y, srid: 5257) { id } }`, tm.rows[0]);
    expect(inTm.data.parcelAt.id).toBe(String(id.k1));

    const none = await app.gql(`{ parcelAt(x: 37.7, y: 37.1) { id } }`);
    expect(none.errors).toBeUndefined();
    expect(none.data.parcelAt).toBeNull();
    const bad = await app.gql(`{ parcelAt(x: 237.7, y: 37.1) { id } }`);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  });

  it('computes the geodesic area and its difference from the deed, so disagreeing parcels can be found', async () => {
    const res = await app.gql(`{ parcels(filter: { minAreaDifferenceRatio: 0.05 }) { totalCount edges { node { ${PARCEL} } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.parcels.totalCount).toBe(1);
    const p3 = res.data.parcels.edges[0].node;
    expect(p3.parsel).toBe(3);
    expect(p3.areaSquareMeters).toBeGreaterThan(9800);
    expect(p3.areaSquareMeters).toBeLessThan(9900);
    expect(p3.registeredAreaSquareMeters).toBeCloseTo(p3.areaSquareMeters * 1.2, 0);
    expect(p3.areaDifferenceRatio).toBeCloseTo(1 / 1.2 - 1, 3);
    expect(p3.areaDifferenceSquareMeters).toBeCloseTo(p3.areaSquareMeters - p3.registeredAreaSquareMeters, 3);
  });

  it('filters by mahalle, ada, nitelik (the Turkish way) and area range, with the spatial filters', async () => {
    const parsels = async (filter: object, spatial?: object) =>
      (await app.gql(`query($f: ParcelFilter, $s: SpatialFilter) { parcels(filter: $f, spatial: $s) { edges { node { mahalle parsel } } } }`, {
        f: filter,
        s: spatial,
      })).data.parcels.edges.map((e: any) => `${e.node.mahalle} ${e.node.parsel}`);
    expect(await parsels({ mahalle: 'istasyon', ada: 101 })).toEqual(['İSTASYON 1', 'İSTASYON 2', 'İSTASYON 3']);
    expect(await parsels({ nitelik: ['bahce', 'KARGIR EV'] })).toEqual(['İSTASYON 2', 'KIBRIS 1']);
    expect(await parsels({ minAreaSquareMeters: 9000, maxAreaSquareMeters: 10000 })).toHaveLength(4);
    expect(await parsels({ maxAreaSquareMeters: 9000 })).toEqual([]);
    expect(await parsels({}, { inNeighbourhood: String(id.kibris) })).toEqual(['KIBRIS 1']);
    expect(await parsels({ nitelik: ['Arsa'] }, { bbox: { minx: 37.7825, miny: 37.0, maxx: 37.79, maxy: 37.01 } })).toEqual(['İSTASYON 3']);
  });

  it('returns one parcel by id as a MultiPolygon in any SRID, NOT_FOUND for a missing one', async () => {
    const res = await app.gql(`query($id: ID!) { parcel(id: $id) { geometry tm: geometry(srid: 5257) pafta source } }`, { id: String(id.p1) });
    expect(res.data.parcel.geometry.type).toBe('MultiPolygon');
    expect(res.data.parcel.tm.crs.properties.name).toBe('EPSG:5257');
    expect(codeOf(await app.gql(`{ parcel(id: "424242") { id } }`))).toBe('NOT_FOUND');
    const bad = await app.gql(`{ parcels(filter: { minAreaDifferenceRatio: -1 }) { totalCount } }`);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  });
});
