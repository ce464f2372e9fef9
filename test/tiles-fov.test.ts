import { insertUserWithGrants, publicRoleId } from './helpers/access';
import { startTestApp, type TestApp } from './helpers/app';
import { distanceToPolyline, fetchTile, getTiles, inTile, ringArea, tileAt, tilePath, type DecodedLayer, type TileXYZ } from './helpers/tiles';

/**
 * The camera-fov tile layer over the Nizip sample cameras: each camera's field of view as a
 * polygon (kbs_camera_fov, the polygon GraphQL's Camera.fieldOfView gives), under the cameras'
 * grants. What a tile should hold is worked out here from the GraphQL polygons, in tile units,
 * for tiles chosen from the data: every tile over the cameras at z14, the tiles of every camera and
 * of the far end of its view at z16, and at z18 tiles a camera's view reaches into from outside.
 */
let app: TestApp;
type LonLat = [number, number];
interface Cam {
  id: number;
  at: LonLat;
  /** The field of view's exterior ring (GeoJSON, lon/lat). */
  ring: LonLat[];
  /** A point well inside the field of view, near its far edge (on the azimuth). */
  far: LonLat;
  /** What a tile carries of the camera. */
  properties: Record<string, string | number>;
}
let cams: Cam[];
const token: Record<string, string | null> = { anonymous: null };
/** The cameras each reader may read, by GraphQL. */
const readable: Record<string, Set<number>> = {};

const EXTENT = 4096;
const BUFFER = 64;
const CAMERA_FIELDS = 'id code name kind purpose status azimuth horizontalFov rangeMeters';

/** Every camera the token may read, through GraphQL, page by page. */
async function camerasOf(as: string | null, fields = 'id'): Promise<any[]> {
  const out: any[] = [];
  for (let after: string | null = null; ; ) {
    const res: any = await app.gql(`query($after: String) { cameras(first: 1000, after: $after) { edges { node { ${fields} } } pageInfo { hasNextPage endCursor } } }`, { after }, as);
    expect(res.errors).toBeUndefined();
    out.push(...res.data.cameras.edges.map((e: any) => e.node));
    if (!res.data.cameras.pageInfo.hasNextPage) return out;
    after = res.data.cameras.pageInfo.endCursor;
  }
}

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  token.admin = app.admin.token;
  const rows = await camerasOf(app.admin.token, `${CAMERA_FIELDS} geometry fieldOfView`);
  cams = rows.map((r) => {
    const ring: LonLat[] = r.fieldOfView.coordinates[0];
    const at: LonLat = r.geometry.coordinates;
    // The arc's middle vertex, at the full range on (or next to) the azimuth: the ring is the camera,
    // the arc and the camera again, or the arc alone for a full circle. 0.9 of the way there is inside the view.
    const mid = r.horizontalFov >= 360 ? ring[Math.floor((ring.length - 1) / 2)] : ring[1 + Math.floor((ring.length - 3) / 2)];
    const far: LonLat = [at[0] + 0.9 * (mid[0] - at[0]), at[1] + 0.9 * (mid[1] - at[1])];
    const { id, geometry: _g, fieldOfView: _f, ...properties } = r;
    return { id: Number(id), at, ring, far, properties };
  });
  readable.admin = new Set(cams.map((c) => c.id));

  // An area-limited reader: the cameras of the neighbourhood holding the most of them (not all).
  const [{ id: busiest }] = (
    await app.knex.raw(`SELECT n.id FROM neighbourhoods n JOIN cameras c ON ST_Intersects(n.geom, c.geom) GROUP BY n.id ORDER BY count(*) DESC, n.id LIMIT 1`)
  ).rows;
  ({ token: token.area } = await insertUserWithGrants(app.knex, app.admin.orgUnitId, 'fov-area', [{ resource: 'CAMERAS', action: 'READ', neighbourhoodIds: [busiest] }]));
  ({ token: token.networkOnly } = await insertUserWithGrants(app.knex, app.admin.orgUnitId, 'fov-network', [{ resource: 'NETWORK_LINES', action: 'READ' }]));
  for (const who of ['area', 'anonymous']) readable[who] = new Set((await camerasOf(token[who])).map((r) => Number(r.id)));
});
afterAll(() => app?.close());

/** A lon/lat ring in the tile's units (y down). */
const projected = (ring: LonLat[], t: TileXYZ): LonLat[] => ring.map(([lon, lat]) => inTile(lon, lat, t));

/** Whether segments ab and cd cross or touch. */
function segmentsMeet(a: LonLat, b: LonLat, c: LonLat, d: LonLat): boolean {
  const side = (p: LonLat, q: LonLat, r: LonLat) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  const [d1, d2, d3, d4] = [side(c, d, a), side(c, d, b), side(a, b, c), side(a, b, d)];
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  const on = (p: LonLat, q: LonLat, r: LonLat) => Math.min(p[0], q[0]) <= r[0] && r[0] <= Math.max(p[0], q[0]) && Math.min(p[1], q[1]) <= r[1] && r[1] <= Math.max(p[1], q[1]);
  return (d1 === 0 && on(c, d, a)) || (d2 === 0 && on(c, d, b)) || (d3 === 0 && on(a, b, c)) || (d4 === 0 && on(a, b, d));
}

function pointInRing([x, y]: LonLat, ring: LonLat[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a ring (tile units) meets the square from -margin to EXTENT + margin. */
function meetsSquare(ring: LonLat[], margin: number): boolean {
  const [lo, hi] = [-margin, EXTENT + margin];
  const corners: LonLat[] = [[lo, lo], [hi, lo], [hi, hi], [lo, hi]];
  if (ring.some(([x, y]) => x >= lo && x <= hi && y >= lo && y <= hi)) return true;
  if (corners.some((c) => pointInRing(c, ring))) return true;
  for (let i = 0; i < ring.length - 1; i++) for (let k = 0; k < 4; k++) if (segmentsMeet(ring[i], ring[i + 1], corners[k], corners[(k + 1) % 4])) return true;
  return false;
}

/**
 * What a tile must and may hold of these cameras: those whose view reaches at least a unit into the
 * tile must be there; those whose view stays clear of the tile and its buffer must not.
 */
function expectedIn(t: TileXYZ, among: Cam[]): { must: number[]; may: Set<number> } {
  const must: number[] = [];
  const may = new Set<number>();
  for (const c of among) {
    const ring = projected(c.ring, t);
    if (meetsSquare(ring, -1)) must.push(c.id);
    if (meetsSquare(ring, BUFFER + 1)) may.add(c.id);
  }
  return { must: must.sort((a, b) => a - b), may };
}

const idsOf = (layer: DecodedLayer | undefined) => (layer?.features ?? []).map((f) => f.id!).sort((a, b) => a - b);
const uniqueTiles = (tiles: TileXYZ[]) => [...new Map(tiles.map((t) => [tilePath('', t), t])).values()];

/** Every tile over the cameras' views at z. */
function tilesOver(z: number): TileXYZ[] {
  const points = cams.flatMap((c) => c.ring);
  const a = tileAt(Math.min(...points.map((p) => p[0])), Math.max(...points.map((p) => p[1])), z);
  const b = tileAt(Math.max(...points.map((p) => p[0])), Math.min(...points.map((p) => p[1])), z);
  const tiles: TileXYZ[] = [];
  for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++) tiles.push({ z, x, y });
  return tiles;
}

/** Tiles at z18 that a camera's view reaches into from outside the tile and its buffer, with that camera. */
function reachedInto(): { camera: Cam; tile: TileXYZ }[] {
  return cams
    .map((camera) => ({ camera, tile: tileAt(...camera.far, 18) }))
    .filter(({ camera, tile }) => {
      const [x, y] = inTile(...camera.at, tile);
      return x < -BUFFER - 2 || x > EXTENT + BUFFER + 2 || y < -BUFFER - 2 || y > EXTENT + BUFFER + 2;
    });
}

describe('camera-fov tiles', () => {
  it('hold every camera whose field of view meets the tile, as a polygon, and none whose view stays clear of the tile and its buffer (z14, z16, z18)', async () => {
    const tiles = uniqueTiles([
      ...tilesOver(14),
      ...cams.flatMap((c) => [tileAt(...c.at, 16), tileAt(...c.far, 16)]),
      ...reachedInto().map((r) => r.tile),
    ]);
    let features = 0;
    const problems: unknown[] = [];
    for (const t of tiles) {
      const layer = await fetchTile(app, 'camera-fov', t, token.admin);
      const got = idsOf(layer);
      const { must, may } = expectedIn(t, cams);
      const missing = must.filter((id) => !got.includes(id));
      const extra = got.filter((id) => !may.has(id));
      if (missing.length || extra.length) problems.push({ tile: tilePath('camera-fov', t), missing, extra });
      for (const f of layer?.features ?? []) if (f.type !== 3) problems.push({ tile: tilePath('camera-fov', t), id: f.id, type: f.type });
      features += got.length;
    }
    expect(problems).toEqual([]);
    expect(features).toBeGreaterThan(cams.length);
  });

  it("draw the polygon of GraphQL's Camera.fieldOfView, with the camera's map attributes (those of the cameras layer)", async () => {
    let checked = 0;
    for (const c of cams) {
      const t = tileAt(...c.at, 16);
      const ring = projected(c.ring, t);
      // Only views wholly inside the tile: nothing clipped.
      if (!ring.every(([x, y]) => x > 0 && x < EXTENT && y > 0 && y < EXTENT)) continue;
      const f = (await fetchTile(app, 'camera-fov', t, token.admin))?.features.find((g) => g.id === c.id);
      expect(f).toBeDefined();
      expect([c.id, f!.type, f!.geometry.length]).toEqual([c.id, 3, 1]);
      expect(f!.properties).toEqual(c.properties);
      const point = (await fetchTile(app, 'cameras', t, token.admin))?.features.find((g) => g.id === c.id);
      expect(f!.properties).toEqual(point!.properties);
      // Each vertex of the tile's ring within a unit (rounding to whole units) of the polygon's outline, and back.
      const drawn = f!.geometry[0];
      for (const v of drawn) expect([c.id, distanceToPolyline(v, ring) <= 1]).toEqual([c.id, true]);
      for (const v of ring) expect([c.id, distanceToPolyline(v, drawn) <= 1]).toEqual([c.id, true]);
      // An exterior ring is clockwise on screen (y down).
      expect(ringArea(drawn)).toBeGreaterThan(0);
      checked++;
    }
    expect(checked).toBeGreaterThan(cams.length / 2);
  });

  it('hold a camera outside the tile (and its buffer) whose view reaches in, which the cameras layer leaves out', async () => {
    const cases = reachedInto();
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const { camera, tile } of cases) {
      expect([camera.id, idsOf(await fetchTile(app, 'camera-fov', tile, token.admin)).includes(camera.id)]).toEqual([camera.id, true]);
      expect([camera.id, idsOf(await fetchTile(app, 'cameras', tile, token.admin)).includes(camera.id)]).toEqual([camera.id, false]);
    }
    // A tile is one statement (and the access check), whatever the view's reach.
    const { statements } = await app.countStatements(() => getTiles(app, tilePath('camera-fov', cases[0].tile), token.admin));
    expect(statements).toBe(1 + app.accessCheckStatements);
  });

  it('give an area-limited reader and anonymous requests the cameras GraphQL lists for them, as the cameras layer does', async () => {
    expect(readable.area.size).toBeGreaterThan(0);
    expect(readable.area.size).toBeLessThan(readable.admin.size);
    expect(readable.anonymous.size).toBeGreaterThan(0);
    expect(readable.anonymous.size).toBeLessThan(readable.admin.size);
    const tiles = uniqueTiles([...tilesOver(14), ...cams.map((c) => tileAt(...c.at, 16))]);
    for (const who of ['area', 'anonymous']) {
      const mine = (ids: number[]) => ids.filter((id) => readable[who].has(id));
      let seen = 0;
      let hidden = 0;
      for (const t of tiles) {
        const all = idsOf(await fetchTile(app, 'camera-fov', t, token.admin));
        const got = idsOf(await fetchTile(app, 'camera-fov', t, token[who]));
        expect([who, tilePath('camera-fov', t), got]).toEqual([who, tilePath('camera-fov', t), mine(all)]);
        // The reader's cameras layer: the same cameras; every one whose point is in the tile has its view there too.
        const points = await fetchTile(app, 'cameras', t, token[who]);
        expect(idsOf(points)).toEqual(mine(idsOf(await fetchTile(app, 'cameras', t, token.admin))));
        const inside = (points?.features ?? []).filter((f) => f.geometry[0].every(([x, y]) => x >= 0 && x <= EXTENT && y >= 0 && y <= EXTENT));
        for (const f of inside) expect([who, f.id, got.includes(f.id!)]).toEqual([who, f.id, true]);
        seen += got.length;
        hidden += all.length - got.length;
      }
      expect([who, seen > 0, hidden > 0]).toEqual([who, true, true]);
    }
  });

  it('are refused and narrowed as the cameras layer is (a user without a camera grant reads the public ones); empty below z14', async () => {
    const t = tileAt(...cams.find((c) => readable.anonymous.has(c.id))!.at, 16);
    for (const who of ['networkOnly', 'anonymous']) {
      const [fov, points] = await Promise.all([getTiles(app, tilePath('camera-fov', t), token[who]), getTiles(app, tilePath('cameras', t), token[who])]);
      expect([who, fov.status]).toEqual([who, points.status]);
    }
    const publicIds = idsOf(await fetchTile(app, 'camera-fov', t, null));
    expect(publicIds.length).toBeGreaterThan(0);
    expect(idsOf(await fetchTile(app, 'camera-fov', t, token.networkOnly))).toEqual(publicIds);
    const low = await getTiles(app, tilePath('camera-fov', tileAt(...cams[0].at, 13)), token.admin);
    expect([low.status, (await low.arrayBuffer()).byteLength]).toEqual([200, 0]);

    // Without the public role's grant on cameras: 401 anonymous, 403 logged in, for both layers.
    const grants = await app.knex('role_grants').where({ role_id: await publicRoleId(app.knex), resource: 'CAMERAS' });
    await app.knex('role_grants').whereIn('id', grants.map((g) => g.id)).delete();
    try {
      for (const [who, status] of [['anonymous', 401], ['networkOnly', 403]] as const) {
        for (const path of [tilePath('camera-fov', t), tilePath('cameras', t), 'camera-fov.json']) {
          expect([who, path, (await getTiles(app, path, token[who])).status]).toEqual([who, path, status]);
        }
      }
    } finally {
      await app.knex('role_grants').insert(grants);
    }
    expect((await getTiles(app, tilePath('camera-fov', t), null)).status).toBe(200);
  });
});

describe('camera-fov TileJSON', () => {
  it("lists the layer with the cameras' fields, z14-18, bounds of the readable cameras' views", async () => {
    const extent = (rings: LonLat[][]) => {
      const points = rings.flat();
      return [Math.min(...points.map((p) => p[0])), Math.min(...points.map((p) => p[1])), Math.max(...points.map((p) => p[0])), Math.max(...points.map((p) => p[1]))];
    };
    const cameras = (await (await getTiles(app, 'cameras.json', token.admin)).json()) as any;
    for (const who of ['admin', 'area']) {
      const res = await getTiles(app, 'camera-fov.json', token[who]);
      expect(res.status).toBe(200);
      const tj = (await res.json()) as any;
      expect(tj).toMatchObject({
        tilejson: '3.0.0',
        name: 'camera-fov',
        tiles: [`${app.url}/tiles/camera-fov/{z}/{x}/{y}.mvt`],
        minzoom: 14,
        maxzoom: 18,
        vector_layers: [{ id: 'camera-fov', minzoom: 14, maxzoom: 18, fields: cameras.vector_layers[0].fields }],
      });
      const expected = extent(cams.filter((c) => readable[who].has(c.id)).map((c) => c.ring));
      tj.bounds.forEach((v: number, i: number) => expect(v).toBeCloseTo(expected[i], 6));
    }
    const index = (await (await fetch(`${app.url}/`, { headers: { accept: 'application/json' } })).json()) as any;
    expect(index.tiles.map((t: { name: string }) => t.name)).toContain('camera-fov');
  });
});
