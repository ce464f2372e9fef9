import type { Access } from '../src/common/auth/access';
import { authService } from '../src/modules/users';
import { TILE_LAYERS, type TileLayer } from '../src/tiles/tile.layers';
import { TileService } from '../src/tiles/tile.service';
import { embedded, startTestApp, TEST_AUTH, type TestApp } from './helpers/app';
import { decodeTile, tileAt, type DecodedFeature, type DecodedLayer, type TileXYZ } from './helpers/tiles';

/**
 * The embedded database's PostGIS has no protobuf-c: there the geometry goes through the same
 * steps as ST_AsMVTGeom in SQL and the tile is encoded in JavaScript. On the server both ways
 * run on the same data, so here the JavaScript tiles must decode to what ST_AsMVT built: the same
 * features, ids, attributes and geometry, over the whole Nizip sample at z12, z14 and z17.
 */
let app: TestApp;
let access: Access;

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  access = await authService.authenticate(app.knex, TEST_AUTH, `Bearer ${app.admin.token}`);
});
afterAll(() => app.close());

/** A ring without its closing vertex and without vertices on a straight line between their neighbours. */
function essential(ring: [number, number][]): [number, number][] {
  let points = ring.slice(0, -1);
  for (let changed = true; changed && points.length > 3; ) {
    changed = false;
    for (let i = 0; i < points.length; i++) {
      const [a, b, c] = [points[(i + points.length - 1) % points.length], points[i], points[(i + 1) % points.length]];
      if ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) === 0) {
        points = points.filter((_, j) => j !== i);
        changed = true;
        break;
      }
    }
  }
  return points;
}

/** The same ring, in the same direction, from any starting vertex. */
function sameRing(r: [number, number][], s: [number, number][]): boolean {
  if (r.length !== s.length) return false;
  for (let shift = 0; shift < s.length; shift++) {
    if (r.every((p, i) => p[0] === s[(i + shift) % s.length][0] && p[1] === s[(i + shift) % s.length][1])) return true;
  }
  return false;
}

function samePolygonRings(a: [number, number][][], b: [number, number][][]): boolean {
  const left = a.map(essential);
  const right = b.map(essential);
  if (left.length !== right.length) return false;
  const used = new Set<number>();
  return left.every((ring) => {
    const match = right.findIndex((other, j) => !used.has(j) && sameRing(ring, other));
    if (match < 0) return false;
    used.add(match);
    return true;
  });
}

const sorted = (o: object) => JSON.stringify(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

interface Mismatch {
  where: string;
  id: number | undefined;
  what: string;
}

/** Differences between the ST_AsMVT tile and the JavaScript one (empty: they agree). */
function compare(where: string, postgis: DecodedLayer | undefined, js: DecodedLayer | undefined): Mismatch[] {
  const out: Mismatch[] = [];
  if (postgis && js) {
    if (postgis.extent !== js.extent || postgis.version !== js.version) out.push({ where, id: undefined, what: 'layer extent or version' });
  }
  const theirs = new Map((js?.features ?? []).map((f) => [f.id, f]));
  const ours = new Map((postgis?.features ?? []).map((f) => [f.id, f]));
  for (const id of theirs.keys()) if (!ours.has(id)) out.push({ where, id, what: 'only in the JavaScript tile' });
  for (const [id, f] of ours) {
    const g: DecodedFeature | undefined = theirs.get(id);
    if (!g) out.push({ where, id, what: 'only in the ST_AsMVT tile' });
    else if (g.type !== f.type) out.push({ where, id, what: `type ${f.type} / ${g.type}` });
    else if (sorted(g.properties) !== sorted(f.properties)) out.push({ where, id, what: 'properties' });
    else if (f.type === 3 ? !samePolygonRings(f.geometry, g.geometry) : JSON.stringify(f.geometry) !== JSON.stringify(g.geometry)) {
      out.push({ where, id, what: `geometry ${JSON.stringify(f.geometry)} / ${JSON.stringify(g.geometry)}` });
    }
  }
  const order = (l?: DecodedLayer) => (l?.features ?? []).map((f) => f.id).filter((id) => ours.has(id) && theirs.has(id));
  if (JSON.stringify(order(postgis)) !== JSON.stringify(order(js))) out.push({ where, id: undefined, what: 'feature order' });
  return out;
}

/** Every tile over the layer's features at z (capped), and at z17 the tiles of a sample of features. */
async function tilesOf(layer: TileLayer, z: number): Promise<TileXYZ[]> {
  const table = layer.definition(app.knex).table;
  if (z < 17) {
    const box = await app.knex(table).first(app.knex.raw('ST_XMin(ST_Extent(geom)) AS x0, ST_YMin(ST_Extent(geom)) AS y0, ST_XMax(ST_Extent(geom)) AS x1, ST_YMax(ST_Extent(geom)) AS y1'));
    const [a, b] = [tileAt(box.x0, box.y1, z), tileAt(box.x1, box.y0, z)];
    const tiles: TileXYZ[] = [];
    for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++) tiles.push({ z, x, y });
    return tiles;
  }
  const points = await app.knex(table).select(app.knex.raw('ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y')).whereRaw('id % 17 = 0').orderBy('id').limit(40);
  // A vertex's tile too, where outlines cross tile edges.
  const vertices = await app.knex(table).select(app.knex.raw('ST_X(ST_StartPoint(ST_ExteriorRing(ST_GeometryN(geom, 1)))) AS x, ST_Y(ST_StartPoint(ST_ExteriorRing(ST_GeometryN(geom, 1)))) AS y')).whereRaw("id % 23 = 0 AND GeometryType(geom) = 'MULTIPOLYGON'").limit(20);
  const keys = new Set([...points, ...vertices].map((p: { x: number; y: number }) => JSON.stringify(tileAt(p.x, p.y, z))));
  return [...keys].map((k) => JSON.parse(k));
}

describe('tiles built in JavaScript (the embedded database) and by ST_AsMVT', () => {
  it('detects once whether PostGIS can build tiles here', async () => {
    const service = new TileService(app.knex);
    expect(await service.encoding()).toBe(embedded() ? 'js' : 'postgis');
    const { statements } = await app.countStatements(() => service.encoding());
    expect(statements).toBe(0);
  });

  it('builds a tile in JavaScript from the ST_AsMVTGeom steps that decodes to the features', async () => {
    const cameras = TILE_LAYERS.find((l) => l.name === 'cameras')!;
    const camera = await app.knex('cameras').first(app.knex.raw('ST_X(geom) AS x, ST_Y(geom) AS y'));
    const tile = tileAt(camera.x, camera.y, 14);
    const js = await new TileService(app.knex, { encoding: 'js' }).tile(access, cameras, tile);
    const layer = (await decodeTile(js, tile)).cameras;
    expect(layer.features.length).toBeGreaterThan(0);
    expect(layer.features[0]).toMatchObject({ id: expect.any(Number), type: 1, properties: { code: expect.stringMatching(/^KAM-/) } });
  });

  it('decodes to the same features, ids, attributes and geometry as ST_AsMVT, for every layer at z12, z14 and z17', async () => {
    if (embedded()) {
      // Only the server has both ways; the embedded database's PostGIS refuses ST_AsMVT itself,
      // which is why its tiles are encoded in JavaScript.
      await expect(app.knex.raw(`SELECT ST_AsMVT(t) FROM (SELECT 1 AS id, ST_Point(0, 0) AS geom) t`)).rejects.toThrow(/protobuf/);
      return;
    }
    const postgis = new TileService(app.knex, { encoding: 'postgis' });
    const js = new TileService(app.knex, { encoding: 'js' });
    const mismatches: Mismatch[] = [];
    let features = 0;
    for (const layer of TILE_LAYERS) {
      for (const z of [12, 14, 17]) {
        if (z < layer.minzoom) continue;
        const tiles = await tilesOf(layer, z);
        for (const t of tiles) {
          const a = (await decodeTile(await postgis.tile(access, layer, t), t))[layer.name];
          const b = (await decodeTile(await js.tile(access, layer, t), t))[layer.name];
          features += a?.features.length ?? 0;
          mismatches.push(...compare(`${layer.name}/${t.z}/${t.x}/${t.y}`, a, b));
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(features).toBeGreaterThan(10000);
  });
});
