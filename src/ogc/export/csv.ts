import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { LayerSchema } from '../schema';
import type { ExportRow } from './export.repository';
import { plainValue } from './values';

/** The geometry column: GDAL's CSV driver and QGIS's delimited-text reader take a column of this name as the geometry. */
export const WKT_COLUMN = 'WKT';

/**
 * Writes features as CSV (RFC 4180: CRLF line ends, quotes where needed) with csv-stringify: a
 * header row, one row per feature, the properties in schema order and the geometry as WKT last.
 * UTF-8 with a byte order mark, so that Excel shows Turkish letters (ç ğ ı İ ö ş ü) as they are.
 * Rows go out as they come, with the response's backpressure.
 */
export async function writeCsv(schema: LayerSchema, batches: AsyncIterable<ExportRow[]>, out: Writable): Promise<void> {
  const names = schema.properties.map((p) => p.name);
  const records = async function* () {
    for await (const rows of batches) {
      for (const row of rows) yield [...names.map((n) => csvValue(plainValue(row[n]))), row.geometry as string];
    }
  };
  const csv = stringify({ bom: true, header: true, columns: [...names, WKT_COLUMN], record_delimiter: 'windows' });
  await pipeline(Readable.from(records()), csv, out);
}

/** Booleans as true/false, nulls as empty fields. */
const csvValue = (v: unknown): unknown => (v === null || v === undefined ? '' : typeof v === 'boolean' ? String(v) : v);
