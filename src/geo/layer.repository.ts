import type { Knex } from 'knex';
import type { Cursor } from '../common/pagination/cursor';
import { nearestPoint, type GeometryColumn, type NearestOrder, type SpatialPredicate } from './spatial-filter';

/** Decimal digits of output coordinates: about 1 mm either way. */
export const GEOGRAPHIC_DIGITS = 8;
export const PROJECTED_DIGITS = 3;

/** How a layer's table maps to its GraphQL type, and how its attribute filter becomes SQL. */
export interface LayerDefinition<F> {
  table: string;
  /** Declared type of the geom column, as PostGIS names it (POINT, LINESTRING, MULTIPOLYGON, ...). */
  geometryType: string;
  /** GraphQL field name -> column of `table`. `id` is always selected. */
  columns: Record<string, string>;
  /** Computed columns: GraphQL field name -> SQL expression over `table`. */
  computed?: Record<string, string>;
  /** Adds the attribute filter's conditions; `col` qualifies a column name with the table. */
  applyFilter(qb: Knex.QueryBuilder, filter: F, col: (column: string) => string): void;
}

/** A list request after validation: what to filter, how to order, which page. */
export interface ListQuery<F> {
  filter?: F | null;
  predicates: SpatialPredicate[];
  nearest?: NearestOrder;
  first: number;
  after?: Cursor;
}

export type Filters<F> = Pick<ListQuery<F>, 'filter' | 'predicates' | 'nearest'>;

export interface LayerRow {
  id: number;
  geometry: unknown;
}

/** A row of a page; `distanceMeters` is set when the page is ordered by distance. */
export type PagedRow<R> = R & { distanceMeters?: number };

/**
 * The SQL every layer shares: filtered, spatially restricted, paged lists; counts; rows by id;
 * geometry in another SRID; and pages of features inside each of several regions (for nested
 * fields). One copy of this, parameterised by the layer definition.
 */
export class LayerRepository<R extends LayerRow, F> {
  constructor(
    protected readonly db: Knex,
    protected readonly layer: LayerDefinition<F>,
  ) {}

  protected col = (column: string): string => `${this.layer.table}.${column}`;

  protected get geom(): string {
    return this.col('geom');
  }

  protected get geometryColumn(): GeometryColumn {
    return { name: this.geom, points: this.layer.geometryType === 'POINT' };
  }

  protected selectList(): (string | Knex.Raw)[] {
    const { table, columns, computed = {} } = this.layer;
    const list: (string | Knex.Raw)[] = [`${table}.id as id`];
    for (const [field, column] of Object.entries(columns)) list.push(`${table}.${column} as ${field}`);
    for (const [field, expr] of Object.entries(computed)) list.push(this.db.raw(`${expr} AS ??`, [field]));
    list.push(this.db.raw(`ST_AsGeoJSON(??, ${GEOGRAPHIC_DIGITS})::json AS geometry`, [this.geom]));
    return list;
  }

  /** The layer's rows that pass the attribute and spatial filters. */
  protected filtered(q: Filters<F>, qb: Knex.QueryBuilder = this.db(this.layer.table)): Knex.QueryBuilder {
    if (q.filter) this.layer.applyFilter(qb, q.filter, this.col);
    for (const predicate of q.predicates) qb.where(predicate(this.db, this.geometryColumn));
    if (q.nearest?.maxDistanceMeters != null) {
      qb.where(
        this.db.raw('ST_DWithin((??)::geography, ?, ?)', [this.geom, nearestPoint(this.db, q.nearest), q.nearest.maxDistanceMeters]),
      );
    }
    return qb;
  }

  /** One page, plus whether more follow. */
  async page(q: ListQuery<F>): Promise<{ rows: PagedRow<R>[]; hasNextPage: boolean }> {
    const rows = (q.nearest ? await this.nearestPage(q, q.nearest) : await this.idPage(q)) as PagedRow<R>[];
    // One row more than asked was read to know whether another page follows.
    const hasNextPage = rows.length > q.first;
    if (hasNextPage) rows.length = q.first;
    return { rows, hasNextPage };
  }

  private idPage(q: ListQuery<F>): Promise<unknown[]> {
    const qb = this.filtered(q).select(this.selectList()).orderBy(this.col('id')).limit(q.first + 1);
    if (q.after?.kind === 'id') qb.where(this.col('id'), '>', q.after.id);
    return qb;
  }

  /**
   * Nearest first. The inner query orders by the geography KNN operator alone, so the GiST index
   * on geom::geography walks outwards from the point (a secondary sort key would turn that into a
   * scan of the whole layer); the outer query then orders those few candidates by their exact
   * ellipsoidal distance, and by id on ties, so the distances on the page never decrease.
   */
  private async nearestPage(q: ListQuery<F>, nearest: NearestOrder): Promise<unknown[]> {
    const offset = q.after?.kind === 'offset' ? q.after.offset : 0;
    const point = nearestPoint(this.db, nearest);
    const candidates = this.filtered(q)
      .select(this.selectList())
      .select(this.db.raw('ST_Distance((??)::geography, ?) AS "distanceMeters"', [this.geom, point]))
      .orderByRaw('(??)::geography <-> ?', [this.geom, point])
      .limit(offset + q.first + 1);
    const { rows } = await this.db.raw('SELECT * FROM (?) AS nearest ORDER BY "distanceMeters", id OFFSET ?', [candidates, offset]);
    return rows;
  }

  async count(q: Filters<F>): Promise<number> {
    const row = await this.filtered(q).count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  async byIds(ids: readonly number[]): Promise<R[]> {
    return (await this.db(this.layer.table).select(this.selectList()).whereIn(this.col('id'), [...ids])) as R[];
  }

  /** Geometries transformed to another SRID. */
  async geometries(ids: readonly number[], srid: number, digits: number): Promise<{ id: number; geometry: unknown }[]> {
    return this.db(this.layer.table)
      .select(`${this.layer.table}.id as id`, this.db.raw(`ST_AsGeoJSON(ST_Transform(??, ?::int), ?::int)::json AS geometry`, [this.geom, srid, digits]))
      .whereIn(this.col('id'), [...ids]);
  }

  /**
   * For each region (a row of `regionTable` with a `geom`), the first `first` features of this layer
   * that intersect it (by id), with the total per region: one statement for all the regions.
   */
  async pagesWithin(
    regionTable: string,
    regionIds: readonly number[],
    q: Filters<F> & { first: number },
  ): Promise<Map<number, RegionPage<R>>> {
    const inner = this.filtered(q)
      .join(`${regionTable} as region`, this.db.raw('ST_Intersects(region.geom, ??)', [this.geom]))
      .whereIn('region.id', [...regionIds])
      .select(this.selectList())
      .select(
        this.db.raw('region.id AS "regionId"'),
        this.db.raw('count(*) OVER (PARTITION BY region.id) AS "regionTotal"'),
        this.db.raw(`row_number() OVER (PARTITION BY region.id ORDER BY ??) AS "regionRow"`, [this.col('id')]),
      );
    const { rows } = await this.db.raw('SELECT * FROM (?) AS s WHERE s."regionRow" <= ? ORDER BY s."regionId", s.id', [
      inner,
      q.first + 1,
    ]);
    const result = new Map<number, RegionPage<R>>();
    for (const id of regionIds) result.set(id, { rows: [], total: 0 });
    for (const { regionId, regionTotal, regionRow, ...row } of rows as (R & RegionColumns)[]) {
      const entry = result.get(regionId)!;
      entry.total = Number(regionTotal);
      if (Number(regionRow) <= q.first) entry.rows.push(row as unknown as R);
    }
    return result;
  }
}

interface RegionColumns {
  regionId: number;
  regionTotal: number;
  regionRow: number;
}

/** A region's first features and how many it holds in all. */
export interface RegionPage<R> {
  rows: R[];
  total: number;
}
