import type { Knex } from 'knex';
import type { Access } from '../common/auth/access';
import { SENSITIVE_FIELDS } from '../common/auth/resources';
import { COLLECTIONS, type OgcCollection } from './collections';
import { LayerSchemaRepository, type ColumnFacts, type ValueType } from './schema.repository';

/** Media type of JSON Schema documents. */
export const SCHEMA_MEDIA = 'application/schema+json';

/** OGC link relation of a collection's schema (Part 5, /req/returnables-and-receivables/link). */
export const SCHEMA_REL = 'http://www.opengis.net/def/rel/ogc/1.0/schema';

const JSON_SCHEMA_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** One property of a collection's features, in the order the features give them. */
export interface SchemaProperty {
  name: string;
  value: ValueType;
  /** Never null: a NOT NULL column that no grant withholds. */
  required: boolean;
  /** Written by the server only (ids, timestamps, computed values). */
  readOnly: boolean;
  role?: 'id' | 'reference';
  /** The collection a reference points into. */
  collectionId?: string;
  enum?: string[];
  /** UCUM unit of a measure, from the field's name (…Meters, …SquareMeters, …Mbps, …Days, …Hours). */
  unit?: string;
  description?: string;
}

/** What a collection's schema says, in the terms exports and the schema documents use. */
export interface LayerSchema {
  collection: OgcCollection;
  /** PostGIS's name of the geometry type (POINT, LINESTRING, MULTIPOLYGON). */
  geometryType: string;
  properties: SchemaProperty[];
}

const UNITS: [RegExp, string][] = [
  [/SquareMeters$/, 'm2'],
  [/Meters$/, 'm'],
  [/Mbps$/, 'Mbit/s'],
  [/Days$/, 'd'],
  [/Hours$/, 'h'],
];

const SERVER_WRITTEN = new Set(['id', 'version', 'createdAt', 'updatedAt']);

/** Column facts per database handle and table: they change only with a migration, which runs before the server starts. */
const facts = new WeakMap<Knex, Map<string, Promise<ColumnFacts[]>>>();

function columnFacts(db: Knex, access: Access, c: OgcCollection): Promise<ColumnFacts[]> {
  let perTable = facts.get(db);
  if (!perTable) facts.set(db, (perTable = new Map()));
  const layer = c.layer(db, access);
  let found = perTable.get(layer.table);
  if (!found) {
    found = new LayerSchemaRepository(db, layer, access).describe().then((d) => d.columns);
    found.catch(() => perTable.delete(layer.table));
    perTable.set(layer.table, found);
  }
  return found;
}

/**
 * The schema of a collection, generated from its layer definition and PostgreSQL's own account of
 * the columns (types, NOT NULL, CHECK-listed values): every property the features carry, with its
 * JSON type, and which are ids, references into other collections, read-only or withheld.
 */
export async function layerSchema(db: Knex, access: Access, c: OgcCollection): Promise<LayerSchema> {
  const layer = c.layer(db, access);
  const sensitive = SENSITIVE_FIELDS[layer.resource] ?? [];
  const computed = layer.computed ?? {};
  const byTable = new Map(COLLECTIONS.map((o) => [o.layer(db, access).table, o]));
  const properties = (await columnFacts(db, access, c)).map((col): SchemaProperty => {
    const ref = layer.references?.[col.name];
    const into = ref ? byTable.get(ref.table) : undefined;
    const p: SchemaProperty = {
      name: col.name,
      value: col.value ?? { type: 'string' },
      // A foreign key is null where the reader may not read the row it names; a sensitive field where no grant reveals it.
      required: col.notNull && !ref && !sensitive.includes(col.name),
      readOnly: SERVER_WRITTEN.has(col.name) || col.name in computed,
    };
    if (col.name === 'id') p.role = 'id';
    if (into) Object.assign(p, { role: 'reference', collectionId: into.id });
    if (col.values) p.enum = col.values;
    const unit = UNITS.find(([pattern]) => pattern.test(col.name));
    if (unit && p.value.type !== 'string') p.unit = unit[1];
    if (ref) {
      p.description = `The id of the ${into ? `feature of ${into.id}` : `row of ${ref.table}`} this one refers to; null where the reader may not read that ${into ? 'feature' : 'row'}.`;
    } else if (sensitive.includes(col.name)) {
      p.description = 'Sensitive: null unless one of the reader’s grants reveals it on this feature.';
    }
    return p;
  });
  return { collection: c, geometryType: layer.geometryType, properties };
}

const geometryFormat = (s: LayerSchema) => `geometry-${s.geometryType.toLowerCase()}`;

/** One property in JSON Schema, with the OGC keywords (Part 5 /req/schemas/properties, role, property-seq, unit). */
function propertySchema(p: SchemaProperty, seq?: number): Record<string, unknown> {
  return {
    type: p.value.type,
    ...(p.value.format ? { format: p.value.format } : {}),
    ...(p.enum ? { enum: p.enum } : {}),
    ...(p.description ? { description: p.description } : {}),
    ...(p.readOnly ? { readOnly: true } : {}),
    ...(p.role ? { 'x-ogc-role': p.role } : {}),
    ...(p.collectionId ? { 'x-ogc-collectionId': p.collectionId } : {}),
    ...(p.unit ? { 'x-ogc-unit': p.unit } : {}),
    ...(seq !== undefined ? { 'x-ogc-propertySeq': seq } : {}),
  };
}

/** The note both schema documents carry on null. */
const NULLS =
  'A property without a value is null in the GeoJSON features; the schema describes values, so a property not listed in `required` may be null.';

/**
 * The collection's schema per OGC API - Features - Part 5 (the logical model of a feature,
 * returnables): JSON Schema 2020-12, one member per property, `id` (role id) and `geometry` (role
 * primary-geometry) among them. Each `type` is a single JSON type, as QGIS and GDAL read it.
 */
export function part5Schema(s: LayerSchema, base: string): Record<string, unknown> {
  const c = s.collection;
  const properties: Record<string, unknown> = {};
  let seq = 1;
  for (const p of s.properties) {
    properties[p.name] = propertySchema(p, seq++);
    if (p.name === 'id') {
      properties.geometry = { format: geometryFormat(s), 'x-ogc-role': 'primary-geometry', 'x-ogc-propertySeq': seq++ };
    }
  }
  return {
    $schema: JSON_SCHEMA_2020_12,
    $id: `${base}/collections/${c.id}/schema`,
    type: 'object',
    title: c.title,
    description: `${c.description} ${NULLS}`,
    required: ['id', 'geometry', ...s.properties.filter((p) => p.required && p.name !== 'id').map((p) => p.name)],
    properties,
    additionalProperties: false,
  };
}

/**
 * The JSON Schema of one item as the items resource encodes it (a GeoJSON Feature), linked with
 * rel `describedBy`. GDAL's OAPIF driver (3.6 and later) types its fields from such a schema, and
 * only from one shaped like a Feature (properties.properties); without it, it guesses from the
 * first page of features, where a property that is null on all of them becomes a string. The
 * property `id` is left to the feature's own `id` (GDAL takes it from the first feature: listing
 * it here too would give it twice).
 */
export function featureSchema(s: LayerSchema, base: string): Record<string, unknown> {
  const c = s.collection;
  const attributes = s.properties.filter((p) => p.name !== 'id');
  return {
    $schema: JSON_SCHEMA_2020_12,
    $id: `${base}/collections/${c.id}/schema/geojson`,
    type: 'object',
    title: `${c.title} (GeoJSON Feature)`,
    description: `An item of ${c.id} as GeoJSON; its logical schema is ${base}/collections/${c.id}/schema. ${NULLS}`,
    required: ['type', 'id', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'integer' },
      geometry: { type: 'object', description: `A GeoJSON ${s.geometryType.toLowerCase()} in the CRS named by Content-Crs.` },
      properties: {
        type: 'object',
        required: attributes.filter((p) => p.required).map((p) => p.name),
        properties: Object.fromEntries(attributes.map((p) => [p.name, propertySchema(p)])),
      },
      links: { type: 'array' },
    },
  };
}
