import { badInput } from '../common/errors/app-error';
import type { BBoxInput } from '../geo/spatial.inputs';
import { FILTER_LANGS, type FilterLang } from './cql2/parser';
import { parseCrs, type OgcCrs } from './crs';
import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from './export/formats';

/** Features per page when `limit` is not given, and the most a page holds (Part 1's own figures). */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10000;

/** A request's query string as Express parses it. */
export type Query = Record<string, unknown>;

/** Which representation of features: GeoJSON (default) or the same document as plain JSON. */
export type FeatureFormat = 'geojson' | 'json';

export interface ItemsParams {
  /** Features per page; for an export (f=gpkg, csv, kml), the most the file holds (Infinity: all of them). */
  limit: number;
  /** Where the page starts, as the `next` link gave it (decoded with the order, see filter.ts). */
  cursor?: string;
  /** The box in EPSG `srid` as x/y (easting/longitude first), whatever the axis order it was given in. */
  bbox?: BBoxInput;
  crs: OgcCrs;
  format: FeatureFormat | ExportFormat;
  /** The filtering parameters as given, checked in filter.ts against the collection's queryables. */
  datetime?: string;
  filter?: string;
  filterLang: FilterLang;
  filterLangGiven: boolean;
  filterCrs: OgcCrs;
  filterCrsGiven: boolean;
  sortby?: string;
  properties?: string;
  /** Other parameters: equalities on queryables (Part 3 queryables-query-parameters), or unknown. */
  equals: Record<string, string>;
}

/** The parameters each kind of resource takes (Part 1 /req/core/query-param-unknown: any other is a 400). */
export const PARAMETERS = {
  metadata: ['f'],
  items: ['f', 'limit', 'bbox', 'bbox-crs', 'crs', 'cursor', 'datetime', 'filter', 'filter-lang', 'filter-crs', 'sortby', 'properties'],
  item: ['f', 'crs'],
} as const;

/**
 * 400 for a parameter the resource does not take, or one given more than once. With `open`, the
 * other parameters are returned instead (the items resource takes the queryables as parameters,
 * which filter.ts checks).
 */
export function checkParameters(query: Query, allowed: readonly string[], open = false): Record<string, string> {
  const others: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!allowed.includes(name) && !open) throw badInput(`unknown parameter "${name}"; this resource takes ${allowed.join(', ')}`);
    if (typeof value !== 'string') throw badInput(`parameter "${name}" may be given only once`);
    if (!allowed.includes(name)) others[name] = value;
  }
  return others;
}

const str = (query: Query, name: string): string | undefined => query[name] as string | undefined;

/** The `f` parameter: JSON (GeoJSON for features); a download format where `exports` names it. */
export function parseFormat(query: Query, features: boolean, accept: string | undefined): FeatureFormat;
export function parseFormat<E extends string>(query: Query, features: boolean, accept: string | undefined, exports: readonly E[]): FeatureFormat | E;
export function parseFormat(query: Query, features: boolean, accept: string | undefined, exports: readonly string[] = []): string {
  const f = str(query, 'f');
  if (f === undefined) {
    // Plain JSON only for a client that asks for it and not for GeoJSON (or anything).
    if (!features) return 'json';
    const wants = (accept ?? '').toLowerCase();
    return wants.includes('application/json') && !wants.includes('application/geo+json') && !wants.includes('*/*') ? 'json' : 'geojson';
  }
  if (f === 'json') return 'json';
  if (f === 'geojson' && features) return 'geojson';
  if (exports.includes(f)) return f;
  throw badInput(`f: "${f}" is not offered; use f=json${features ? ' or f=geojson' : ''}${exports.map((e) => `, f=${e}`).join('')}`);
}

export function parseItemsParams(query: Query, accept: string | undefined): ItemsParams {
  const equals = checkParameters(query, PARAMETERS.items, true);
  const filterLang = str(query, 'filter-lang') ?? 'cql2-text';
  if (!(FILTER_LANGS as readonly string[]).includes(filterLang)) throw badInput(`filter-lang: "${filterLang}" is not offered; use ${FILTER_LANGS.join(' or ')}`);
  const format = parseFormat(query, true, accept, EXPORT_FORMATS);
  // A download holds every feature selected unless `limit` says fewer (the export's own cap applies).
  const limit = isExportFormat(format) ? parseLimit(str(query, 'limit'), { fallback: Infinity, max: Infinity }) : parseLimit(str(query, 'limit'));
  const params: ItemsParams = {
    limit,
    crs: parseCrs(str(query, 'crs'), 'crs'),
    format,
    cursor: str(query, 'cursor'),
    datetime: str(query, 'datetime'),
    filter: str(query, 'filter'),
    filterLang: filterLang as FilterLang,
    filterLangGiven: query['filter-lang'] !== undefined,
    filterCrs: parseCrs(str(query, 'filter-crs'), 'filter-crs'),
    filterCrsGiven: query['filter-crs'] !== undefined,
    sortby: str(query, 'sortby'),
    properties: str(query, 'properties'),
    equals,
  };
  if (params.cursor !== undefined && params.cursor === '') throw badInput('cursor: empty; pass the cursor of a "next" link');
  const bbox = str(query, 'bbox');
  const bboxCrs = parseCrs(str(query, 'bbox-crs'), 'bbox-crs');
  if (bbox !== undefined) params.bbox = parseBbox(bbox, bboxCrs);
  return params;
}

export function parseItemParams(query: Query, accept: string | undefined): { crs: OgcCrs; format: FeatureFormat } {
  checkParameters(query, PARAMETERS.item);
  return { crs: parseCrs(str(query, 'crs'), 'crs'), format: parseFormat(query, true, accept) };
}

/** 1 to `max`, `fallback` when absent; a larger limit gets `max` features (Part 1 allows a server to cap it). */
function parseLimit(value: string | undefined, { fallback = DEFAULT_LIMIT, max = MAX_LIMIT } = {}): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,15}$/.test(value)) throw badInput(`limit: "${value}" is not a whole number`);
  const n = Number(value);
  if (n < 1) throw badInput('limit must be at least 1');
  return Math.min(n, max);
}

/**
 * `bbox`: four numbers (or six, with heights, which are ignored): lower corner then upper corner,
 * each in the axis order of `crs` (latitude first for EPSG:4326, northing first for TUREF TM).
 */
export function parseBbox(value: string, crs: OgcCrs): BBoxInput {
  const parts = value.split(',');
  const numbers = parts.map((p) => (/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(p) ? Number(p) : NaN));
  if ((parts.length !== 4 && parts.length !== 6) || numbers.some((n) => !Number.isFinite(n))) {
    throw badInput(`bbox: "${value}" is not four (or six) comma-separated numbers`);
  }
  const [a1, a2, b1, b2] = parts.length === 4 ? numbers : [numbers[0], numbers[1], numbers[3], numbers[4]];
  const axes = crs.geographic ? ['longitude', 'latitude'] : ['easting', 'northing'];
  const names = crs.swapAxes ? [axes[1], axes[0]] : axes;
  if (a1 > b1 || a2 > b2) {
    const which = a1 > b1 ? names[0] : names[1];
    throw badInput(
      `bbox: the lower ${which} is greater than the upper one (order: lower ${names[0]}, lower ${names[1]}, upper ${names[0]}, upper ${names[1]}; boxes across the antimeridian are not supported)`,
    );
  }
  const [minx, miny, maxx, maxy] = crs.swapAxes ? [a2, a1, b2, b1] : [a1, a2, b1, b2];
  if (crs.geographic) {
    if (minx < -180 || maxx > 180) throw badInput(`bbox: longitude out of range [-180, 180] in ${crs.uri} (axis order: ${names.join(', ')})`);
    if (miny < -90 || maxy > 90) throw badInput(`bbox: latitude out of range [-90, 90] in ${crs.uri} (axis order: ${names.join(', ')})`);
  }
  return { minx, miny, maxx, maxy, srid: crs.srid };
}
