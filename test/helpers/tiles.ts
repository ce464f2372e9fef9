import type { TestApp } from './app';

export interface TileXYZ {
  z: number;
  x: number;
  y: number;
}

export interface DecodedFeature {
  id: number | undefined;
  /** 1 point, 2 line, 3 polygon. */
  type: number;
  properties: Record<string, string | number | boolean>;
  /** Rings (or parts) of [x, y] in tile units, y down; polygon rings closed. */
  geometry: [number, number][][];
  /** The feature as GeoJSON in lon/lat, decoded by @mapbox/vector-tile. */
  geojson: { type: string; coordinates: unknown };
}

export interface DecodedLayer {
  version: number;
  extent: number;
  features: DecodedFeature[];
}

/** Decodes a Mapbox Vector Tile with @mapbox/vector-tile (an ES module, hence the import()). */
export async function decodeTile(bytes: Uint8Array, tile: TileXYZ): Promise<Record<string, DecodedLayer>> {
  const { VectorTile } = await import('@mapbox/vector-tile');
  const { PbfReader } = await import('pbf');
  const decoded = new VectorTile(new PbfReader(bytes));
  const layers: Record<string, DecodedLayer> = {};
  for (const [name, layer] of Object.entries(decoded.layers)) {
    const features: DecodedFeature[] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      features.push({
        id: f.id,
        type: f.type,
        properties: f.properties,
        geometry: f.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y] as [number, number])),
        geojson: f.toGeoJSON(tile.x, tile.y, tile.z).geometry as DecodedFeature['geojson'],
      });
    }
    layers[name] = { version: layer.version, extent: layer.extent, features };
  }
  return layers;
}

/** Web Mercator position of a lon/lat in tiles at zoom z (fractional). */
function worldTiles(lon: number, lat: number, z: number): [number, number] {
  const phi = (lat * Math.PI) / 180;
  const n = 2 ** z;
  return [((lon + 180) / 360) * n, ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * n];
}

/** The XYZ tile holding a lon/lat at zoom z. */
export function tileAt(lon: number, lat: number, z: number): TileXYZ {
  const [x, y] = worldTiles(lon, lat, z);
  return { z, x: Math.floor(x), y: Math.floor(y) };
}

/** Where a lon/lat falls in a tile, in tile units (0..extent, y down), unrounded. */
export function inTile(lon: number, lat: number, tile: TileXYZ, extent = 4096): [number, number] {
  const [x, y] = worldTiles(lon, lat, tile.z);
  return [(x - tile.x) * extent, (y - tile.y) * extent];
}

/** GET a tile (or any path under /tiles) as `token` (none: anonymous), with extra headers. */
export function getTiles(app: TestApp, path: string, token?: string | null, headers: Record<string, string> = {}): Promise<Response> {
  const h: Record<string, string> = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  return fetch(`${app.url}/tiles/${path}`, { headers: h });
}

export const tilePath = (layer: string, t: TileXYZ) => `${layer}/${t.z}/${t.x}/${t.y}.mvt`;

/** GET and decode a tile; fails on anything but a 200. */
export async function fetchTile(app: TestApp, layer: string, t: TileXYZ, token?: string | null): Promise<DecodedLayer | undefined> {
  const res = await getTiles(app, tilePath(layer, t), token);
  if (res.status !== 200) throw new Error(`GET ${tilePath(layer, t)}: ${res.status} ${await res.text()}`);
  expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
  const layers = await decodeTile(new Uint8Array(await res.arrayBuffer()), t);
  expect(Object.keys(layers).every((name) => name === layer)).toBe(true);
  return layers[layer];
}

/** Shoelace area in tile units; positive for a ring clockwise on screen (y down). */
export function ringArea(ring: [number, number][]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum / 2;
}

/** The distance from a point to a polyline, in the units of its coordinates. */
export function distanceToPolyline(p: [number, number], line: [number, number][]): number {
  let best = Infinity;
  for (let i = 0; i < line.length - 1; i++) {
    const [a, b] = [line[i], line[i + 1]];
    const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    const len = dx * dx + dy * dy;
    const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len));
    best = Math.min(best, Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy)));
  }
  return best;
}
