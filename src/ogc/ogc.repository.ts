import type { Knex } from 'knex';
import type { Access } from '../common/auth/access';
import { LayerRepository, type LayerDefinition, type LayerRow } from '../geo/layer.repository';
import type { OgcCrs } from './crs';

/** A feature row: the layer's selectList (id, attributes, GeoJSON geometry, withheld fields). */
export type OgcRow = LayerRow & Record<string, unknown>;

/** [minx, miny, maxx, maxy] in CRS84. */
export type Bbox = [number, number, number, number];

/**
 * A map layer read for OGC API Features: the very SQL of the GraphQL lists (the shared layer
 * repository on the layer's own definition, so the same read scope, sensitive fields and page
 * query), with the geometry written in the CRS asked for.
 */
export class OgcLayerRepository<F> extends LayerRepository<OgcRow, F> {
  constructor(
    db: Knex,
    layer: LayerDefinition<F>,
    access: Access,
    private readonly crs: OgcCrs,
  ) {
    super(db, layer, access);
  }

  protected override geometrySelect(): Knex.Raw {
    const { srid, swapAxes, digits } = this.crs;
    if (srid === 4326 && !swapAxes) return super.geometrySelect();
    const geometry = srid === 4326 ? this.db.raw('??', [this.geom]) : this.db.raw('ST_Transform(??, ?::int)', [this.geom, srid]);
    // Options 0: no `crs` member in the geometry; the Content-Crs header names the CRS.
    return this.db.raw('? AS geometry', [this.geoJson(geometry, digits, { options: 0, swapAxes })]);
  }

  /** The feature with this id, if the request may read it. */
  async one(id: number): Promise<OgcRow | undefined> {
    return (await this.byIds([id]))[0];
  }

  /** One row: the extent (CRS84) of the features this request may read, under `name`. */
  extentQuery(name: string): Knex.QueryBuilder {
    return this.scoped().select(
      this.db.raw('?::text AS name', [name]),
      this.db.raw('ST_XMin(ST_Extent(??)) AS minx, ST_YMin(ST_Extent(??)) AS miny', [this.geom, this.geom]),
      this.db.raw('ST_XMax(ST_Extent(??)) AS maxx, ST_YMax(ST_Extent(??)) AS maxy', [this.geom, this.geom]),
    );
  }
}

/** The extents of several layers in one statement; null for a layer with no readable feature. */
export async function extents(db: Knex, layers: { name: string; repo: OgcLayerRepository<unknown> }[]): Promise<Map<string, Bbox | null>> {
  const result = new Map<string, Bbox | null>();
  if (layers.length === 0) return result;
  const queries = layers.map((l) => l.repo.extentQuery(l.name));
  const { rows } = await db.raw(queries.map(() => '(?)').join(' UNION ALL '), queries);
  for (const r of rows as { name: string; minx: number | null; miny: number; maxx: number; maxy: number }[]) {
    result.set(r.name, r.minx === null ? null : [r.minx, r.miny, r.maxx, r.maxy]);
  }
  return result;
}
