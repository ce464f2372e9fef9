import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { badInput } from '../../../common/errors/app-error';
import type { FeatureSource, ImportOptions } from '../import.types';
import { openCsv } from './csv';
import { openGeoJson, openGeoJsonSeq } from './geojson';
import { openGeoPackage } from './geopackage';
import { openKml } from './kml';
import { openZippedShapefile } from './shapefile';

/** What the first bytes of a file are, to tell a file whose name claims a format its bytes deny. */
async function head(file: string, n = 512): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw badInput(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code})`}`);
  }
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const FORMATS: Record<string, string> = {
  '.geojson': 'GeoJSON', '.json': 'GeoJSON',
  '.geojsonl': 'GeoJSONSeq', '.geojsons': 'GeoJSONSeq', '.geojsonseq': 'GeoJSONSeq', '.ndjson': 'GeoJSONSeq', '.jsonl': 'GeoJSONSeq',
  '.csv': 'CSV', '.txt': 'CSV',
  '.gpkg': 'GeoPackage',
  '.zip': 'Shapefile',
  '.kml': 'KML',
};

/**
 * Opens a file by what its name says, after checking that its first bytes agree. `geometryOptional`
 * (for a layer whose rows may take their position from elsewhere) says how rows without a geometry
 * are placed; a CSV file may then have no geometry column at all.
 */
export async function openSource(options: ImportOptions, geometryOptional?: string): Promise<FeatureSource> {
  const { file } = options;
  const ext = path.extname(file).toLowerCase();
  const format = FORMATS[ext];
  if (!format) {
    throw badInput(`${path.basename(file)}: cannot tell the format from the name; use .geojson, .geojsonl, .csv, .gpkg, .zip (a zipped Shapefile) or .kml`);
  }
  const bytes = await head(file);
  if ((await stat(file)).size === 0) throw badInput(`${path.basename(file)} is empty`);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  const deny = (what: string) => badInput(`${path.basename(file)} is not ${what}: its first bytes say otherwise`);
  switch (format) {
    case 'GeoJSON':
      if (!text.startsWith('{')) throw deny('GeoJSON (a JSON object)');
      return openGeoJson(file);
    case 'GeoJSONSeq':
      if (!text.startsWith('{') && !text.startsWith('\u001e')) throw deny('GeoJSONSeq (one JSON object a line)');
      return openGeoJsonSeq(file);
    case 'GeoPackage':
      if (!bytes.subarray(0, 16).equals(Buffer.from('SQLite format 3\u0000', 'latin1'))) throw deny('a GeoPackage (an SQLite database)');
      return openGeoPackage(file, options);
    case 'Shapefile':
      if (!bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) throw deny('a zip file');
      return openZippedShapefile(file, options);
    case 'KML':
      if (!text.startsWith('<')) throw deny('KML (XML)');
      return openKml(file);
    default:
      return openCsv(file, options, geometryOptional);
  }
}
