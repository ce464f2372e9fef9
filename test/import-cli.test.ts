import { readFile, writeFile } from 'node:fs/promises';
import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertUserWithGrants } from './helpers/access';
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

const auditOf = async (entity: string) => {
  const res = await app.gql(`query($e: Resource) { auditLog(filter: { entity: $e }, first: 1000) { totalCount edges { node { action entityId requestId actorUsername after } } } }`, { e: entity });
  expect(res.errors).toBeUndefined();
  return res.data.auditLog as { totalCount: number; edges: { node: { action: string; entityId: string; requestId: string; actorUsername: string; after: Record<string, unknown> } }[] };
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
