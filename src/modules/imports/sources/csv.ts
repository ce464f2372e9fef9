import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { badInput } from '../../../common/errors/app-error';
import { foldName, parseNumber } from '../field-mapping';
import type { FeatureSource, ImportOptions, SourceFeature } from '../import.types';
import { encodingLabel } from './encoding';

const WKT_NAMES = ['wkt', 'geometry', 'geom', 'thegeom', 'geometri', 'shape'];
const X_NAMES = ['x', 'lon', 'lng', 'long', 'longitude', 'boylam', 'easting', 'saga', 'sag'];
const Y_NAMES = ['y', 'lat', 'latitude', 'enlem', 'northing', 'yukari', 'yukarı'];

/** Decodes bytes of a single-byte encoding (cp1254, ISO-8859-9) to UTF-8 text as they stream. */
function decoder(label: string): Transform {
  const d = new TextDecoder(label);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, d.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, d.decode());
    },
  });
}

/**
 * A CSV file (UTF-8 with or without BOM, or --encoding), its separator the first line's most
 * frequent of ";", "," and tab; geometry from a WKT column, or from x and y columns (decimal commas
 * allowed), named with --wkt / --x --y or found by name.
 */
export async function openCsv(file: string, options: ImportOptions, geometryOptional?: string): Promise<FeatureSource> {
  const name = path.basename(file);
  const size = statSync(file).size;
  const encoding = options.encoding ? encodingLabel(options.encoding, '--encoding') : 'utf-8';
  const firstChunk = await new Promise<string>((resolve, reject) => {
    const s = createReadStream(file, { start: 0, end: 65535 });
    const parts: Buffer[] = [];
    s.on('data', (c) => parts.push(c as Buffer));
    s.on('end', () => resolve(new TextDecoder(encoding).decode(Buffer.concat(parts))));
    s.on('error', reject);
  });
  const headerLine = firstChunk.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  const delimiter = [';', ',', '\t'].map((d) => ({ d, n: headerLine.split(d).length })).sort((a, b) => b.n - a.n)[0].d;
  const input = createReadStream(file);
  const records = (encoding === 'utf-8' ? input : input.pipe(decoder(encoding))).pipe(
    parse({ bom: true, delimiter, columns: true, skip_empty_lines: true, relax_column_count: false, trim: true }),
  );
  const pick = (columns: string[], given: string | undefined, names: string[], what: string) => {
    if (given !== undefined) {
      if (!columns.includes(given)) throw badInput(`${name}: no column ${given} (${what}); the columns are ${columns.join(', ')}`);
      return given;
    }
    return columns.find((c) => names.includes(foldName(c)));
  };
  let geometry: ((r: Record<string, string>) => SourceFeature['geometry']) | undefined;
  let used: string[] = [];
  const notes = [`columns separated by ${delimiter === '\t' ? 'tabs' : JSON.stringify(delimiter)}`];
  return {
    format: 'CSV',
    crs: null,
    encoding,
    notes,
    async *features() {
      let row = 0;
      try {
        for await (const record of records as AsyncIterable<Record<string, string>>) {
          if (!geometry) {
            const columns = Object.keys(record);
            const wkt = options.x || options.y ? undefined : pick(columns, options.wkt, WKT_NAMES, '--wkt');
            if (wkt) {
              used = [wkt];
              geometry = (r) => (r[wkt] ? { wkt: r[wkt] } : null);
            } else {
              const x = pick(columns, options.x, X_NAMES, '--x');
              const y = pick(columns, options.y, Y_NAMES, '--y');
              if (x && y) {
                used = [x, y];
                geometry = (r) => {
                  if (!r[x] && !r[y]) return null;
                  return { geojson: { type: 'Point', coordinates: [parseNumber(r[x]), parseNumber(r[y])] } };
                };
              } else if (geometryOptional && !options.x && !options.y) {
                notes.push(`no geometry column: ${geometryOptional}`);
                geometry = () => null;
              } else {
                throw badInput(`${name}: no geometry column: name the WKT column with --wkt, or the coordinate columns with --x and --y (the columns are ${columns.join(', ')})`);
              }
            }
          }
          row++;
          const properties: Record<string, unknown> = { ...record };
          for (const c of used) delete properties[c];
          yield { row, properties, geometry: geometry(record) };
        }
      } catch (err) {
        if ((err as { code?: string }).code?.startsWith('CSV_')) throw badInput(`${name}: not a well-formed CSV file: ${(err as Error).message}`);
        throw err;
      }
    },
    progress: () => (size ? input.bytesRead / size : undefined),
    close: async () => void input.destroy(),
  };
}
