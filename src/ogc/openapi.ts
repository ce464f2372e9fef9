import { COLLECTIONS } from './collections';
import { CRS84, SUPPORTED_CRS } from './crs';
import { API_TITLE, MEDIA } from './ogc.service';
import { EXPORTS } from './export/formats';
import { DEFAULT_LIMIT, MAX_LIMIT } from './params';
import { SCHEMA_MEDIA } from './schema';

const ref = (name: string) => ({ $ref: `#/components/parameters/${name}` });
const json = (schema: object) => ({ [MEDIA.json]: { schema } });
const features = (schema: object) => ({ [MEDIA.geojson]: { schema }, [MEDIA.json]: { schema } });
const crsHeader = {
  'Content-Crs': { description: 'The CRS of the coordinates in the body, as <URI>.', schema: { type: 'string' } },
};

const errors = {
  '400': { $ref: '#/components/responses/BadRequest' },
  '401': { $ref: '#/components/responses/Unauthorized' },
  '403': { $ref: '#/components/responses/Forbidden' },
  '404': { $ref: '#/components/responses/NotFound' },
  '500': { $ref: '#/components/responses/ServerError' },
};

const exception = (description: string) => ({
  description,
  content: json({ $ref: '#/components/schemas/exception' }),
});

/** The API definition (OpenAPI 3.0) of the routes under `base`, the landing page's service-desc. */
export function openApiDocument(base: string): object {
  const metadata = (summary: string, operationId: string, schema: object, params: object[] = []) => ({
    get: {
      summary,
      operationId,
      parameters: [...params, ref('f')],
      responses: { '200': { description: summary, content: json(schema) }, ...errors },
    },
  });
  return {
    openapi: '3.0.3',
    info: {
      title: API_TITLE,
      version: '1.0.0',
      description:
        'OGC API - Features Part 1 (Core, GeoJSON, OpenAPI 3.0), Part 2 (CRS by reference) and Part 3 (filtering with CQL2 text and JSON, queryables). Send `Authorization: Bearer <token>` (an access token from the GraphQL `login` mutation, or an API token); without it, the public subset is served. Only the collections the token may read are listed.',
    },
    servers: [{ url: base }],
    security: [{}, { bearerAuth: [] }],
    paths: {
      '/': metadata('Landing page', 'getLandingPage', { $ref: '#/components/schemas/landingPage' }),
      '/api': {
        get: {
          summary: 'This API definition',
          operationId: 'getApiDefinition',
          parameters: [ref('f')],
          responses: { '200': { description: 'The OpenAPI 3.0 document', content: { [MEDIA.openapi]: { schema: { type: 'object' } } } }, ...errors },
        },
      },
      '/conformance': metadata('Conformance classes', 'getConformance', { $ref: '#/components/schemas/confClasses' }),
      '/collections': metadata('The feature collections the request may read', 'getCollections', { $ref: '#/components/schemas/collections' }),
      '/collections/{collectionId}': metadata('A feature collection', 'describeCollection', { $ref: '#/components/schemas/collection' }, [
        ref('collectionId'),
      ]),
      '/collections/{collectionId}/items': {
        get: {
          summary: 'Features of a collection, ordered by id (or by sortby)',
          description:
            'Besides these parameters, every queryable of the collection (see its queryables) is a parameter too: `?mahalle=İSTASYON&ada=101` keeps the features whose properties equal those values exactly. A download (f=gpkg, csv, kml) holds exactly the features the same parameters select on the pages.',
          operationId: 'getFeatures',
          parameters: [
            ref('collectionId'),
            ref('limit'),
            ref('bbox'),
            ref('bbox-crs'),
            ref('crs'),
            ref('cursor'),
            ref('datetime'),
            ref('filter'),
            ref('filter-lang'),
            ref('filter-crs'),
            ref('sortby'),
            ref('properties'),
            ref('featuresFormat'),
          ],
          responses: {
            '200': {
              description:
                'A page of features; a `next` link when more follow. With f=gpkg, csv or kml, a file (Content-Disposition: attachment) of every selected feature, or the first `limit` of them.',
              headers: crsHeader,
              content: {
                ...features({ $ref: '#/components/schemas/featureCollectionGeoJSON' }),
                ...Object.fromEntries(EXPORTS.map((e) => [e.media.split(';')[0], { schema: { type: 'string', format: 'binary' } }])),
              },
            },
            ...errors,
          },
        },
      },
      '/collections/{collectionId}/schema': {
        get: {
          summary: 'The schema of the features (OGC API - Features - Part 5), JSON Schema 2020-12',
          operationId: 'getSchema',
          parameters: [ref('collectionId'), ref('f')],
          responses: { '200': { description: 'The schema', content: { [SCHEMA_MEDIA]: { schema: { type: 'object' } } } }, ...errors },
        },
      },
      '/collections/{collectionId}/schema/geojson': {
        get: {
          summary: 'The JSON Schema of one feature as the items resource encodes it (a GeoJSON Feature)',
          operationId: 'getFeatureSchema',
          parameters: [ref('collectionId'), ref('f')],
          responses: { '200': { description: 'The schema', content: { [SCHEMA_MEDIA]: { schema: { type: 'object' } } } }, ...errors },
        },
      },
      '/collections/{collectionId}/queryables': {
        get: {
          summary: 'The properties a request may filter and sort on (a JSON Schema)',
          operationId: 'getQueryables',
          parameters: [ref('collectionId'), ref('f')],
          responses: { '200': { description: 'The queryables', content: { [MEDIA.schema]: { schema: { type: 'object' } } } }, ...errors },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          summary: 'One feature',
          operationId: 'getFeature',
          parameters: [ref('collectionId'), ref('featureId'), ref('crs'), ref('f')],
          responses: {
            '200': { description: 'The feature', headers: crsHeader, content: features({ $ref: '#/components/schemas/featureGeoJSON' }) },
            ...errors,
          },
        },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      parameters: {
        collectionId: { name: 'collectionId', in: 'path', required: true, schema: { type: 'string', enum: COLLECTIONS.map((c) => c.id) } },
        featureId: { name: 'featureId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
        f: {
          name: 'f',
          in: 'query',
          required: false,
          description: 'The format: `json`, or `geojson` for features (the default).',
          schema: { type: 'string', enum: ['json', 'geojson'] },
        },
        featuresFormat: {
          name: 'f',
          in: 'query',
          required: false,
          description:
            'The format: `geojson` (the default) or `json` for a page of features; `gpkg` (GeoPackage), `csv` (UTF-8 with BOM, geometry as WKT) or `kml` (WGS 84 only) for a download of every selected feature.',
          schema: { type: 'string', enum: ['json', 'geojson', ...EXPORTS.map((e) => e.f)] },
        },
        limit: {
          name: 'limit',
          in: 'query',
          required: false,
          description: `Features per page; a larger value gets ${MAX_LIMIT}. For a download (f=gpkg, csv, kml), the most features the file holds; without it, every selected feature (up to the server's cap for one download).`,
          schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
          style: 'form',
          explode: false,
        },
        bbox: {
          name: 'bbox',
          in: 'query',
          required: false,
          description:
            'Features that intersect this box: lower corner, upper corner, in the axis order of `bbox-crs` (CRS84: lon,lat; EPSG:4326: lat,lon; TUREF TM zones: northing,easting). Six numbers (with heights) are accepted; the heights are ignored.',
          schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
          style: 'form',
          explode: false,
        },
        'bbox-crs': {
          name: 'bbox-crs',
          in: 'query',
          required: false,
          description: 'The CRS of `bbox`.',
          schema: { type: 'string', format: 'uri', enum: SUPPORTED_CRS.map((c) => c.uri), default: CRS84 },
        },
        crs: {
          name: 'crs',
          in: 'query',
          required: false,
          description: 'The CRS of the coordinates in the response, in its own axis order (named in the Content-Crs header).',
          schema: { type: 'string', format: 'uri', enum: SUPPORTED_CRS.map((c) => c.uri), default: CRS84 },
        },
        cursor: {
          name: 'cursor',
          in: 'query',
          required: false,
          description: 'Where the page starts: taken from the `next` link of the previous page.',
          schema: { type: 'string' },
        },
        datetime: {
          name: 'datetime',
          in: 'query',
          required: false,
          description:
            "Features whose time meets this instant or interval (RFC 3339; `a/b`, `../b`, `a/..`; a date `YYYY-MM-DD` is its whole day in UTC). The time is `reportedAt` for faults, `purchasedOn` for assets, `updatedAt` for the others (the queryable with `x-ogc-role: primary-instant`; its span is the collection's `extent.temporal`) An instant (a date-time, not a day) on a collection that keeps its history (every one but faults) answers instead with the features as they were at that instant: each feature in its version valid then (a future instant is a 400).",
          schema: { type: 'string' },
          style: 'form',
          explode: false,
        },
        filter: {
          name: 'filter',
          in: 'query',
          required: false,
          description:
            "A CQL2 filter on the collection's queryables, e.g. `mahalle = 'İSTASYON' AND ada > 100`, `CASEI(ACCENTI(name)) LIKE '%istasyon%'`, `S_DWITHIN(geometry, POINT(37.79 37.01), 250)` (metres, geodesic), `S_INTERSECTS(geometry, BBOX(37.78, 37.0, 37.8, 37.02))`.",
          schema: { type: 'string' },
        },
        'filter-lang': {
          name: 'filter-lang',
          in: 'query',
          required: false,
          description: 'The encoding of `filter`.',
          schema: { type: 'string', enum: ['cql2-text', 'cql2-json'], default: 'cql2-text' },
        },
        'filter-crs': {
          name: 'filter-crs',
          in: 'query',
          required: false,
          description: 'The CRS of the geometries in `filter`, in its own axis order.',
          schema: { type: 'string', format: 'uri', enum: SUPPORTED_CRS.map((c) => c.uri), default: CRS84 },
        },
        sortby: {
          name: 'sortby',
          in: 'query',
          required: false,
          description: 'The order: queryables separated by commas, each after `+` (ascending, the default) or `-` (descending), e.g. `-reportedAt,+id`. Ties go by id. Not with a download (f=gpkg, csv, kml): those are in id order (400).',
          schema: { type: 'array', items: { type: 'string', pattern: '^[+-]?[A-Za-z_][A-Za-z0-9_]*$' } },
          style: 'form',
          explode: false,
        },
        properties: {
          name: 'properties',
          in: 'query',
          required: false,
          description: 'The feature properties to return, separated by commas (the feature\'s `id` member and its geometry always come); for a download, its columns.',
          schema: { type: 'array', items: { type: 'string' } },
          style: 'form',
          explode: false,
        },
      },
      schemas: {
        exception: {
          type: 'object',
          required: ['code'],
          properties: { code: { type: 'string' }, description: { type: 'string' } },
        },
        link: {
          type: 'object',
          required: ['href', 'rel'],
          properties: { href: { type: 'string' }, rel: { type: 'string' }, type: { type: 'string' }, title: { type: 'string' } },
        },
        links: { type: 'array', items: { $ref: '#/components/schemas/link' } },
        landingPage: {
          type: 'object',
          required: ['links'],
          properties: { title: { type: 'string' }, description: { type: 'string' }, links: { $ref: '#/components/schemas/links' } },
        },
        confClasses: {
          type: 'object',
          required: ['conformsTo'],
          properties: { conformsTo: { type: 'array', items: { type: 'string' } } },
        },
        collection: {
          type: 'object',
          required: ['id', 'links'],
          properties: {
            id: { type: 'string' },
            title: { type: 'string' },
            description: { type: 'string' },
            links: { $ref: '#/components/schemas/links' },
            extent: {
              type: 'object',
              properties: {
                spatial: {
                  type: 'object',
                  properties: {
                    bbox: { type: 'array', items: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } } },
                    crs: { type: 'string' },
                  },
                },
                temporal: {
                  type: 'object',
                  description: 'The span of the property `datetime` filters on (the queryable whose role is primary-instant), in UTC.',
                  properties: {
                    interval: { type: 'array', items: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string', format: 'date-time', nullable: true } } },
                    trs: { type: 'string' },
                  },
                },
              },
            },
            itemType: { type: 'string' },
            crs: { type: 'array', items: { type: 'string' } },
            storageCrs: { type: 'string' },
          },
        },
        collections: {
          type: 'object',
          required: ['links', 'collections'],
          properties: {
            links: { $ref: '#/components/schemas/links' },
            collections: { type: 'array', items: { $ref: '#/components/schemas/collection' } },
          },
        },
        featureGeoJSON: {
          type: 'object',
          required: ['type', 'geometry', 'properties'],
          properties: {
            type: { type: 'string', enum: ['Feature'] },
            id: { type: 'integer' },
            geometry: { type: 'object', nullable: true },
            properties: { type: 'object', nullable: true },
            links: { $ref: '#/components/schemas/links' },
          },
        },
        featureCollectionGeoJSON: {
          type: 'object',
          required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            features: { type: 'array', items: { $ref: '#/components/schemas/featureGeoJSON' } },
            links: { $ref: '#/components/schemas/links' },
            timeStamp: { type: 'string', format: 'date-time' },
            numberMatched: { type: 'integer', minimum: 0 },
            numberReturned: { type: 'integer', minimum: 0 },
          },
        },
      },
      responses: {
        BadRequest: exception('A parameter is unknown, malformed or out of range, or a filter names an unknown property, compares values of different types or uses what is not supported.'),
        Unauthorized: exception('The collection needs a login (anonymous request), or the token is wrong or expired.'),
        Forbidden: exception('The token holds no grant to read the collection.'),
        NotFound: exception('No such collection, or no such feature the request may read.'),
        ServerError: exception('A server error (logged on the server).'),
      },
    },
  };
}
