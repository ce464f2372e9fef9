import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { toKML } from '@placemarkio/tokml';
import type { Feature, Geometry } from 'geojson';
import type { LayerSchema } from '../schema';
import type { ExportRow } from './export.repository';
import { plainValue } from './values';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * The document tokml wraps every conversion in, split where the placemarks go: what it writes for
 * an empty collection, `<kml …><Document></Document></kml>`.
 */
const [HEAD, TAIL] = (() => {
  const empty = toKML({ type: 'FeatureCollection', features: [] });
  const at = empty.indexOf('</Document>');
  if (at < 0) throw new Error('tokml wrote no <Document>');
  return [empty.slice(0, at), empty.slice(at)];
})();

/**
 * Writes features as one KML 2.2 document, converted by tokml a page at a time: each page's
 * placemarks (tokml's own document around them taken off) go out as they are converted, with
 * the response's backpressure. Properties become ExtendedData (a null one is left out, rather than
 * written as the text "null"); a `name` property is the placemark's name. Coordinates are WGS 84
 * longitude/latitude, as KML requires.
 */
export async function writeKml(schema: LayerSchema, batches: AsyncIterable<ExportRow[]>, out: Writable): Promise<void> {
  const chunks = async function* () {
    yield XML_DECLARATION + HEAD;
    for await (const rows of batches) {
      const kml = toKML({ type: 'FeatureCollection', features: rows.map((row) => feature(schema, row)) });
      if (!kml.startsWith(HEAD) || !kml.endsWith(TAIL)) throw new Error('tokml wrote a document of another shape');
      yield kml.slice(HEAD.length, kml.length - TAIL.length);
    }
    yield TAIL;
  };
  await pipeline(Readable.from(chunks()), out);
}

function feature(schema: LayerSchema, row: ExportRow): Feature<Geometry> {
  const properties: Record<string, unknown> = {};
  for (const p of schema.properties) {
    const v = plainValue(row[p.name]);
    if (v !== null && v !== undefined) properties[p.name] = v;
  }
  return { type: 'Feature', id: row.id, geometry: row.geometry as Geometry, properties };
}
