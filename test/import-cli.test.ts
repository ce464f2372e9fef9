import { readFile, writeFile } from 'node:fs/promises';
import { startTestApp, type TestApp } from './helpers/app';
import { insertUserWithGrants, tokenFor } from './helpers/access';
import { fixtureDir, importCli, ogr2ogr, square, writeGeoJson, zipFiles, type Feature } from './helpers/import';

let app: TestApp;
let fx: Awaited<ReturnType<typeof fixtureDir>>;
const ADMIN = 'kbs-test-admin';

/** TKGM's parcel export: its field names, decimal commas, Turkish letters. */
const tkgm = (ada: number, parsel: number, lon: number, extra: Record<string, unknown> = {}): Feature => ({
  properties: { Il: 'Gaziantep', Ilce: 'Nizip', Mahalle: 'Şıhlar Ğüşİöç', Ada: ada, ParselNo: parsel, Alan: '900,01', Nitelik: 'Arsa', Pafta: 'N39-b', Mevkii: 'Çayır', ...extra },
  geometry: square(lon, 37.01),
});

const parcels = async (where: Record<string, unknown> = {}) =>
  app.knex('parcels').where(where).orderBy(['ada', 'parsel']).select('province', 'district', 'mahalle', 'ada', 'parsel', 'registered_area_m2', 'nitelik', 'pafta', 'version');

/** The audit log as the API gives it; with `out`, only the entries of the import whose report that is. */
const auditOf = async (entity: string, out?: string) => {
  const res = await app.gql(`query($e: Resource) { auditLog(filter: { entity: $e }, first: 1000) { totalCount edges { node { action entityId requestId actorUsername after } } } }`, { e: entity });
  expect(res.errors).toBeUndefined();
  const log = res.data.auditLog as { totalCount: number; edges: { node: { action: string; entityId: string; requestId: string; actorUsername: string; after: Record<string, unknown> } }[] };
  if (out === undefined) return log;
  const id = /^import ([0-9a-f-]{36})/.exec(out)![1];
  const edges = log.edges.filter((e) => e.node.requestId === `import:${id}`);
  return { totalCount: edges.length, edges };
};

beforeAll(async () => {
  app = await startTestApp();
  fx = await fixtureDir();
});

afterAll(async () => {
  await fx?.remove();
  await app?.close();
});

beforeEach(async () => {
  await app.knex('parcels').delete();
  await app.knex('cameras').delete();
});

describe('GeoJSON, TKGM fields, both modes, audit', () => {
  it('dry run reports, commit writes with audit rows naming the import, and the same file again changes nothing', async () => {
    const file = await writeGeoJson(fx.file('tkgm.geojson'), [tkgm(101, 1, 37.79), tkgm(101, 2, 37.7903), tkgm(102, 1, 37.7906, { Alan: '1.234,5' })]);
    const dry = await importCli(app.knex, 'parcels', file, '--dry-run', '--as', ADMIN);
    expect(dry.err).toMatch(/^\[kbs\] import: done, 3 rows, \d+ rows\/s$/m);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/dry run: would insert 3, update 0, leave 0 unchanged, reject 0; nothing was written/);
    expect(dry.out).toMatch(/Il -> province, Ilce -> district, Mahalle -> mahalle, Ada -> ada, ParselNo -> parsel, Alan -> registeredAreaSquareMeters, Nitelik -> nitelik, Pafta -> pafta; ignored: Mevkii/);
    expect(await parcels()).toEqual([]);

    const done = await importCli(app.knex, 'parcels', file, '--as', ADMIN, '--set', 'source=TKGM');
    expect(done.code).toBe(0);
    const id = /import ([0-9a-f-]{36})/.exec(done.out)![1];
    expect(done.out).toMatch(/written: inserted 3, updated 0, left 0 unchanged/);
    expect(await parcels()).toEqual([
      { province: 'Gaziantep', district: 'Nizip', mahalle: 'Şıhlar Ğüşİöç', ada: 101, parsel: 1, registered_area_m2: 900.01, nitelik: 'Arsa', pafta: 'N39-b', version: 1 },
      { province: 'Gaziantep', district: 'Nizip', mahalle: 'Şıhlar Ğüşİöç', ada: 101, parsel: 2, registered_area_m2: 900.01, nitelik: 'Arsa', pafta: 'N39-b', version: 1 },
      { province: 'Gaziantep', district: 'Nizip', mahalle: 'Şıhlar Ğüşİöç', ada: 102, parsel: 1, registered_area_m2: 1234.5, nitelik: 'Arsa', pafta: 'N39-b', version: 1 },
    ]);
    const audit = await auditOf('PARCELS');
    expect(audit.totalCount).toBe(3);
    for (const { node } of audit.edges) {
      expect(node).toMatchObject({ action: 'CREATE', requestId: `import:${id}`, actorUsername: ADMIN });
      expect(node.after).toMatchObject({ source: 'TKGM', mahalle: 'Şıhlar Ğüşİöç', geometry: { type: 'MultiPolygon' } });
    }
    // the API reads them as any other parcel
    const read = await app.gql(`{ parcelByNumber(mahalle: "SIHLAR GUSIOC", ada: 101, parsel: 2) { ada parsel registeredAreaSquareMeters areaSquareMeters } }`);
    expect(read.data.parcelByNumber).toMatchObject({ ada: 101, parsel: 2, registeredAreaSquareMeters: 900.01 });

    // the same file again: unchanged, no new version, no audit row
    const again = await importCli(app.knex, 'parcels', file, '--mode', 'upsert', '--as', ADMIN, '--set', 'source=TKGM');
    expect(again.out).toMatch(/written: inserted 0, updated 0, left 3 unchanged/);
    expect((await parcels()).map((p) => p.version)).toEqual([1, 1, 1]);
    expect((await auditOf('PARCELS')).totalCount).toBe(3);

    // insert-only refuses what exists; upsert updates what changed (mahalle matched folded)
    const insertAgain = await importCli(app.knex, 'parcels', file, '--as', ADMIN);
    expect(insertAgain.code).toBe(1);
    expect(insertAgain.out).toMatch(/row 1\tprovince\+district\+mahalle\+ada\+parsel\ta parcel with this province\+district\+mahalle\+ada\+parsel exists already/);
    const changed = await writeGeoJson(fx.file('tkgm2.geojson'), [tkgm(101, 1, 37.79, { Mahalle: 'ŞIHLAR ĞÜŞİÖÇ', Nitelik: 'Bahçe' }), tkgm(101, 2, 37.7903), tkgm(103, 1, 37.7909)]);
    const upsert = await importCli(app.knex, 'parcels', changed, '--mode', 'upsert', '--as', ADMIN, '--set', 'source=TKGM');
    expect(upsert.out).toMatch(/written: inserted 1, updated 1, left 1 unchanged/);
    const after = await parcels({ ada: 101, parsel: 1 });
    expect(after[0]).toMatchObject({ mahalle: 'ŞIHLAR ĞÜŞİÖÇ', nitelik: 'Bahçe', version: 2 });
    const updates = (await auditOf('PARCELS')).edges.filter((e) => e.node.action === 'UPDATE');
    expect(updates).toHaveLength(1);
  });
});

describe('formats, coordinate systems, encodings', () => {
  const mahalleler = ['Şıhlar', 'Ğüşİöç Çarşı', 'Fıstıklık'];
  const source = async () =>
    writeGeoJson(fx.file('src.geojson'), mahalleler.map((m, i) => ({ properties: { il: 'Gaziantep', ilce: 'Nizip', mahalle: m, ada: 200, parsel: i + 1, alan: 400 + i, nitelik: 'Tarla' }, geometry: square(37.79 + i * 0.0003, 37.012) })));

  /** What the import wrote, with the geometry back in 4326 to the mm (a round trip through TM39 or ED50 and PostGIS). */
  const written = async () =>
    (await app.knex.raw(`SELECT mahalle, parsel, registered_area_m2 AS area, ST_AsText(ST_SnapToGrid(ST_ForcePolygonCCW(geom), 1e-8)) AS wkt FROM parcels ORDER BY parsel`)).rows;

  it('a zipped Shapefile in TUREF TM39 and cp1254, as NetCAD and ArcGIS write it: .prj recognised as EPSG:5257, Turkish letters intact', async () => {
    const shp = await ogr2ogr(fx.file('tm39-1254.shp.zip'), await source(), '-t_srs', 'EPSG:5257', '-lco', 'ENCODING=CP1254');
    const res = await importCli(app.knex, 'parcels', shp, '--as', ADMIN);
    expect(res.out).toMatch(/Shapefile \(windows-1254\)/);
    expect(res.out).toMatch(/coordinates: EPSG:5257 \(TUREF \/ TM39\)/);
    expect(res.code).toBe(0);
    const rows = await written();
    expect(rows.map((r: { mahalle: string }) => r.mahalle)).toEqual(mahalleler);
    expect(rows[0].wkt).toBe('MULTIPOLYGON(((37.79 37.012,37.7902 37.012,37.7902 37.0122,37.79 37.0122,37.79 37.012)))');
  });

  it('a Shapefile in ED50 / UTM 37N and ISO-8859-9 (given with --encoding, no .cpg): EPSG:23037, not the other CRSs on the same ellipsoid and projection', async () => {
    const dir = fx.file('ed50');
    await ogr2ogr(`${dir}.shp`, await source(), '-t_srs', 'EPSG:23037', '-lco', 'ENCODING=ISO-8859-9');
    const zip = await zipFiles(fx.file('ed50.zip'), { 'ed50.shp': `${dir}.shp`, 'ed50.shx': `${dir}.shx`, 'ed50.dbf': `${dir}.dbf`, 'ed50.prj': `${dir}.prj` });
    expect(await readFile(`${dir}.prj`, 'utf8')).not.toMatch(/AUTHORITY/);
    const res = await importCli(app.knex, 'parcels', zip, '--encoding', 'ISO-8859-9', '--as', ADMIN);
    expect(res.out).toMatch(/coordinates: EPSG:23037 \(ED50 \/ UTM zone 37N\): the CRS with the projection, ellipsoid and datum/);
    expect(res.code).toBe(0);
    expect((await written()).map((r: { mahalle: string }) => r.mahalle)).toEqual(mahalleler);
    // ED50 -> WGS 84 goes through the datum shift both ways: within a centimetre
    const [{ d }] = (await app.knex.raw(`SELECT max(ST_HausdorffDistance(geom::geography::geometry, ST_Transform(ST_Transform(geom, 23037), 4326))) AS d FROM parcels`)).rows;
    expect(d).toBeLessThan(1e-7);
  });

  it('a Shapefile in UTF-8 (.cpg "UTF-8")', async () => {
    const shp = await ogr2ogr(fx.file('utf8.shp.zip'), await source(), '-t_srs', 'EPSG:5257', '-lco', 'ENCODING=UTF-8');
    const res = await importCli(app.knex, 'parcels', shp, '--as', ADMIN);
    expect(res.out).toMatch(/Shapefile \(utf-8\)/);
    expect((await written()).map((r: { mahalle: string }) => r.mahalle)).toEqual(mahalleler);
  });

  it('GeoJSON with a crs member (TM39), and GeoJSONSeq', async () => {
    const tm39 = await ogr2ogr(fx.file('tm39.geojson'), await source(), '-t_srs', 'EPSG:5257');
    const res = await importCli(app.knex, 'parcels', tm39, '--as', ADMIN);
    expect(res.out).toMatch(/coordinates: EPSG:5257, as the GeoJSON crs member says/);
    expect((await written())[0].wkt).toBe('MULTIPOLYGON(((37.79 37.012,37.7902 37.012,37.7902 37.0122,37.79 37.0122,37.79 37.012)))');
    await app.knex('parcels').delete();
    const seq = await ogr2ogr(fx.file('src.geojsonl'), await source(), '-f', 'GeoJSONSeq');
    const res2 = await importCli(app.knex, 'parcels', seq, '--as', ADMIN);
    expect(res2.out).toMatch(/3 rows of GeoJSONSeq/);
    expect((await written()).map((r: { mahalle: string }) => r.mahalle)).toEqual(mahalleler);
  });

  it('a camera list from a spreadsheet: CSV with BOM, ";" and decimal commas, TM39 x/y, Turkish day.month.year', async () => {
    const csv = '\uFEFFKod;Ad;Tür;Amaç;Azimut;Görüş Açısı;Menzil;Kurulum;Sağa;Yukarı\n' +
      'KAM-0101;Atatürk Bulvarı Işıklı Kavşak;PTZ;Güvenlik;90;60,5;120,25;15.03.2024;392750,125;4098300,5\n' +
      'KAM-0102;Çarşı Girişi;dome;TRAFFIC;180;90;80;2024-04-01;392800;4098350\n';
    const file = fx.file('kameralar.csv');
    await writeFile(file, csv);
    const res = await importCli(app.knex, 'cameras', file, '--srid', '5257', '--map', 'Tür=kind', '--map', 'Amaç=purpose', '--map', 'Azimut=azimuth',
      '--map', 'Görüş Açısı=horizontalFov', '--map', 'Menzil=rangeMeters', '--map', 'Kurulum=installedOn', '--x', 'Sağa', '--y', 'Yukarı', '--as', ADMIN);
    // Güvenlik is no purpose: the row is refused with the allowed values
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/row 1\tpurpose\tunknown value "Güvenlik": one of SECURITY, LIVE_BROADCAST, TRAFFIC/);
    await writeFile(file, csv.replace('Güvenlik', 'security'));
    const ok = await importCli(app.knex, 'cameras', file, '--srid', '5257', '--map', 'Tür=kind', '--map', 'Amaç=purpose', '--map', 'Azimut=azimuth',
      '--map', 'Görüş Açısı=horizontalFov', '--map', 'Menzil=rangeMeters', '--map', 'Kurulum=installedOn', '--x', 'Sağa', '--y', 'Yukarı', '--as', ADMIN);
    expect(ok.out).toMatch(/Kod -> code, Ad -> name/);
    expect(ok.code).toBe(0);
    const cams = (await app.knex.raw(`SELECT code, name, kind, purpose, horizontal_fov, range_m, installed_on, status, ST_X(ST_Transform(geom, 5257)) AS x FROM cameras ORDER BY code`)).rows;
    expect(cams).toEqual([
      { code: 'KAM-0101', name: 'Atatürk Bulvarı Işıklı Kavşak', kind: 'PTZ', purpose: 'SECURITY', horizontal_fov: 60.5, range_m: 120.25, installed_on: '2024-03-15', status: 'ACTIVE', x: expect.closeTo(392750.125, 3) },
      { code: 'KAM-0102', name: 'Çarşı Girişi', kind: 'DOME', purpose: 'TRAFFIC', horizontal_fov: 90, range_m: 80, installed_on: '2024-04-01', status: 'ACTIVE', x: expect.closeTo(392800, 3) },
    ]);
  });

  it('CSV with a WKT column, and KML written by GDAL', async () => {
    const wkt = fx.file('wkt.csv');
    await writeFile(wkt, 'code,name,kind,purpose,azimuth,horizontalFov,rangeMeters,WKT\nKAM-1,Bir,FIXED,SECURITY,0,90,50,POINT(37.79 37.01)\nKAM-2,İki,BULLET,SECURITY,10,45,60,MULTIPOINT((37.791 37.011))\n');
    const res = await importCli(app.knex, 'cameras', wkt, '--as', ADMIN);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/written: inserted 2/);
    await app.knex('cameras').delete();
    const cams = await writeGeoJson(fx.file('cams.geojson'), [
      { properties: { code: 'KAM-7', name: 'Şehitlik Kavşağı', kind: 'DOME', purpose: 'LIVE_BROADCAST', azimuth: 45, horizontalFov: 360, rangeMeters: 150 }, geometry: { type: 'Point', coordinates: [37.795, 37.011] } },
    ]);
    const kml = await ogr2ogr(fx.file('cams.kml'), cams);
    const res2 = await importCli(app.knex, 'cameras', kml, '--as', ADMIN);
    expect(res2.out).toMatch(/coordinates: EPSG:4326, as KML/);
    expect(res2.code).toBe(0);
    expect(await app.knex('cameras').select('code', 'name', 'kind', 'range_m')).toEqual([{ code: 'KAM-7', name: 'Şehitlik Kavşağı', kind: 'DOME', range_m: 150 }]);
  });
});

describe('the dry run names every rejected row; a commit is all or nothing', () => {
  const camera = (code: string, extra: Record<string, unknown> = {}, geometry: unknown = { type: 'Point', coordinates: [37.79, 37.01] }): Feature => ({
    properties: { code, name: `Kamera ${code}`, kind: 'FIXED', purpose: 'SECURITY', azimuth: 10, horizontalFov: 90, rangeMeters: 50, ...extra },
    geometry,
  });

  it('reports each kind of rejection with row, field and reason, and writes nothing', async () => {
    const file = await writeGeoJson(fx.file('bad-cameras.geojson'), [
      camera('K-1'),
      camera('K-2', { name: '' }),
      camera('K-3', { kind: 'FISHEYE' }),
      camera('K-4', { installedOn: '2024-02-30' }),
      camera('K-5', { rangeMeters: -5 }),
      camera('K-1'),
      camera('K-7', {}, { type: 'LineString', coordinates: [[37.79, 37.01], [37.8, 37.02]] }),
      camera('K-8', {}, { type: 'MultiPoint', coordinates: [[37.79, 37.01]] }),
      camera('K-9', {}, { type: 'MultiPoint', coordinates: [[37.79, 37.01], [37.8, 37.02]] }),
      camera('K-10', {}, { type: 'Point', coordinates: [] }),
      camera('K-11', {}, null),
      camera('K-12', {}, { type: 'Point', coordinates: [500000, 37.01] }),
    ]);
    const res = await importCli(app.knex, 'cameras', file, '--dry-run', '--as', ADMIN);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/dry run: would insert 2, update 0, leave 0 unchanged, reject 10; nothing was written/);
    const rejected = res.out.split('rejected rows:\n')[1].trim().split('\n').map((l) => l.trim().split('\t'));
    expect(rejected).toEqual([
      ['row 2', 'name', 'missing: every camera needs name'],
      ['row 3', 'kind', 'unknown value "FISHEYE": one of FIXED, PTZ, DOME, BULLET'],
      ['row 4', 'installedOn', '"2024-02-30" is not a date: February 2024 has 29 days'],
      ['row 5', 'rangeMeters', 'must be more than 0 and at most 100000, got -5'],
      ['row 6', 'code', 'the same code as row 1 of the file'],
      ['row 7', 'geometry', 'expected Point, got LineString'],
      ['row 9', 'geometry', 'expected Point, got MultiPoint'],
      ['row 10', 'geometry', 'the geometry is empty'],
      ['row 11', 'geometry', 'missing: every camera needs a geometry'],
      ['row 12', 'geometry', 'longitude 500000 is out of range [-180, 180] for EPSG:4326 (x is longitude, y is latitude)'],
    ]);
    expect(await app.knex('cameras').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('an invalid polygon is refused with PostGIS\'s reason, a one-part MultiPolygon taken, outside the CRS\'s area refused', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[37.79, 37.01], [37.7902, 37.0102], [37.7902, 37.01], [37.79, 37.0102], [37.79, 37.01]]] };
    const multi = { type: 'MultiPolygon', coordinates: [(square(37.7906, 37.01) as { coordinates: unknown }).coordinates] };
    const file = await writeGeoJson(fx.file('bad-parcels.geojson'), [
      tkgm(300, 1, 37.79, {}),
      { ...tkgm(300, 2, 37.79), geometry: bowtie },
      { ...tkgm(300, 3, 37.79), geometry: multi },
      tkgm(300, 4, 37.79, { Alan: '-12,5' }),
    ]);
    const res = await importCli(app.knex, 'parcels', file, '--dry-run', '--as', ADMIN);
    expect(res.out).toMatch(/would insert 2, update 0, leave 0 unchanged, reject 2/);
    expect(res.out).toMatch(/row 2\tgeometry\tinvalid geometry: Self-intersection\[37.7901 37.0101\]/);
    expect(res.out).toMatch(/row 4\tregisteredAreaSquareMeters\tmust be more than 0 and at most 10000000000, got -12.5/);
    const tm39 = fx.file('far.csv');
    await writeFile(tm39, 'code;name;kind;purpose;azimuth;horizontalFov;rangeMeters;x;y\nK-1;Uzak;FIXED;SECURITY;0;90;50;392750;4098300\nK-2;Çok uzak;FIXED;SECURITY;0;90;50;-4000000;4098300\n');
    const far = await importCli(app.knex, 'cameras', tm39, '--srid', '5257', '--dry-run', '--as', ADMIN);
    expect(far.out).toMatch(/row 2\tgeometry\tthe geometry lies outside the area of use of EPSG:5257 \(TUREF \/ TM39: /);
  });

  it('one bad row, the last of the file, and nothing is written', async () => {
    const features = Array.from({ length: 2500 }, (_, i) => tkgm(400 + Math.floor(i / 100), (i % 100) + 1, 37.78 + (i % 50) * 0.0003, {}));
    features[features.length - 1] = tkgm(999, 1, 37.79, { Ada: 'on iki' });
    const file = await writeGeoJson(fx.file('last-bad.geojson'), features);
    const res = await importCli(app.knex, 'parcels', file, '--as', ADMIN);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/nothing was written: 1 row rejected \(would insert 2499, update 0, leave 0 unchanged, reject 1\)/);
    expect(res.out).toMatch(/row 2500\tada\t"on iki" is not a number/);
    expect(await app.knex('parcels').count({ n: '*' })).toEqual([{ n: 0 }]);
    expect((await auditOf('PARCELS', res.out)).totalCount).toBe(0);
  });

  it('grants per row: an editor limited to an area imports what lies inside it only, and nothing while a row lies outside', async () => {
    const [unit] = await app.knex('org_units').insert({ code: 'FEN', name: 'Fen İşleri' }).returning('id');
    const box: [number, number, number, number] = [37.785, 37.0, 37.7915, 37.02];
    await insertUserWithGrants(app.knex, unit.id, 'alan.editoru', [
      { resource: 'PARCELS', action: 'READ' },
      { resource: 'PARCELS', action: 'CREATE', box },
      { resource: 'PARCELS', action: 'UPDATE', box },
    ]);
    const file = await writeGeoJson(fx.file('area.geojson'), [tkgm(500, 1, 37.79), tkgm(500, 2, 37.795), tkgm(500, 3, 37.7914)]);
    const res = await importCli(app.knex, 'parcels', file, '--as', 'alan.editoru');
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/row 2\tgeometry\toutside the area or directorate where you may create parcels/);
    // row 3 reaches past the box's east edge (37.7914 + 0.0002 > 37.7915): wholly inside, as for createParcel
    expect(res.out).toMatch(/row 3\tgeometry\toutside the area or directorate where you may create parcels/);
    expect(await app.knex('parcels').count({ n: '*' })).toEqual([{ n: 0 }]);
    const inside = await writeGeoJson(fx.file('inside.geojson'), [tkgm(500, 1, 37.79)]);
    const ok = await importCli(app.knex, 'parcels', inside, '--as', 'alan.editoru');
    expect(ok.code).toBe(0);
    const audit = await auditOf('PARCELS', ok.out);
    expect(audit.edges.map((e) => e.node.actorUsername)).toEqual(['alan.editoru']);
    // the same API refuses the same feature the import refused
    const mutation = await app.gql(
      `mutation($g: GeoJSON!) { createParcel(input: { province: "Gaziantep", district: "Nizip", mahalle: "X", ada: 500, parsel: 2, geometry: $g }) { id } }`,
      { g: square(37.795, 37.01) },
      tokenFor((await app.knex('users').where({ username: 'alan.editoru' }).first('id')).id),
    );
    expect(mutation.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('bad files get a clear error and exit code 2, never a stack trace', () => {
  it.each([
    ['not a zip', 'text.zip', async (f: string) => writeFile(f, 'PK? no, just text'), /text.zip is not a zip file: its first bytes say otherwise/],
    ['a GeoPackage whose bytes deny it', 'fake.gpkg', async (f: string) => writeFile(f, '{"type":"FeatureCollection"}'), /fake.gpkg is not a GeoPackage \(an SQLite database\)/],
    ['a GeoJSON that is binary', 'bin.geojson', async (f: string) => writeFile(f, Buffer.from([0, 1, 2, 3])), /bin.geojson is not GeoJSON/],
  ])('%s', async (_what, name, make, message) => {
    const file = fx.file(name);
    await make(file);
    const res = await importCli(app.knex, 'parcels', file, '--as', ADMIN);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(message);
    expect(res.err).not.toMatch(/\n\s+at /);
  });

  it('a zip without .dbf, a CSV without the named columns, an unknown layer or account', async () => {
    const src = await writeGeoJson(fx.file('one.geojson'), [tkgm(1, 1, 37.79)]);
    const shp = fx.file('nodbf');
    await ogr2ogr(`${shp}.shp`, src, '-t_srs', 'EPSG:5257');
    const zip = await zipFiles(fx.file('nodbf.zip'), { 'nodbf.shp': `${shp}.shp`, 'nodbf.shx': `${shp}.shx`, 'nodbf.prj': `${shp}.prj` });
    let res = await importCli(app.knex, 'parcels', zip, '--as', ADMIN);
    expect([res.code, res.err]).toEqual([2, expect.stringMatching(/nodbf.zip holds nodbf.shp without its .dbf/)]);

    const csv = fx.file('cols.csv');
    await writeFile(csv, 'code,name,lon,lat\nK,Ad,37.79,37.01\n');
    res = await importCli(app.knex, 'cameras', csv, '--x', 'Sağa', '--y', 'Yukarı', '--as', ADMIN);
    expect([res.code, res.err]).toEqual([2, expect.stringMatching(/cols.csv: no column Sağa \(--x\); the columns are code, name, lon, lat/)]);

    res = await importCli(app.knex, 'roads', csv, '--as', ADMIN);
    expect(res.err).toMatch(/unknown layer roads: one of cameras, neighbourhoods, network-nodes, network-lines, remote-units, parcels, assets/);
    res = await importCli(app.knex, 'parcels', src, '--as', 'nobody');
    expect(res.err).toMatch(/--as nobody: no account has that username, and it is no API token/);
  });
});
