import { startTestApp, type TestApp } from './helpers/app';
import { seedSampleData } from '../src/db/migrate';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ seed: true });
});
afterAll(() => app.close());

describe('Nizip sample data', () => {
  it('has at least 20 neighbourhoods that do not overlap and cover the town, and 150 cameras inside them', async () => {
    const { rows } = await app.knex.raw(`
      SELECT (SELECT count(*) FROM neighbourhoods) AS neighbourhoods,
             (SELECT count(*) FROM cameras) AS cameras,
             (SELECT count(*) FROM neighbourhoods a JOIN neighbourhoods b ON a.id < b.id
                WHERE ST_Relate(a.geom, b.geom, '2********')) AS overlaps,
             (SELECT count(*) FROM cameras c
                WHERE (SELECT count(*) FROM neighbourhoods n WHERE ST_Intersects(n.geom, c.geom)) <> 1) AS cameras_not_in_one,
             (SELECT bool_and(ST_IsValid(geom)) FROM neighbourhoods) AS valid,
             (SELECT ST_X(ST_Centroid(ST_Collect(geom))) FROM cameras) AS lon,
             (SELECT ST_Y(ST_Centroid(ST_Collect(geom))) FROM cameras) AS lat,
             (SELECT ST_NumInteriorRings(ST_Union(geom)) FROM neighbourhoods) AS holes`);
    const r = rows[0];
    expect(r.neighbourhoods).toBeGreaterThanOrEqual(20);
    expect(r.cameras).toBeGreaterThanOrEqual(150);
    expect(r.overlaps).toBe(0);
    expect(r.cameras_not_in_one).toBe(0);
    expect(r.valid).toBe(true);
    expect(r.holes).toBe(0);
    // On Nizip: about 37.79 E, 37.01 N.
    expect(Math.abs(r.lon - 37.79)).toBeLessThan(0.03);
    expect(Math.abs(r.lat - 37.01)).toBeLessThan(0.03);
  });

  it('has the names the Turkish-matching examples use', async () => {
    const res = await app.gql(`{ neighbourhoods(filter: { name: "ISTASYON" }) { edges { node { name cameras { totalCount } } } } }`);
    expect(res.data.neighbourhoods.edges.map((e: any) => e.node.name)).toEqual(['İstasyon']);
  });

  it('is deterministic and safe to run again: same rows, same ids', async () => {
    const snapshot = () =>
      app.knex.raw(`SELECT
        (SELECT md5(string_agg(id || code || name || ST_AsText(geom), ',' ORDER BY id)) FROM neighbourhoods) AS n,
        (SELECT md5(string_agg(id || code || name || kind || status || azimuth || ST_AsText(geom), ',' ORDER BY id)) FROM cameras) AS c`);
    const before = (await snapshot()).rows[0];
    await seedSampleData(app.knex);
    const after = (await snapshot()).rows[0];
    expect(after).toEqual(before);
  });
});
