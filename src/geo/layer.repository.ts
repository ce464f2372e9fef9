import type { Knex } from 'knex';
import { layerTarget, type Access, type ScopeTarget } from '../common/auth/access';
import { Action, SENSITIVE_FIELDS, type Resource } from '../common/auth/resources';
import type { Cursor } from '../common/pagination/cursor';
import { EDGE_MARGIN, geodesicDistance, SPHERE_MARGIN, sphericalReach, withinDistance, type GeometryOperand } from './geodesy';
import { geoJsonSql } from './geojson-sql';
import { nearestPoint, operand, type GeometryColumn, type NearestOrder, type SpatialPredicate } from './spatial-filter';

/** The table that keeps every version of the rows of `table` (see migration 20261203000100). */
export const historyTable = (table: string): string => `${table}_history`;

/**
 * The versions of `alias` (a history table) valid at `instant`: the range the history's GiST
 * indexes hold beside the geometry (a null end is open), and the same on the columns for the
 * (id, valid_from) index.
 */
export const validAt = (db: Knex, alias: string, instant: Date): Knex.Raw =>
  db.raw('(tstzrange(??.valid_from, ??.valid_to) @> ?::timestamptz AND ??.valid_from <= ?)', [alias, alias, instant, alias, instant]);

/** Decimal digits of output coordinates: about 1 mm either way. */
export const GEOGRAPHIC_DIGITS = 8;
export const PROJECTED_DIGITS = 3;

/** How a layer's table maps to its GraphQL type, and how its attribute filter becomes SQL. */
export interface LayerDefinition<F> {
  table: string;
  /** The resource grants name for this layer. */
  resource: Resource;
  /** Declared type of the geom column, as PostGIS names it (POINT, LINESTRING, MULTIPOLYGON, ...). */
  geometryType: string;
  /**
   * GraphQL field name -> column of `table`; the fields of create and update inputs are the same
   * names. The LayerFeature fields (id, version, timestamps, owner, public flag) are always selected.
   */
  columns: Record<string, string>;
  /** Computed columns: GraphQL field name -> SQL expression over `table`. */
  computed?: Record<string, string>;
  /**
   * The fields of `columns` that hold the id of a row of another table (foreign keys), and what
   * they point to. Every output gives such an id only when the request may read the row it names
   * (null otherwise), as the GraphQL relation does. Ids of org units need none: anyone reads those.
   */
  references?: Record<string, Referenced>;
  /** Adds the attribute filter's conditions; `col` qualifies a column name with the table. */
  applyFilter(qb: Knex.QueryBuilder, filter: F, col: (column: string) => string): void;
}

/** The rows a foreign key points to: their resource, their table (keyed by `id`), and its scope columns. */
export interface Referenced {
  resource: Resource;
  table: string;
  /** The columns a grant's limits refer to, qualified with `table` itself. */
  target: ScopeTarget;
  /** The column that names a row for people (a unique code), by which a bulk import may refer to it besides its id. */
  code?: string;
  /** Every request may read these rows (org units), whatever its grants. */
  readByAll?: boolean;
}

/** The rows of a layer (or register with a geometry), as a foreign key points to them. */
export const layerReferenced = (resource: Resource, table: string, code?: string): Referenced => ({ resource, table, target: layerTarget(table), code });

/** A list request after validation: what to filter, how to order, which page. */
export interface ListQuery<F> {
  filter?: F | null;
  predicates: SpatialPredicate[];
  nearest?: NearestOrder;
  first: number;
  after?: Cursor;
  /** The fields the query selects on the rows (undefined: all of them). */
  fields?: ReadonlySet<string>;
  /**
   * Count every row that passes the filters in the page's own statement (a window over the same
   * scan), for a first page ordered by id whose query also asks for totalCount.
   */
  withTotal?: boolean;
}

export type Filters<F> = Pick<ListQuery<F>, 'filter' | 'predicates' | 'nearest'>;

export interface LayerRow {
  id: number;
  /**
   * The geometry as geometrySelect() reads it: GeoJSON text from PostGIS for the GraphQL answers
   * (geometryAsText), parsed GeoJSON for the repositories that build other documents from it.
   */
  geometry: unknown;
  /** Sensitive fields withheld from this request on this row (see SENSITIVE_FIELDS). */
  withheld?: string[] | null;
}

/** The columns every layer table has besides its own: GraphQL field name -> column. */
export const COMMON_COLUMNS: Record<string, string> = {
  ownerOrgUnitId: 'owner_org_unit_id',
  isPublic: 'is_public',
};

/** Fields of every layer row that selectList() reads or knows it need not read. */
const ALWAYS_KNOWN = new Set(['id', 'version', 'createdAt', 'updatedAt', 'geometry', '__typename']);

/** A row of a page; `distanceMeters` is set when the page is ordered by distance. */
export type PagedRow<R> = R & { distanceMeters?: number };

/**
 * The SQL every layer shares: filtered, spatially restricted, paged lists; counts; rows by id;
 * geometry in another SRID; and pages of features inside each of several regions (for nested
 * fields). One copy of this, parameterised by the layer definition.
 *
 * Every statement it reads with carries the request's read scope (its grants as SQL): a row
 * outside it is in no list, count, relation or lookup by id. Sensitive fields are selected only
 * on rows where a grant reveals them.
 */
export class LayerRepository<R extends LayerRow, F> {
  /** The rows this request may read; null for all of them. */
  protected readonly readScope: Knex.Raw | null;

  constructor(
    protected readonly db: Knex | Knex.Transaction,
    readonly layer: LayerDefinition<F>,
    protected readonly access: Access,
  ) {
    this.readScope = access.condition(db as Knex, layer.resource, Action.READ, layerTarget(layer.table));
  }

  /** The instant the rows are read as of (see readAsOf()); null: as they are now. */
  protected asOf: Date | null = null;

  protected col = (column: string): string => `${this.layer.table}.${column}`;

  /**
   * Reads the rows as they were at `instant` (null: now): each row's version valid then, from the
   * layer's `_history` table under the table's own name, so that every filter, scope and
   * computed column of the layer applies to the geometry and attributes of that time. Grants are
   * today's.
   */
  readAsOf(instant: Date | null | undefined): this {
    this.asOf = instant ?? null;
    return this;
  }

  /** The layer's rows: the table, or the versions valid at asOf under the table's name. */
  protected source(): Knex.QueryBuilder {
    const { table } = this.layer;
    if (!this.asOf) return this.db(table);
    return this.db({ [table]: historyTable(table) }).where(validAt(this.db as Knex, table, this.asOf));
  }

  /** The layer's table, restricted to the rows this request may read. */
  protected scoped(qb: Knex.QueryBuilder = this.source()): Knex.QueryBuilder {
    if (this.readScope) qb.where(this.readScope);
    return qb;
  }

  protected get geom(): string {
    return this.col('geom');
  }

  protected get geometryColumn(): GeometryColumn {
    return { name: this.geom, points: this.layer.geometryType === 'POINT' };
  }

  /**
   * The columns of a row. With `fields` (what a page's query selects, see selectedNodeFields) the
   * costly parts are read only when asked for: timestamps, computed columns (geodesic areas),
   * geometry, sensitive fields with their withheld list, and foreign keys checked against the
   * reader's scope. When the query selects a field the layer's columns do not name (a relation
   * resolved from the row), every plain column is read, since it may need any of them.
   */
  protected selectList(fields?: ReadonlySet<string>): (string | Knex.Raw)[] {
    const { table, columns, computed = {} } = this.layer;
    const plain = { ...COMMON_COLUMNS, ...columns };
    const known = (f: string) => f in plain || f in computed || ALWAYS_KNOWN.has(f);
    const resolved = !fields || [...fields].some((f) => !known(f));
    const wants = (f: string) => !fields || fields.has(f);
    const list: (string | Knex.Raw)[] = [`${table}.id as id`, `${table}.version as version`];
    if (wants('createdAt')) list.push(`${table}.created_at as createdAt`);
    if (wants('updatedAt')) list.push(`${table}.updated_at as updatedAt`);
    const sensitive = SENSITIVE_FIELDS[this.layer.resource] ?? [];
    const withheld: Knex.Raw[] = [];
    for (const [field, column] of Object.entries(plain)) {
      if (!resolved && !fields!.has(field)) continue;
      const revealed = sensitive.includes(field)
        ? this.access.condition(this.db as Knex, this.layer.resource, Action.READ, layerTarget(table), field)
        : null;
      if (revealed === null) {
        list.push(this.columnSelect(field));
      } else {
        list.push(this.db.raw('CASE WHEN ? THEN ?? END AS ??', [revealed, this.col(column), field]));
        withheld.push(this.db.raw('CASE WHEN ? THEN NULL ELSE ?::text END', [revealed, field]));
      }
    }
    for (const [field, expr] of Object.entries(computed)) if (wants(field)) list.push(this.db.raw(`${expr} AS ??`, [field]));
    if (wants('geometry')) list.push(this.geometrySelect());
    if (withheld.length) {
      list.push(this.db.raw(`array_remove(ARRAY[${withheld.map(() => '?').join(', ')}], NULL) AS withheld`, withheld));
    }
    return list;
  }

  /**
   * A plain column of the layer as its GraphQL field. A foreign key (see `references`) is the id
   * only where the request may read the row it names, checked in SQL against that row; null
   * elsewhere, so no output carries the id of a row the reader may not open.
   */
  protected columnSelect(field: string): string | Knex.Raw {
    const column = this.col(COMMON_COLUMNS[field] ?? this.layer.columns[field]);
    const ref = this.layer.references?.[field];
    if (!ref) return `${column} as ${field}`;
    if (!this.access.can(ref.resource, Action.READ)) return this.db.raw('NULL::int AS ??', [field]);
    const scope = this.access.condition(this.db as Knex, ref.resource, Action.READ, ref.target);
    if (scope === null) return `${column} as ${field}`;
    return this.db.raw('CASE WHEN EXISTS (SELECT 1 FROM ?? WHERE ?? = ?? AND ?) THEN ?? END AS ??', [
      ref.table,
      `${ref.table}.id`,
      column,
      scope,
      column,
      field,
    ]);
  }

  /** The `geometry` column of selectList(): GeoJSON in EPSG:4326 (OGC API Features reads other CRSs). */
  /**
   * Whether rows carry their geometry as PostGIS's GeoJSON text, which the GeoJSON scalar passes into
   * the answer as it is (geojson-text.ts), instead of json parsed by the driver. True for the rows
   * GraphQL answers with; false in the repositories whose statements or code read the geometry as
   * GeoJSON (feature collections, OGC API, history, tiles).
   */
  protected readonly geometryAsText: boolean = true;

  /** The row's geometry in EPSG:4326 as GeoJSON: text or json, as geometryAsText says. */
  protected geometrySelect(): Knex.Raw {
    return this.db.raw('? AS geometry', [this.geoJson(this.db.raw('??', [this.geom]), GEOGRAPHIC_DIGITS, { text: this.geometryAsText })]);
  }

  /** GeoJSON of a geometry expression of this layer (RFC 7946 ring order). */
  protected geoJson(geometry: Knex.Raw, digits: number, options: { options?: number; swapAxes?: boolean; text?: boolean } = {}): Knex.Raw {
    return geoJsonSql(this.db, geometry, digits, { ...options, geometryType: this.layer.geometryType });
  }

  /** This layer's geometry as an operand of the geodesic helpers. */
  protected get geometryOperand(): GeometryOperand {
    return operand(this.db as Knex, this.geometryColumn);
  }

  /** The layer's rows that pass the attribute and spatial filters. */
  protected filtered(q: Filters<F>, qb: Knex.QueryBuilder = this.scoped()): Knex.QueryBuilder {
    if (q.filter) this.layer.applyFilter(qb, q.filter, this.col);
    for (const predicate of q.predicates) qb.where(predicate(this.db, this.geometryColumn));
    if (q.nearest?.maxDistanceMeters != null) {
      const point = { sql: nearestPoint(this.db as Knex, q.nearest), point: true };
      qb.where(withinDistance(this.db as Knex, this.geometryOperand, point, q.nearest.maxDistanceMeters));
    }
    return qb;
  }

  /** One page, plus whether more follow. */
  async page(q: ListQuery<F>): Promise<{ rows: PagedRow<R>[]; hasNextPage: boolean; total?: number }> {
    const rows = (q.nearest ? await this.nearestPage(q, q.nearest) : await this.idPage(q)) as (PagedRow<R> & { __total?: number })[];
    let total: number | undefined;
    if (this.countsInPage(q)) {
      total = rows.length ? Number(rows[0].__total) : 0;
      for (const row of rows) delete row.__total;
    }
    // One row more than asked was read to know whether another page follows.
    const hasNextPage = rows.length > q.first;
    if (hasNextPage) rows.length = q.first;
    return { rows, hasNextPage, total };
  }

  /** Whether the page's statement counts the rows too (see ListQuery.withTotal). */
  private countsInPage(q: ListQuery<F>): boolean {
    return !!q.withTotal && !q.nearest && !q.after;
  }

  private idPage(q: ListQuery<F>): Promise<unknown[]> {
    const qb = this.filtered(q).select(this.selectList(q.fields)).orderBy(this.col('id')).limit(q.first + 1);
    // The window is computed over every row that passes the filters before the limit applies.
    if (this.countsInPage(q)) qb.select(this.db.raw('count(*) OVER () AS "__total"'));
    if (q.after?.kind === 'id') qb.where(this.col('id'), '>', q.after.id);
    return qb;
  }

  /**
   * Nearest first, by exact geodesic distance, then id; pages by keyset on (distance, id), so none
   * repeats or skips a feature.
   *
   * The GiST index orders by spherical distance (KNN), which is not quite the ellipsoidal order; a
   * feature whose ellipsoidal distance is D lies within sphericalReach(D) on the sphere. So the index
   * gives a few more candidates than the page needs (KNN, ordered by the operator alone, so the index
   * walks outwards from the point), sorted by their exact distance: when the farthest of them is
   * beyond sphericalReach of the page's last, no other feature can be nearer, and the page is proven
   * in one statement. Otherwise (rarely) a second statement takes every feature within that reach
   * from the index and sorts them exactly.
   */
  private async nearestPage(q: ListQuery<F>, nearest: NearestOrder): Promise<unknown[]> {
    const db = this.db as Knex;
    const point = nearestPoint(db, nearest);
    const geography = db.raw('(?)::geography', [point]);
    const exact = geodesicDistance(db, this.geometryOperand, { sql: point, point: true });
    const distance = db.raw('? AS "distanceMeters"', [exact]);
    const after = q.after?.kind === 'distance' ? this.afterDistance(exact, geography, q.after) : null;
    const wanted = q.first + 1;
    const sphere = db.raw('(??)::geography <-> ?', [this.geom, geography]);
    const limit = wanted + Math.ceil(wanted / 2) + 4;
    const candidates = this.filtered(q).select(this.selectList(q.fields)).select(distance, db.raw('? AS "__sphere"', [sphere])).orderByRaw('?', [sphere]).limit(limit);
    if (after) candidates.where(after);
    const rows = ((await candidates) as NearestRow[]).sort(byDistance);
    const farthest = Math.max(...rows.map((r) => r.__sphere));
    if (rows.length < limit || farthest > sphericalReach(rows[wanted - 1].distanceMeters)) {
      return rows.slice(0, wanted).map(({ __sphere: _, ...row }) => row);
    }
    const reach = sphericalReach(rows[wanted - 1].distanceMeters);
    const page = this.filtered(q)
      .select(this.selectList(q.fields))
      .select(distance)
      .where(db.raw('ST_DWithin((??)::geography, ?, ?, false)', [this.geom, geography, reach]))
      .orderByRaw('"distanceMeters", ??', [this.col('id')])
      .limit(wanted);
    if (after) page.where(after);
    return page;
  }

  /**
   * Rows after the cursor in (distance, id) order. Off points, the spherical distance settles most
   * rows without the exact measurement: clearly farther, or clearly nearer.
   */
  private afterDistance(distance: Knex.Raw, geography: Knex.Raw, after: { distance: number; id: number }): Knex.Raw {
    const exact = this.db.raw('(?, ??) > (?::float8, ?::int)', [distance, this.col('id'), after.distance, after.id]);
    if (this.layer.geometryType === 'POINT') return exact;
    const sphere = this.db.raw('ST_Distance((??)::geography, ?, false)', [this.geom, geography]);
    return this.db.raw('(CASE WHEN ? > ? THEN true WHEN ? < ? THEN false ELSE ? END)', [
      sphere, sphericalReach(after.distance), sphere, (after.distance - EDGE_MARGIN) / (1 + SPHERE_MARGIN), exact,
    ]);
  }

  async count(q: Filters<F>): Promise<number> {
    const row = await this.filtered(q).count({ n: '*' }).first();
    return Number(row?.n ?? 0);
  }

  async byIds(ids: readonly number[]): Promise<R[]> {
    return (await this.scoped().select(this.selectList()).whereIn(this.col('id'), [...ids])) as R[];
  }

  /** Rows whose value in any of `columns` is one of `ids` (for relations held on this layer's rows). */
  async whereAnyIn(columns: string[], ids: readonly number[]): Promise<R[]> {
    return (await this.scoped()
      .select(this.selectList())
      .where((w) => {
        for (const column of columns) w.orWhereIn(this.col(column), [...ids]);
      })
      .orderBy(this.col('id'))) as R[];
  }

  /** Geometries transformed to another SRID. */
  async geometries(ids: readonly number[], srid: number, digits: number): Promise<{ id: number; geometry: unknown }[]> {
    const transformed = this.db.raw('ST_Transform(??, ?::int)', [this.geom, srid]);
    return this.scoped()
      .select(`${this.layer.table}.id as id`, this.db.raw('? AS geometry', [this.geoJson(transformed, digits)]))
      .whereIn(this.col('id'), [...ids]);
  }

  /**
   * For each anchor (a row of `anchorTable` with a `geom`), the first `first` features of this layer
   * related to it, with the total per anchor: one statement for all the anchors. `inside` relates
   * features that intersect the anchor (ordered by id); `withinMeters` those within that geodesic
   * distance of it (nearest first, with the distance).
   */
  async pagesPerAnchor(
    anchorTable: string,
    anchorIds: readonly number[],
    relation: { inside: true } | { withinMeters: number },
    q: Filters<F> & { first: number },
  ): Promise<Map<number, RegionPage<R>>> {
    const db = this.db as Knex;
    // Any geometry type: the SQL functions take the short way between two points themselves.
    const anchor = { sql: db.raw('anchor.geom'), point: false };
    const distance = geodesicDistance(db, this.geometryOperand, anchor);
    const [join, order] =
      'inside' in relation
        ? [db.raw('ST_Intersects(anchor.geom, ??)', [this.geom]), db.raw('??', [this.col('id')])]
        : [withinDistance(db, this.geometryOperand, anchor, relation.withinMeters), db.raw('?, ??', [distance, this.col('id')])];
    const inner = this.filtered(q)
      .join(`${anchorTable} as anchor`, join)
      .whereIn('anchor.id', [...anchorIds])
      .select(this.selectList())
      .select(
        this.db.raw('anchor.id AS "anchorId"'),
        this.db.raw('count(*) OVER (PARTITION BY anchor.id) AS "anchorTotal"'),
        this.db.raw('row_number() OVER (PARTITION BY anchor.id ORDER BY ?) AS "anchorRow"', [order]),
      );
    if ('withinMeters' in relation) inner.select(this.db.raw('? AS "distanceMeters"', [distance]));
    // At least one row per anchor, even for first = 0: it carries the anchor's total.
    const { rows } = await this.db.raw('SELECT * FROM (?) AS s WHERE s."anchorRow" <= ? ORDER BY s."anchorId", s."anchorRow"', [
      inner,
      Math.max(q.first, 1),
    ]);
    const result = new Map<number, RegionPage<R>>();
    for (const id of anchorIds) result.set(id, { rows: [], total: 0 });
    for (const { anchorId, anchorTotal, anchorRow, ...row } of rows as (R & AnchorColumns)[]) {
      const entry = result.get(anchorId)!;
      entry.total = Number(anchorTotal);
      if (anchorRow <= q.first) entry.rows.push(row as unknown as PagedRow<R>);
    }
    return result;
  }
}

/** A candidate of a nearest page: its exact distance, and its spherical one from the index. */
type NearestRow = { id: number; distanceMeters: number; __sphere: number };

const byDistance = (a: NearestRow, b: NearestRow) => a.distanceMeters - b.distanceMeters || a.id - b.id;

interface AnchorColumns {
  anchorId: number;
  anchorTotal: number;
  anchorRow: number;
}

/** The first features related to an anchor, and how many are related in all. */
export interface RegionPage<R> {
  rows: PagedRow<R>[];
  total: number;
}
