/** The download formats of the items resource (`f=`), besides GeoJSON and JSON. */
export type ExportFormat = 'gpkg' | 'csv' | 'kml';

export interface ExportFormatInfo {
  f: ExportFormat;
  /** Media type of the file. */
  media: string;
  name: string;
  /** File name extension. */
  ext: string;
}

export const EXPORTS: readonly ExportFormatInfo[] = [
  { f: 'gpkg', media: 'application/geopackage+sqlite3', name: 'GeoPackage', ext: 'gpkg' },
  { f: 'csv', media: 'text/csv; charset=utf-8; header=present', name: 'CSV (WKT geometry)', ext: 'csv' },
  { f: 'kml', media: 'application/vnd.google-earth.kml+xml', name: 'KML', ext: 'kml' },
];

export const EXPORT_FORMATS = EXPORTS.map((e) => e.f);

export const isExportFormat = (f: string): f is ExportFormat => (EXPORT_FORMATS as string[]).includes(f);

export const exportFormat = (f: ExportFormat): ExportFormatInfo => EXPORTS.find((e) => e.f === f)!;
