import type { Knex } from 'knex';
import type { Access } from '../../common/auth/access';
import { GEOGRAPHIC_DIGITS, LayerRepository, type Filters, type LayerDefinition, type LayerRow } from '../../geo/layer.repository';
import type { OgcCrs } from '../crs';

/** How an export wants the geometry: WKB (GeoPackage), WKT (CSV), or GeoJSON in WGS 84 (KML). */
export type GeometryEncoding = 'wkb' | 'wkt' | 'geojson';

/** A feature row of an export: the layer's select list with the geometry encoded as asked. */
export type ExportRow = LayerRow & Record<string, unknown>;

/** A CRS as a GeoPackage's gpkg_spatial_ref_sys needs it, from PostGIS's spatial_ref_sys. */
export interface SpatialRefSys {
  srid: number;
  authName: string;
  authSrid: number;
  /** OGC WKT (version 1) of the CRS. */
  srtext: string;
}

/**
 * A layer read for a download: the very SQL of the GraphQL lists and the OGC items (the shared
 * layer repository on the layer's own definition: the same read scope, sensitive fields and
 * filters), with the geometry in the requested CRS as the file format encodes it. Coordinates are
 * always easting (longitude) first: GeoPackage fixes x/y so, KML is longitude/latitude, and CSV
 * follows the GIS convention its readers (GDAL, QGIS, Excel users) expect.
 */
export class ExportLayerRepository<F> extends LayerRepository<ExportRow, F> {
  // Its statements and code read the geometry as GeoJSON (see LayerRepository.geometryAsText).
  protected override readonly geometryAsText = false;

  constructor(
    db: Knex,
    layer: LayerDefinition<F>,
    access: Access,
    private readonly crs: OgcCrs,
    private readonly encoding: GeometryEncoding,
  ) {
    super(db, layer, access);
  }

  protected override geometrySelect(): Knex.Raw {
    if (this.encoding === 'geojson') return this.db.raw('? AS geometry', [this.geoJson(this.db.raw('??', [this.geom]), GEOGRAPHIC_DIGITS)]);
    const { srid, digits } = this.crs;
    const transformed = srid === 4326 ? this.db.raw('??', [this.geom]) : this.db.raw('ST_Transform(??, ?::int)', [this.geom, srid]);
    // The API's one ring order (RFC 7946's, which GeoPackage and OGC Simple Features readers accept).
    const oriented = this.layer.geometryType.endsWith('POLYGON') ? this.db.raw('ST_ForcePolygonCCW(?)', [transformed]) : transformed;
    return this.encoding === 'wkb'
      ? this.db.raw("ST_AsBinary(?, 'NDR') AS geometry", [oriented])
      : this.db.raw('ST_AsText(?, ?::int) AS geometry', [oriented, digits]);
  }

  /**
   * The features that pass `filters`, in id order after `afterId`, at most `limit`, read in pages of
   * `batch` rows by keyset on the id: each page is one short statement with its own connection, so
   * no cursor or transaction stays open while the file is written (on the embedded database, one
   * held open would stop every other request), and memory holds one page at a time.
   */
  async *rows(filters: Filters<F> & { fields?: ReadonlySet<string> }, { limit, afterId, batch }: { limit: number; afterId?: number; batch: number }): AsyncGenerator<ExportRow[]> {
    let after = afterId;
    let left = limit;
    while (left > 0) {
      const { rows, hasNextPage } = await this.page({ ...filters, first: Math.min(batch, left), after: after === undefined ? undefined : { kind: 'id', id: after } });
      if (rows.length) yield rows;
      left -= rows.length;
      if (!hasNextPage || rows.length === 0) return;
      after = rows[rows.length - 1].id;
    }
  }

  /** The CRS of `srid` as PostGIS defines it. */
  async spatialRefSys(srid: number): Promise<SpatialRefSys> {
    return this.db('spatial_ref_sys').first('srid', 'auth_name as authName', 'auth_srid as authSrid', 'srtext').where({ srid });
  }
}
