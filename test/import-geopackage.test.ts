import { readFile, writeFile } from 'node:fs/promises';
import { startTestApp, type TestApp } from './helpers/app';
import { gdal } from './helpers/gdal';
import { fixtureDir, importCli, ogr2ogr, square, writeGeoJson } from './helpers/import';

/**
 * GeoPackage imports (SQLite through src/common/sqlite: node:sqlite on Node.js 22.16+ and 24,
 * better-sqlite3 on Node.js 20).
 */
let app: TestApp;
let fx: Awaited<ReturnType<typeof fixtureDir>>;
const ADMIN = 'kbs-test-admin';
const mahalleler = ['Şıhlar', 'Ğüşİöç Çarşı', 'Fıstıklık'];
const source = async () =>
  writeGeoJson(fx.file('src.geojson'), mahalleler.map((m, i) => ({ properties: { il: 'Gaziantep', ilce: 'Nizip', mahalle: m, ada: 200, parsel: i + 1, alan: 400 + i, nitelik: 'Tarla' }, geometry: square(37.79 + i * 0.0003, 37.012) })));
const written = async () =>
  (await app.knex.raw(`SELECT mahalle, parsel, ST_AsText(ST_SnapToGrid(ST_ForcePolygonCCW(geom), 1e-8)) AS wkt FROM parcels ORDER BY parsel`)).rows;

beforeAll(async () => {
  app = await startTestApp();
  fx = await fixtureDir();
});

afterAll(async () => {
  await fx?.remove();
  await app?.close();
});

describe('GeoPackage', () => {
  it('a GeoPackage in TM39: the CRS from gpkg_spatial_ref_sys, geometry blobs read by PostGIS', async () => {
    const gpkg = await ogr2ogr(fx.file('tm39.gpkg'), await source(), '-t_srs', 'EPSG:5257', '-nln', 'parseller');
    const res = await importCli(app.knex, 'parcels', gpkg, '--as', ADMIN);
    expect(res.out).toMatch(/coordinates: EPSG:5257, as gpkg_spatial_ref_sys of tm39.gpkg says/);
    expect(res.code).toBe(0);
    const rows = await written();
    expect(rows.map((r: { mahalle: string }) => r.mahalle)).toEqual(mahalleler);
    expect(rows[0].wkt).toBe('MULTIPOLYGON(((37.79 37.012,37.7902 37.012,37.7902 37.0122,37.79 37.0122,37.79 37.012)))');
  });

  it('an Int64 past 2^53 keeps every digit in a text field (a number would round it)', async () => {
    const src = await writeGeoJson(fx.file('int64.geojson'), [
      { properties: { il: 'Gaziantep', ilce: 'Nizip', mahalle: 'Şıhlar', ada: 201, parsel: 1, alan: 400, pafta: 'DIGITS' }, geometry: square(37.79, 37.013) },
    ]);
    // 2^53 + 1 as JSON digits: a JavaScript number literal would already be 2^53.
    await writeFile(src, (await readFile(src, 'utf8')).replace('"DIGITS"', '9007199254740993'));
    const gpkg = await ogr2ogr(fx.file('int64.gpkg'), src);
    expect(await gdal('ogrinfo', ['-so', gpkg, 'int64'])).toMatch(/pafta: Integer64/);
    const res = await importCli(app.knex, 'parcels', gpkg, '--as', ADMIN);
    expect([res.code, res.out]).toEqual([0, expect.stringMatching(/written: inserted 1,/)]);
    expect((await app.knex.raw(`SELECT pafta FROM parcels WHERE ada = 201`)).rows).toEqual([{ pafta: '9007199254740993' }]);
  });

  it('a truncated GeoPackage is a clear error, exit code 2', async () => {
    const src = await source();
    const gpkg = await ogr2ogr(fx.file('whole.gpkg'), src);
    const bytes = await readFile(gpkg);
    const cut = fx.file('truncated.gpkg');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const res = await importCli(app.knex, 'parcels', cut, '--as', ADMIN);
    expect([res.code, res.err]).toEqual([2, expect.stringMatching(/truncated.gpkg (cannot be read|is not a GeoPackage)/)]);
    expect(res.err).not.toMatch(/\n\s+at /);
  });
});
