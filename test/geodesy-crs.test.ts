import seedrandom from 'seedrandom';
import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { ids, ogcGet } from './helpers/ogc';
import { direct, fromCrs, inverse, planimeter, projJson, toCrs, type LonLat, PLACES } from './helpers/references';

/**
 * Boxes, coordinate systems and their areas of use, ring order and fields of view, checked against
 * PROJ (cs2cs, projinfo) and GeographicLib (GeodSolve, Planimeter): boxes exact at 1 mm from every
 * edge in EPSG:4326 and in each TUREF TM zone, transforms within 1 mm, rings as RFC 7946 orders
 * them, fields of view within 1 mm of their range and 0.01° of their bearing.
 */
let app: TestApp;
const random = seedrandom('kbs-geodesy-crs');
const uniform = (a: number, b: number) => a + (b - a) * random();

const MM = 0.001;

interface Camera {
  id: number;
  at: LonLat;
}
const cameras: Camera[] = [];

async function insertCameras(points: LonLat[], attrs: (i: number) => Record<string, unknown> = () => ({})): Promise<number[]> {
  const rows = await app.knex('cameras').insert(
    points.map((p, i) => ({
      code: `C-${cameras.length + i}`,
      name: `camera ${cameras.length + i}`,
      kind: 'FIXED',
      purpose: 'SECURITY',
      azimuth: 0,
      horizontal_fov: 60,
      range_m: 50,
      ...attrs(i),
      geom: app.knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', p),
    })),
    ['id'],
  );
  rows.forEach((r: any, i: number) => cameras.push({ id: r.id, at: points[i] }));
  return rows.map((r: any) => r.id);
}

/** Points `dx`/`dy` inside and outside every edge and two corners of a box [minx, miny, maxx, maxy]. */
function edgePoints([minx, miny, maxx, maxy]: number[], dx: number, dy: number): [number, number][] {
  const points: [number, number][] = [];
  for (const s of [-1, 1]) {
    points.push(
      [minx - s * dx, uniform(miny, maxy)],
      [maxx + s * dx, uniform(miny, maxy)],
      [uniform(minx, maxx), miny - s * dy],
      [uniform(minx, maxx), maxy + s * dy],
      [minx - s * dx, miny - s * dy],
      [maxx + s * dx, maxy + s * dy],
    );
  }
  return points;
}

const inBox = ([x, y]: [number, number], [minx, miny, maxx, maxy]: number[]) => x >= minx && x <= maxx && y >= miny && y <= maxy;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

beforeAll(async () => {
  app = await startTestApp();
  for (const place of PLACES) {
    await insertCameras(direct(Array.from({ length: 15 }, () => [place.at, uniform(0, 360), uniform(0, 3000)] as [LonLat, number, number])).map((r) => r.at));
  }
}, 60000);
afterAll(() => app.close());

const BBOX = `query($b: BBoxInput) { cameras(spatial: { bbox: $b }, first: 1000) { totalCount edges { node { id } } } }`;
async function boxIds(b: object): Promise<number[]> {
  const res = await app.gql(BBOX, { b });
  expect(res.errors).toBeUndefined();
  expect(res.data.cameras.totalCount).toBe(res.data.cameras.edges.length);
  return sorted(res.data.cameras.edges.map((e: any) => Number(e.node.id)));
}

describe('bbox: exact at 1 mm from every edge', () => {
  it('in EPSG:4326 (GraphQL and OGC CRS84)', async () => {
    for (const place of PLACES) {
      const [sw, ne] = direct([[place.at, 225, uniform(100, 2000)], [place.at, 45, uniform(100, 2000)]]).map((r) => r.at);
      const box = [sw[0], sw[1], ne[0], ne[1]];
      // A millimetre in degrees, here: from GeodSolve's metres per degree.
      const [east, north] = inverse([[place.at, [place.at[0] + 0.001, place.at[1]]], [place.at, [place.at[0], place.at[1] + 0.001]]]);
      const perMm = { x: (0.001 * MM) / east.s12, y: (0.001 * MM) / north.s12 };
      const points = edgePoints(box, perMm.x, perMm.y);
      await insertCameras(points);
      const expected = sorted(cameras.filter((c) => inBox(c.at, box)).map((c) => c.id));
      expect(expected.length).toBeGreaterThanOrEqual(6);
      expect(await boxIds({ minx: box[0], miny: box[1], maxx: box[2], maxy: box[3] })).toEqual(expected);
      const ogc = await ogcGet(app, `/ogc/collections/cameras/items?limit=1000&bbox=${box.join(',')}`);
      expect(sorted(ids(ogc.body))).toEqual(expected);
    }
  });

  it('in each TUREF TM zone and in web Mercator, box and points placed by cs2cs (GraphQL and OGC bbox-crs)', async () => {
    for (const place of [...PLACES, { name: 'Mercator', srid: 3857, at: PLACES[0].at }]) {
      const [[cx, cy]] = toCrs(place.srid, [place.at]);
      const box = [cx - uniform(100, 2000), cy - uniform(100, 2000), cx + uniform(100, 2000), cy + uniform(100, 2000)];
      const placed = edgePoints(box, MM, MM);
      await insertCameras(fromCrs(place.srid, placed));
      const xy = toCrs(place.srid, cameras.map((c) => c.at));
      const expected = sorted(cameras.filter((_, i) => inBox(xy[i], box)).map((c) => c.id));
      expect(expected.length).toBeGreaterThan(0);
      expect(await boxIds({ minx: box[0], miny: box[1], maxx: box[2], maxy: box[3], srid: place.srid })).toEqual(expected);
      // OGC API: the TM zones are northing first, web Mercator easting first.
      const order = place.srid === 3857 ? box : [box[1], box[0], box[3], box[2]];
      const ogc = await ogcGet(app, `/ogc/collections/cameras/items?limit=1000&bbox=${order.join(',')}&bbox-crs=${encodeURIComponent(`http://www.opengis.net/def/crs/EPSG/0/${place.srid}`)}`);
      expect(ogc.status).toBe(200);
      expect(sorted(ids(ogc.body))).toEqual(expected);
    }
  });

  it('a degenerate box (a point, or a line) finds what it touches, in 4326 and in TM39', async () => {
    const [parcel] = await app.knex('parcels').insert(
      { province: 'Gaziantep', district: 'Nizip', mahalle: 'Kutu', ada: 1, parsel: 1, geom: app.knex.raw("'SRID=4326;MULTIPOLYGON(((37.80 37.02, 37.80 37.021, 37.801 37.021, 37.801 37.02, 37.80 37.02)))'::geometry") },
      ['id'],
    );
    const q = `query($b: BBoxInput) { parcels(spatial: { bbox: $b }) { edges { node { id } } } }`;
    const [[x, y]] = toCrs(5257, [[37.8005, 37.0205]]);
    for (const b of [
      { minx: 37.8005, miny: 37.0205, maxx: 37.8005, maxy: 37.0205 },
      { minx: 37.8005, miny: 37.0, maxx: 37.8005, maxy: 37.03 },
      { minx: x, miny: y, maxx: x, maxy: y, srid: 5257 },
      { minx: x - 500, miny: y, maxx: x + 500, maxy: y, srid: 5257 },
    ]) {
      const res = await app.gql(q, { b });
      expect(res.errors).toBeUndefined();
      expect(res.data.parcels.edges.map((e: any) => Number(e.node.id))).toEqual([parcel.id]);
    }
    const far = await app.gql(q, { b: { minx: 37.81, miny: 37.0205, maxx: 37.81, maxy: 37.0205 } });
    expect(far.data.parcels.edges).toEqual([]);
  });
});

/** PROJ's area of use of a CRS, widened by the API's margin (1°). */
function domainOf(srid: number): [number, number, number, number] {
  const json = projJson(srid);
  const b = json.bbox ?? json.usages[0].bbox;
  return [b.west_longitude - 1, b.south_latitude - 1, b.east_longitude + 1, Math.min(90, b.north_latitude + 1)];
}

describe("areas of use: clipped to, or refused naming them; never a silent empty answer", () => {
  it('a box far larger than a CRS can represent is clipped to its area of use', async () => {
    const tm39 = domainOf(5257);
    const inTm39 = sorted(cameras.filter((c) => inBox(c.at, tm39)).map((c) => c.id));
    expect(inTm39.length).toBeGreaterThan(0);
    expect(inTm39.length).toBeLessThan(cameras.length);
    expect(await boxIds({ minx: -1e7, miny: -1e7, maxx: 1e7, maxy: 2e7, srid: 5257 })).toEqual(inTm39);
    const ogc = await ogcGet(app, `/ogc/collections/cameras/items?limit=1000&bbox=-1e7,-1e7,2e7,1e7&bbox-crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/5257')}`);
    expect(sorted(ids(ogc.body))).toEqual(inTm39);
    expect(ogc.body.numberMatched).toBe(inTm39.length);
    const polygon = { type: 'Polygon', coordinates: [[[-1e7, -1e7], [1e7, -1e7], [1e7, 2e7], [-1e7, 2e7], [-1e7, -1e7]]] };
    const res = await app.gql(`query($s: SpatialFilter) { cameras(spatial: $s, first: 1000) { edges { node { id } } } }`, {
      s: { intersects: { geometry: polygon, srid: 5257 } },
    });
    expect(sorted(res.data.cameras.edges.map((e: any) => Number(e.node.id)))).toEqual(inTm39);
    // Web Mercator covers every camera here; a box of ±1e300 is the whole of it.
    expect(await boxIds({ minx: -1e300, miny: -1e300, maxx: 1e300, maxy: 1e300, srid: 3857 })).toEqual(sorted(cameras.map((c) => c.id)));
  });

  it('refuses what a CRS cannot represent, naming its area of use', async () => {
    const q = `query($n: NearestInput, $b: BBoxInput) { cameras(nearest: $n, spatial: { bbox: $b }) { totalCount } }`;
    const refused = async (vars: Record<string, unknown>, message: RegExp) => {
      const res = await app.gql(q, vars);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(message);
    };
    const tm39 = /outside the area of use of EPSG:5257 \(TUREF \/ TM39: 37\.5°E to 40\.5°E, 36\.66°N to 41\.19°N\)/;
    await refused({ n: { x: 0, y: -1e300, srid: 5257 } }, tm39);
    await refused({ n: { x: 0, y: 1e300, srid: 3857 } }, /EPSG:3857 \(WGS 84 \/ Pseudo-Mercator: 180°W to 180°E, 85\.06°S to 85\.06°N\)/);
    await refused({ n: { x: 1, y: 2, srid: 4978 } }, /EPSG:4978 is geocentric/);
    await refused({ b: { minx: 0, miny: 0, maxx: 1000, maxy: 1000, srid: 5257 } }, /the box lies outside the area of use of EPSG:5257/);
    // A degree beyond the area of use is the margin: 0.95° west of TM39's edge is taken, 1.05° is not.
    const [inside, outside] = toCrs(5257, [[36.55, 38], [36.45, 38]]);
    expect((await app.gql(q, { n: { x: inside[0], y: inside[1], srid: 5257 } })).errors).toBeUndefined();
    await refused({ n: { x: outside[0], y: outside[1], srid: 5257 } }, tm39);
    const geocentric = await app.gql(`{ cameras(first: 1) { edges { node { geometry(srid: 4978) } } } }`);
    expect(codeOf(geocentric)).toBe('BAD_USER_INPUT');
  });

  it('stores no geometry but the one given: an edit reaching beyond the area of use is refused, not cut', async () => {
    const [[x, y]] = toCrs(5257, [[37.79, 37.01]]);
    const square = (half: number) => ({
      type: 'Polygon',
      coordinates: [[[x - half, y - half], [x + half, y - half], [x + half, y + half], [x - half, y + half], [x - half, y - half]]],
    });
    const create = `mutation($g: GeoJSON!) { createNeighbourhood(input: { code: "SINIR", name: "Sınır", district: "Nizip", province: "Gaziantep", geometry: $g, srid: 5257 }) { id } }`;
    const refused = await app.gql(create, { g: square(2e6) });
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0].message).toMatch(/input\.geometry: part of the geometry lies outside the area of use of EPSG:5257/);
    const created = await app.gql(create, { g: square(500) });
    expect(created.errors).toBeUndefined();
  });
});

describe('transforms agree with cs2cs within 1 mm', () => {
  it('geometry(srid) in each TM zone, web Mercator, UTM 37N, ED50', async () => {
    for (const place of PLACES) {
      const mine = cameras.filter((c) => Math.abs(c.at[0] - place.at[0]) < 0.2 && Math.abs(c.at[1] - place.at[1]) < 0.2).slice(0, 20);
      const srids = place.name === 'Nizip' ? [place.srid, 3857, 32637, 23037, 2323] : [place.srid, 3857];
      for (const srid of srids) {
        const res = await app.gql(`{ cameras(first: 1000) { edges { node { id g: geometry(srid: ${srid}) } } } }`);
        expect(res.errors).toBeUndefined();
        const byId = new Map(res.data.cameras.edges.map((e: any) => [Number(e.node.id), e.node.g.coordinates]));
        const ref = toCrs(srid, mine.map((c) => c.at));
        mine.forEach((c, i) => {
          const [x, y] = byId.get(c.id) as [number, number];
          expect(Math.hypot(x - ref[i][0], y - ref[i][1])).toBeLessThanOrEqual(MM);
        });
      }
    }
  });
});

/** Signed Planimeter areas of every ring of a GeoJSON polygon or multipolygon (lon/lat). */
function ringAreas(geometry: any): number[][] {
  const polygons: LonLat[][][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const areas = planimeter(polygons.flat()).map((r) => r.area);
  let k = 0;
  return polygons.map((rings) => areas.slice(k, (k += rings.length)));
}
/** Outer rings counterclockwise (positive area), holes clockwise (negative). */
function expectRfc7946(geometry: any) {
  for (const [outer, ...holes] of ringAreas(geometry)) {
    expect(outer).toBeGreaterThan(0);
    for (const hole of holes) expect(hole).toBeLessThan(0);
  }
}
const mapRings = (geometry: any, f: (ring: [number, number][]) => [number, number][]) => ({
  ...geometry,
  coordinates: geometry.type === 'Polygon' ? geometry.coordinates.map(f) : geometry.coordinates.map((p: any) => p.map(f)),
});
const swap = (ring: [number, number][]) => ring.map(([a, b]) => [b, a] as [number, number]);

describe('RFC 7946 ring order in every GeoJSON output, stored data unchanged', () => {
  it('geometry, geometry(srid), featureCollection, OGC items in three CRSs, neighbourhoods', async () => {
    const cw = 'MULTIPOLYGON(((37.80 37.03, 37.80 37.031, 37.801 37.031, 37.801 37.03, 37.80 37.03)),((37.81 37.03, 37.81 37.032, 37.812 37.032, 37.812 37.03, 37.81 37.03),(37.8105 37.0305, 37.8115 37.0305, 37.8115 37.0315, 37.8105 37.0315, 37.8105 37.0305)))';
    const [parcel] = await app.knex('parcels').insert(
      { province: 'Gaziantep', district: 'Nizip', mahalle: 'Halka', ada: 1, parsel: 1, geom: app.knex.raw('ST_GeomFromText(?, 4326)', [cw]) },
      ['id'],
    );
    await app.knex('neighbourhoods').insert({ code: 'H-1', name: 'Halka', district: 'Nizip', province: 'Gaziantep', geom: app.knex.raw('ST_GeomFromText(?, 4326)', [cw]) });
    expect(ringAreas((await app.knex.raw('SELECT ST_AsGeoJSON(geom)::json AS g FROM parcels WHERE id = ?', [parcel.id])).rows[0].g).flat().every((a) => a < 0 || a > 0)).toBe(true);

    const res = await app.gql(`query($id: ID!) {
      parcel(id: $id) { geometry tm: geometry(srid: 5257) }
      parcels(filter: { mahalle: "Halka" }) { featureCollection tm: featureCollection(srid: 5257) }
      neighbourhoods(filter: { name: "Halka" }) { edges { node { geometry } } featureCollection } }`, { id: String(parcel.id) });
    expect(res.errors).toBeUndefined();
    const lonLat = [res.data.parcel.geometry, res.data.parcels.featureCollection.features[0].geometry, res.data.neighbourhoods.edges[0].node.geometry];
    const tm = [res.data.parcel.tm, res.data.parcels.tm.features[0].geometry];
    for (const [crs, axes] of [['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'lonlat'], ['http://www.opengis.net/def/crs/EPSG/0/4326', 'latlon'], ['http://www.opengis.net/def/crs/EPSG/0/5257', 'ne']]) {
      const ogc = await ogcGet(app, `/ogc/collections/parcels/items/${parcel.id}?crs=${encodeURIComponent(crs)}`);
      if (axes === 'lonlat') lonLat.push(ogc.body.geometry);
      if (axes === 'latlon') lonLat.push(mapRings(ogc.body.geometry, swap));
      if (axes === 'ne') tm.push(mapRings(ogc.body.geometry, swap));
    }
    for (const g of lonLat) expectRfc7946(g);
    for (const g of tm) expectRfc7946(mapRings(g, (ring) => fromCrs(5257, ring)));
    // The stored rings are as they were: clockwise outside, counterclockwise holes.
    const stored = await app.knex.raw('SELECT ST_OrderingEquals(geom, ST_GeomFromText(?, 4326)) AS same FROM parcels WHERE id = ?', [cw, parcel.id]);
    expect(stored.rows[0].same).toBe(true);
  });
});

describe('fields of view on the ellipsoid: range within 1 mm, bisector within 0.01°, counterclockwise', () => {
  it('sectors and full circles, in 4326 and in TM39', async () => {
    const specs = [360, 360, 45, 7.5, 90, 120, 359, 60].map((fov) => ({ fov, azimuth: Math.floor(uniform(0, 360)), range: uniform(10, 400) }));
    const at = direct(specs.map(() => [PLACES[0].at, uniform(0, 360), uniform(0, 2000)] as [LonLat, number, number])).map((r) => r.at);
    const made = await insertCameras(at, (i) => ({ horizontal_fov: specs[i].fov, azimuth: specs[i].azimuth, range_m: specs[i].range }));
    const res = await app.gql(`{ cameras(first: 1000) { edges { node { id fieldOfView tm: fieldOfView(srid: 5257) } } } }`);
    const byId = new Map(res.data.cameras.edges.map((e: any) => [Number(e.node.id), e.node]));
    for (const [i, id] of made.entries()) {
      const node: any = byId.get(id);
      const { fov, azimuth, range } = specs[i];
      for (const ring of [node.fieldOfView.coordinates[0], fromCrs(5257, node.tm.coordinates[0])] as LonLat[][]) {
        expect(planimeter([ring])[0].area).toBeGreaterThan(0);
        const arc = fov >= 360 ? ring : ring.slice(1, -1);
        if (fov < 360) {
          // The apex is the camera.
          expect(inverse([[ring[0], at[i]]])[0].s12).toBeLessThanOrEqual(MM);
          expect(ring[ring.length - 1]).toEqual(ring[0]);
        }
        const measured = inverse(arc.map((v) => [at[i], v]));
        for (const m of measured) expect(Math.abs(m.s12 - range)).toBeLessThanOrEqual(MM);
        if (fov < 360) {
          // Counterclockwise: the arc runs from azimuth + fov/2 back to azimuth - fov/2.
          const first = measured[0].azi1;
          const last = measured[measured.length - 1].azi1;
          const width = (((first - last) % 360) + 360) % 360;
          const bisector = last + width / 2;
          expect(Math.abs(width - fov)).toBeLessThanOrEqual(0.01);
          expect(Math.abs(((((bisector - azimuth) % 360) + 540) % 360) - 180)).toBeLessThanOrEqual(0.01);
        }
      }
    }
  });
});
