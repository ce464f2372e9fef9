import { openSqlite, type SqliteValue } from '../../common/sqlite';
import type { LayerSchema, SchemaProperty } from '../schema';
import type { ExportRow, SpatialRefSys } from './export.repository';
import { plainValue } from './values';

/** GeoPackage 1.3: the application id "GPKG" and user_version 10300 (GeoPackage spec §1.1.1.1.1). */
const APPLICATION_ID = 0x47504b47;
const USER_VERSION = 10300;

/** The geometry column of the feature table. */
export const GEOMETRY_COLUMN = 'geom';

/** The SQL type of a property's column (GeoPackage spec Table 1, data types). */
function columnType(p: SchemaProperty): string {
  // MEDIUMINT is GeoPackage's 32-bit integer (GDAL: Integer); INTEGER its 64-bit one (Integer64).
  if (p.value.type === 'integer') return p.value.format === 'int32' ? 'MEDIUMINT' : 'INTEGER';
  if (p.value.type === 'number') return 'DOUBLE';
  if (p.value.type === 'boolean') return 'BOOLEAN';
  if (p.value.format === 'date-time') return 'DATETIME';
  if (p.value.format === 'date') return 'DATE';
  return 'TEXT';
}

/** A value as the column of its type stores it: booleans 0/1, timestamps ISO 8601 UTC (GeoPackage's DATETIME form). */
const stored = (p: SchemaProperty, v: unknown): SqliteValue => {
  if (v === null || v === undefined) return null;
  if (p.value.type === 'boolean') return v ? 1 : 0;
  // The rest are numbers and text as pg reads them (dates made text by plainValue).
  return plainValue(v) as SqliteValue;
};

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * GeoPackage geometry binary (GeoPackage spec §2.1.3): "GP", version 0, flags (little-endian
 * header, no envelope, not empty), the srs_id, then the geometry as ISO WKB from PostGIS.
 */
function gpkgGeometry(srsId: number, wkb: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write('GP', 0, 'ascii');
  header.writeUInt8(0, 2);
  header.writeUInt8(0x01, 3);
  header.writeInt32LE(srsId, 4);
  return Buffer.concat([header, wkb]);
}

/** Where the features go and what their table is called. */
export interface GeoPackageTarget {
  file: string;
  table: string;
  srs: SpatialRefSys;
  /** WGS 84, which every GeoPackage lists (spec §1.1.2.1.2). */
  wgs84: SpatialRefSys;
  /** Called between pages: throws to stop (the client went away). */
  check?: () => void;
}

/**
 * Writes features into a new GeoPackage file (SQLite through common/sqlite): the tables the GeoPackage
 * standard requires (gpkg_spatial_ref_sys with the CRS as PostGIS defines it, gpkg_contents,
 * gpkg_geometry_columns) and one feature table whose primary key is the feature id, its columns
 * typed from the collection's schema. One transaction per page of rows.
 */
export async function writeGeoPackage(schema: LayerSchema, batches: AsyncIterable<ExportRow[]>, target: GeoPackageTarget): Promise<number> {
  const db = openSqlite(target.file);
  let written = 0;
  try {
    // A file built once and then sent: no journal is worth its cost.
    db.exec(`
      PRAGMA journal_mode = OFF;
      PRAGMA synchronous = OFF;
      PRAGMA application_id = ${APPLICATION_ID};
      PRAGMA user_version = ${USER_VERSION};
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
        srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
        z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
    `);
    const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    srs.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
    srs.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
    for (const s of target.srs.srid === target.wgs84.srid ? [target.wgs84] : [target.wgs84, target.srs]) {
      srs.run(srsName(s), s.srid, s.authName, s.authSrid, s.srtext, null);
    }
    const { collection: c } = schema;
    const attributes = schema.properties.filter((p) => p.name !== 'id');
    const columns = [`id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`, `${quote(GEOMETRY_COLUMN)} ${schema.geometryType}`, ...attributes.map((p) => `${quote(p.name)} ${columnType(p)}`)];
    db.exec(`CREATE TABLE ${quote(target.table)} (${columns.join(', ')})`);
    db.prepare('INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, ?, ?, ?, ?)').run(target.table, 'features', c.title, c.description, target.srs.srid);
    db.prepare('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)').run(target.table, GEOMETRY_COLUMN, schema.geometryType, target.srs.srid);

    const insert = db.prepare(`INSERT INTO ${quote(target.table)} VALUES (${columns.map(() => '?').join(', ')})`);
    const insertPage = db.transaction((rows: ExportRow[]) => {
      for (const row of rows) {
        insert.run(row.id, gpkgGeometry(target.srs.srid, row.geometry as Buffer), ...attributes.map((p) => stored(p, row[p.name])));
      }
    });
    for await (const rows of batches) {
      target.check?.();
      insertPage(rows);
      written += rows.length;
    }
  } finally {
    db.close();
  }
  return written;
}

/** The CRS's name from its WKT (PROJCS["…" or GEOGCS["…"), else its authority code. */
function srsName(s: SpatialRefSys): string {
  return /^[A-Z]+\["([^"]+)"/.exec(s.srtext)?.[1] ?? `${s.authName}:${s.authSrid}`;
}
