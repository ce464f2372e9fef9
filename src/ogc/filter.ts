import type { Knex } from 'knex';
import type { Access } from '../common/auth/access';
import { badInput } from '../common/errors/app-error';
import { dateProblem } from '../common/input/date.scalar';
import { decodeCursor } from '../common/pagination/cursor';
import type { GeoService } from '../geo/geo.service';
import { COMMON_COLUMNS } from '../geo/layer.repository';
import type { SpatialPredicate } from '../geo/spatial-filter';
import type { OgcCollection } from './collections';
import { parseFilter } from './cql2/parser';
import { cql2ToSql, isTimestamp } from './cql2/to-sql';
import { datetimeCondition, parseDatetime } from './datetime';
import { checkAsOf, HISTORY_TABLES } from '../geo/history';
import type { OgcLayerRepository } from './ogc.repository';
import { PARAMETERS, type ItemsParams } from './params';
import { queryablesOf, temporalPropertyOf, type Queryable } from './queryables';
import { decodeSortCursor, parseSortby, type Sort } from './sorting';

/** What an items request selects, beyond bbox and paging: conditions, order, start, properties. */
export interface FeatureSelection {
  /** Conditions on the layer's rows (datetime, property equalities, the CQL2 filter), as predicates of the list query. */
  predicates: SpatialPredicate[];
  /** The order when `sortby` asks for one other than by id. */
  sort?: Sort;
  /** Where the page starts: after this id (order by id) or these keys (sorted). */
  afterId?: number;
  afterKeys?: (string | null)[];
  /** Read the features as they were at this instant (a `datetime` instant on a layer that keeps its history). */
  asOf?: Date;
  /** The properties to return (`properties`); undefined for all. */
  properties?: string[];
}

interface Request {
  db: Knex;
  geo: GeoService;
  access: Access;
}

/**
 * Turns the filtering parameters of an items request (Part 1 `datetime`, Part 3 queryables as
 * query parameters, `filter` with `filter-lang` and `filter-crs`; `sortby`; `properties`) into
 * conditions on the layer's own list query, over the request's queryables: so the read scope and
 * the hidden fields of the GraphQL lists hold for them too.
 */
export async function featureSelection(r: Request, c: OgcCollection, repo: OgcLayerRepository<unknown>, p: ItemsParams): Promise<FeatureSelection> {
  const needsQueryables = p.datetime !== undefined || p.filter !== undefined || p.sortby !== undefined || Object.keys(p.equals).length > 0;
  const queryables = needsQueryables ? await queryablesOf(r.db, r.access, repo) : new Map<string, Queryable>();
  const conditions: Knex.Raw[] = [];

  const d = p.datetime === undefined ? undefined : parseDatetime(p.datetime);
  let asOf: Date | undefined;
  if (d?.kind === 'instant' && d.at.kind === 'instant' && HISTORY_TABLES.has(repo.layer.table)) {
    // A layer that keeps its history answers an instant with its features as they were then: the
    // versions whose validity meets the instant (the feature's time, as OGC's datetime reads it).
    asOf = (await checkAsOf(r.db, repo.layer.table, new Date(d.at.value), 'datetime'))!.instant;
  } else if (d !== undefined) {
    const time = queryables.get(temporalPropertyOf(c));
    // A temporal property the request cannot read (none is sensitive today) leaves no feature with a time.
    conditions.push(time ? datetimeCondition(r.db, d, time) : r.db.raw('FALSE'));
  }

  for (const [name, value] of Object.entries(p.equals)) {
    const q = queryables.get(name);
    if (!q || q.type === 'geometry') {
      throw badInput(`unknown parameter "${name}": not a queryable of ${c.id} (see /collections/${c.id}/queryables); the items take ${PARAMETERS.items.join(', ')} and the queryables as query parameters`);
    }
    conditions.push(r.db.raw('((?) = ?)', [q.sql, typedValue(r.db, q, value)]));
  }

  if (p.filter !== undefined) {
    const ast = parseFilter(p.filter, p.filterLang);
    const geometry = { name: `${repo.layer.table}.geom`, points: repo.layer.geometryType === 'POINT' };
    conditions.push((await cql2ToSql(ast, { db: r.db, geo: r.geo, access: r.access, queryables, geometry, crs: p.filterCrs, collection: c.id })).sql);
  } else if (p.filterLangGiven || p.filterCrsGiven) {
    throw badInput(`${p.filterLangGiven ? 'filter-lang' : 'filter-crs'} is given without filter`);
  }

  const sort = parseSortby(p.sortby, queryables, c.id);
  const selection: FeatureSelection = { predicates: conditions.map((sql) => () => sql), sort, asOf };
  if (p.cursor !== undefined) {
    if (sort) selection.afterKeys = decodeSortCursor(p.cursor, sort);
    else selection.afterId = (decodeCursor(p.cursor, 'id') as { id: number }).id;
  }
  if (p.properties !== undefined) selection.properties = parseProperties(p.properties, repo, c);
  return selection;
}

/** A query parameter's text as a value of the queryable's type (a binding); 400 when it is not one. */
function typedValue(db: Knex, q: Queryable, value: string): Knex.Raw {
  const wrong = (what: string) => badInput(`${q.name}: "${value}" is not ${what}`);
  switch (q.type) {
    case 'integer':
      if (!/^[-+]?\d{1,15}$/.test(value)) throw wrong('a whole number');
      return db.raw('?::bigint', [Number(value)]);
    case 'number':
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value)) throw wrong('a number');
      return db.raw('?::float8', [Number(value)]);
    case 'boolean':
      if (value !== 'true' && value !== 'false') throw wrong('true or false');
      return db.raw('?::boolean', [value === 'true']);
    case 'date': {
      const problem = dateProblem(value);
      if (problem) throw badInput(`${q.name}: ${problem}`);
      return db.raw('?::date', [value]);
    }
    case 'date-time':
      if (!isTimestamp(value)) throw wrong('an RFC 3339 date-time with an offset, such as 2026-01-05T09:00:00Z');
      return db.raw('?::timestamptz', [value]);
    default:
      return db.raw('?::text', [value]);
  }
}

/** `properties`: the feature properties to return, comma-separated; empty for none. */
function parseProperties(value: string, repo: OgcLayerRepository<unknown>, c: OgcCollection): string[] {
  const known = featurePropertyNames(repo);
  const names = value.trim() === '' ? [] : value.split(',').map((n) => n.trim());
  for (const name of names) {
    if (!known.includes(name)) throw badInput(`properties: "${name}" is not a property of ${c.id}; they are ${known.join(', ')}`);
  }
  return [...new Set(names)];
}

/** The properties of a collection's features, as the response names them. */
export function featurePropertyNames(repo: OgcLayerRepository<unknown>): string[] {
  const { columns, computed = {} } = repo.layer;
  return ['id', 'version', 'createdAt', 'updatedAt', ...Object.keys(COMMON_COLUMNS), ...Object.keys(columns), ...Object.keys(computed)];
}
