import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { AppError, badInput } from '../../common/errors/app-error';
import { requireSqlite } from '../../common/sqlite';
import { cacheHeaders } from '../../http/conditional';
import { CRS84 } from '../crs';
import { itemsFilters, readableCollection, type OgcRequest } from '../ogc.service';
import type { ItemsParams } from '../params';
import { layerSchema, type LayerSchema } from '../schema';
import { writeCsv } from './csv';
import { ExportLayerRepository, type ExportRow, type GeometryEncoding } from './export.repository';
import { exportFormat, type ExportFormat } from './formats';
import { writeGeoPackage } from './gpkg';
import { writeKml } from './kml';

/** The limits of downloads (README, "Exports"). */
export interface ExportLimits {
  /** The most features one download may hold. */
  exportMaxFeatures: number;
  /** Downloads one server writes at a time; one more is SERVICE_UNAVAILABLE (503, Retry-After). */
  exportsAtOnce: number;
}

/** Rows read per statement: a page of the keyset walk through the layer. */
export const EXPORT_BATCH = 5000;

const ENCODING: Record<ExportFormat, GeometryEncoding> = { gpkg: 'wkb', csv: 'wkt', kml: 'geojson' };

/** The schema with only the properties `properties` names, in its order (all of them when undefined). */
function selectedProperties(schema: LayerSchema, names: string[] | undefined): LayerSchema {
  if (!names) return schema;
  const byName = new Map(schema.properties.map((p) => [p.name, p]));
  return { ...schema, properties: names.flatMap((n) => byName.get(n) ?? []) };
}

/** The first page read before any byte is sent (so that an error is still an ordinary error response), then the rest. */
async function primed<T>(source: AsyncGenerator<T>): Promise<AsyncIterable<T>> {
  const first = await source.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* source;
  })();
}

/**
 * Downloads of a collection's features as GeoPackage, CSV or KML (`f=` on the items resource):
 * the features the same items parameters select (itemsFilters: bbox, datetime, the queryables as
 * parameters, the CQL2 filter, cursor; `properties` chooses the columns; not `sortby`, a 400), read under the request's grants like every other path, all of
 * them unless `limit` says fewer. Streamed: pages of EXPORT_BATCH rows by keyset, written out as
 * they come with the response's backpressure (a GeoPackage, which needs a file, goes to a
 * temporary file first and is then sent and deleted).
 */
export class ExportService {
  private running = 0;

  constructor(private readonly limits: ExportLimits) {}

  async send(r: OgcRequest, collectionId: string, p: ItemsParams & { format: ExportFormat }, req: Request, res: Response): Promise<void> {
    const c = readableCollection(r, collectionId);
    const format = exportFormat(p.format);
    if (p.format === 'kml' && p.crs.uri !== CRS84) {
      // Part 2 /per/crs/fc-crs-action: a format that cannot carry the CRS may refuse it.
      throw badInput(`crs: KML is always WGS 84 longitude/latitude (${CRS84}); leave crs out for f=kml`);
    }
    if (p.sortby !== undefined) {
      throw badInput(
        `sortby: downloads (f=${p.format}) are written in id order, read in pages by keyset on the id; leave sortby out (and sort in the GIS), or page through the items with sortby`,
      );
    }
    // The very selection of the items pages: bbox, datetime, queryables, the CQL2 filter, properties, cursor.
    const { filters, selection } = await itemsFilters(r, c, p);
    // A GeoPackage is an SQLite file: where this Node.js has no SQLite, say so before reading anything.
    if (p.format === 'gpkg') requireSqlite();
    const layer = c.layer(r.db, r.access);
    const repo = new ExportLayerRepository(r.db, layer, r.access, p.crs, ENCODING[p.format]).readAsOf(selection.asOf);
    const matched = await repo.count(filters);
    if (Math.min(matched, p.limit) > this.limits.exportMaxFeatures) {
      throw badInput(
        `${matched} features of ${c.id} match, more than the ${this.limits.exportMaxFeatures} one download may hold: narrow it with bbox, or download it in parts with limit (and cursor)`,
      );
    }
    if (this.running >= this.limits.exportsAtOnce) {
      throw new AppError('SERVICE_UNAVAILABLE', `the server is writing ${this.running} downloads, as many as it writes at once; try again shortly`);
    }
    this.running++;
    try {
      const schema = selectedProperties(await layerSchema(r.db, r.access, c), selection.properties);
      const rows = repo.rows(filters, { limit: p.limit, afterId: selection.afterId, batch: EXPORT_BATCH });
      const name = `${c.id}${p.crs.srid === 4326 ? '' : `-epsg${p.crs.srid}`}.${format.ext}`;
      const headers = () => {
        cacheHeaders(res, r.access);
        res.setHeader('content-type', format.media);
        res.setHeader('content-disposition', `attachment; filename="${name}"`);
        res.setHeader('content-crs', `<${p.format === 'kml' ? CRS84 : p.crs.uri}>`);
      };
      if (p.format === 'gpkg') {
        await this.sendGeoPackage(repo, schema, rows, c.id.replace(/-/g, '_'), p.crs.srid, req, res, headers);
        return;
      }
      const pages = await primed(rows);
      headers();
      await (p.format === 'csv' ? writeCsv(schema, pages, res) : writeKml(schema, pages, res));
    } finally {
      this.running--;
    }
  }

  private async sendGeoPackage(
    repo: ExportLayerRepository<unknown>,
    schema: Awaited<ReturnType<typeof layerSchema>>,
    rows: AsyncIterable<ExportRow[]>,
    table: string,
    srid: number,
    req: Request,
    res: Response,
    headers: () => void,
  ): Promise<void> {
    const dir = await mkdtemp(path.join(tmpdir(), 'kbs-gpkg-'));
    try {
      const file = path.join(dir, `${table}.gpkg`);
      const [srs, wgs84] = await Promise.all([repo.spatialRefSys(srid), repo.spatialRefSys(4326)]);
      const gone = () => req.destroyed || res.destroyed;
      await writeGeoPackage(schema, rows, {
        file,
        table,
        srs,
        wgs84,
        check: () => {
          if (gone()) throw new AppError('BAD_REQUEST', 'the client closed the connection');
        },
      });
      if (gone()) return;
      headers();
      res.setHeader('content-length', (await stat(file)).size);
      await pipeline(createReadStream(file), res);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
