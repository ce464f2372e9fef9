import { HISTORY_TABLES } from '../src/geo/history';
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
      `SELECT f_table_name AS t, type, srid FROM geometry_columns WHERE f_table_schema = ? ORDER BY 1, 2`,
      [app.schema],
    );
    const layers = [
      { t: 'assets', type: 'POINT', srid: 4326 },
      { t: 'audit_log', type: 'GEOMETRY', srid: 4326 },
      { t: 'cameras', type: 'POINT', srid: 4326 },
      { t: 'cameras', type: 'POLYGON', srid: 4326 }, // the field of view (fov)
      { t: 'faults', type: 'POINT', srid: 4326 },
      { t: 'neighbourhoods', type: 'MULTIPOLYGON', srid: 4326 },
      { t: 'network_lines', type: 'LINESTRING', srid: 4326 },
      { t: 'network_nodes', type: 'POINT', srid: 4326 },
      { t: 'parcels', type: 'MULTIPOLYGON', srid: 4326 },
      { t: 'remote_units', type: 'POINT', srid: 4326 },
      { t: 'role_grants', type: 'MULTIPOLYGON', srid: 4326 },
    ];
    // Each layer's history keeps the same typed columns (a camera's fov as it was computed).
    const kept = layers.filter((r) => HISTORY_TABLES.has(r.t)).map((r) => ({ ...r, t: `${r.t}_history` }));
    expect(rows).toEqual([...layers, ...kept].sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.type < b.type ? -1 : 1)));
    // From the catalogs directly: pg_indexes calls pg_get_indexdef on every schema's indexes, which
    // fails on those another test file is dropping at the same moment.
    const idx = await app.knex.raw(
      `SELECT c.relname AS indexname FROM pg_index i
         JOIN pg_class c ON c.oid = i.indexrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_am am ON am.oid = c.relam
       WHERE n.nspname = ? AND am.amname = 'gist' ORDER BY 1`,
      [app.schema],
    );
    expect(idx.rows.map((r: any) => r.indexname)).toEqual(
      ['assets_geog_gist', 'assets_geom_gist', 'audit_log_geom_gist']
        .concat(['cameras', 'faults', 'neighbourhoods', 'network_lines', 'network_nodes', 'parcels', 'remote_units'].flatMap((t) => [
          ...(t === 'cameras' ? ['cameras_fov_gist'] : []),
          `${t}_geog_gist`,
          `${t}_geom_gist`,
        ]))
        // The histories: by geometry (or geography) and validity together, for reads as of an instant.
        .concat([...HISTORY_TABLES].flatMap((t) => [`${t}_history_geog_gist`, `${t}_history_geom_gist`]))
        .sort(),
    );
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
    expect(await tables()).toEqual(expect.arrayContaining(['cameras', 'neighbourhoods', 'network_lines', 'parcels']));
    await rollbackAll(app.knex);
    expect((await tables()).filter((t: string) => !t.startsWith('knex_'))).toEqual([]);
    await migrateLatest(app.knex);
    expect(await tables()).toEqual(expect.arrayContaining(['cameras', 'neighbourhoods']));
  });
});
