import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestApp, type TestApp } from './helpers/app';
import { insertUserWithGrants } from './helpers/access';
import { insertOrgUnit } from './helpers/factories';
import { gdal, parseOgrinfo } from './helpers/gdal';
import { ogcGet } from './helpers/ogc';

/**
 * Downloads of OGC API collections as GeoPackage, CSV and KML (f=gpkg, csv, kml), opened by GDAL:
 * the right number of features (the same as the items resource and GraphQL for the same reader),
 * types, CRS and coordinates, an area-limited reader's share only, sensitive fields withheld,
 * Turkish letters intact.
 */
let app: TestApp;
let dir: string;
const token: Record<string, string> = {};
const ALL_COLLECTIONS = ['cameras', 'neighbourhoods', 'network-nodes', 'network-lines', 'remote-units', 'parcels', 'assets', 'faults'];
const TM39 = 'http://www.opengis.net/def/crs/EPSG/0/5257';
/** Around the centre of Nizip: part of the sample cameras. */
const AREA: [number, number, number, number] = [37.78, 36.99, 37.8, 37.01];

/** GETs a download as `as` (default: the administrator) and keeps it in a file. */
async function download(pathAndQuery: string, file: string, as: string | null = app.admin.token) {
  const res = await fetch(`${app.url}${pathAndQuery}`, { headers: as ? { authorization: `Bearer ${as}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  const target = path.join(dir, file);
  if (res.status === 200) writeFileSync(target, bytes);
  return { status: res.status, headers: res.headers, bytes, file: target };
}

async function numberMatched(collection: string, as: string = app.admin.token, query = ''): Promise<number> {
  const res = await ogcGet(app, `/ogc/collections/${collection}/items?limit=1${query}`, as);
  if (res.status !== 200) throw new Error(`items of ${collection}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.numberMatched as number;
}

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  dir = mkdtempSync(path.join(tmpdir(), 'kbs-export-test-'));
  const unit = await insertOrgUnit(app.knex, 'EXPORT');
  ({ token: token.area } = await insertUserWithGrants(app.knex, unit, 'export-area', [{ resource: 'CAMERAS', action: 'READ', box: AREA }]));
  ({ token: token.reader } = await insertUserWithGrants(app.knex, unit, 'export-reader', [
    { resource: 'CAMERAS', action: 'READ' },
    { resource: 'PARCELS', action: 'READ' },
  ]));
  // The sample data takes longer to load on the embedded database.
}, 180000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await app.close();
});

describe('GeoPackage downloads (f=gpkg)', () => {
  it('holds every feature of every collection, as GraphQL and the items resource count them, with typed columns', async () => {
    const gql = await app.gql(
      '{ cameras { totalCount } neighbourhoods { totalCount } networkNodes { totalCount } networkLines { totalCount } remoteUnits { totalCount } parcels { totalCount } assets { totalCount } }',
    );
    expect(gql.errors).toBeUndefined();
    const graphql: Record<string, number> = {
      cameras: gql.data.cameras.totalCount,
      neighbourhoods: gql.data.neighbourhoods.totalCount,
      'network-nodes': gql.data.networkNodes.totalCount,
      'network-lines': gql.data.networkLines.totalCount,
      'remote-units': gql.data.remoteUnits.totalCount,
      parcels: gql.data.parcels.totalCount,
      assets: gql.data.assets.totalCount,
    };
    for (const collection of ALL_COLLECTIONS) {
      const res = await download(`/ogc/collections/${collection}/items?f=gpkg`, `${collection}.gpkg`);
      expect({ collection, status: res.status }).toEqual({ collection, status: 200 });
      expect(res.headers.get('content-type')).toBe('application/geopackage+sqlite3');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${collection}.gpkg"`);
      expect(Number(res.headers.get('content-length'))).toBe(res.bytes.length);
      const info = parseOgrinfo(await gdal('ogrinfo', ['-ro', '-so', '-al', res.file]));
      const expected = await numberMatched(collection);
      expect({ collection, count: info.featureCount }).toEqual({ collection, count: expected });
      if (graphql[collection] !== undefined) expect({ collection, count: info.featureCount }).toEqual({ collection, count: graphql[collection] });
      expect(info.fidColumn).toBe('id');
      expect(info.epsg).toBe(4326);
      expect(info.fields).toMatchObject({ version: 'Integer', createdAt: 'DateTime', isPublic: 'Integer(Boolean)' });
    }
    const faults = parseOgrinfo(await gdal('ogrinfo', ['-ro', '-so', '-al', path.join(dir, 'faults.gpkg')]));
    expect(faults.fields).toMatchObject({ cancelledAt: 'DateTime', assetId: 'Integer', reopenCount: 'Integer', ageDays: 'Real', state: 'String' });
    expect(faults.geometry).toBe('Point');
    const lines = parseOgrinfo(await gdal('ogrinfo', ['-ro', '-so', '-al', path.join(dir, 'network-lines.gpkg')]));
    expect(lines.fields).toMatchObject({ aRemoteUnitId: 'Integer', lengthMeters: 'Real' });
    expect(lines.geometry).toBe('Line String');
    expect(parseOgrinfo(await gdal('ogrinfo', ['-ro', '-so', '-al', path.join(dir, 'parcels.gpkg')])).geometry).toBe('Multi Polygon');
  });

  it('is a valid GeoPackage in the requested CRS, with the same coordinates and values as the GeoJSON items', async () => {
    const res = await download(`/ogc/collections/parcels/items?f=gpkg&crs=${TM39}`, 'parcels-tm39.gpkg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-crs')).toBe(`<${TM39}>`);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="parcels-epsg5257.gpkg"');
    expect(res.bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    const info = parseOgrinfo(await gdal('ogrinfo', ['-ro', '-so', '-al', res.file]));
    expect(info.epsg).toBe(5257);
    // GDAL's own checks of the GeoPackage requirements (tables, columns, geometry blobs) pass quietly.
    const full = await gdal('ogrinfo', ['-ro', '-al', '-q', '-oo', 'LIST_ALL_TABLES=NO', res.file]);
    expect(full).not.toMatch(/ERROR|Warning/i);

    const items = (await ogcGet(app, `/ogc/collections/parcels/items?limit=3&crs=${TM39}`)).body.features;
    const fromGdal = JSON.parse(await gdal('ogr2ogr', ['-f', 'GeoJSON', '-preserve_fid', '/vsistdout/', res.file, '-where', `id IN (${items.map((f: any) => f.id).join(',')})`]));
    for (const f of items) {
      // The GeoPackage's primary key is the feature id: GDAL gives it as the feature's id.
      const g = fromGdal.features.find((x: any) => x.id === f.id);
      // OGC API writes TM39 northing first (its axis order); a GeoPackage keeps x = easting.
      const ring = f.geometry.coordinates[0][0].map(([n, e]: number[]) => [e, n]);
      expect(g.geometry.coordinates[0][0]).toEqual(ring.map(([e, n]: number[]) => [expect.closeTo(e, 3), expect.closeTo(n, 3)]));
      expect(g.properties).toMatchObject({ mahalle: f.properties.mahalle, ada: f.properties.ada, parsel: f.properties.parsel });
      expect(g.properties.createdAt.slice(0, 19).replace(/\//g, '-').replace(' ', 'T')).toBe(f.properties.createdAt.slice(0, 19));
    }
  });

  it('gives an area-limited reader the features of its area only, and withholds sensitive fields', async () => {
    const area = await download('/ogc/collections/cameras/items?f=gpkg', 'cameras-area.gpkg', token.area);
    const limited = parseOgrinfo(await gdal('ogrinfo', ['-ro', '-so', '-al', area.file]));
    const all = await numberMatched('cameras');
    expect(limited.featureCount).toBe(await numberMatched('cameras', token.area));
    expect(limited.featureCount).toBeGreaterThan(0);
    expect(limited.featureCount).toBeLessThan(all);
    // Outside the area only the public cameras (everyone reads those).
    const outside = (extra: string) =>
      gdal('ogrinfo', ['-ro', '-q', area.file, '-sql', `SELECT COUNT(*) AS n FROM cameras WHERE (ST_X(geom) < ${AREA[0]} OR ST_X(geom) > ${AREA[2]} OR ST_Y(geom) < ${AREA[1]} OR ST_Y(geom) > ${AREA[3]})${extra}`, '-dialect', 'SQLite']);
    expect(await outside(' AND NOT isPublic')).toMatch(/n \(Integer\) = 0\s/);
    expect(await outside('')).toMatch(/n \(Integer\) = [1-9]/);

    const revealed = async (file: string) => (await gdal('ogrinfo', ['-ro', '-q', file, '-sql', 'SELECT COUNT(*) AS n FROM cameras WHERE streamUrl IS NOT NULL'])).match(/n \(Integer\) = (\d+)/)![1];
    const reader = await download('/ogc/collections/cameras/items?f=gpkg', 'cameras-reader.gpkg', token.reader);
    expect(Number(await revealed(reader.file))).toBe(0);
    expect(Number(await revealed(path.join(dir, 'cameras.gpkg')))).toBeGreaterThan(0);
  });
});

describe('CSV downloads (f=csv)', () => {
  it('is UTF-8 with a BOM and CRLF rows (RFC 4180), the geometry as WKT, read by GDAL with types and Turkish letters intact', async () => {
    const res = await download('/ogc/collections/parcels/items?f=csv', 'parcels.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="parcels.csv"');
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toMatch(/^id,version,createdAt,updatedAt,.*,WKT$/);
    const mahalleler = (await app.knex('parcels').distinct('mahalle')).map((r: { mahalle: string }) => r.mahalle);
    const turkish = mahalleler.find((m) => /[İŞĞÜÖÇışğüöç]/.test(m));
    expect(turkish).toBeDefined();
    expect(text).toContain(turkish);

    const oo = ['-oo', 'AUTODETECT_TYPE=YES', '-oo', 'GEOM_POSSIBLE_NAMES=WKT', '-oo', 'KEEP_GEOM_COLUMNS=NO'];
    const info = parseOgrinfo(await gdal('ogrinfo', ['-ro', '-so', '-al', ...oo, res.file]));
    expect(info.featureCount).toBe(await numberMatched('parcels'));
    // A CSV names no geometry type: GDAL learns it feature by feature.
    expect(info.geometry).toBe('Unknown (any)');
    expect(info.fields).toMatchObject({ id: 'Integer', version: 'Integer', ada: 'Integer', parsel: 'Integer', createdAt: 'DateTime', mahalle: 'String', areaSquareMeters: 'Real' });
    const one = await gdal('ogrinfo', ['-ro', '-q', ...oo, res.file, '-sql', `SELECT * FROM parcels WHERE mahalle = '${turkish}' LIMIT 1`]);
    expect(one).toContain(`mahalle (String) = ${turkish}`);
    expect(one).toMatch(/MULTIPOLYGON \(\(\(37\.\d+ 37\.\d+,/);
  });

  it('writes the coordinates of the requested CRS, easting first, which the CSV cannot name: the Content-Crs header does', async () => {
    const res = await download(`/ogc/collections/cameras/items?f=csv&crs=${TM39}`, 'cameras-tm39.csv');
    expect(res.headers.get('content-crs')).toBe(`<${TM39}>`);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="cameras-epsg5257.csv"');
    const csv = JSON.parse(await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', '-oo', 'GEOM_POSSIBLE_NAMES=WKT', '-oo', 'KEEP_GEOM_COLUMNS=NO', '-oo', 'AUTODETECT_TYPE=YES', res.file]));
    const items = (await ogcGet(app, `/ogc/collections/cameras/items?limit=10000&crs=${TM39}`)).body.features;
    expect(csv.features).toHaveLength(items.length);
    csv.features.forEach((f: any, i: number) => {
      expect(f.properties.id).toBe(items[i].id);
      const [n, e] = items[i].geometry.coordinates;
      expect(f.geometry.coordinates).toEqual([expect.closeTo(e, 3), expect.closeTo(n, 3)]);
    });
  });

  it('gives an area-limited reader its share, leaves withheld fields empty, and takes bbox and limit', async () => {
    const area = await download('/ogc/collections/cameras/items?f=csv', 'cameras-area.csv', token.area);
    const rows = (s: Buffer) => s.toString('utf8').slice(1).split('\r\n').filter((l) => l !== '').length - 1;
    expect(rows(area.bytes)).toBe(await numberMatched('cameras', token.area));
    const reader = await download('/ogc/collections/cameras/items?f=csv', 'cameras-reader.csv', token.reader);
    const info = JSON.parse(await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', '-oo', 'GEOM_POSSIBLE_NAMES=WKT', reader.file]));
    expect(info.features.length).toBeGreaterThan(0);
    expect(info.features.every((f: any) => f.properties.streamUrl === null || f.properties.streamUrl === '')).toBe(true);
    const admin = JSON.parse(await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', '-oo', 'GEOM_POSSIBLE_NAMES=WKT', (await download('/ogc/collections/cameras/items?f=csv', 'cameras.csv')).file]));
    expect(admin.features.some((f: any) => /^rtsp:/.test(f.properties.streamUrl ?? ''))).toBe(true);

    const box = AREA.join(',');
    expect(rows((await download(`/ogc/collections/cameras/items?f=csv&bbox=${box}`, 'box.csv')).bytes)).toBe(await numberMatched('cameras', app.admin.token, `&bbox=${box}`));
    expect(rows((await download('/ogc/collections/parcels/items?f=csv&limit=7', 'seven.csv')).bytes)).toBe(7);
  });
});

describe('KML downloads (f=kml)', () => {
  it('is KML that GDAL reads, in WGS 84, with every feature and its attributes', async () => {
    const res = await download('/ogc/collections/neighbourhoods/items?f=kml', 'neighbourhoods.kml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.google-earth.kml+xml');
    expect(res.headers.get('content-crs')).toBe('<http://www.opengis.net/def/crs/OGC/1.3/CRS84>');
    const text = res.bytes.toString('utf8');
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>')).toBe(true);
    expect(text.endsWith('</Document></kml>')).toBe(true);
    expect(text).not.toContain('<value>null</value>');
    const info = parseOgrinfo(await gdal('ogrinfo', ['-ro', '-so', '-al', res.file]));
    expect(info.featureCount).toBe(await numberMatched('neighbourhoods'));
    expect(info.epsg).toBe(4326);
    const names = (await app.knex('neighbourhoods').select('name')).map((r: { name: string }) => r.name);
    const turkish = names.find((m) => /[İŞĞÜÖÇışğüöç]/.test(m))!;
    const one = await gdal('ogrinfo', ['-ro', '-q', '-al', res.file, '-where', `Name = '${turkish}'`]);
    expect(one).toContain(turkish);
    expect(one).toMatch(/MULTIPOLYGON|POLYGON/);
    // Up to 6,000 parcels: more than one page of 5,000 (GDAL's KML readers parse the whole file, slowly).
    const parcels = await download('/ogc/collections/parcels/items?f=kml&limit=6000', 'parcels.kml');
    expect(parseOgrinfo(await gdal('ogrinfo', ['-ro', '-so', '-al', parcels.file])).featureCount).toBe(Math.min(6000, await numberMatched('parcels')));
  }, 120000);

  it('refuses another CRS: KML is always WGS 84 longitude/latitude', async () => {
    const res = await ogcGet(app, `/ogc/collections/cameras/items?f=kml&crs=${TM39}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'BAD_USER_INPUT', description: expect.stringContaining('KML is always WGS 84') });
  });
});

describe('downloads: parameters, limits, statements', () => {
  it('refuses an unknown format, naming the ones offered, and keeps the grants (401, 403)', async () => {
    const res = await ogcGet(app, '/ogc/collections/cameras/items?f=shp');
    expect(res.status).toBe(400);
    expect(res.body.description).toContain('f=gpkg, f=csv, f=kml');
    expect((await ogcGet(app, '/ogc/collections/network-lines/items?f=csv', null)).status).toBe(401);
    expect((await ogcGet(app, '/ogc/collections/faults/items?f=gpkg', token.reader)).status).toBe(403);
    expect((await ogcGet(app, '/ogc/collections/cameras/items?f=csv&limit=0')).status).toBe(400);
  });

  it('refuses a selection larger than one download may hold, before writing anything', async () => {
    const small = await startTestApp({ server: { limits: { exportMaxFeatures: 2 } } });
    try {
      const unit = await insertOrgUnit(small.knex, 'CAP');
      for (let i = 0; i < 3; i++) await small.knex('cameras').insert({ code: `C${i}`, name: `c${i}`, kind: 'FIXED', purpose: 'SECURITY', azimuth: 0, horizontal_fov: 90, range_m: 50, owner_org_unit_id: unit, geom: small.knex.raw('ST_SetSRID(ST_MakePoint(37.79, 37.0), 4326)') });
      const res = await ogcGet(small, '/ogc/collections/cameras/items?f=csv');
      expect(res.status).toBe(400);
      expect(res.body.description).toMatch(/3 features of cameras match, more than the 2 one download may hold/);
      const two = await fetch(`${small.url}/ogc/collections/cameras/items?f=csv&limit=2`, { headers: { authorization: `Bearer ${small.admin.token}` } });
      expect(two.status).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('reads in keyset pages: one count, then one statement per page', async () => {
    await download('/ogc/collections/parcels/items?f=csv', 'warm.csv');
    const n = await numberMatched('parcels');
    const { statements, sql } = await app.countStatements(() => download('/ogc/collections/parcels/items?f=csv', 'counted.csv'));
    const pages = Math.floor(n / 5000) + 1;
    expect({ statements, sql }).toEqual({ statements: app.accessCheckStatements + 1 + pages, sql: expect.any(Array) });
  });
});
