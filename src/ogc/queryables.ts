import type { Knex } from 'knex';
import type { Access } from '../common/auth/access';
import { COMMON_COLUMNS } from '../geo/layer.repository';
import { COLLECTIONS, type OgcCollection } from './collections';
import { columnTypes } from './column-types.repository';
import type { OgcLayerRepository } from './ogc.repository';

/** The JSON Schema type of a queryable: a scalar (with a format for dates and times), or the geometry. */
export type QueryableType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'date-time' | 'geometry';

/** A property a request may filter and sort on, and the SQL of its value as that request reads it. */
export interface Queryable {
  name: string;
  type: QueryableType;
  /** The value as the response shows it (sensitive fields and references only where readable). */
  sql: Knex.Raw;
}

/** A collection's time: the property `datetime` filters on and the temporal extent spans, its column, and whether it is a date. */
export interface TemporalProperty {
  property: string;
  column: string;
  date: boolean;
}

/** Part 1 leaves the choice of the temporal property to the server: when a fault was reported, when an asset was bought. */
const TEMPORAL_PROPERTY: Record<string, TemporalProperty> = {
  faults: { property: 'reportedAt', column: 'reported_at', date: false },
  assets: { property: 'purchasedOn', column: 'purchased_on', date: true },
};

/** Every other collection: when its feature last changed. */
const LAST_CHANGE: TemporalProperty = { property: 'updatedAt', column: 'updated_at', date: false };

export const temporalOf = (c: OgcCollection): TemporalProperty => TEMPORAL_PROPERTY[c.id] ?? LAST_CHANGE;
export const temporalPropertyOf = (c: OgcCollection): string => temporalOf(c).property;

/** Computed fields (SQL expressions of the layer definitions) and their types. */
const COMPUTED_TYPES: Record<string, QueryableType> = {
  areaSquareMeters: 'number',
  areaDifferenceSquareMeters: 'number',
  areaDifferenceRatio: 'number',
  lengthMeters: 'number',
  ageDays: 'number',
  resolveHours: 'number',
  reporterName: 'string',
  assigneeName: 'string',
};

/** PostgreSQL column types as queryable types; columns of any other type are not queryable. */
const PG_TYPES: Record<string, QueryableType> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  float4: 'number',
  float8: 'number',
  numeric: 'number',
  bool: 'boolean',
  text: 'string',
  varchar: 'string',
  bpchar: 'string',
  inet: 'string',
  macaddr: 'string',
  date: 'date',
  timestamptz: 'date-time',
  timestamp: 'date-time',
};

/** Text as the response shows it, for the column types that are not text in SQL. */
const AS_TEXT: Record<string, string> = { inet: 'abbrev(?)', macaddr: '(?)::text' };

const ALWAYS: [string, string][] = [
  ['id', 'id'],
  ['version', 'version'],
  ['createdAt', 'created_at'],
  ['updatedAt', 'updated_at'],
];

/**
 * The queryables of a collection for one request, by name, in the order of the layer's fields:
 * every property of its features the request can read (a sensitive field only when some grant
 * reveals it, a reference only when the referenced rows are readable), each with its type, and
 * `geometry`. The same names filter (CQL2 and query parameters) and sort.
 */
export async function queryablesOf(db: Knex, access: Access, repo: OgcLayerRepository<unknown>): Promise<Map<string, Queryable>> {
  const layer = repo.layer;
  const types = (await columnTypes(db, COLLECTIONS.map((x) => x.layer(db, access).table))).get(layer.table);
  const fields: [string, string | undefined][] = [
    ...ALWAYS,
    ...Object.entries({ ...COMMON_COLUMNS, ...layer.columns }),
    ...Object.keys(layer.computed ?? {}).map((f): [string, undefined] => [f, undefined]),
  ];
  const result = new Map<string, Queryable>();
  for (const [name, column] of fields) {
    const pgType = column === undefined ? undefined : types?.get(column);
    const type = column === undefined ? COMPUTED_TYPES[name] : pgType && PG_TYPES[pgType];
    if (!type || result.has(name)) continue;
    const value = repo.valueSql(name);
    if (!value) continue;
    const sql = pgType && AS_TEXT[pgType] ? db.raw(AS_TEXT[pgType], [value]) : value;
    result.set(name, { name, type, sql });
  }
  result.set('geometry', { name: 'geometry', type: 'geometry', sql: db.raw('??', [`${layer.table}.geom`]) });
  return result;
}

/** JSON Schema `format` of a geometry type (Part 3 / Part 5: geometry-point, geometry-multipolygon, …). */
const geometryFormat = (postgisType: string) => `geometry-${postgisType.toLowerCase()}`;

/**
 * The queryables resource (Part 3, /req/queryables/get-queryables-response): a JSON Schema of the
 * properties the request may filter on, with their types; the geometry with its role, the
 * temporal property with the role `primary-instant`, the id with the role `id`.
 */
export function queryablesDocument(c: OgcCollection, href: string, queryables: Map<string, Queryable>, geometryType: string) {
  const time = temporalPropertyOf(c);
  const properties: Record<string, object> = {};
  for (const q of queryables.values()) {
    const role = q.name === 'id' ? { 'x-ogc-role': 'id' } : q.name === time ? { 'x-ogc-role': 'primary-instant' } : {};
    if (q.type === 'geometry') {
      properties[q.name] = { title: 'Geometry', format: geometryFormat(geometryType), 'x-ogc-role': 'primary-geometry' };
    } else if (q.type === 'date' || q.type === 'date-time') {
      properties[q.name] = { type: 'string', format: q.type, ...role };
    } else {
      properties[q.name] = { type: q.type, ...role };
    }
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: href,
    type: 'object',
    title: c.title,
    description: `The properties of ${c.title.toLowerCase()} that filter (filter, query parameters) and sort (sortby) their features.`,
    properties,
    additionalProperties: false,
  };
}
