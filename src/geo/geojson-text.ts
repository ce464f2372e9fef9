import { randomBytes } from 'node:crypto';

/**
 * GeoJSON as PostGIS wrote it (the text of ST_AsGeoJSON), on its way into a JSON answer. A page of
 * 1,000 features would otherwise have every geometry parsed into objects and arrays only to be
 * written back to the same text: a fifth of the API's CPU for a page of parcels. stringifyAnswer()
 * writes the text as it is; anything else that serialises it (graphql-ws, a cache key) gets the
 * parsed geometry through toJSON().
 */
export class GeoJsonText {
  private parsed: unknown;

  constructor(readonly text: string) {}

  /** The geometry as an object, parsed on first use. */
  get value(): unknown {
    if (this.parsed === undefined) this.parsed = JSON.parse(this.text);
    return this.parsed;
  }

  toJSON(): unknown {
    return splicing ? splicing.mark(this.text) : this.value;
  }
}

/** While stringifyAnswer runs: the texts met so far, each replaced by a mark to be found again. */
let splicing: { mark: (text: string) => string } | null = null;

/**
 * JSON.stringify of an answer (Apollo Server's `stringifyResult`), with each GeoJsonText in it
 * written as its text. JSON.stringify calls toJSON, which (during this call only: it is synchronous)
 * leaves a mark string naming the text; the marks are then replaced by the texts. A mark carries 64
 * random bits drawn for this answer, so no string of the data can pass for one; should the marks
 * found not be exactly the texts met, the answer is written again with the geometries parsed.
 */
export function stringifyAnswer(value: unknown): string {
  const texts: string[] = [];
  const prefix = `kbs-geojson-${randomBytes(8).toString('hex')}-`;
  splicing = { mark: (text) => `${prefix}${texts.push(text) - 1}` };
  let json: string;
  try {
    json = JSON.stringify(value);
  } finally {
    splicing = null;
  }
  if (texts.length) {
    let found = 0;
    json = json.replace(new RegExp(`"${prefix}(\\d+)"`, 'g'), (_m, i: string) => {
      found++;
      return texts[Number(i)];
    });
    if (found !== texts.length) json = JSON.stringify(value);
  }
  return `${json}\n`;
}

/** A row's geometry as a GeoJSON object, whether it was read as text (geometryAsText) or as json. */
export function geometryObject<T = unknown>(geometry: unknown): T | null {
  if (geometry == null) return null;
  return (typeof geometry === 'string' ? JSON.parse(geometry) : geometry) as T;
}
