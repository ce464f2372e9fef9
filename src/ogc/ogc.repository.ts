import type { Knex } from 'knex';
import { layerTarget, type Access } from '../common/auth/access';
import { Action, SENSITIVE_FIELDS } from '../common/auth/resources';
import { COMMON_COLUMNS, LayerRepository, type LayerDefinition, type LayerRow, type ListQuery } from '../geo/layer.repository';
import type { OgcCrs } from './crs';
import { keysetAfter, type SortKey } from './sorting';

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
  // Its statements and code read the geometry as GeoJSON (see LayerRepository.geometryAsText).
  protected override readonly geometryAsText = false;

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

  /**
   * One row: the extent (CRS84) of the features this request may read, under `name`, and the first
   * and last value of `time` (a date or timestamp column) among them, in UTC, as text.
   */
  extentQuery(name: string, time: { column: string; date: boolean }): Knex.QueryBuilder {
    const t = this.col(time.column);
    // A date spans its whole day (UTC); a timestamp is an instant, written in UTC, to the second.
    const [first, last] = time.date
      ? [`to_char(min(??), 'YYYY-MM-DD"T00:00:00Z"')`, `to_char(max(??), 'YYYY-MM-DD"T23:59:59Z"')`]
      : [
          `to_char(min(??) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
          // Rounded up to the second, so that the interval holds the last instant.
          `to_char(date_trunc('second', (max(??) AT TIME ZONE 'UTC') + interval '999999 microseconds'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
        ];
    return this.scoped().select(
      this.db.raw('?::text AS name', [name]),
      this.db.raw('ST_XMin(ST_Extent(??)) AS minx, ST_YMin(ST_Extent(??)) AS miny', [this.geom, this.geom]),
      this.db.raw('ST_XMax(ST_Extent(??)) AS maxx, ST_YMax(ST_Extent(??)) AS maxy', [this.geom, this.geom]),
      this.db.raw(`${first} AS tmin, ${last} AS tmax`, [t, t]),
    );
  }

  /**
   * The SQL of a property's value exactly as this request reads it (see selectList): a sensitive
   * field only where a grant reveals it, a foreign key only where the row it names is readable, null
   * elsewhere. So a filter or an order on it sees what the response shows, and no more. Undefined
   * for a property the request can never read (no grant reveals it), and for unknown names.
   */
  valueSql(field: string): Knex.Raw | undefined {
    const db = this.db as Knex;
    const { table, resource, columns, computed = {}, references = {} } = this.layer;
    const always: Record<string, string> = { id: 'id', version: 'version', createdAt: 'created_at', updatedAt: 'updated_at' };
    if (field in always) return db.raw('??', [this.col(always[field])]);
    if (field in computed) return db.raw(`(${computed[field]})`);
    const column = COMMON_COLUMNS[field] ?? columns[field];
    if (column === undefined) return undefined;
    const value = db.raw('??', [this.col(column)]);
    if ((SENSITIVE_FIELDS[resource] ?? []).includes(field)) {
      if (!this.access.grantsFor(resource, Action.READ).some((g) => g.fields.includes(field))) return undefined;
      const revealed = this.access.condition(db, resource, Action.READ, layerTarget(table), field);
      return revealed === null ? value : db.raw('(CASE WHEN ? THEN ? END)', [revealed, value]);
    }
    const ref = references[field];
    if (ref) {
      if (!this.access.can(ref.resource, Action.READ)) return undefined;
      const scope = this.access.condition(db, ref.resource, Action.READ, ref.target);
      if (scope === null) return value;
      return db.raw('(CASE WHEN EXISTS (SELECT 1 FROM ?? WHERE ?? = ? AND ?) THEN ? END)', [ref.table, `${ref.table}.id`, value, scope, value]);
    }
    return value;
  }

  /**
   * One page ordered by `keys` (the last of which is the id, so the order is total), after the row
   * a keyset cursor names: never a row twice nor one skipped while the rows stand still. Each row
   * carries its keys as text (`__keys`) for the next cursor. One more row than asked is read, to
   * know whether another page follows.
   */
  async sortedPage(q: ListQuery<F>, keys: SortKey[], after: (string | null)[] | undefined): Promise<{ rows: (OgcRow & { __keys: (string | null)[] })[]; hasNextPage: boolean }> {
    const db = this.db as Knex;
    const qb = this.filtered(q).select(this.selectList(q.fields));
    qb.select(db.raw(`ARRAY[${keys.map(() => '(?)::text').join(', ')}] AS "__keys"`, keys.map((k) => k.sql)));
    for (const k of keys) qb.orderByRaw(`? ${k.descending ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`, [k.sql]);
    if (after) qb.where(keysetAfter(db, keys, after));
    const rows = (await qb.limit(q.first + 1)) as (OgcRow & { __keys: (string | null)[] })[];
    const hasNextPage = rows.length > q.first;
    if (hasNextPage) rows.length = q.first;
    return { rows, hasNextPage };
  }
}

/** The extents of several layers in one statement; nulls for a layer with no readable feature (or no time). */
export async function extents(
  db: Knex,
  layers: { name: string; repo: OgcLayerRepository<unknown>; time: { column: string; date: boolean } }[],
): Promise<Map<string, Extent>> {
  const result = new Map<string, Extent>();
  if (layers.length === 0) return result;
  const queries = layers.map((l) => l.repo.extentQuery(l.name, l.time));
  const { rows } = await db.raw(queries.map(() => '(?)').join(' UNION ALL '), queries);
  for (const r of rows as { name: string; minx: number | null; miny: number; maxx: number; maxy: number; tmin: string | null; tmax: string | null }[]) {
    result.set(r.name, { bbox: r.minx === null ? null : [r.minx, r.miny, r.maxx, r.maxy], interval: r.tmin === null ? null : [r.tmin, r.tmax!] });
  }
  return result;
}

/** What a collection's features span: in space (CRS84) and in time (UTC); null for none readable. */
export interface Extent {
  bbox: Bbox | null;
  interval: [string, string] | null;
}
