import seedrandom from 'seedrandom';
import { Action, Resource } from '../src/common/auth/resources';
import { assignRoles, insertRole, tokenFor } from './helpers/access';
import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertUser } from './helpers/factories';
import { direct, inverse, planimeter, type LonLat } from './helpers/references';

/**
 * Camera coverage on the Nizip sample cameras, against GeographicLib: which cameras see a point
 * (GeodSolve's inverse problem for the distance and the bearing of every camera to the point),
 * and the covered area of a neighbourhood (Planimeter over the covered polygons the API returns).
 */
let app: TestApp;
let cameras: { id: number; lonlat: LonLat; azimuth: number; fov: number; range: number; status: string }[];

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  const rows = await app.knex('cameras').select('id', 'azimuth', 'horizontal_fov', 'range_m', 'status', app.knex.raw('ST_X(geom) AS x, ST_Y(geom) AS y'));
  cameras = rows.map((r) => ({ id: r.id, lonlat: [Number(r.x), Number(r.y)], azimuth: Number(r.azimuth), fov: Number(r.horizontal_fov), range: Number(r.range_m), status: r.status }));
});
afterAll(() => app.close());

/** The rings of a (Multi)Polygon GeoJSON. */
const rings = (g: any): LonLat[][] => (g.type === 'Polygon' ? g.coordinates : g.type === 'MultiPolygon' ? g.coordinates.flat() : []);
/** Area by Planimeter: outer rings counterclockwise, holes clockwise (as the API writes them), so the signed areas add up. */
const planimeterArea = (g: any) => planimeter(rings(g)).reduce((sum, r) => sum + r.area, 0);

describe('camerasSeeing', () => {
  it('at 40 points near cameras: exactly the cameras GeodSolve puts within range and inside the angle, with its distance and bearing', async () => {
    const random = seedrandom('sightings');
    for (let k = 0; k < 40; k++) {
      const c = cameras[Math.floor(random() * cameras.length)];
      const p: LonLat = [c.lonlat[0] + (random() - 0.5) * 0.002, c.lonlat[1] + (random() - 0.5) * 0.002];
      const ref = inverse(cameras.map((cam) => [cam.lonlat, p]));
      const expected = cameras
        .map((cam, i) => ({ cam, ...ref[i] }))
        .filter(({ cam, s12, azi1 }) => {
          const off = Math.abs((((azi1 - cam.azimuth) % 360) + 540) % 360 - 180);
          return cam.status === 'ACTIVE' && s12 <= cam.range && (cam.fov >= 360 || off <= cam.fov / 2);
        })
        .sort((a, b) => a.s12 - b.s12 || a.cam.id - b.cam.id);
      const res = await app.gql('query($x: Float, $y: Float) { camerasSeeing(x: $x, y: $y) { distanceMeters bearingDegrees camera { id } } }', { x: p[0], y: p[1] });
      expect(res.errors).toBeUndefined();
      const got = res.data.camerasSeeing;
      expect([p, got.map((s: any) => Number(s.camera.id))]).toEqual([p, expected.map((e) => e.cam.id)]);
      got.forEach((s: any, i: number) => {
        expect(s.distanceMeters).toBeCloseTo(expected[i].s12, 6);
        expect(Math.abs((((s.bearingDegrees - expected[i].azi1) % 360) + 540) % 360 - 180)).toBeLessThan(1e-7);
      });
    }
  });

  it('takes a GeoJSON point in TM39 as well, and includeInactive adds the cameras not ACTIVE', async () => {
    const inactive = cameras.find((c) => c.status !== 'ACTIVE')!;
    // 5 m in front of it (GeodSolve's direct problem), in TM39.
    const [{ at: front }] = direct([[inactive.lonlat, inactive.azimuth, 5]]);
    const at = await app.knex.raw('SELECT ST_X(p) AS x, ST_Y(p) AS y FROM ST_Transform(ST_SetSRID(ST_MakePoint(?::float8, ?::float8), 4326), 5257) p', front);
    const { x, y } = at.rows[0];
    const q = 'query($p: GeoJSON, $all: Boolean) { camerasSeeing(point: $p, srid: 5257, includeInactive: $all) { distanceMeters camera { id } } }';
    const point = { type: 'Point', coordinates: [Number(x), Number(y)] };
    const only = await app.gql(q, { p: point, all: false });
    const all = await app.gql(q, { p: point, all: true });
    expect(only.data.camerasSeeing.map((s: any) => Number(s.camera.id))).not.toContain(inactive.id);
    expect(all.data.camerasSeeing.map((s: any) => Number(s.camera.id))).toContain(inactive.id);
  });

  it('bad input: both or neither point form, a point that is no Point', async () => {
    expect(codeOf(await app.gql('{ camerasSeeing { distanceMeters } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql('{ camerasSeeing(x: 37.8, y: 37.0, point: { type: "Point", coordinates: [37.8, 37.0] }) { distanceMeters } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql('{ camerasSeeing(x: 37.8) { distanceMeters } }'))).toBe('BAD_USER_INPUT');
    const line = await app.gql('{ camerasSeeing(point: { type: "LineString", coordinates: [[37.8, 37.0], [37.81, 37.0]] }) { distanceMeters } }');
    expect(codeOf(line)).toBe('BAD_USER_INPUT');
  });
});

describe('cameraCoverage', () => {
  it('of every neighbourhood in one query: areas as Planimeter measures them, covered + uncovered = the whole, one statement for any number', async () => {
    const q = (first: number) => `{ neighbourhoods(first: ${first}) { edges { node { id cameraCoverage { areaSquareMeters coveredSquareMeters fraction covered uncovered cameras { id } } } } } }`;
    await app.gql(q(1)); // what a first request reads once (the CRS table's entries)
    const small = await app.countStatements(() => app.gql(q(3)));
    const res = await app.countStatements(() => app.gql(q(100)));
    expect(res.result.errors).toBeUndefined();
    const hoods = res.result.data.neighbourhoods.edges.map((e: any) => e.node);
    expect(hoods.length).toBeGreaterThan(10);
    expect(res.statements).toBe(small.statements);
    // In another CRS too: the output srid's check must not hold the page's loads apart.
    const tm = (first: number) => `{ neighbourhoods(first: ${first}) { edges { node { id cameraCoverage(srid: 5257) { coveredSquareMeters } } } } }`;
    await app.gql(tm(1));
    const [tmSmall, tmAll] = [await app.countStatements(() => app.gql(tm(3))), await app.countStatements(() => app.gql(tm(100)))];
    expect(tmAll.result.errors).toBeUndefined();
    expect(tmAll.statements).toBe(tmSmall.statements);
    let someCovered = false;
    for (const h of hoods) {
      const c = h.cameraCoverage;
      expect(c.coveredSquareMeters).toBeCloseTo(planimeterArea(c.covered), 0);
      expect(Math.abs(c.coveredSquareMeters - planimeterArea(c.covered))).toBeLessThanOrEqual(1e-6 * c.areaSquareMeters + 1e-3);
      // Covered and uncovered are cut apart in the plane of longitude and latitude, and the new
      // vertices on the boundary's edges move the geodesic edges between them by micrometres: the
      // parts add up to the whole within 1e-5 of it.
      expect(Math.abs(c.coveredSquareMeters + planimeterArea(c.uncovered) - c.areaSquareMeters)).toBeLessThanOrEqual(1e-5 * c.areaSquareMeters);
      expect(c.fraction).toBeCloseTo(c.coveredSquareMeters / c.areaSquareMeters, 12);
      if (c.coveredSquareMeters > 0) {
        someCovered = true;
        expect(c.cameras.length).toBeGreaterThan(0);
      } else expect(c.cameras).toEqual([]);
    }
    expect(someCovered).toBe(true);
    // The neighbourhood's own area, by Planimeter over its boundary.
    const one = hoods[0];
    const boundary = (await app.gql(`{ neighbourhood(id: "${one.id}") { geometry } }`)).data.neighbourhood.geometry;
    expect(Math.abs(one.cameraCoverage.areaSquareMeters - planimeterArea(boundary))).toBeLessThanOrEqual(1e-6 * one.cameraCoverage.areaSquareMeters);
  });

  it('of a polygon in TM39: the same as of the neighbourhood it traces; one camera alone covers its own field of view', async () => {
    const hood = await app.knex('neighbourhoods').orderBy('id').first('id', app.knex.raw('ST_AsGeoJSON(ST_Transform(geom, 5257), 6)::json AS g'));
    const byId = (await app.gql(`{ cameraCoverage(neighbourhoodId: "${hood.id}") { coveredSquareMeters areaSquareMeters cameras { id } } }`)).data.cameraCoverage;
    const byArea = await app.gql('query($a: GeoJSON) { cameraCoverage(area: $a, srid: 5257) { coveredSquareMeters areaSquareMeters cameras { id } covered } }', { a: hood.g });
    expect(byArea.errors).toBeUndefined();
    expect(byArea.data.cameraCoverage.areaSquareMeters).toBeCloseTo(byId.areaSquareMeters, -1);
    expect(byArea.data.cameraCoverage.cameras).toEqual(byId.cameras);
    // The field of view of one camera, as the area: covered whole by it (and by those overlapping it).
    const cam = cameras.find((c) => c.status === 'ACTIVE' && c.fov < 360)!;
    const fov = (await app.gql(`{ camera(id: "${cam.id}") { fieldOfView } }`)).data.camera.fieldOfView;
    const own = (await app.gql('query($a: GeoJSON) { cameraCoverage(area: $a) { fraction coveredSquareMeters areaSquareMeters cameras { id } } }', { a: fov })).data.cameraCoverage;
    expect(own.fraction).toBeCloseTo(1, 4);
    expect(own.cameras.map((c: any) => Number(c.id))).toContain(cam.id);
    expect(own.areaSquareMeters).toBeCloseTo(planimeterArea(fov), 3);
  });

  it('bad input: both or neither of neighbourhoodId and area, an unknown neighbourhood, an invalid polygon with PostGIS\'s reason, a point', async () => {
    expect(codeOf(await app.gql('{ cameraCoverage { fraction } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql('{ cameraCoverage(neighbourhoodId: "99999") { fraction } }'))).toBe('NOT_FOUND');
    const bow = await app.gql('{ cameraCoverage(area: { type: "Polygon", coordinates: [[[37.78, 37.0], [37.8, 37.02], [37.8, 37.0], [37.78, 37.02], [37.78, 37.0]]] }) { fraction } }');
    expect(codeOf(bow)).toBe('BAD_USER_INPUT');
    expect(bow.errors![0].message).toMatch(/self-intersection/i);
    expect(codeOf(await app.gql('{ cameraCoverage(area: { type: "Point", coordinates: [37.8, 37.0] }) { fraction } }'))).toBe('BAD_USER_INPUT');
  });
});

describe('reads obey grants', () => {
  it('anonymous requests count the public cameras only; a reader of the cameras in an area counts only those', async () => {
    const [unit] = await app.knex('org_units').pluck('id');
    const publicIds = new Set((await app.knex('cameras').where({ is_public: true }).pluck('id')).map(Number));
    const anonymous = await app.gql('{ neighbourhoods(first: 100) { edges { node { cameraCoverage { cameras { id } } } } } }', {}, null);
    expect(anonymous.errors).toBeUndefined();
    const seen = anonymous.data.neighbourhoods.edges.flatMap((e: any) => e.node.cameraCoverage.cameras.map((c: any) => Number(c.id)));
    expect(seen.length).toBeGreaterThan(0);
    for (const id of seen) expect(publicIds.has(id)).toBe(true);

    // The cameras in the west half of the town only.
    const xs = cameras.map((c) => c.lonlat[0]).sort((a, b) => a - b);
    const mid = xs[Math.floor(xs.length / 2)];
    const areaRole = await insertRole(app.knex, [
      { resource: Resource.CAMERAS, action: Action.READ, box: [30, 30, mid, 45] },
      { resource: Resource.NEIGHBOURHOODS, action: Action.READ },
    ]);
    const west = await insertUser(app.knex, unit, 'west.cameras');
    await assignRoles(app.knex, west, areaRole);
    const q = '{ neighbourhoods(first: 100) { edges { node { id cameraCoverage { coveredSquareMeters cameras { id } } } } } }';
    const all = (await app.gql(q)).data.neighbourhoods.edges;
    const part = (await app.gql(q, {}, tokenFor(west))).data.neighbourhoods.edges;
    let fewer = false;
    part.forEach((e: any, i: number) => {
      const ids = e.node.cameraCoverage.cameras.map((c: any) => Number(c.id));
      // Its area's cameras, and the public ones every account reads as anonymous requests do.
      for (const id of ids) expect([id, cameras.find((c) => c.id === id)!.lonlat[0] <= mid || publicIds.has(id)]).toEqual([id, true]);
      expect(e.node.cameraCoverage.coveredSquareMeters).toBeLessThanOrEqual(all[i].node.cameraCoverage.coveredSquareMeters + 1e-6);
      if (e.node.cameraCoverage.coveredSquareMeters < all[i].node.cameraCoverage.coveredSquareMeters - 1) fewer = true;
    });
    expect(fewer).toBe(true);
  });
});
