import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { runCli } from '../../src/modules/imports';
import { gdal } from './gdal';

const run = promisify(execFile);

/** The CLI's main, run in this process on the test schema's connection: exit code, stdout, stderr. */
export async function importCli(db: Knex, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { db, stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

/** A folder for a test file's fixtures, removed by the returned function. */
export async function fixtureDir(): Promise<{ dir: string; file: (name: string) => string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kbs-import-test-'));
  return { dir, file: (name) => path.join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface Feature {
  properties: Record<string, unknown>;
  geometry: unknown;
}

/** Writes a GeoJSON FeatureCollection in EPSG:4326 (RFC 7946), the source every other fixture is converted from by GDAL. */
export async function writeGeoJson(file: string, features: Feature[], crs?: string): Promise<string> {
  const fc: Record<string, unknown> = { type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', ...f })) };
  if (crs) fc.crs = { type: 'name', properties: { name: crs } };
  await writeFile(file, JSON.stringify(fc));
  return file;
}

/** ogr2ogr: converts `source` to `target` (format from its name), with extra options (-t_srs, -lco ENCODING=…). */
export async function ogr2ogr(target: string, source: string, ...options: string[]): Promise<string> {
  await gdal('ogr2ogr', [...options, target, source]);
  return target;
}

/** A zip of some files, by Debian's python3 zipfile (the test's own zip, with whatever parts it wants). */
export async function zipFiles(target: string, files: Record<string, string>): Promise<string> {
  const script = 'import sys, zipfile, json\nz = zipfile.ZipFile(sys.argv[1], "w")\nfor name, path in json.loads(sys.argv[2]).items(): z.write(path, name)\nz.close()';
  await run('/usr/bin/python3', ['-c', script, target, JSON.stringify(files)]);
  return target;
}

/** A square parcel of `size` degrees with its south-west corner at lon/lat. */
export function square(lon: number, lat: number, size = 0.0002): unknown {
  return { type: 'Polygon', coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]] };
}
