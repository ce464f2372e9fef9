import type { Knex } from 'knex';
import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertCamera, insertNeighbourhood, metresPerDegreeLon } from './helpers/factories';

/**
 * Two neighbourhoods side by side near Nizip's centre and cameras at known places:
 *   west  = [37.78, 37.00, 37.79, 37.01], east = [37.79, 37.00, 37.80, 37.01]
 */
let app: TestApp;
const id: Record<string, number> = {};
const LAT = 37.005;

beforeAll(async () => {
  app = await startTestApp();
  id.west = await insertNeighbourhood(app.knex, [37.78, 37.0, 37.79, 37.01], { name: 'Batı' });
  id.east = await insertNeighbourhood(app.knex, [37.79, 37.0, 37.8, 37.01], { name: 'Doğu' });
  id.w1 = await insertCamera(app.knex, 37.785, LAT, { name: 'w1', status: 'ACTIVE' });
  id.w2 = await insertCamera(app.knex, 37.7851, LAT, { name: 'w2', status: 'OFFLINE' }); // ~8.9 m east of w1
  id.w3 = await insertCamera(app.knex, 37.7855, LAT, { name: 'w3', status: 'ACTIVE' }); // ~44 m east of w1
  id.e1 = await insertCamera(app.knex, 37.795, LAT, { name: 'e1', status: 'ACTIVE' });
  id.far = await insertCamera(app.knex, 37.9, 37.1, { name: 'far', status: 'ACTIVE' });
});
afterAll(() => app.close());

const Q = `query($spatial: SpatialFilter, $nearest: NearestInput, $filter: CameraFilter, $first: Int, $after: String) {
  cameras(spatial: $spatial, nearest: $nearest, filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor distanceMeters node { name geometry tm: geometry(srid: 5257) } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const names = (res: any) => res.data.cameras.edges.map((e: any) => e.node.name);
async function ok(vars: Record<string, unknown>) {
  const res = await app.gql(Q, vars);
  expect(res.errors).toBeUndefined();
  return res;
}

describe('spatial filters', () => {
  it('bbox in EPSG:4326', async () => {
    const res = await ok({ spatial: { bbox: { minx: 37.78, miny: 37.0, maxx: 37.79, maxy: 37.01 } } });
    expect(names(res)).toEqual(['w1', 'w2', 'w3']);
    expect(res.data.cameras.totalCount).toBe(3);
  });

  it('bbox in TUREF / TM39 (EPSG:5257) metres', async () => {
    // Take w1's and e1's TM39 coordinates from the API and draw a box around them.
    const all = await ok({});
    const tm = Object.fromEntries(all.data.cameras.edges.map((e: any) => [e.node.name, e.node.tm.coordinates]));
    const [x1, y1] = tm.w1;
    const [x2, y2] = tm.e1;
    // Grid north is not true north in TM39: the same latitude has different northings.
    const [miny, maxy] = [Math.min(y1, y2) - 1, Math.max(y1, y2) + 1];
    const res = await ok({ spatial: { bbox: { minx: x1 - 1, miny, maxx: x2 + 1, maxy, srid: 5257 } } });
    expect(names(res)).toEqual(['w1', 'w2', 'w3', 'e1']);
    // 5 m west of w1 to 5 m east of w1: only w1 (w2 is 8.9 m east).
    const tight = await ok({ spatial: { bbox: { minx: x1 - 5, miny: y1 - 5, maxx: x1 + 5, maxy: y1 + 5, srid: 5257 } } });
    expect(names(tight)).toEqual(['w1']);
  });

  it('intersects a GeoJSON polygon, in 4326 and in TM39', async () => {
    const polygon = {
      type: 'Polygon',
      coordinates: [[[37.7852, 37.0], [37.8, 37.0], [37.8, 37.01], [37.7852, 37.01], [37.7852, 37.0]]],
    };
    expect(names(await ok({ spatial: { intersects: { geometry: polygon } } }))).toEqual(['w3', 'e1']);

    const tmBox = await app.knex.raw(
      `SELECT ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(37.7852, 37.0, 37.8, 37.01, 4326), 5257))::json AS g`,
    );
    const res = await ok({ spatial: { intersects: { geometry: tmBox.rows[0].g, srid: 5257 } } });
    expect(names(res)).toEqual(['w3', 'e1']);
  });

  it('accepts a GeoJSON Feature and uses its geometry', async () => {
    const feature = { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [37.785, LAT] } };
    expect(names(await ok({ spatial: { withinDistance: { geometry: feature, meters: 1 } } }))).toEqual(['w1']);
  });

  it('within a distance in geodesic metres (not degrees)', async () => {
    const point = { type: 'Point', coordinates: [37.785, LAT] };
    const step = 0.0001 * metresPerDegreeLon(LAT); // w1 -> w2, about 8.9 m
    expect(names(await ok({ spatial: { withinDistance: { geometry: point, meters: step - 0.2 } } }))).toEqual(['w1']);
    expect(names(await ok({ spatial: { withinDistance: { geometry: point, meters: step + 0.2 } } }))).toEqual(['w1', 'w2']);
    expect(names(await ok({ spatial: { withinDistance: { geometry: point, meters: 50 } } }))).toEqual(['w1', 'w2', 'w3']);
    // 0.01 "metres" would be a degree-sized radius if the unit were degrees: it must find only w1.
    expect(names(await ok({ spatial: { withinDistance: { geometry: point, meters: 0.01 } } }))).toEqual(['w1']);
  });

  it('inside a neighbourhood', async () => {
    expect(names(await ok({ spatial: { inNeighbourhood: String(id.west) } }))).toEqual(['w1', 'w2', 'w3']);
    expect(names(await ok({ spatial: { inNeighbourhood: String(id.east) } }))).toEqual(['e1']);
    const missing = await app.gql(Q, { spatial: { inNeighbourhood: '999999' } });
    expect(codeOf(missing)).toBe('BAD_USER_INPUT');
    expect(missing.errors![0].message).toMatch(/neighbourhood 999999 does not exist/);
  });

  it('combines spatial filters with each other and with attribute filters', async () => {
    const res = await ok({
      spatial: { inNeighbourhood: String(id.west), bbox: { minx: 37.7851, miny: 37.0, maxx: 37.8, maxy: 37.01 } },
      filter: { status: ['ACTIVE'] },
    });
    expect(names(res)).toEqual(['w3']);
    expect(res.data.cameras.totalCount).toBe(1);
  });

  it('nearest to a point: ordered by distance, with geodesic metres on each edge', async () => {
    const res = await ok({ nearest: { x: 37.785, y: LAT }, first: 3 });
    expect(names(res)).toEqual(['w1', 'w2', 'w3']);
    const d = res.data.cameras.edges.map((e: any) => e.distanceMeters);
    const perDegree = metresPerDegreeLon(LAT);
    expect(d[0]).toBeCloseTo(0, 3);
    expect(Math.abs(d[1] - 0.0001 * perDegree)).toBeLessThan(0.05);
    expect(Math.abs(d[2] - 0.0005 * perDegree)).toBeLessThan(0.2);
    expect(res.data.cameras.pageInfo.hasNextPage).toBe(true);
  });

  it('nearest to a point given in TM39, with the results in TM39 (the README example)', async () => {
    const all = await ok({});
    const w2 = all.data.cameras.edges.find((e: any) => e.node.name === 'w2').node.tm.coordinates;
    const res = await ok({ nearest: { x: w2[0] + 3, y: w2[1], srid: 5257 }, first: 5 });
    expect(names(res)).toEqual(['w2', 'w1', 'w3', 'e1', 'far']);
    const first = res.data.cameras.edges[0];
    const asGeoJson = await ok({ nearest: { point: { type: 'Point', coordinates: [w2[0] + 3, w2[1]] }, srid: 5257 }, first: 5 });
    expect(asGeoJson.data.cameras.edges).toEqual(res.data.cameras.edges);
    expect(first.distanceMeters).toBeGreaterThan(2.9);
    expect(first.distanceMeters).toBeLessThan(3.1);
    const distances = res.data.cameras.edges.map((e: any) => e.distanceMeters);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
  });

  it('pages through a nearest-ordered list and caps it with maxDistanceMeters', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res: any = await ok({ nearest: { x: 37.785, y: LAT }, first: 2, after });
      seen.push(...names(res));
      if (!res.data.cameras.pageInfo.hasNextPage) break;
      after = res.data.cameras.pageInfo.endCursor;
    }
    expect(seen).toEqual(['w1', 'w2', 'w3', 'e1', 'far']);

    const capped = await ok({ nearest: { x: 37.785, y: LAT, maxDistanceMeters: 100 } });
    expect(names(capped)).toEqual(['w1', 'w2', 'w3']);
    expect(capped.data.cameras.totalCount).toBe(3);

    // A cursor from the id ordering is refused in a distance ordering, and the other way round.
    const byId = await ok({ first: 1 });
    const mixed = await app.gql(Q, { nearest: { x: 37.785, y: LAT }, after: byId.data.cameras.pageInfo.endCursor });
    expect(codeOf(mixed)).toBe('BAD_USER_INPUT');
  });

  it('lets the GiST index order a nearest query (KNN), not a scan and sort of the layer', async () => {
    const { sql, bindings } = await app.countStatements(() => ok({ nearest: { x: 37.785, y: LAT }, first: 3 }));
    const i = sql.findIndex((s) => /<->/.test(s));
    // Bindings as the API sent them; planner told to avoid scans so a small table shows the plan a large one gets.
    const rows: { 'QUERY PLAN': string }[] = await app.knex.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off');
      return (await trx.raw(`EXPLAIN ${sql[i].replace(/\$\d+/g, '?')}`, bindings[i] as Knex.RawBinding[])).rows;
    });
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Scan using cameras_geog_gist/);
    expect(plan).toMatch(/Order By: \(\(geom\)::geography <-> /);
  });

  it('applies the same filters to neighbourhoods', async () => {
    const res = await app.gql(
      `query($s: SpatialFilter, $n: NearestInput) { neighbourhoods(spatial: $s, nearest: $n) { edges { distanceMeters node { name } } } }`,
      { s: { withinDistance: { geometry: { type: 'Point', coordinates: [37.785, LAT] }, meters: 10 } }, n: { x: 37.785, y: LAT } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.neighbourhoods.edges.map((e: any) => e.node.name)).toEqual(['Batı']);
    expect(res.data.neighbourhoods.edges[0].distanceMeters).toBe(0);
  });
});
