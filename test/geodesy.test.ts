import seedrandom from 'seedrandom';
import { startTestApp, type TestApp } from './helpers/app';
import { insertOrgUnit, insertRemoteUnit } from './helpers/factories';
import { direct, distancesToPaths, inverse, lineLengths, paths, planimeter, toCrs, type LonLat, PLACES } from './helpers/references';

/**
 * Distances, nearest ordering and paging, withinDistance, lengths and areas, checked against
 * GeographicLib (GeodSolve, Planimeter) and PROJ (cs2cs), never against this code's own output.
 * Features are drawn at random (seeded) around Nizip and in every TUREF TM zone (TM27 to TM45),
 * and placed a millimetre inside and outside each radius.
 */
let app: TestApp;
const random = seedrandom('kbs-geodesy');
const uniform = (a: number, b: number) => a + (b - a) * random();


/** Where `meters` along `azimuth` from `from` lands (GeodSolve). */
const offset = (from: LonLat, azimuth: number, meters: number): LonLat => direct([[from, azimuth, meters]])[0].at;
/** `n` random points within `radius` metres of `centre` (one GeodSolve run). */
const nearMany = (centre: LonLat, radius: number, n: number): LonLat[] =>
  direct(Array.from({ length: n }, () => [centre, uniform(0, 360), radius * Math.sqrt(random())] as [LonLat, number, number])).map((r) => r.at);
const near = (centre: LonLat, radius: number): LonLat => nearMany(centre, radius, 1)[0];
const wkt = (type: string, body: string) => `SRID=4326;${type}(${body})`;
const coords = (ps: LonLat[]) => ps.map(([x, y]) => `${x} ${y}`).join(', ');

/** Relative agreement, with a floor for distances near zero (PostGIS rounds to 10 nm). */
function expectClose(actual: number, expected: number, relative = 1e-6, floor = 1e-7) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(relative * Math.abs(expected), floor));
}

/** Winding numbers of rings around points, from geodesic azimuths (GeodSolve): non-zero inside. */
function windings(cases: { p: LonLat; ring: LonLat[] }[]): number[] {
  const az = inverse(cases.flatMap((c) => c.ring.map((v) => [c.p, v] as [LonLat, LonLat]))).map((r) => r.azi1);
  let k = 0;
  return cases.map((c) => {
    let turn = 0;
    for (let i = 0; i + 1 < c.ring.length; i++) turn += ((((az[k + i + 1] - az[k + i]) % 360) + 540) % 360) - 180;
    k += c.ring.length;
    return Math.round(turn / 360);
  });
}

/** The geodesic distance from p to a line or polygon (0 inside), by GeographicLib only. */
function referenceDistances(cases: { p: LonLat; geometry: any }[]): number[] {
  const d = distancesToPaths(cases.map((c) => ({ p: c.p, paths: paths(c.geometry) })));
  const rings = cases.flatMap((c, i) => (/Polygon/.test(c.geometry.type) ? paths(c.geometry).map((ring) => ({ i, p: c.p, ring })) : []));
  const inside = new Set<number>();
  windings(rings).forEach((w, j) => w !== 0 && inside.add(rings[j].i));
  return cases.map((_, i) => (inside.has(i) ? 0 : d[i]));
}

interface Feature {
  id: number;
  name: string;
  geometry: any;
}
const cameras: Feature[] = [];
const lines: Feature[] = [];
const parcels: Feature[] = [];
/** Query points: random ones near each place, and traps where the sphere's order is not the ellipsoid's. */
const queries: { at: LonLat; srid: number }[] = [];

async function insertCameras(points: { at: LonLat; name: string }[]) {
  const rows = await app.knex('cameras').insert(
    points.map((p, i) => ({
      code: `G-${cameras.length + i}`,
      name: p.name,
      kind: 'FIXED',
      purpose: 'SECURITY',
      status: 'ACTIVE',
      azimuth: 0,
      horizontal_fov: 60,
      range_m: 50,
      geom: app.knex.raw('ST_GeomFromEWKT(?)', [wkt('POINT', coords([p.at]))]),
    })),
    ['id', 'name'],
  );
  rows.forEach((r: any, i: number) => cameras.push({ id: r.id, name: r.name, geometry: { type: 'Point', coordinates: points[i].at } }));
}

async function insertLines(vertices: LonLat[][], node: number) {
  const rows = await app.knex('network_lines').insert(
    vertices.map((v, i) => ({
      code: `G-L${lines.length + i}`,
      name: `line ${lines.length + i}`,
      medium: 'FIBER',
      a_node_id: node,
      z_node_id: node,
      geom: app.knex.raw('ST_GeomFromEWKT(?)', [wkt('LINESTRING', coords(v))]),
    })),
    ['id', 'name'],
  );
  rows.forEach((r: any, i: number) => lines.push({ id: r.id, name: r.name, geometry: { type: 'LineString', coordinates: vertices[i] } }));
}

async function insertParcels(polygons: LonLat[][][]) {
  const rows = await app.knex('parcels').insert(
    polygons.map((rings, i) => ({
      province: 'Gaziantep',
      district: 'Nizip',
      mahalle: 'Geodezi',
      ada: 1,
      parsel: parcels.length + i + 1,
      source: 'test',
      geom: app.knex.raw('ST_GeomFromEWKT(?)', [wkt('MULTIPOLYGON', `(${rings.map((r) => `(${coords(r)})`).join(', ')})`)]),
    })),
    ['id', 'parsel'],
  );
  rows.forEach((r: any, i: number) =>
    parcels.push({ id: r.id, name: `parcel ${r.parsel}`, geometry: { type: 'MultiPolygon', coordinates: [polygons[i]] } }),
  );
}

/** A convex polygon around `centre`: vertices at increasing azimuths (clockwise, as many stores hold them). */
function polygonAround(centre: LonLat, radius: number, corners: number): LonLat[] {
  const start = uniform(0, 360);
  const ring = direct(
    Array.from({ length: corners }, (_, i) => [centre, start + (360 * i) / corners + uniform(-10, 10), radius * uniform(0.6, 1)] as [LonLat, number, number]),
  ).map((r) => r.at);
  return [...ring, ring[0]];
}

beforeAll(async () => {
  app = await startTestApp();
  const [node] = await app.knex('network_nodes').insert({ code: 'G-N', name: 'node', kind: 'CABINET', geom: app.knex.raw("'SRID=4326;POINT(37.79 37.01)'::geometry") }, ['id']);
  // The sample data's own case (issue 13): from this point camera 77 is nearest, then 142 at
  // 157.827 m; 185 (157.934 m) is nearer on the sphere, so KNN alone put it second.
  await insertCameras([
    { at: [37.793262159138536, 37.01352245184156], name: 'sample-77' },
    { at: [37.79201393314479, 37.0124664932438], name: 'sample-142' },
    { at: [37.79471033829794, 37.013505153961454], name: 'sample-185' },
    { at: [37.79472690946441, 37.013675175714944], name: 'sample-182' },
  ]);
  for (const place of PLACES) {
    const points = nearMany(place.at, 2000, place.name === 'Nizip' ? 50 : 20).map((at, i) => ({ at, name: `${place.name}-${i}` }));
    // Five cameras on one spot: equal distances, ordered by id, across pages.
    const spot = near(place.at, 500);
    for (let i = 0; i < 5; i++) points.push({ at: spot, name: `${place.name}-spot-${i}` });
    // The trap, away from the rest: from q, a camera due north at d, and three eastwards at d + 4 cm,
    // d + 0.5 m and d + 1 m. The ellipsoid puts the northern one first; the sphere (its meridians
    // too long here, its parallels too short, by 0.4 % between them) puts it last.
    const q = offset(place.at, uniform(0, 360), 6000);
    const d = uniform(100, 900);
    const trap = direct([[q, 0, d], [q, 90, d + 0.04], [q, 88, d + 0.5], [q, 92, d + 1]]);
    ['north', 'east', 'east-2', 'east-3'].forEach((name, i) => points.push({ at: trap[i].at, name: `${place.name}-${name}` }));
    // A ring, away from the rest too: 24 cameras 1 cm apart in distance all round, every one in the
    // band where the sphere cannot tell their order, so a page takes the widened search.
    const ringCentre = offset(place.at, uniform(0, 360), 9000);
    const radius = uniform(50, 900);
    direct(Array.from({ length: 24 }, (_, i) => [ringCentre, i * 15 + uniform(-5, 5), radius + i * 0.01] as [LonLat, number, number])).forEach(
      (r, i) => points.push({ at: r.at, name: `${place.name}-ring-${i}` }),
    );
    await insertCameras(points);
    queries.push({ at: q, srid: place.srid }, { at: near(place.at, 2500), srid: place.srid }, { at: ringCentre, srid: place.srid });
    // Lines of 2 to 4 vertices, 80 m to 2.5 km apart.
    const starts = nearMany(place.at, 2000, 6);
    const vertices = starts.map((start) => [start]);
    for (let k = 0; k < 3; k++) {
      const grow = vertices.filter((v) => v.length === 1 || random() < 0.5);
      direct(grow.map((v) => [v[v.length - 1], uniform(0, 360), uniform(80, 2500)] as [LonLat, number, number])).forEach((r, i) => grow[i].push(r.at));
    }
    await insertLines(vertices, node.id);
    const polygons = nearMany(place.at, 2000, 5).map((c) => [polygonAround(c, uniform(30, 900), 3 + Math.floor(uniform(0, 4)))]);
    // One with a hole: the outer ring clockwise, the hole counterclockwise.
    const centre = near(place.at, 1000);
    polygons.push([polygonAround(centre, 600, 6), [...polygonAround(centre, 150, 4)].reverse()]);
    await insertParcels(polygons);
  }
}, 60000);
afterAll(() => app.close());

const NEAREST = (layer: string, extra = '') => `query($n: NearestInput, $first: Int, $after: String, $s: SpatialFilter) {
  list: ${layer}(nearest: $n, first: $first, after: $after, spatial: $s) {
    edges { distanceMeters node { id ${extra} } } pageInfo { hasNextPage endCursor } } }`;

/** Every edge of a nearest-ordered list, page by page (`first` each). */
async function pages(layer: string, nearest: object, first: number, limit: number): Promise<{ id: number; d: number }[]> {
  const seen: { id: number; d: number }[] = [];
  let after: string | null = null;
  while (seen.length < limit) {
    const res: any = await app.gql(NEAREST(layer), { n: nearest, first, after });
    expect(res.errors).toBeUndefined();
    seen.push(...res.data.list.edges.map((e: any) => ({ id: Number(e.node.id), d: e.distanceMeters })));
    if (!res.data.list.pageInfo.hasNextPage) break;
    after = res.data.list.pageInfo.endCursor;
  }
  return seen;
}

/** The reference order: by GeodSolve's distance, then id. */
function referenceOrder(features: Feature[], distances: number[]) {
  return features.map((f, i) => ({ id: f.id, d: distances[i] })).sort((a, b) => a.d - b.d || a.id - b.id);
}

describe('nearest: the true K nearest on the ellipsoid, and paging that never repeats or skips', () => {
  it("finds the sample data's camera 142 second, where KNN on the sphere found 185", async () => {
    const res = await app.gql(
      `query($n: NearestInput) { cameras(nearest: $n, first: 2, filter: { search: "sample-" }) { edges { distanceMeters node { name } } } }`,
      { n: { x: 37.792948421585685, y: 37.013675175714944 } },
    );
    expect(res.errors).toBeUndefined();
    const names = res.data.cameras.edges.map((e: any) => e.node.name);
    expect(names).toEqual(['sample-77', 'sample-142']);
    const ref = inverse(
      [cameras[0], cameras[1]].map((c) => [[37.792948421585685, 37.013675175714944], c.geometry.coordinates] as [LonLat, LonLat]),
    );
    res.data.cameras.edges.forEach((e: any, i: number) => expectClose(e.distanceMeters, ref[i].s12));
    expect(ref[1].s12).toBeCloseTo(157.827, 3);
  });

  it('orders cameras by GeodSolve distance, then id, on every page size, in 4326 and in the TM zone', async () => {
    const all = inverse(queries.flatMap((q) => cameras.map((c) => [q.at, c.geometry.coordinates] as [LonLat, LonLat]))).map((r) => r.s12);
    for (const [qi, q] of queries.entries()) {
      const expected = referenceOrder(cameras, all.slice(qi * cameras.length, (qi + 1) * cameras.length)).slice(0, 12);
      const first = [1, 2, 3, 5, 8][qi % 5];
      const nearest = qi % 2 ? { x: q.at[0], y: q.at[1] } : { ...toXy(q), srid: q.srid };
      const got = await pages('cameras', nearest, first, expected.length);
      expect(got.slice(0, expected.length).map((g) => g.id)).toEqual(expected.map((e) => e.id));
      got.slice(0, expected.length).forEach((g, i) => expectClose(g.d, expected[i].d, 1e-9, 1e-6));
    }
  });

  it('orders lines and polygons by their geodesic distance (1e-6), pages included', async () => {
    const chosen = queries.filter((_, qi) => qi % 3 === 1);
    for (const [layer, features] of [['networkLines', lines], ['parcels', parcels]] as const) {
      // All the reference distances at once: GeographicLib runs once per step, not once per query.
      const all = referenceDistances(chosen.flatMap((q) => features.map((f) => ({ p: q.at, geometry: f.geometry }))));
      for (const [qi, q] of chosen.entries()) {
        const expected = referenceOrder(features, all.slice(qi * features.length, (qi + 1) * features.length)).slice(0, 8);
        const got = await pages(layer, { x: q.at[0], y: q.at[1] }, 1 + (qi % 4), expected.length);
        expect(got.slice(0, expected.length).map((g) => g.id)).toEqual(expected.map((e) => e.id));
        got.slice(0, expected.length).forEach((g, i) => expectClose(g.d, expected[i].d));
      }
    }
  });

  it('still lets the GiST index order the candidates (KNN) on lines too', async () => {
    const { sql } = await app.countStatements(() => app.gql(NEAREST('networkLines'), { n: { x: 37.79, y: 37.01 }, first: 3 }));
    const statement = sql.find((s) => /<->/.test(s))!;
    expect(statement).toMatch(/ORDER BY \("network_lines"\."geom"\)::geography <-> /i);
    expect(statement).toMatch(/kbs_distance_to_point/);
  });
});

/** x/y of a query point in its zone's CRS (cs2cs). */
function toXy(q: { at: LonLat; srid: number }) {
  const [[x, y]] = toCrs(q.srid, [q.at]);
  return { x, y };
}

describe('within a distance: exact sets at 1 mm from the radius, and distances within 1e-6', () => {
  /** Features a millimetre inside and outside a radius r around p, on every geometry type. */
  async function boundaryCase(p: LonLat, r: number, node: number) {
    const azimuths = Array.from({ length: 8 }, () => uniform(0, 360));
    const marks = azimuths.map((azi, i) => ({ azi, d: r + (i % 2 ? 0.001 : -0.001) }));
    const feet = direct(marks.map((m) => [p, m.azi, m.d]));
    await insertCameras(feet.map((f, i) => ({ at: f.at, name: `ring-${i % 2 ? 'out' : 'in'}` })));
    // Lines touching the circle at their middle: through the foot, at right angles to the radius there.
    const back = inverse(feet.map((f) => [f.at, p]));
    const ends = direct(
      feet.flatMap((f, i) => {
        const half = uniform(30, 1500);
        return [[f.at, back[i].azi1 + 90, half], [f.at, back[i].azi1 - 90, half]] as [LonLat, number, number][];
      }),
    );
    await insertLines(feet.map((_, i) => [ends[2 * i].at, ends[2 * i + 1].at]), node);
    // Triangles with one edge touching the circle, the rest beyond it.
    const apexes = direct(feet.map((f, i) => [f.at, back[i].azi1 + 180, uniform(20, 400)]));
    await insertParcels(feet.map((_, i) => [[ends[2 * i].at, apexes[i].at, ends[2 * i + 1].at, ends[2 * i].at]]));
  }

  it('withinDistance, maxDistanceMeters and camerasWithin agree with GeodSolve at the boundary, in 4326 and in TM', async () => {
    const [node] = await app.knex('network_nodes').select('id').where({ code: 'G-N' });
    const zab = await insertOrgUnit(app.knex, 'ZAB', 'Zabıta');
    const cases: { place: (typeof PLACES)[number]; p: LonLat; r: number; unit: number }[] = [];
    for (const place of PLACES) {
      const p = near(place.at, 3000);
      const r = uniform(5, 3000);
      await boundaryCase(p, r, node.id);
      cases.push({ place, p, r, unit: await insertRemoteUnit(app.knex, p[0], p[1], zab) });
    }
    // The reference distances of every feature from every centre, in one run of each tool step.
    const reference = {
      cameras: inverse(cases.flatMap(({ p }) => cameras.map((c) => [p, c.geometry.coordinates] as [LonLat, LonLat]))).map((x) => x.s12),
      networkLines: referenceDistances(cases.flatMap(({ p }) => lines.map((f) => ({ p, geometry: f.geometry })))),
      parcels: referenceDistances(cases.flatMap(({ p }) => parcels.map((f) => ({ p, geometry: f.geometry })))),
    };
    const features = { cameras, networkLines: lines, parcels };
    for (const [k, { place, p, r, unit }] of cases.entries()) {
      const inside = (layer: keyof typeof features) => {
        const list = features[layer];
        const d = reference[layer].slice(k * list.length, (k + 1) * list.length);
        return list.filter((_, i) => d[i] <= r).map((f) => f.id).sort((a, b) => a - b);
      };
      const [[x, y]] = toCrs(place.srid, [p]);
      // Around Nizip both ways; elsewhere in lon/lat or in the zone's TM coordinates, by turns.
      const ways = [{ coordinates: p, srid: 4326 }, { coordinates: [x, y], srid: place.srid }];
      const chosen = place.name === 'Nizip' ? ways : [ways[k % 2]];
      for (const layer of ['cameras', 'networkLines', 'parcels'] as const) {
        const ids = inside(layer);
        for (const where of chosen) {
          const res = await app.gql(`query($s: SpatialFilter) { list: ${layer}(spatial: $s, first: 1000) { totalCount edges { node { id } } } }`, {
            s: { withinDistance: { geometry: { type: 'Point', coordinates: where.coordinates }, srid: where.srid, meters: r } },
          });
          expect(res.errors).toBeUndefined();
          expect(res.data.list.edges.map((e: any) => Number(e.node.id)).sort((a: number, b: number) => a - b)).toEqual(ids);
          expect(res.data.list.totalCount).toBe(ids.length);
        }
        const capped = await pages(layer, { x: p[0], y: p[1], maxDistanceMeters: r }, 1000, 10000);
        expect(capped.map((c) => c.id).sort((a, b) => a - b)).toEqual(ids);
      }
      const res = await app.gql(`query($id: ID!, $m: Float!) { remoteUnit(id: $id) { camerasWithin(meters: $m, first: 1000) {
        totalCount edges { distanceMeters node { id } } } } }`, { id: String(unit), m: r });
      expect(res.errors).toBeUndefined();
      const within = res.data.remoteUnit.camerasWithin;
      expect(within.edges.map((e: any) => Number(e.node.id)).sort((a: number, b: number) => a - b)).toEqual(inside('cameras'));
      expect(within.totalCount).toBe(inside('cameras').length);
      const byId = new Map(cameras.map((c, i) => [c.id, reference.cameras[k * cameras.length + i]]));
      within.edges.forEach((e: any) => expectClose(e.distanceMeters, byId.get(Number(e.node.id))!));
    }
  });

  it('measures from a line or a polygon as well, cameras a millimetre either side of the radius', async () => {
    const place = PLACES[0];
    const from = [
      { type: 'LineString', coordinates: nearMany(place.at, 1500, 3) },
      { type: 'Polygon', coordinates: [polygonAround(near(place.at, 1000), 400, 5)].map((r) => [...r].reverse()) },
    ];
    for (const geometry of from) {
      const r = uniform(50, 800);
      // Off the middle of each edge, at right angles to it (GeodSolve): r - 1 mm and r + 1 mm away.
      const edges: [LonLat, LonLat][] = paths(geometry)
        .flatMap((path) => path.slice(1).map((b, i) => [path[i], b] as [LonLat, LonLat]));
      const along = inverse(edges);
      const feet = direct(edges.map(([a], i) => [a, along[i].azi1, along[i].s12 * uniform(0.3, 0.7)]));
      // The polygon's ring runs counterclockwise: its outside is on the right.
      const side = geometry.type === 'Polygon' ? [-90] : [90, -90];
      await insertCameras(
        direct(feet.flatMap((f) => side.flatMap((turn) => [-0.001, 0.001].map((mm) => [f.at, f.azi2 - turn, r + mm] as [LonLat, number, number])))).map(
          (x) => ({ at: x.at, name: 'off-edge' }),
        ),
      );
      const dCam = referenceDistances(cameras.map((c) => ({ p: c.geometry.coordinates, geometry })));
      const expected = cameras.filter((_, i) => dCam[i] <= r).map((c) => c.id).sort((a, b) => a - b);
      const res = await app.gql(`query($s: SpatialFilter) { cameras(spatial: $s, first: 1000) { edges { node { id } } } }`, {
        s: { withinDistance: { geometry, meters: r } },
      });
      expect(res.errors).toBeUndefined();
      expect(res.data.cameras.edges.map((e: any) => Number(e.node.id)).sort((a: number, b: number) => a - b)).toEqual(expected);
    }
  });
});

describe('lengths and areas', () => {
  it('line lengths agree with Planimeter (1e-6)', async () => {
    const res = await app.gql(`{ networkLines(first: 1000) { edges { node { id lengthMeters } } } }`);
    const byId = new Map(lines.map((l) => [l.id, l]));
    const edges = res.data.networkLines.edges.filter((e: any) => byId.has(Number(e.node.id)));
    const ref = lineLengths(edges.map((e: any) => byId.get(Number(e.node.id))!.geometry.coordinates));
    edges.forEach((e: any, i: number) => expectClose(e.node.lengthMeters, ref[i]));
    expect(edges.length).toBe(lines.length);
  });

  it('polygon areas agree with Planimeter (1e-6), holes subtracted', async () => {
    const res = await app.gql(`{ parcels(first: 1000) { edges { node { id areaSquareMeters } } } }`);
    const byId = new Map(parcels.map((p) => [p.id, p]));
    const edges = res.data.parcels.edges.filter((e: any) => byId.has(Number(e.node.id)));
    const rings = edges.map((e: any) => paths(byId.get(Number(e.node.id))!.geometry));
    const areas = planimeter(rings.flat()).map((r) => Math.abs(r.area));
    let k = 0;
    edges.forEach((e: any, i: number) => {
      const [outer, ...holes] = areas.slice(k, (k += rings[i].length));
      expectClose(e.node.areaSquareMeters, outer - holes.reduce((a, b) => a + b, 0));
    });
    expect(edges.length).toBe(parcels.length);
  });
});
