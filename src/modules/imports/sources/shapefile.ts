import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as shapefile from 'shapefile';
import yauzl from 'yauzl';
import { badInput } from '../../../common/errors/app-error';
import type { FeatureSource, ImportOptions } from '../import.types';
import { encodingLabel } from './encoding';

const SIDECARS = ['.shp', '.dbf', '.prj', '.cpg', '.shx'];

/** Extracts the parts of one Shapefile from a zip (yauzl) into `dir`; returns their paths by extension. */
async function extract(file: string, dir: string, wanted: string | undefined): Promise<Record<string, string>> {
  const name = path.basename(file);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(badInput(`${name} is not a zip file that can be read (${err.message})`)) : resolve(z!))),
  );
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      if (!/(^|\/)__MACOSX\//.test(e.fileName) && !e.fileName.endsWith('/')) entries.push(e);
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', (err: Error) => reject(badInput(`${name} is not a zip file that can be read (${err.message})`)));
    zip.readEntry();
  });
  try {
    return await extractParts(zip, entries, dir, name, wanted);
  } finally {
    zip.close();
  }
}

async function extractParts(zip: yauzl.ZipFile, entries: yauzl.Entry[], dir: string, name: string, wanted: string | undefined): Promise<Record<string, string>> {
  const stem = (e: yauzl.Entry) => e.fileName.replace(/\.[^./]+$/, '');
  const shps = entries.filter((e) => e.fileName.toLowerCase().endsWith('.shp'));
  if (shps.length === 0) throw badInput(`${name} holds no Shapefile (.shp)`);
  const shp = wanted ? shps.find((e) => path.basename(stem(e)) === wanted) : shps.length === 1 ? shps[0] : undefined;
  if (!shp) throw badInput(`${name} holds ${wanted ? `no Shapefile ${wanted}` : 'several Shapefiles'}: name one with --table (${shps.map((e) => path.basename(stem(e))).join(', ')})`);
  const paths: Record<string, string> = {};
  for (const e of entries) {
    const ext = path.extname(e.fileName).toLowerCase();
    if (stem(e) !== stem(shp) || !SIDECARS.includes(ext)) continue;
    const target = path.join(dir, `layer${ext}`);
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(e, (err, s) => (err ? reject(badInput(`${name}: ${e.fileName} cannot be read (${err.message})`)) : resolve(s!))));
    await pipeline(stream, createWriteStream(target));
    paths[ext] = target;
  }
  if (!paths['.dbf']) throw badInput(`${name} holds ${path.basename(shp.fileName)} without its .dbf (the attributes): zip the .shp, .shx, .dbf, .prj and .cpg together`);
  return paths;
}

/**
 * A zipped Shapefile: .shp and .dbf read by the `shapefile` package; the CRS from .prj; the DBF's
 * text encoding from --encoding, else .cpg, else UTF-8 when its bytes are valid UTF-8 and
 * Windows Turkish (cp1254) otherwise, which the report says.
 */
export async function openZippedShapefile(file: string, options: ImportOptions): Promise<FeatureSource> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kbs-import-'));
  try {
    const paths = await extract(file, dir, options.table);
    const notes: string[] = [];
    let encoding: string;
    const dbf = await readFile(paths['.dbf']);
    if (options.encoding) encoding = encodingLabel(options.encoding, '--encoding');
    else if (paths['.cpg']) encoding = encodingLabel(await readFile(paths['.cpg'], 'latin1'), 'the .cpg');
    else {
      const headerBytes = dbf.readUInt16LE(8);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(dbf.subarray(headerBytes));
        encoding = 'utf-8';
      } catch {
        encoding = 'windows-1254';
      }
      notes.push(`no .cpg: the DBF was read as ${encoding} (its bytes ${encoding === 'utf-8' ? 'are' : 'are not'} valid UTF-8); give --encoding to choose`);
    }
    const total = dbf.length >= 8 ? dbf.readUInt32LE(4) : 0;
    let source: Awaited<ReturnType<typeof shapefile.open>>;
    try {
      source = await shapefile.open(paths['.shp'], paths['.dbf'], { encoding });
    } catch (err) {
      throw badInput(`${path.basename(file)}: the Shapefile cannot be read (${(err as Error).message})`);
    }
    const prj = paths['.prj'] ? await readFile(paths['.prj'], 'utf8') : undefined;
    let read = 0;
    return {
      format: 'Shapefile',
      crs: prj ? { wkt: prj, from: 'the .prj' } : null,
      encoding,
      notes,
      async *features() {
        for (;;) {
          let next;
          try {
            next = await source.read();
          } catch (err) {
            throw badInput(`${path.basename(file)}: the Shapefile cannot be read past record ${read} (${(err as Error).message})`);
          }
          if (next.done) return;
          read++;
          yield { row: read, properties: (next.value.properties ?? {}) as Record<string, unknown>, geometry: next.value.geometry ? { geojson: next.value.geometry } : null };
        }
      },
      progress: () => (total ? read / total : undefined),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
