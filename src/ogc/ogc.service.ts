import type { Knex } from 'knex';
import type { Access } from '../common/auth/access';
import { Action } from '../common/auth/resources';
import { AppError } from '../common/errors/app-error';
import { encodeCursor } from '../common/pagination/cursor';
import type { GeoService } from '../geo/geo.service';
import { resolveSpatialFilter, type SpatialPredicate } from '../geo/spatial-filter';
import { COLLECTIONS, collectionById, type OgcCollection } from './collections';
import { CRS84, DEFAULT_CRS, SUPPORTED_CRS, type OgcCrs } from './crs';
import { featureSelection, type FeatureSelection } from './filter';
import { extents, OgcLayerRepository, type Extent, type OgcRow } from './ogc.repository';
import type { FeatureFormat, ItemsParams } from './params';
import { EXPORTS } from './export/formats';
import { featureSchema as geojsonFeatureSchema, layerSchema, part5Schema, SCHEMA_MEDIA, SCHEMA_REL } from './schema';
import type { ListQuery } from '../geo/layer.repository';
import { queryablesDocument, queryablesOf, temporalOf } from './queryables';
import { encodeSortCursor, type Sort } from './sorting';

export const MEDIA = {
  json: 'application/json',
  geojson: 'application/geo+json',
  openapi: 'application/vnd.oai.openapi+json;version=3.0',
  schema: 'application/schema+json',
} as const;

/** The link relation of a collection's queryables (Part 3). */
export const QUERYABLES_REL = 'http://www.opengis.net/def/rel/ogc/1.0/queryables';

/**
 * The conformance classes: Part 1 Core, OpenAPI 3.0 and GeoJSON; Part 2 CRS by reference; Part 3
 * filtering (queryables, as query parameters too, filter on items) with CQL2 text and JSON: basic
 * CQL2, LIKE/BETWEEN/IN, CASEI, ACCENTI, S_INTERSECTS on every geometry type and the other spatial
 * functions. Not declared: temporal and array functions, arithmetic, property-property (not all
 * operators take two properties), functions; and sorting, whose Features class is still a draft
 * (`sortby` is served all the same).
 */
export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-json',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
  'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
  'http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison',
  'http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus',
  'http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions',
];

export const API_TITLE = 'KBS: Kent Bilgi Sistemi map layers (OGC API - Features)';

export interface Link {
  href: string;
  rel: string;
  type: string;
  title?: string;
}

/** What one OGC API request works with. */
export interface OgcRequest {
  db: Knex;
  geo: GeoService;
  access: Access;
  /** Absolute URL of the API's landing page, without a trailing slash (e.g. http://host/ogc). */
  base: string;
  /** The query string as given, for self links. */
  query: Record<string, string>;
}

const url = (base: string, path: string, query: Record<string, string> = {}): string => {
  // Commas are fine in a query string, and a bbox reads better with them.
  const qs = new URLSearchParams(query).toString().replace(/%2C/gi, ',');
  return `${base}${path}${qs ? `?${qs}` : ''}`;
};

const featureType = (format: FeatureFormat) => (format === 'json' ? MEDIA.json : MEDIA.geojson);

/**
 * OGC API - Features (Part 1 Core with GeoJSON, Part 2 CRS by reference) over the map layers:
 * the documents of each resource. Features are read with the GraphQL lists' own repositories, so
 * the same grants, areas and hidden fields apply.
 */
export const ogcService = {
  landing(r: OgcRequest) {
    return {
      title: API_TITLE,
      description: "The municipality's map layers and the IT directorate's registers with a position, as GeoJSON features.",
      links: [
        { href: url(r.base, '/'), rel: 'self', type: MEDIA.json, title: 'This document' },
        { href: url(r.base, '/api'), rel: 'service-desc', type: MEDIA.openapi, title: 'The API definition (OpenAPI 3.0)' },
        { href: url(r.base, '/conformance'), rel: 'conformance', type: MEDIA.json, title: 'Conformance classes' },
        { href: url(r.base, '/collections'), rel: 'data', type: MEDIA.json, title: 'The feature collections' },
      ] satisfies Link[],
    };
  },

  conformance(r: OgcRequest) {
    return { links: [{ href: url(r.base, '/conformance'), rel: 'self', type: MEDIA.json, title: 'This document' }], conformsTo: CONFORMANCE };
  },

  /** The collections the request may read (each with the extent of what it may read). */
  async collections(r: OgcRequest) {
    const readable = COLLECTIONS.filter((c) => r.access.can(c.resource, Action.READ));
    const spans = await extents(r.db, readable.map((c) => ({ name: c.id, repo: repository(r, c, DEFAULT_CRS), time: temporalOf(c) })));
    return {
      links: [{ href: url(r.base, '/collections'), rel: 'self', type: MEDIA.json, title: 'This document' }] satisfies Link[],
      collections: readable.map((c) => describe(r, c, spans.get(c.id))),
    };
  },

  async collection(r: OgcRequest, id: string) {
    const c = readableCollection(r, id);
    const spans = await extents(r.db, [{ name: c.id, repo: repository(r, c, DEFAULT_CRS), time: temporalOf(c) }]);
    return describe(r, c, spans.get(c.id));
  },

  /** The collection's schema (Part 5): its logical model, from the layer definition and the database. */
  async schema(r: OgcRequest, id: string) {
    const c = readableCollection(r, id);
    return part5Schema(await layerSchema(r.db, r.access, c), r.base);
  },

  /** The JSON Schema of the collection's items as GeoJSON Features (rel describedBy). */
  async featureSchema(r: OgcRequest, id: string) {
    const c = readableCollection(r, id);
    return geojsonFeatureSchema(await layerSchema(r.db, r.access, c), r.base);
  },

  /** The queryables of a collection (Part 3): what this request may filter and sort on. */
  async queryables(r: OgcRequest, id: string) {
    const c = readableCollection(r, id);
    const repo = repository(r, c, DEFAULT_CRS);
    const href = url(r.base, `/collections/${c.id}/queryables`);
    return queryablesDocument(c, href, await queryablesOf(r.db, r.access, repo), repo.layer.geometryType);
  },

  /**
   * A page of features: the layer's GraphQL list query (ordered by id, keyset paging; or by
   * `sortby`, keyset on its keys and the id), narrowed by bbox, datetime, queryables and the CQL2
   * filter, and the count.
   */
  async items(r: OgcRequest, id: string, p: ItemsParams & { format: FeatureFormat }) {
    const c = readableCollection(r, id);
    const repo = repository(r, c, p.crs);
    const { filters, selection } = await itemsFilters(r, c, p, repo);
    repo.readAsOf(selection.asOf);
    const query = { ...filters, first: p.limit, after: selection.afterId === undefined ? undefined : { kind: 'id' as const, id: selection.afterId } };
    const { rows, hasNextPage, next } = selection.sort
      ? await sortedPage(repo, query, selection.sort, selection.afterKeys)
      : await idPage(repo, query);
    const numberMatched = await repo.count(query);
    const path = `/collections/${c.id}/items`;
    const { f: _f, ...rest } = r.query;
    const links: Link[] = [
      { href: url(r.base, path, r.query), rel: 'self', type: featureType(p.format), title: 'This document' },
      {
        href: url(r.base, path, { ...rest, f: p.format === 'json' ? 'geojson' : 'json' }),
        rel: 'alternate',
        type: featureType(p.format === 'json' ? 'geojson' : 'json'),
        title: 'This document as ' + (p.format === 'json' ? 'GeoJSON' : 'JSON'),
      },
    ];
    if (hasNextPage) {
      links.push({ href: url(r.base, path, { ...r.query, cursor: next! }), rel: 'next', type: featureType(p.format), title: 'Next page' });
    }
    links.push({ href: url(r.base, `/collections/${c.id}`), rel: 'collection', type: MEDIA.json, title: c.title });
    return {
      crs: p.crs,
      document: {
        type: 'FeatureCollection',
        features: rows.map((row) => feature(row, selection.properties)),
        numberMatched,
        numberReturned: rows.length,
        timeStamp: new Date().toISOString(),
        links,
      },
    };
  },

  /** One feature; 404 when there is none the request may read. */
  async item(r: OgcRequest, id: string, featureId: string, p: { crs: OgcCrs; format: FeatureFormat }) {
    const c = readableCollection(r, id);
    const n = /^\d{1,10}$/.test(featureId) ? Number(featureId) : NaN;
    const row = n > 0 && n <= 2147483647 ? await repository(r, c, p.crs).one(n) : undefined;
    if (!row) throw new AppError('NOT_FOUND', `collection ${c.id} has no feature ${featureId}`);
    const path = `/collections/${c.id}/items/${row.id}`;
    const { f: _f, ...rest } = r.query;
    const other: FeatureFormat = p.format === 'json' ? 'geojson' : 'json';
    return {
      crs: p.crs,
      document: {
        ...feature(row),
        links: [
          { href: url(r.base, path, r.query), rel: 'self', type: featureType(p.format), title: 'This document' },
          { href: url(r.base, path, { ...rest, f: other }), rel: 'alternate', type: featureType(other), title: `This document as ${other === 'json' ? 'JSON' : 'GeoJSON'}` },
          { href: url(r.base, `/collections/${c.id}`), rel: 'collection', type: MEDIA.json, title: c.title },
        ] satisfies Link[],
      },
    };
  },
};

/** What itemsFilters gives: the list query's conditions and selected fields, and the rest of the selection. */
export interface ItemsFilters {
  filters: { filter: object; predicates: SpatialPredicate[]; fields?: ReadonlySet<string> };
  selection: FeatureSelection;
}

/**
 * Which features the items parameters select: the GraphQL lists' default filter (for assets it
 * leaves out disposed ones; for the others it is empty), bbox, and the conditions of filter.ts
 * (datetime, queryables as parameters, the CQL2 filter with filter-crs), with the fields
 * `properties` names; and the order and start (sortby, cursor). The items pages and the exports
 * (f=gpkg, csv, kml) both take their features from here, so a condition added here applies to both.
 */
export async function itemsFilters(r: OgcRequest, c: OgcCollection, p: ItemsParams, repo = repository(r, c, DEFAULT_CRS)): Promise<ItemsFilters> {
  const selection = await featureSelection(r, c, repo, p);
  const box = p.bbox ? await resolveSpatialFilter(r.db, r.geo, r.access, { bbox: p.bbox }, 'bbox') : [];
  const fields = selection.properties ? new Set([...selection.properties, 'geometry']) : undefined;
  return { filters: { filter: {}, predicates: [...box, ...selection.predicates], fields }, selection };
}

/** The collection; 404 when there is none, 401/403 when the request may read none of its features. */
export function readableCollection(r: OgcRequest, id: string): OgcCollection {
  const c = collectionById(id);
  if (!c) throw new AppError('NOT_FOUND', `there is no collection "${id}"; see ${r.base}/collections`);
  r.access.require(c.resource, Action.READ, c.id.replace(/-/g, ' '));
  return c;
}

function repository(r: OgcRequest, c: OgcCollection, crs: OgcCrs): OgcLayerRepository<unknown> {
  return new OgcLayerRepository(r.db, c.layer(r.db, r.access), r.access, crs);
}

/** The page of a list ordered by id, and the cursor of the next. */
async function idPage(repo: OgcLayerRepository<unknown>, query: ListQuery<unknown>) {
  const { rows, hasNextPage } = await repo.page(query);
  return { rows, hasNextPage, next: hasNextPage ? encodeCursor({ kind: 'id', id: rows[rows.length - 1].id }) : undefined };
}

/** The page of a list in a `sortby` order, and the (keyset) cursor of the next. */
async function sortedPage(repo: OgcLayerRepository<unknown>, query: ListQuery<unknown>, sort: Sort, after: (string | null)[] | undefined) {
  const { rows, hasNextPage } = await repo.sortedPage(query, sort.keys, after);
  const next = hasNextPage ? encodeSortCursor(sort, rows[rows.length - 1].__keys) : undefined;
  return { rows: rows.map(({ __keys: _keys, ...row }) => row as OgcRow), hasNextPage, next };
}

/** Gregorian calendar, UTC: the temporal reference system of every extent here. */
const GREGORIAN = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian';

function describe(r: OgcRequest, c: OgcCollection, extent: Extent | undefined) {
  const path = `/collections/${c.id}`;
  const spatial = extent?.bbox ? { spatial: { bbox: [extent.bbox], crs: CRS84 } } : {};
  const temporal = extent?.interval ? { temporal: { interval: [extent.interval], trs: GREGORIAN } } : {};
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    itemType: 'feature',
    ...(extent?.bbox || extent?.interval ? { extent: { ...spatial, ...temporal } } : {}),
    crs: SUPPORTED_CRS.map((crs) => crs.uri),
    storageCrs: CRS84,
    links: [
      { href: url(r.base, path), rel: 'self', type: MEDIA.json, title: c.title },
      { href: url(r.base, `${path}/items`), rel: 'items', type: MEDIA.geojson, title: `${c.title} (GeoJSON)` },
      { href: url(r.base, `${path}/items`, { f: 'json' }), rel: 'items', type: MEDIA.json, title: `${c.title} (JSON)` },
      { href: url(r.base, `${path}/queryables`), rel: QUERYABLES_REL, type: MEDIA.schema, title: `What ${c.title.toLowerCase()} filter on` },
      { href: url(r.base, `${path}/schema`), rel: SCHEMA_REL, type: SCHEMA_MEDIA, title: `Schema of ${c.title} (OGC API - Features - Part 5)` },
      // "describedBy" as GDAL's OAPIF driver spells it (it compares case-sensitively; RFC 8288 relation types are case-insensitive).
      { href: url(r.base, `${path}/schema/geojson`), rel: 'describedBy', type: SCHEMA_MEDIA, title: `Schema of ${c.title} as GeoJSON Features` },
      ...EXPORTS.map((e) => ({ href: url(r.base, `${path}/items`, { f: e.f }), rel: 'enclosure', type: e.media, title: `All of ${c.title} the reader may read, as ${e.name}` })),
    ] satisfies Link[],
  };
}

/**
 * A row as a GeoJSON Feature: the id, the geometry, and every attribute GraphQL has (hidden ones
 * null), or only those `properties` names. The id is a property too: clients such as QGIS number
 * features themselves and show the feature's own `id` only as an attribute.
 */
function feature(row: OgcRow, only?: string[]) {
  const { id, geometry, withheld: _withheld, ...properties } = row;
  if (!only) return { type: 'Feature', id, geometry, properties: { id, ...properties } };
  const all: Record<string, unknown> = { id, ...properties };
  return { type: 'Feature', id, geometry, properties: Object.fromEntries(only.map((name) => [name, all[name] ?? null])) };
}
