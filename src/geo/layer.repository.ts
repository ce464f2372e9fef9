import type { Knex } from 'knex';
import type { Cursor } from '../common/pagination/cursor';
import { nearestPoint, type NearestOrder, type SpatialPredicate } from './spatial-filter';

/** Decimal digits of output coordinates: about 1 mm either way. */
export const GEOGRAPHIC_DIGITS = 8;
export const PROJECTED_DIGITS = 3;

/** How a layer's table maps to its GraphQL type, and how its attribute filter becomes SQL. */
export interface LayerDefinition<F> {
  table: string;
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

export interface PagedRow<R> {
  row: R;
  distanceMeters: number | null;
}

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
    for (const predicate of q.predicates) qb.where(predicate(this.db, this.geom));
    if (q.nearest?.maxDistanceMeters != null) {
      qb.where(
        this.db.raw('ST_DWithin((??)::geography, ?, ?)', [this.geom, nearestPoint(this.db, q.nearest), q.nearest.maxDistanceMeters]),
      );
    }
    return qb;
  }

  /** One page, plus whether more follow. */
  async page(q: ListQuery<F>): Promise<{ rows: PagedRow<R>[]; hasNextPage: boolean }> {
    const qb = this.filtered(q).select(this.selectList());
    if (q.nearest) {
      const point = nearestPoint(this.db, q.nearest);
      qb.select(this.db.raw('ST_Distance((??)::geography, ?) AS "distanceMeters"', [this.geom, point]))
        .orderByRaw('(??)::geography <-> ?', [this.geom, point])
        .orderBy(this.col('id'))
        .offset(q.after?.kind === 'offset' ? q.after.offset : 0);
    } else {
      if (q.after?.kind === 'id') qb.where(this.col('id'), '>', q.after.id);
      qb.orderBy(this.col('id'));
    }
    const rows = (await qb.limit(q.first + 1)) as (R & { distanceMeters?: number })[];
    const hasNextPage = rows.length > q.first;
    return {
      rows: rows.slice(0, q.first).map(({ distanceMeters, ...row }) => ({
        row: row as unknown as R,
        distanceMeters: distanceMeters ?? null,
      })),
      hasNextPage,
    };
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
