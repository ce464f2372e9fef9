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

describe("downloads select exactly the items' features: filter, datetime, bbox, queryables, cursor, properties", () => {
  const q = encodeURIComponent;

  /** Every id the items pages select for `query` (following the next links), and their numberMatched. */
  async function itemIds(collection: string, query: string, as: string = app.admin.token): Promise<{ ids: number[]; matched: number }> {
    const ids: number[] = [];
    let href: string | undefined = `/ogc/collections/${collection}/items?limit=10000&${query}`;
    let matched = NaN;
    while (href) {
      const res: { status: number; body: any } = await ogcGet(app, href, as);
      if (res.status !== 200) throw new Error(`items of ${collection}?${query}: ${res.status} ${JSON.stringify(res.body)}`);
      matched = res.body.numberMatched;
      ids.push(...res.body.features.map((f: { id: number }) => f.id));
      href = res.body.links.find((l: { rel: string }) => l.rel === 'next')?.href;
    }
    return { ids, matched };
  }

  /** The feature ids of a downloaded GeoPackage as GDAL reads them (its FID, the table's key). */
  async function gpkgIds(file: string): Promise<number[]> {
    const out = await gdal('ogrinfo', ['-ro', '-q', '-al', '-geom=NO', '-fields=NO', file]);
    return [...out.matchAll(/^OGRFeature\([^)]+\):(\d+)$/gm)].map((m) => Number(m[1]));
  }

  /** The `id` column of a downloaded CSV as GDAL's CSV driver reads it. */
  async function csvIds(file: string): Promise<number[]> {
    const out = await gdal('ogrinfo', ['-ro', '-q', '-al', '-geom=NO', '-oo', 'AUTODETECT_TYPE=YES', '-oo', 'GEOM_POSSIBLE_NAMES=WKT', file]);
    return [...out.matchAll(/^\s+id \(Integer\) = (\d+)$/gm)].map((m) => Number(m[1]));
  }

  /** Downloads `query` as GeoPackage and CSV as `as`, and expects both to hold exactly the items' ids. */
  async function expectSameAsItems(collection: string, query: string, name: string, as: string = app.admin.token) {
    const items = await itemIds(collection, query, as);
    expect(items.ids).toHaveLength(items.matched);
    const gpkg = await download(`/ogc/collections/${collection}/items?f=gpkg&${query}`, `${name}.gpkg`, as);
    expect({ name, status: gpkg.status }).toEqual({ name, status: 200 });
    expect(await gpkgIds(gpkg.file)).toEqual(items.ids);
    const csv = await download(`/ogc/collections/${collection}/items?f=csv&${query}`, `${name}.csv`, as);
    expect({ name, status: csv.status }).toEqual({ name, status: 200 });
    expect(await csvIds(csv.file)).toEqual(items.ids);
    return items;
  }

  it('a CQL2 filter with datetime and bbox: the same numberMatched and ids as the items pages', async () => {
    const all = await itemIds('faults', '');
    const faults = (await ogcGet(app, '/ogc/collections/faults/items?limit=10000')).body.features;
    const times = faults.map((f: any) => f.properties.reportedAt as string).sort();
    const [from, to] = [times[Math.floor(times.length / 5)], times[Math.floor((times.length * 4) / 5)]];
    // The most common state: a condition that keeps part of the faults.
    const counts = new Map<string, number>();
    for (const f of faults) counts.set(f.properties.state, (counts.get(f.properties.state) ?? 0) + 1);
    expect(counts.size).toBeGreaterThan(1);
    const state = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    const filter = `state = '${state}' AND reportedAt IS NOT NULL`;
    const [minx, miny, maxx, maxy] = (await ogcGet(app, '/ogc/collections/faults')).body.extent.spatial.bbox[0];
    const bbox = [minx, miny, (minx + maxx * 3) / 4, maxy].join(',');
    const query = `filter=${q(filter)}&datetime=${q(`${from}/${to}`)}&bbox=${bbox}`;
    const items = await expectSameAsItems('faults', query, 'faults-filtered');
    // Each condition narrows: a test of a selection that keeps everything could not fail.
    expect(items.matched).toBeGreaterThan(0);
    expect(items.matched).toBeLessThan((await itemIds('faults', `datetime=${q(`${from}/${to}`)}&bbox=${bbox}`)).matched);
    expect(items.matched).toBeLessThan((await itemIds('faults', `filter=${q(filter)}`)).matched);
    expect(items.matched).toBeLessThan(all.matched);
  }, 120000);

  it('more than one keyset page of 5,000 over a filtered query: no feature skipped or repeated, in CQL2 JSON too', async () => {
    const total = await numberMatched('parcels');
    // All but the parcels of the most common ada: rows left out all over the id range.
    const [{ ada }] = await app.knex('parcels').select('ada').count('* as n').groupBy('ada').orderBy('n', 'desc').limit(1);
    const text = `filter=${q(`ada <> ${ada} AND mahalle IS NOT NULL`)}&datetime=${q('2000-01-01T00:00:00Z/..')}`;
    const items = await expectSameAsItems('parcels', text, 'parcels-filtered');
    expect(items.matched).toBeLessThan(total);
    expect(new Set(items.ids).size).toBe(items.ids.length);
    if (total > 5500) expect(items.matched).toBeGreaterThan(5000);
    const json = { op: '>', args: [{ property: 'ada' }, 20] };
    await expectSameAsItems('parcels', `filter-lang=cql2-json&filter=${q(JSON.stringify(json))}`, 'parcels-json');
  }, 240000);

  it("an area-limited reader's share only, with a queryable parameter, a filter in filter-crs EPSG:4326 (lat/lon) and bbox", async () => {
    const mine = (await ogcGet(app, '/ogc/collections/cameras/items?limit=10000', token.area)).body.features;
    expect(mine.length).toBeGreaterThan(1);
    const kind = mine[0].properties.kind as string;
    // AREA as latitude/longitude (EPSG:4326's axis order), and a bbox on part of it.
    const [lon1, lat1, lon2, lat2] = AREA;
    const query =
      `kind=${q(kind)}&filter-crs=${q('http://www.opengis.net/def/crs/EPSG/0/4326')}` +
      `&filter=${q(`S_INTERSECTS(geometry, BBOX(${lat1}, ${lon1}, ${lat2}, ${lon2}))`)}&bbox=${[lon1 - 0.5, lat1 - 0.5, (lon1 + lon2) / 2 + 0.001, lat2 + 0.5].join(',')}`;
    const limited = await expectSameAsItems('cameras', query, 'cameras-area-filtered', token.area);
    expect(limited.matched).toBeGreaterThan(0);
    const admin = await itemIds('cameras', query);
    // The administrator's selection holds more (cameras outside the grant's area are not the reader's).
    expect(admin.matched).toBeGreaterThanOrEqual(limited.matched);
    for (const id of limited.ids) expect(admin.ids).toContain(id);
  }, 120000);

  it("continues from a filtered page's cursor: the rest of the selection", async () => {
    const query = `filter=${q('ada >= 10')}`;
    const page = await ogcGet(app, `/ogc/collections/parcels/items?limit=25&${query}`);
    const next = new URL(page.body.links.find((l: { rel: string }) => l.rel === 'next').href);
    const cursor = next.searchParams.get('cursor')!;
    const rest = (await itemIds('parcels', query)).ids.slice(25);
    const csv = await download(`/ogc/collections/parcels/items?f=csv&${query}&cursor=${q(cursor)}`, 'parcels-rest.csv');
    expect(await csvIds(csv.file)).toEqual(rest);
  }, 120000);

  it('writes only the columns properties names, in its order; the GeoPackage keeps its id key', async () => {
    const csv = await download('/ogc/collections/cameras/items?f=csv&properties=name,kind', 'cameras-props.csv');
    expect(csv.status).toBe(200);
    expect(csv.bytes.toString('utf8').slice(1).split('\r\n')[0]).toBe('name,kind,WKT');
    const withId = await download('/ogc/collections/cameras/items?f=csv&properties=kind,id', 'cameras-props-id.csv');
    expect(withId.bytes.toString('utf8').slice(1).split('\r\n')[0]).toBe('kind,id,WKT');
    const gpkg = await download('/ogc/collections/cameras/items?f=gpkg&properties=name,kind', 'cameras-props.gpkg');
    const info = parseOgrinfo(await gdal('ogrinfo', ['-ro', '-so', '-al', gpkg.file]));
    expect(info.fields).toEqual({ name: 'String', kind: 'String' });
    expect(info.fidColumn).toBe('id');
    expect(info.featureCount).toBe(await numberMatched('cameras'));
    const kml = await download('/ogc/collections/cameras/items?f=kml&properties=kind', 'cameras-props.kml');
    const text = kml.bytes.toString('utf8');
    expect(text).toContain('<Data name="kind">');
    expect(text).not.toContain('<Data name="name">');
    const bad = await ogcGet(app, '/ogc/collections/cameras/items?f=csv&properties=nosuch');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: 'BAD_USER_INPUT', description: expect.stringContaining('properties: "nosuch" is not a property of cameras') });
  });

  it('refuses sortby, saying why (downloads are in id order), and a bad filter as the items do', async () => {
    const res = await ogcGet(app, '/ogc/collections/cameras/items?f=gpkg&sortby=-name');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'BAD_USER_INPUT', description: expect.stringContaining('sortby: downloads (f=gpkg) are written in id order') });
    const items = await ogcGet(app, `/ogc/collections/cameras/items?filter=${q('nosuch = 1')}`);
    const csv = await ogcGet(app, `/ogc/collections/cameras/items?f=csv&filter=${q('nosuch = 1')}`);
    expect(items.status).toBe(400);
    expect(csv.status).toBe(400);
    expect(csv.body).toEqual(items.body);
  });
});
