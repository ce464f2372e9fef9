import type { Knex } from 'knex';
import type { Access } from '../common/auth/access';
import { Action } from '../common/auth/resources';
import { AppError } from '../common/errors/app-error';
import { encodeCursor } from '../common/pagination/cursor';
import type { GeoService } from '../geo/geo.service';
import { resolveSpatialFilter, type SpatialPredicate } from '../geo/spatial-filter';
import { COLLECTIONS, collectionById, type OgcCollection } from './collections';
import { CRS84, DEFAULT_CRS, SUPPORTED_CRS, type OgcCrs } from './crs';
import { extents, OgcLayerRepository, type Bbox, type OgcRow } from './ogc.repository';
import type { FeatureFormat, ItemsParams } from './params';
import { EXPORTS } from './export/formats';
import { featureSchema as geojsonFeatureSchema, layerSchema, part5Schema, SCHEMA_MEDIA, SCHEMA_REL } from './schema';

export const MEDIA = {
  json: 'application/json',
  geojson: 'application/geo+json',
  openapi: 'application/vnd.oai.openapi+json;version=3.0',
} as const;

/** The conformance classes: Part 1 Core, OpenAPI 3.0 and GeoJSON; Part 2 CRS by reference. */
export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
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
    const bboxes = await extents(r.db, readable.map((c) => ({ name: c.id, repo: repository(r, c, DEFAULT_CRS) })));
    return {
      links: [{ href: url(r.base, '/collections'), rel: 'self', type: MEDIA.json, title: 'This document' }] satisfies Link[],
      collections: readable.map((c) => describe(r, c, bboxes.get(c.id) ?? null)),
    };
  },

  async collection(r: OgcRequest, id: string) {
    const c = readableCollection(r, id);
    const bboxes = await extents(r.db, [{ name: c.id, repo: repository(r, c, DEFAULT_CRS) }]);
    return describe(r, c, bboxes.get(c.id) ?? null);
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

  /** A page of features: the layer's GraphQL list query (ordered by id, keyset paging), and the count. */
  async items(r: OgcRequest, id: string, p: ItemsParams & { format: FeatureFormat }) {
    const c = readableCollection(r, id);
    const repo = repository(r, c, p.crs);
    const query = { ...(await itemsFilters(r, p)), first: p.limit, after: p.afterId === undefined ? undefined : { kind: 'id' as const, id: p.afterId } };
    const { rows, hasNextPage } = await repo.page(query);
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
      const cursor = encodeCursor({ kind: 'id', id: rows[rows.length - 1].id });
      links.push({ href: url(r.base, path, { ...r.query, cursor }), rel: 'next', type: featureType(p.format), title: 'Next page' });
    }
    links.push({ href: url(r.base, `/collections/${c.id}`), rel: 'collection', type: MEDIA.json, title: c.title });
    return {
      crs: p.crs,
      document: {
        type: 'FeatureCollection',
        features: rows.map(feature),
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

/**
 * Which features the items parameters select: the GraphQL lists' default filter (for assets it
 * leaves out disposed ones; for the others it is empty) and the spatial and attribute conditions of
 * the query string. The items pages and the exports (f=gpkg, csv, kml) both take their features
 * from here, so a condition added here applies to both.
 */
export async function itemsFilters(r: OgcRequest, p: ItemsParams): Promise<{ filter: object; predicates: SpatialPredicate[] }> {
  const predicates = p.bbox ? await resolveSpatialFilter(r.db, r.geo, r.access, { bbox: p.bbox }, 'bbox') : [];
  return { filter: {}, predicates };
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

function describe(r: OgcRequest, c: OgcCollection, bbox: Bbox | null) {
  const path = `/collections/${c.id}`;
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    itemType: 'feature',
    ...(bbox ? { extent: { spatial: { bbox: [bbox], crs: CRS84 } } } : {}),
    crs: SUPPORTED_CRS.map((crs) => crs.uri),
    storageCrs: CRS84,
    links: [
      { href: url(r.base, path), rel: 'self', type: MEDIA.json, title: c.title },
      { href: url(r.base, `${path}/items`), rel: 'items', type: MEDIA.geojson, title: `${c.title} (GeoJSON)` },
      { href: url(r.base, `${path}/items`, { f: 'json' }), rel: 'items', type: MEDIA.json, title: `${c.title} (JSON)` },
      { href: url(r.base, `${path}/schema`), rel: SCHEMA_REL, type: SCHEMA_MEDIA, title: `Schema of ${c.title} (OGC API - Features - Part 5)` },
      // "describedBy" as GDAL's OAPIF driver spells it (it compares case-sensitively; RFC 8288 relation types are case-insensitive).
      { href: url(r.base, `${path}/schema/geojson`), rel: 'describedBy', type: SCHEMA_MEDIA, title: `Schema of ${c.title} as GeoJSON Features` },
      ...EXPORTS.map((e) => ({ href: url(r.base, `${path}/items`, { f: e.f }), rel: 'enclosure', type: e.media, title: `All of ${c.title} the reader may read, as ${e.name}` })),
    ] satisfies Link[],
  };
}

/**
 * A row as a GeoJSON Feature: the id, the geometry, and every attribute GraphQL has (hidden ones
 * null). The id is a property too: clients such as QGIS number features themselves and show the
 * feature's own `id` only as an attribute.
 */
function feature(row: OgcRow) {
  const { id, geometry, withheld: _withheld, ...properties } = row;
  return { type: 'Feature', id, geometry, properties: { id, ...properties } };
}
