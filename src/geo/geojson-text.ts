import { randomFillSync } from 'node:crypto';

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

/**
 * 64 random bits as hex, from a pool filled by the CSPRNG 512 draws at a time (as Node's randomUUID
 * does): a draw of its own per answer cost a twentieth of a small request's CPU.
 */
const POOL = Buffer.alloc(8 * 512);
let poolOffset = POOL.length;
function markBits(): string {
  if (poolOffset === POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  poolOffset += 8;
  return POOL.toString('hex', poolOffset - 8, poolOffset);
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
  // Drawn when the answer holds a first text: most answers hold none.
  let prefix = '';
  splicing = {
    mark: (text) => {
      prefix ||= `kbs-geojson-${markBits()}-`;
      return `${prefix}${texts.push(text) - 1}`;
    },
  };
  let json: string;
  try {
    json = JSON.stringify(value);
  } finally {
    splicing = null;
  }
  if (texts.length) json = splice(json, `"${prefix}`, texts) ?? JSON.stringify(value);
  return `${json}\n`;
}

/**
 * `json` with its marks (each `"<prefix><n>"`) replaced by texts[n]; undefined unless the marks are
 * exactly texts 0, 1, 2, ... in that order, as JSON.stringify met them. A scan with indexOf: a global
 * regular expression with a replacer function took twice as long as JSON.stringify itself (2.5 ms
 * for a page of 1,000 cameras).
 */
function splice(json: string, quotedPrefix: string, texts: readonly string[]): string | undefined {
  let out = '';
  let from = 0;
  let n = 0;
  for (let at = json.indexOf(quotedPrefix); at !== -1; at = json.indexOf(quotedPrefix, from)) {
    const digits = at + quotedPrefix.length;
    const end = json.indexOf('"', digits);
    if (end < 0 || n >= texts.length || json.slice(digits, end) !== String(n)) return undefined;
    out += json.slice(from, at) + texts[n++];
    from = end + 1;
  }
  return n === texts.length ? out + json.slice(from) : undefined;
}

/** A row's geometry as a GeoJSON object, whether it was read as text (geometryAsText) or as json. */
export function geometryObject<T = unknown>(geometry: unknown): T | null {
  if (geometry == null) return null;
  return (typeof geometry === 'string' ? JSON.parse(geometry) : geometry) as T;
}
