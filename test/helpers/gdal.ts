import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * GDAL's command-line tools (Debian's gdal-bin, installed by scripts/setup-gdal.sh), run without
 * blocking: the server under test answers in the same process. `token` goes in GDAL_HTTP_HEADERS.
 */
export async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[], token?: string): Promise<string> {
  const env = { ...process.env, GDAL_HTTP_HEADERS: token ? `Authorization: Bearer ${token}` : '' };
  try {
    const { stdout } = await run(tool, args, { env, maxBuffer: 1 << 28 });
    return stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${tool} is not installed: run scripts/setup-gdal.sh`);
    throw err;
  }
}

/** What `ogrinfo -so` says of a layer: its fields and their OGR types, feature count, geometry, FID column and CRS. */
export interface OgrLayerInfo {
  fields: Record<string, string>;
  featureCount: number;
  geometry: string;
  fidColumn?: string;
  /** The EPSG code of the layer's CRS (the last ID["EPSG",n] of its WKT), if any. */
  epsg?: number;
  /** The axis order GDAL applies to the data ("1,2" or "2,1"). */
  axisMapping?: string;
}

/** Parses the summary `ogrinfo -so -al` (or with a layer name) prints for one layer. */
export function parseOgrinfo(out: string): OgrLayerInfo {
  const fields: Record<string, string> = {};
  for (const m of out.matchAll(/^(\S[^:\n]*): (Integer64|Integer|Real|String|DateTime|Date|Time|StringList|IntegerList)(?:\(([A-Za-z]+)\))? \(/gm)) {
    fields[m[1]] = m[3] ? `${m[2]}(${m[3]})` : m[2];
  }
  const ids = [...out.matchAll(/ID\["EPSG",(\d+)\]\]\s*$/gm)];
  return {
    fields,
    featureCount: Number(/^Feature Count: (\d+)/m.exec(out)?.[1] ?? NaN),
    geometry: /^Geometry: (.+)$/m.exec(out)?.[1] ?? '',
    fidColumn: /^FID Column = (.+)$/m.exec(out)?.[1],
    epsg: ids.length ? Number(ids[ids.length - 1][1]) : undefined,
    axisMapping: /^Data axis to CRS axis mapping: (.+)$/m.exec(out)?.[1],
  };
}
