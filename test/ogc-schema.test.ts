import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { startTestApp, type TestApp } from './helpers/app';
import { insertUserWithGrants } from './helpers/access';
import { insertOrgUnit } from './helpers/factories';
import { gdal, parseOgrinfo } from './helpers/gdal';
import { linkOf, ogcGet } from './helpers/ogc';

/**
 * OGC API - Features - Part 5 schemas of every collection, generated from the layer definitions and
 * the database, checked with an independent JSON Schema 2020-12 validator (Ajv) against every real
 * feature of the sample data, and read by GDAL's OAPIF driver; the feature id as a property; ETag
 * and Cache-Control on features.
 */
let app: TestApp;
const ALL_COLLECTIONS = ['cameras', 'neighbourhoods', 'network-nodes', 'network-lines', 'remote-units', 'parcels', 'assets', 'faults'];
const SCHEMA_REL = 'http://www.opengis.net/def/rel/ogc/1.0/schema';
const GEOJSON_TYPE: Record<string, string> = {
  'geometry-point': 'Point',
  'geometry-linestring': 'LineString',
  'geometry-multipolygon': 'MultiPolygon',
};

/**
 * Ajv for JSON Schema 2020-12, strict, knowing the formats and the OGC keywords Part 5 adds. Its
 * `format` applies to strings and numbers only, and Part 5 gives spatial properties a format and no
 * type (so strictTypes is off): geometryMatches checks a geometry against its format.
 */
function validator(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  addFormats(ajv);
  ajv.addVocabulary(['x-ogc-role', 'x-ogc-propertySeq', 'x-ogc-collectionId', 'x-ogc-unit']);
  for (const format of Object.keys(GEOJSON_TYPE)) ajv.addFormat(format, true);
  return ajv;
}

const geometryMatches = (schema: any, geometry: { type: string }) => GEOJSON_TYPE[schema.properties.geometry.format] === geometry?.type;

/** Null stands for "no value": the schemas describe values (and list in `required` what always has one). */
const withoutNulls = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

describe('OGC API schemas (Part 5)', () => {
  it('links every collection to its schema and to the schema of its GeoJSON features', async () => {
    const res = await ogcGet(app, '/ogc/collections');
    expect(res.body.collections.map((c: { id: string }) => c.id)).toEqual(ALL_COLLECTIONS);
    for (const c of res.body.collections) {
      expect(linkOf(c, SCHEMA_REL, 'application/schema+json')).toBe(`${app.url}/ogc/collections/${c.id}/schema`);
      expect(linkOf(c, 'describedBy', 'application/schema+json')).toBe(`${app.url}/ogc/collections/${c.id}/schema/geojson`);
    }
  });

  it('is JSON Schema 2020-12 that every property of every real feature of every collection validates against', async () => {
    const ajv = validator();
    let checked = 0;
    for (const id of ALL_COLLECTIONS) {
      const res = await fetch(`${app.url}/ogc/collections/${id}/schema`, { headers: { authorization: `Bearer ${app.admin.token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/schema\+json/);
      const schema: any = await res.json();
      expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `${app.url}/ogc/collections/${id}/schema`, type: 'object' });
      expect(schema.properties.id).toMatchObject({ type: 'integer', 'x-ogc-role': 'id', readOnly: true });
      expect(schema.properties.geometry).toMatchObject({ 'x-ogc-role': 'primary-geometry', format: expect.stringMatching(/^geometry-/) });
      expect(schema.properties.geometry.type).toBeUndefined();
      const validate = ajv.compile(schema);
      const items = await ogcGet(app, `/ogc/collections/${id}/items?limit=10000`);
      expect(items.body.features.length).toBeGreaterThan(0);
      for (const f of items.body.features) {
        const instance = { ...withoutNulls(f.properties), geometry: f.geometry };
        if (!validate(instance)) throw new Error(`${id} feature ${f.id}: ${ajv.errorsText(validate.errors)}`);
        if (!geometryMatches(schema, f.geometry)) throw new Error(`${id} feature ${f.id}: a ${f.geometry?.type}, not ${schema.properties.geometry.format}`);
        checked++;
      }
      // The GeoJSON Feature schema GDAL reads validates the features as they are encoded.
      const featureSchema = (await ogcGet(app, `/ogc/collections/${id}/schema/geojson`)).body;
      const validateFeature = ajv.compile(featureSchema);
      for (const f of items.body.features) {
        if (!validateFeature({ ...f, properties: withoutNulls(f.properties) })) throw new Error(`${id} feature ${f.id}: ${ajv.errorsText(validateFeature.errors)}`);
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('catches a value of the wrong type (the validation can fail)', async () => {
    const ajv = validator();
    const schema = (await ogcGet(app, '/ogc/collections/faults/schema')).body;
    const validate = ajv.compile(schema);
    const f = (await ogcGet(app, '/ogc/collections/faults/items?limit=1')).body.features[0];
    expect(validate({ ...withoutNulls(f.properties), geometry: f.geometry })).toBe(true);
    expect(validate({ ...withoutNulls(f.properties), geometry: f.geometry, reopenCount: '0' })).toBe(false);
    expect(validate({ ...withoutNulls(f.properties), geometry: f.geometry, cancelledAt: 'yesterday' })).toBe(false);
    expect(validate({ ...withoutNulls(f.properties), geometry: f.geometry, state: 'LOST' })).toBe(false);
    expect(geometryMatches(schema, f.geometry)).toBe(true);
    expect(geometryMatches(schema, { type: 'LineString' })).toBe(false);
    expect(validate({ ...withoutNulls(f.properties), geometry: f.geometry, surprise: 1 })).toBe(false);
    const { state: _state, ...noState } = withoutNulls(f.properties);
    expect(validate({ ...noState, geometry: f.geometry })).toBe(false);
  });

  it('types properties from the database: integers, ids and references, timestamps, dates, enumerations, units', async () => {
    const faults = (await ogcGet(app, '/ogc/collections/faults/schema')).body.properties;
    expect(faults.cancelledAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(faults.reportedAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(faults.reopenCount).toMatchObject({ type: 'integer' });
    expect(faults.assetId).toMatchObject({ type: 'integer', 'x-ogc-role': 'reference', 'x-ogc-collectionId': 'assets' });
    expect(faults.assigneeId).toMatchObject({ type: 'integer' });
    expect(faults.assigneeId['x-ogc-role']).toBeUndefined();
    expect(faults.state.enum).toEqual(['NEW', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_PARTS', 'WAITING_VENDOR', 'RESOLVED', 'CLOSED', 'REOPENED', 'CANCELLED']);
    expect(faults.ageDays).toMatchObject({ type: 'number', readOnly: true, 'x-ogc-unit': 'd' });
    const lines = (await ogcGet(app, '/ogc/collections/network-lines/schema')).body;
    expect(lines.properties.aRemoteUnitId).toMatchObject({ type: 'integer', 'x-ogc-role': 'reference', 'x-ogc-collectionId': 'remote-units' });
    expect(lines.properties.aNodeId).toMatchObject({ type: 'integer', 'x-ogc-role': 'reference', 'x-ogc-collectionId': 'network-nodes' });
    expect(lines.properties.lengthMeters).toMatchObject({ type: 'number', readOnly: true, 'x-ogc-unit': 'm' });
    expect(lines.properties.capacityMbps).toMatchObject({ type: 'integer', 'x-ogc-unit': 'Mbit/s' });
    expect(lines.properties.medium.enum).toEqual(['FIBER', 'COPPER', 'RADIO_LINK', 'XDSL', 'MPLS', 'LTE']);
    expect(lines.properties.geometry.format).toBe('geometry-linestring');
    expect(lines.required).toEqual(expect.arrayContaining(['id', 'geometry', 'code', 'medium', 'status', 'version', 'createdAt']));
    expect(lines.required).not.toContain('aRemoteUnitId');
    const assets = (await ogcGet(app, '/ogc/collections/assets/schema')).body.properties;
    expect(assets.cameraId).toMatchObject({ type: 'integer', 'x-ogc-role': 'reference', 'x-ogc-collectionId': 'cameras' });
    expect(assets.remoteUnitId).toMatchObject({ type: 'integer', 'x-ogc-collectionId': 'remote-units' });
    expect(assets.purchasedOn).toMatchObject({ type: 'string', format: 'date' });
    const cameras = (await ogcGet(app, '/ogc/collections/cameras/schema')).body;
    expect(cameras.properties.kind.enum).toEqual(['FIXED', 'PTZ', 'DOME', 'BULLET']);
    expect(cameras.properties.streamUrl.description).toMatch(/null unless/);
    expect(cameras.required).not.toContain('streamUrl');
    expect(cameras.properties.isPublic).toMatchObject({ type: 'boolean' });
    const seq = Object.values(cameras.properties).map((p: any) => p['x-ogc-propertySeq']);
    expect(seq).toEqual(seq.map((_, i) => i + 1));
  });

  it('agrees with the queryables (Part 3) on every property both describe: the same type, date formats and geometry', async () => {
    let compared = 0;
    for (const id of ALL_COLLECTIONS) {
      const schema = (await ogcGet(app, `/ogc/collections/${id}/schema`)).body;
      const queryables = (await ogcGet(app, `/ogc/collections/${id}/queryables`)).body;
      expect(Object.keys(queryables.properties).length).toBeGreaterThan(2);
      for (const [name, q] of Object.entries<any>(queryables.properties)) {
        const p = schema.properties[name];
        // Every queryable is a property of the features (the administrator reads them all).
        expect({ id, name, inSchema: p !== undefined }).toEqual({ id, name, inSchema: true });
        // Integers carry int32/int64 in the schema only; a string's format (date, date-time) and a geometry's must match.
        const format = (x: any) => (x.type === 'integer' ? undefined : x.format);
        expect({ id, name, type: q.type, format: format(q) }).toEqual({ id, name, type: p.type, format: format(p) });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('answers 404 for an unknown collection and 401 for a layer an anonymous request may not read', async () => {
    expect((await ogcGet(app, '/ogc/collections/roads/schema')).status).toBe(404);
    const anonymous = await ogcGet(app, '/ogc/collections/network-lines/schema', null);
    expect(anonymous.status).toBe(401);
    expect((await ogcGet(app, '/ogc/collections/cameras/schema?foo=1')).status).toBe(400);
  });
});

describe('GDAL reads the schema', () => {
  it('ogrinfo (OAPIF) types the fields from it: integers, references and timestamps, even when all null on the first page', async () => {
    const expected: Record<string, Record<string, string>> = {
      faults: { id: 'Integer', reopenCount: 'Integer', assetId: 'Integer', reportedAt: 'DateTime', cancelledAt: 'DateTime', ageDays: 'Real', state: 'String' },
      'network-lines': { id: 'Integer', aRemoteUnitId: 'Integer', zRemoteUnitId: 'Integer', aNodeId: 'Integer', capacityMbps: 'Integer', lengthMeters: 'Real' },
      assets: { id: 'Integer', cameraId: 'Integer', remoteUnitId: 'Integer', vendorId: 'Integer', purchasedOn: 'Date', isPublic: 'Integer(Boolean)' },
      cameras: { id: 'Integer', azimuth: 'Integer', installedOn: 'Date', updatedAt: 'DateTime', streamUrl: 'String' },
      parcels: { id: 'Integer', ada: 'Integer', importedAt: 'DateTime', areaSquareMeters: 'Real' },
    };
    for (const [collection, fields] of Object.entries(expected)) {
      const info = parseOgrinfo(await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${app.url}/ogc`, collection], app.admin.token));
      expect({ collection, fields: info.fields }).toEqual({ collection, fields: expect.objectContaining(fields) });
      // The id once, not twice (the first feature's own and the schema's).
      expect(Object.keys(info.fields).filter((f) => f === 'id')).toHaveLength(1);
    }
  });
});

describe('OGC API features: id property, ETag and Cache-Control', () => {
  it('gives the id as a property too, first', async () => {
    const res = await ogcGet(app, '/ogc/collections/cameras/items?limit=3');
    for (const f of res.body.features) {
      expect(Object.entries(f.properties)[0]).toEqual(['id', f.id]);
    }
  });

  it('answers If-None-Match with the ETag by 304, and a changed feature with a new ETag', async () => {
    const path = '/ogc/collections/cameras/items?limit=5';
    const first = await ogcGet(app, path);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('private, max-age=0, must-revalidate');
    expect(first.headers.get('vary')).toMatch(/Authorization/);
    const again = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${app.admin.token}`, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);

    const id = first.body.features[0].id;
    const one = await ogcGet(app, `/ogc/collections/cameras/items/${id}`);
    const featureEtag = one.headers.get('etag')!;
    expect(featureEtag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const notModified = await fetch(`${app.url}/ogc/collections/cameras/items/${id}`, { headers: { authorization: `Bearer ${app.admin.token}`, 'if-none-match': featureEtag } });
    expect(notModified.status).toBe(304);
    // Another CRS is another document.
    expect((await ogcGet(app, `/ogc/collections/cameras/items/${id}?crs=http://www.opengis.net/def/crs/EPSG/0/5257`)).headers.get('etag')).not.toBe(featureEtag);

    await app.knex('cameras').where({ id }).update({ name: 'yeni ad', version: app.knex.raw('version + 1') });
    const changed = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${app.admin.token}`, 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const changedOne = await fetch(`${app.url}/ogc/collections/cameras/items/${id}`, { headers: { authorization: `Bearer ${app.admin.token}`, 'if-none-match': featureEtag } });
    expect(changedOne.status).toBe(200);
  });

  it('lets shared caches keep anonymous answers a minute, and gives readers with other grants other ETags', async () => {
    const anonymous = await ogcGet(app, '/ogc/collections/cameras/items', null);
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('cache-control')).toBe('public, max-age=60');
    const unit = await insertOrgUnit(app.knex, 'ETAG');
    const { token } = await insertUserWithGrants(app.knex, unit, 'etag-reader', [{ resource: 'CAMERAS', action: 'READ', box: [37.7, 36.9, 37.8, 37.05] }]);
    const limited = await ogcGet(app, '/ogc/collections/cameras/items', token);
    const full = await ogcGet(app, '/ogc/collections/cameras/items');
    expect(limited.body.numberMatched).toBeLessThan(full.body.numberMatched);
    expect(limited.headers.get('etag')).not.toBe(full.headers.get('etag'));
  });
});
