import type { Geometry, Position } from 'geojson';
import { EXTENT } from './mvt-geometry';
import type { TileFeatureRow } from './tile.repository';

/** A feature as @maplibre/vt-pbf takes it (geojson-vt's tile format): 1 point, 2 line, 3 polygon. */
interface VtFeature {
  id: number;
  type: 1 | 2 | 3;
  geometry: Position[] | Position[][];
  tags: Record<string, string | number | boolean>;
}

// An ES module: loaded on the first tile built in JavaScript, and only then.
const loadVtPbf = () => import('@maplibre/vt-pbf');
let vtPbf: ReturnType<typeof loadVtPbf> | undefined;

/** The geometry of a feature in vt-pbf's terms; null for what a tile cannot hold. */
function vtGeometry(g: Geometry): Pick<VtFeature, 'type' | 'geometry'> | null {
  switch (g.type) {
    case 'Point':
      return { type: 1, geometry: [g.coordinates] };
    case 'MultiPoint':
      return { type: 1, geometry: g.coordinates };
    case 'LineString':
      return { type: 2, geometry: [g.coordinates] };
    case 'MultiLineString':
      return { type: 2, geometry: g.coordinates };
    case 'Polygon':
      return { type: 3, geometry: g.coordinates };
    case 'MultiPolygon':
      return { type: 3, geometry: g.coordinates.flat() };
    default:
      return null;
  }
}

/**
 * Encodes one MVT layer from features whose geometry is already in tile coordinates (whole units,
 * rings oriented): what ST_AsMVT does on a PostGIS built with protobuf-c. As there, null
 * attributes are left out, and a tile without features is empty (no bytes).
 */
export async function encodeTile(layerName: string, rows: TileFeatureRow[], attributes: string[]): Promise<Uint8Array> {
  const features: VtFeature[] = [];
  for (const row of rows) {
    const geometry = vtGeometry(row.geometry);
    if (!geometry) continue;
    const tags: VtFeature['tags'] = {};
    for (const name of attributes) {
      const value = row[name];
      if (value !== null && value !== undefined) tags[name] = value as string | number | boolean;
    }
    features.push({ id: row.id, ...geometry, tags });
  }
  if (features.length === 0) return new Uint8Array(0);
  const { fromGeojsonVt } = await (vtPbf ??= loadVtPbf());
  return fromGeojsonVt({ [layerName]: { features } }, { version: 2, extent: EXTENT });
}
