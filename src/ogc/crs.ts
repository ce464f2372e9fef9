import { GEOGRAPHIC_DIGITS, PROJECTED_DIGITS } from '../geo/layer.repository';
import { badInput } from '../common/errors/app-error';

/**
 * A coordinate reference system offered by OGC API Features (Part 2), and how PostGIS produces
 * coordinates in it. OGC API follows the axis order of the CRS definition: EPSG:4326 is
 * latitude/longitude and the TUREF TM zones are northing/easting, while PostGIS (and GraphQL here)
 * always put easting/longitude first; `swapAxes` says when the two differ.
 */
export interface OgcCrs {
  uri: string;
  srid: number;
  swapAxes: boolean;
  geographic: boolean;
  /** Decimal digits of output coordinates (about 1 mm). */
  digits: number;
}

/** WGS 84 longitude/latitude: the default of OGC API Features and the CRS the layers are stored in. */
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

const epsgUri = (code: number) => `http://www.opengis.net/def/crs/EPSG/0/${code}`;

/** TUREF / TM27 … TM45 (EPSG:5253–5259): Türkiye's 3° transverse Mercator zones, northing first. */
const TUREF_TM = [5253, 5254, 5255, 5256, 5257, 5258, 5259];

/** Every CRS a collection offers, default first. */
export const SUPPORTED_CRS: readonly OgcCrs[] = [
  { uri: CRS84, srid: 4326, swapAxes: false, geographic: true, digits: GEOGRAPHIC_DIGITS },
  { uri: epsgUri(4326), srid: 4326, swapAxes: true, geographic: true, digits: GEOGRAPHIC_DIGITS },
  { uri: epsgUri(3857), srid: 3857, swapAxes: false, geographic: false, digits: PROJECTED_DIGITS },
  ...TUREF_TM.map((code) => ({ uri: epsgUri(code), srid: code, swapAxes: true, geographic: false, digits: PROJECTED_DIGITS })),
];

export const DEFAULT_CRS = SUPPORTED_CRS[0];

/** Lower-case key of a CRS reference in any of the usual spellings (URI, URN, safe CURIE, EPSG:n). */
function key(value: string): string | undefined {
  const v = value.trim().toLowerCase().replace(/^https:/, 'http:');
  let m = /^http:\/\/www\.opengis\.net\/def\/crs\/(epsg|ogc)\/[^/]+\/([a-z0-9]+)$/.exec(v);
  if (m) return `${m[1]}:${m[2]}`;
  m = /^urn:ogc:def:crs:(epsg|ogc):[^:]*:([a-z0-9]+)$/.exec(v);
  if (m) return `${m[1]}:${m[2]}`;
  m = /^\[?(epsg|ogc):([a-z0-9]+)\]?$/.exec(v);
  if (m) return `${m[1]}:${m[2]}`;
  return undefined;
}

const BY_KEY = new Map(SUPPORTED_CRS.map((crs) => [key(crs.uri)!, crs]));

/**
 * The CRS a `crs` or `bbox-crs` parameter names; the default when absent; 400 for any other
 * (Part 2 /req/crs/crs-exception and /req/crs/bbox-crs-exception).
 */
export function parseCrs(value: string | undefined, parameter: 'crs' | 'bbox-crs' | 'filter-crs'): OgcCrs {
  if (value === undefined) return DEFAULT_CRS;
  const crs = BY_KEY.get(key(value) ?? '');
  if (!crs) {
    throw badInput(`${parameter}: "${value}" is not offered; use one of ${SUPPORTED_CRS.map((c) => c.uri).join(', ')}`);
  }
  return crs;
}
