import type { Knex } from 'knex';
import proj4 from 'proj4';
import { badInput } from '../../common/errors/app-error';

/** The parameters proj4js reads from a WKT or PROJ definition, those that tell one CRS from another. */
interface Parsed {
  projName?: string;
  lat0?: number;
  long0?: number;
  k0?: number;
  x0?: number;
  y0?: number;
  a?: number;
  rf?: number;
  b?: number;
  datumCode?: string;
  name?: string;
  to_meter?: number;
}

function parse(definition: string): Parsed | undefined {
  try {
    return new proj4.Proj(definition) as unknown as Parsed;
  } catch {
    return undefined;
  }
}

/** Transverse Mercator and UTM are one projection to compare (UTM is TM with set parameters). */
const family = (p: Parsed) => {
  const n = (p.projName ?? '').toLowerCase().replace(/[^a-z]/g, '');
  if (n === 'utm' || n === 'tmerc' || n === 'transversemercator') return 'tmerc';
  if (n === 'longlat' || n === 'latlong' || n === 'lonlat' || n === 'latlon') return 'longlat';
  return n;
};

const near = (x: number | undefined, y: number | undefined, tolerance: number) => (x ?? 0) === (y ?? 0) || Math.abs((x ?? 0) - (y ?? 0)) <= tolerance * Math.max(1, Math.abs(x ?? 0));

/** Same projection, parameters, ellipsoid and unit (the datum's shift aside). */
function sameParameters(a: Parsed, b: Parsed): boolean {
  const flattening = (p: Parsed) => p.rf ?? (p.a && p.b ? p.a / (p.a - p.b) : 0);
  return (
    family(a) === family(b) &&
    near(a.lat0, b.lat0, 1e-10) &&
    near(a.long0, b.long0, 1e-10) &&
    near(a.k0 ?? 1, b.k0 ?? 1, 1e-10) &&
    near(a.x0, b.x0, 1e-9) &&
    near(a.y0, b.y0, 1e-9) &&
    near(a.a, b.a, 1e-9) &&
    (flattening(a) === flattening(b) || (Number.isFinite(flattening(a)) && near(flattening(a), flattening(b), 1e-9))) &&
    near(a.to_meter ?? 1, b.to_meter ?? 1, 1e-12)
  );
}

/** A datum's name as ESRI and EPSG both spell it: "D_European_1950" and "European_Datum_1950" alike. */
const datumKey = (name: string | undefined) =>
  (name ?? '').toLowerCase().replace(/^d_/, '').replace(/datum/g, '').replace(/[^a-z0-9]/g, '');

/** The EPSG code a WKT names for itself at its top level (AUTHORITY["EPSG","n"] or ID["EPSG",n]), if any. */
function ownEpsg(wkt: string): number | undefined {
  const m = /(?:AUTHORITY\["EPSG",\s*"?(\d+)"?\]|ID\["EPSG",\s*(\d+)\])\s*\]\s*$/i.exec(wkt.trim());
  return m ? Number(m[1] ?? m[2]) : undefined;
}

export interface RecognisedCrs {
  srid: number;
  /** How it was recognised, for the report. */
  how: string;
}

/**
 * The EPSG code of a CRS given as WKT (a Shapefile's .prj, a GeoPackage's definition): the code the
 * WKT names for itself, or else the one entry of PostGIS's spatial_ref_sys whose projection,
 * parameters and ellipsoid are the same (proj4js reads both sides), narrowed by the datum's name
 * when several share them (ED50 and Ain el Abd both put UTM 37N on the International ellipsoid).
 * Anything else is BAD_USER_INPUT naming what was found: never a guess.
 */
export async function recogniseWkt(db: Knex | Knex.Transaction, wkt: string, from: string): Promise<RecognisedCrs> {
  const named = ownEpsg(wkt);
  if (named) {
    const row = await db('spatial_ref_sys').where({ srid: named }).first('srid');
    if (row) return { srid: named, how: `EPSG:${named}, as ${from} names it` };
  }
  const parsed = parse(wkt);
  if (!parsed || !parsed.projName) throw badInput(`${from}: the coordinate system's definition cannot be read as WKT; give the EPSG code with --srid`);
  const fam = family(parsed);
  const like = fam === 'tmerc' ? ['%+proj=tmerc%', '%+proj=utm%'] : fam === 'longlat' ? ['%+proj=longlat%'] : [`%+proj=${parsed.projName}%`];
  const rows: { srid: number; proj4text: string; srtext: string }[] = await db('spatial_ref_sys')
    .where((w) => {
      for (const l of like) w.orWhere('proj4text', 'like', l);
    })
    .select('srid', 'proj4text', 'srtext');
  const candidates = rows.filter((r) => {
    const p = parse(r.proj4text);
    return p && sameParameters(parsed, p);
  });
  const label = (r: { srid: number; srtext: string }) => `EPSG:${r.srid} (${/^\w+\["([^"]*)"/.exec(r.srtext)?.[1] ?? '?'})`;
  const fileName = parsed.name ?? 'unnamed';
  if (candidates.length === 1) {
    return { srid: candidates[0].srid, how: `${label(candidates[0])}: the one CRS with the projection and ellipsoid of ${from} (${fileName})` };
  }
  if (candidates.length === 0) {
    throw badInput(`${from}: the coordinate system ${fileName} matches no CRS that PostGIS knows (same projection, parameters and ellipsoid); give its EPSG code with --srid`);
  }
  const byDatum = candidates.filter((r) => {
    const p = parse(r.srtext);
    return p && datumKey(p.datumCode) === datumKey(parsed.datumCode);
  });
  if (byDatum.length === 1) {
    return { srid: byDatum[0].srid, how: `${label(byDatum[0])}: the CRS with the projection, ellipsoid and datum (${parsed.datumCode}) of ${from} (${fileName})` };
  }
  const shown = (byDatum.length ? byDatum : candidates).slice(0, 8).map(label).join(', ');
  throw badInput(`${from}: the coordinate system ${fileName} fits more than one CRS (${shown}${candidates.length > 8 ? ', …' : ''}); give its EPSG code with --srid`);
}

/** An EPSG code from a GeoJSON crs name: "EPSG:5257", "urn:ogc:def:crs:EPSG::5257", or an OGC CRS84 name (4326). */
export function sridFromCrsName(name: string): number | undefined {
  if (/CRS84$/i.test(name)) return 4326;
  const m = /EPSG:{1,2}(?:[\d.]*:)?(\d+)$/i.exec(name) ?? /\/EPSG\/\d+\/(\d+)$/i.exec(name);
  return m ? Number(m[1]) : undefined;
}
