import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from './helpers/app';
import { insertCamera, insertNeighbourhood, insertNetworkLine, insertNetworkNode, insertOrgUnit, insertParcel, insertRemoteUnit } from './helpers/factories';
import { insertAsset, insertFault } from './helpers/faults';
import { linkOf, ogcGet } from './helpers/ogc';

/**
 * The filtering of the OGC API through real clients: OWSLib (Debian's python3-owslib, for Debian's
 * python3) reads the conformance, collections, queryables, filtered and paged items; GDAL's OAPIF
 * driver (ogrinfo) reads every layer and evaluates `-where` against what the server sends. The
 * references are the features read without a filter, evaluated here.
 *
 * Needs `bash scripts/setup-owslib.sh` and `bash scripts/setup-gdal.sh` (CI runs both); without
 * them the tests fail, saying which to run.
 */
const exec = promisify(execFile);
const PYTHON = '/usr/bin/python3';
let app: TestApp;
const COLLECTIONS = ['cameras', 'neighbourhoods', 'network-nodes', 'network-lines', 'remote-units', 'parcels', 'assets', 'faults'];
type Feature = { id: number; properties: Record<string, any> };
const cameras: Feature[] = [];

beforeAll(async () => {
  app = await startTestApp();
  const k = app.knex;
  const unit = await insertOrgUnit(k, 'BIM');
  await insertNeighbourhood(k, [37.78, 37.0, 37.8, 37.02], { name: 'İSTASYON' });
  const names = ['İstasyon Caddesi K1', 'Istasyon Caddesi K2', 'Fırat Caddesi K1', 'Şehitler Caddesi K1', 'Gazi Caddesi K3'];
  for (let i = 0; i < 45; i++) {
    await insertCamera(k, 37.781 + (i % 9) * 0.002, 37.001 + Math.floor(i / 9) * 0.003, {
      name: `${names[i % names.length]}-${i}`,
      kind: i % 3 ? 'FIXED' : 'PTZ',
      status: i % 4 ? 'ACTIVE' : 'OFFLINE',
    });
  }
  const a = await insertNetworkNode(k, 37.785, 37.002);
  const b = await insertNetworkNode(k, 37.795, 37.002);
  await insertNetworkLine(k, { node: a }, { node: b }, [[37.785, 37.002], [37.795, 37.002]]);
  await insertRemoteUnit(k, 37.786, 37.006, unit);
  for (let i = 0; i < 6; i++) await insertParcel(k, [37.782 + i * 0.001, 37.002, 37.783 + i * 0.001, 37.003], { mahalle: i % 2 ? 'İSTASYON' : 'FIRAT', ada: 100 + (i % 3), parsel: i + 1 });
  const asset = await insertAsset(k, 37.784, 37.004, unit);
  await insertFault(k, { owner: unit, assetId: asset, reportedAt: '2026-01-05T09:00:00Z' });
  const res = await ogcGet(app, '/ogc/collections/cameras/items?limit=1000');
  cameras.push(...res.body.features);
}, 120000);
afterAll(() => app.close());

/** Fails (never skips) when a client is missing, naming the script that installs it. */
function requireTool(file: string, script: string): void {
  if (!existsSync(file)) throw new Error(`${file} is missing: run bash scripts/${script}`);
}

describe('OWSLib', () => {
  it('reads conformance, collections, queryables, filtered and paged items as the server serves them', async () => {
    requireTool(PYTHON, 'setup-owslib.sh');
    const probe = await exec(PYTHON, ['-c', 'import owslib'], { encoding: 'utf8' }).catch((err) => err);
    if (probe instanceof Error) throw new Error('python3 has no owslib: run bash scripts/setup-owslib.sh');
    const cases = {
      ptz: ['cameras', { filter: "kind = 'PTZ' AND status = 'ACTIVE'", limit: 100 }],
      istasyon: ['cameras', { filter: "CASEI(name) LIKE 'istasyon%'", 'filter-lang': 'cql2-text' }],
      near: ['cameras', { filter: 'S_DWITHIN(geometry, POINT(37.785 37.004), 300)' }],
      parameter: ['parcels', { mahalle: 'İSTASYON' }],
      paged: ['cameras', { sortby: '-name', limit: 7, filter: "status = 'ACTIVE'" }],
      time: ['faults', { datetime: '2026-01-01T00:00:00Z/..' }],
      bad: ['cameras', { filter: 'nosuch = 1' }],
    };
    const script = path.join(__dirname, 'clients', 'owslib_check.py');
    const { stdout } = await exec(PYTHON, [script, `${app.url}/ogc`, app.admin.token, JSON.stringify(cases)], { encoding: 'utf8', timeout: 60000 });
    const got = JSON.parse(stdout);

    expect(got.conformance).toEqual((await ogcGet(app, '/ogc/conformance')).body.conformsTo);
    expect(got.conformance).toEqual(expect.arrayContaining(['http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter', 'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text']));
    expect(got.collections).toEqual(COLLECTIONS);
    for (const c of COLLECTIONS) expect(got.queryables[c]).toEqual((await ogcGet(app, `/ogc/collections/${c}/queryables`)).body);

    const ids = (test: (f: Feature) => boolean) => cameras.filter(test).map((f) => f.id);
    expect(got.cases.ptz.ids).toEqual(ids((f) => f.properties.kind === 'PTZ' && f.properties.status === 'ACTIVE'));
    expect(got.cases.istasyon.ids).toEqual(ids((f) => /^[İI]stasyon/.test(f.properties.name)));
    expect(got.cases.istasyon.ids.length).toBe(18);
    // Within 300 m of the point (independent check: the geodesic distance from GeographicLib's formula via PostGIS is the GraphQL test's; here a generous box).
    expect(got.cases.near.ids.length).toBeGreaterThan(0);
    expect(got.cases.near.ids.length).toBe(
      (await app.gql('{ cameras(spatial: { withinDistance: { geometry: { type: "Point", coordinates: [37.785, 37.004] }, meters: 300 } }) { totalCount } }')).data.cameras.totalCount,
    );
    expect(got.cases.parameter.matched).toBe(3);
    const active = cameras.filter((f) => f.properties.status === 'ACTIVE');
    expect(got.cases.paged.pages).toBe(Math.ceil(active.length / 7));
    expect([...got.cases.paged.ids].sort((x: number, y: number) => x - y)).toEqual(active.map((f) => f.id));
    expect(new Set(got.cases.paged.ids).size).toBe(active.length);
    expect(got.cases.time.matched).toBe(1);
    expect(got.cases.bad.error).toMatchObject({ code: 'BAD_USER_INPUT', description: expect.stringMatching(/"nosuch" is not a queryable/) });
  });
});

describe('GDAL (ogrinfo, OAPIF driver)', () => {
  const ogrinfo = '/usr/bin/ogrinfo';
  const run = async (args: string[]) => {
    requireTool(ogrinfo, 'setup-gdal.sh');
    const env = { ...process.env, GDAL_HTTP_HEADERS: `Authorization: Bearer ${app.admin.token}`, CPL_DEBUG: 'OFF', GDAL_HTTP_UNSAFESSL: 'NO' };
    const { stdout } = await exec(ogrinfo, ['-ro', ...args], { encoding: 'utf8', env, timeout: 60000, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  };
  const featureIds = (out: string) => [...out.matchAll(/^OGRFeature\([^)]*\):(\d+)$/gm)].map((m) => Number(m[1]));

  it('still reads every layer, its count the numberMatched of the API', async () => {
    for (const c of COLLECTIONS) {
      const out = await run(['-so', `OAPIF:${app.url}/ogc`, c]);
      const count = Number(/Feature Count: (\d+)/.exec(out)?.[1]);
      const matched = (await ogcGet(app, `/ogc/collections/${c}/items?limit=1`)).body.numberMatched;
      expect({ c, count }).toEqual({ c, count: matched });
      expect(matched).toBeGreaterThan(0);
    }
  });

  it('gets the features its -where and -spat select (GDAL 3.6 sends the bbox and evaluates -where itself)', async () => {
    const out = await run(['-q', '-geom=NO', '-where', "kind = 'PTZ' AND name LIKE 'Fırat%'", '-spat', '37.78', '37.0', '37.79', '37.02', `OAPIF:${app.url}/ogc`, 'cameras']);
    const expected = cameras
      .filter((f) => f.properties.kind === 'PTZ' && f.properties.name.startsWith('Fırat'))
      .filter((f) => {
        const [x, y] = (f as any).geometry.coordinates;
        return x >= 37.78 && x <= 37.79 && y >= 37.0 && y <= 37.02;
      })
      .map((f) => f.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(featureIds(out)).toEqual(expected);
    // The same selection through the API's own filter.
    const res = await ogcGet(app, `/ogc/collections/cameras/items?bbox=37.78,37.0,37.79,37.02&filter=${encodeURIComponent("kind = 'PTZ' AND name LIKE 'Fırat%'")}`);
    expect(res.body.features.map((f: Feature) => f.id)).toEqual(expected);
    expect(linkOf(res.body, 'next')).toBeUndefined();
  });

  it("turns a -where on the time into the datetime parameter, which the server applies to the collection's time", async () => {
    // GDAL 3.6 sends datetime=2000-01-01T00:00:00Z/.. and keeps what comes back: every camera changed since.
    const out = await run(['-q', '-geom=NO', '-where', "updatedAt >= '2000/01/01 00:00:00'", `OAPIF:${app.url}/ogc`, 'cameras']);
    expect(featureIds(out)).toEqual(cameras.map((f) => f.id));
    const none = await run(['-q', '-geom=NO', '-where', "updatedAt < '2000/01/01 00:00:00'", `OAPIF:${app.url}/ogc`, 'cameras']);
    expect(featureIds(none)).toEqual([]);
  });
});
