/** How rows whose natural key already exists are treated. */
export type ImportMode = 'insert' | 'upsert';

/**
 * What to import and how: plain data, so that a job record (an upload over HTTP, later) can hold
 * it and drive runImport the same way the CLI does.
 */
export interface ImportOptions {
  /** Layer name, e.g. "parcels" (see IMPORT_LAYERS). */
  layer: string;
  /** Path of the file to read. */
  file: string;
  /** EPSG code of the coordinates, overriding what the file says. */
  srid?: number;
  /** Text encoding of a DBF or CSV, overriding .cpg (e.g. cp1254, ISO-8859-9, UTF-8). */
  encoding?: string;
  /** Source field -> layer field, overriding the matching by name. */
  map?: Record<string, string>;
  /** Layer field -> value for every row (a constant), e.g. source=TKGM. */
  set?: Record<string, string>;
  /** Layer field -> value where the row has none. */
  defaults?: Record<string, string>;
  /** The natural key's fields, overriding the layer's own. */
  key?: string[];
  mode: ImportMode;
  dryRun: boolean;
  /** CSV: the column holding WKT, or the x and y columns. */
  wkt?: string;
  x?: string;
  y?: string;
  /** GeoPackage: the table to read when it holds more than one. */
  table?: string;
  /** Names the import in the audit log (request_id "import:<id>"); generated when absent. */
  importId?: string;
}

/** One refused row: its number in the file (1 = first feature or data line), the field, why. */
export interface Rejection {
  row: number;
  field: string;
  reason: string;
}

export interface ImportReport {
  importId: string;
  layer: string;
  format: string;
  /** The EPSG code the coordinates were read in, and how it was known. */
  srid: number;
  crs: string;
  encoding?: string;
  /** Source field -> layer field. */
  mapping: Record<string, string>;
  /** Source fields no layer field takes. */
  ignored: string[];
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejections: Rejection[];
  dryRun: boolean;
  /** True when the rows were written (not a dry run, nothing rejected). */
  committed: boolean;
  notes: string[];
}

/** A feature's geometry as the file holds it; PostGIS parses all three. */
export type SourceGeometry = { geojson: unknown } | { wkb: Buffer } | { wkt: string } | null;

export interface SourceFeature {
  /** 1-based number of the feature (or CSV data line) in the file. */
  row: number;
  properties: Record<string, unknown>;
  geometry: SourceGeometry;
}

/** What a file says about its CRS: an EPSG code, or a WKT definition to recognise. */
export interface SourceCrs {
  srid?: number;
  wkt?: string;
  /** Where it was read from, for the report ("the .prj", "gpkg_spatial_ref_sys", ...). */
  from: string;
}

/** A file opened for reading: its features as a stream, with what it says about itself. */
export interface FeatureSource {
  format: string;
  /** Null when the file says nothing (CSV); the import then needs --srid, or takes EPSG:4326. */
  crs: SourceCrs | null;
  encoding?: string;
  notes: string[];
  features(): AsyncIterable<SourceFeature>;
  /** How far reading has got, 0..1, when known. */
  progress(): number | undefined;
  close(): Promise<void>;
}

/** Reports progress while rows are read and checked. */
export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing' | 'done';
  rows: number;
  /** 0..1 of the file read, when known. */
  fraction?: number;
}
