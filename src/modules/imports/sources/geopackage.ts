import path from 'node:path';
import { AppError, badInput } from '../../../common/errors/app-error';
import { openSqlite, type SqliteDatabase } from '../../../common/sqlite';
import type { FeatureSource, ImportOptions, SourceCrs, SourceGeometry } from '../import.types';

/** Bytes of the envelope after the 8-byte header, by the flags' envelope indicator (GeoPackage 1.3, 2.1.3.1.1). */
const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/**
 * The standard WKB inside a GeoPackage geometry blob: its header (magic "GP", version, flags, SRS
 * id, optional envelope) is skipped as the flags say; PostGIS reads the WKB. Null for an empty one.
 */
export function gpkgWkb(blob: Buffer, row: number): SourceGeometry {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw badInput(`row ${row}: the geometry is not a GeoPackage geometry blob`);
  const flags = blob[3];
  if (flags & 0x10) return null;
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 0x07];
  if (envelope === undefined) throw badInput(`row ${row}: the GeoPackage geometry header has an invalid envelope indicator`);
  return { wkb: blob.subarray(8 + envelope) };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A feature table of a GeoPackage (opened read-only), rows streamed in rowid order. */
export async function openGeoPackage(file: string, options: ImportOptions): Promise<FeatureSource> {
  const name = path.basename(file);
  let db: SqliteDatabase;
  try {
    db = openSqlite(file, { readonly: true });
    db.prepare('PRAGMA quick_check').all();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badInput(`${name} cannot be read as a GeoPackage (${(err as Error).message}): is it whole?`);
  }
  try {
    const tables = db.prepare(`SELECT c.table_name AS name, g.column_name AS geom, g.srs_id AS srs FROM gpkg_contents c
      JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features' ORDER BY c.table_name`).all() as { name: string; geom: string; srs: number }[];
    if (tables.length === 0) throw badInput(`${name} holds no feature table`);
    const table = options.table ? tables.find((t) => t.name === options.table) : tables.length === 1 ? tables[0] : undefined;
    if (!table) {
      throw badInput(`${name} holds ${options.table ? `no feature table ${options.table}` : 'several feature tables'}: name one with --table (${tables.map((t) => t.name).join(', ')})`);
    }
    const srs = db.prepare('SELECT organization, organization_coordsys_id AS code, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(table.srs) as
      | { organization: string; code: number; definition: string }
      | undefined;
    let crs: SourceCrs | null = null;
    const from = `gpkg_spatial_ref_sys of ${name}`;
    if (srs && srs.organization?.toUpperCase() === 'EPSG' && srs.code > 0) crs = { srid: srs.code, from };
    else if (srs && srs.definition && srs.definition !== 'undefined') crs = { wkt: srs.definition, from };
    const columns = (db.prepare(`SELECT name, pk FROM pragma_table_info(?)`).all(table.name) as { name: string; pk: number }[])
      .filter((c) => c.name !== table.geom && c.pk === 0)
      .map((c) => c.name);
    const total = (db.prepare(`SELECT count(*) AS n FROM ${quote(table.name)}`).get() as { n: number }).n;
    let read = 0;
    const select = db.prepare(`SELECT ${[quote(table.geom), ...columns.map(quote)].join(', ')} FROM ${quote(table.name)} ORDER BY rowid`, 'arrays');
    return {
      format: 'GeoPackage',
      crs,
      notes: [`table ${table.name}`],
      async *features() {
        try {
          for (const values of select.iterate()) {
            read++;
            const properties: Record<string, unknown> = {};
            // An integer past 2^53 comes as a bigint: its exact digits, as a text field keeps them.
            columns.forEach((c, i) => (properties[c] = typeof values[i + 1] === 'bigint' ? String(values[i + 1]) : values[i + 1]));
            const blob = values[0] as Buffer | null;
            yield { row: read, properties, geometry: blob ? gpkgWkb(blob, read) : null };
          }
        } catch (err) {
          if ((err as { extensions?: unknown }).extensions) throw err;
          throw badInput(`${name} cannot be read past row ${read} (${(err as Error).message}): is it whole?`);
        }
      },
      progress: () => (total ? read / total : undefined),
      close: async () => void db.close(),
    };
  } catch (err) {
    db.close();
    if ((err as { extensions?: unknown }).extensions) throw err;
    throw badInput(`${name} is not a GeoPackage that can be read (${(err as Error).message})`);
  }
}
