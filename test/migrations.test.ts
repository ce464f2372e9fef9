import { startTestApp, type TestApp } from './helpers/app';
import { migrateLatest, rollbackAll } from '../src/db/migrate';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const tables = async () =>
  (
    await app.knex.raw(`SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1`, [app.schema])
  ).rows.map((r: { table_name: string }) => r.table_name);

describe('migrations', () => {
  it('declare typed geometry columns with their SRID and GiST indexes', async () => {
    const { rows } = await app.knex.raw(
      `SELECT f_table_name AS t, type, srid FROM geometry_columns WHERE f_table_schema = ? ORDER BY 1`,
      [app.schema],
    );
    expect(rows).toEqual([
      { t: 'cameras', type: 'POINT', srid: 4326 },
      { t: 'neighbourhoods', type: 'MULTIPOLYGON', srid: 4326 },
    ]);
    const idx = await app.knex.raw(`SELECT indexname FROM pg_indexes WHERE schemaname = ? AND indexdef LIKE '%USING gist%' ORDER BY 1`, [
      app.schema,
    ]);
    expect(idx.rows.map((r: any) => r.indexname)).toEqual([
      'cameras_geog_gist',
      'cameras_geom_gist',
      'neighbourhoods_geog_gist',
      'neighbourhoods_geom_gist',
    ]);
  });

  it('refuse a geometry of the wrong type or SRID', async () => {
    await expect(
      app.knex.raw(`INSERT INTO cameras (code, name, kind, purpose, azimuth, horizontal_fov, range_m, geom)
        VALUES ('x', 'x', 'FIXED', 'SECURITY', 0, 60, 50, ST_GeomFromText('LINESTRING(0 0, 1 1)', 4326))`),
    ).rejects.toThrow(/Geometry type \(LineString\) does not match column type \(Point\)/);
    await expect(
      app.knex.raw(`INSERT INTO cameras (code, name, kind, purpose, azimuth, horizontal_fov, range_m, geom)
        VALUES ('x', 'x', 'FIXED', 'SECURITY', 0, 60, 50, ST_GeomFromText('POINT(0 0)', 3857))`),
    ).rejects.toThrow(/SRID \(3857\) does not match column SRID \(4326\)/);
  });

  it('roll back completely and apply again', async () => {
    expect(await tables()).toEqual(expect.arrayContaining(['cameras', 'neighbourhoods']));
    await rollbackAll(app.knex);
    expect((await tables()).filter((t: string) => !t.startsWith('knex_'))).toEqual([]);
    await migrateLatest(app.knex);
    expect(await tables()).toEqual(expect.arrayContaining(['cameras', 'neighbourhoods']));
  });
});
