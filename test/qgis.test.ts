import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SAMPLE_PASSWORD } from '../seeds/07_users';
import { startTestApp, type TestApp } from './helpers/app';
import { GRAPHQL_LIST } from './helpers/ogc';

/**
 * QGIS itself (PyQGIS 3.22 from Debian's python3-qgis and qgis-providers, installed by
 * scripts/setup-qgis.sh) reads the API as the sample analyst with a Basic authentication
 * configuration, as README tells a QGIS user to: every OGC API collection as an OAPIF layer, whose
 * features QGIS reads page by page must number what GraphQL counts for her, and the vector tiles,
 * which must draw. test/clients/qgis_check.py does the QGIS part. With KBS_KEEP_QGIS=1 the PNGs and
 * QGIS's reports stay in the temporary folder (kbs-qgis-test-*) to look at.
 */
const run = promisify(execFile);
// Debian's interpreter: python3-qgis installs into its dist-packages, not into another python3 on PATH.
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'clients', 'qgis_check.py');
const ENV = { ...process.env, QT_QPA_PLATFORM: 'offscreen', PYTHONDONTWRITEBYTECODE: '1' };
const COUNTS = `{ ${Object.values(GRAPHQL_LIST).map((list) => `${list} { totalCount }`).join(' ')} }`;
// Layers the public role may not read: drawn only if QGIS sent the credentials.
const TILE_LAYERS = ['network-lines', 'network-nodes', 'remote-units'];

let app: TestApp;
let dir: string;

beforeAll(async () => {
  try {
    await run(PYTHON, ['-c', 'import qgis.core'], { env: ENV });
  } catch {
    throw new Error(`PyQGIS is not installed for ${PYTHON}: run scripts/setup-qgis.sh (Debian's python3-qgis and qgis-providers)`);
  }
  app = await startTestApp({ seed: true });
  dir = mkdtempSync(join(tmpdir(), 'kbs-qgis-test-'));
  // Seeding the sample data takes a minute or more on a busy embedded database.
}, 240_000);
afterAll(async () => {
  await app?.close();
  if (dir && !process.env.KBS_KEEP_QGIS) rmSync(dir, { recursive: true, force: true });
});

interface QgisReport {
  collections: Record<string, { valid: boolean; featureCount?: number; read?: number; fields?: string[]; error?: string }>;
  tiles: Record<string, { valid: boolean; source: string }>;
  render: Record<'ogc' | 'tiles', { path: string; errors: string[]; colours: number; drawnSamples: number; samples: number }>;
}

let runs = 0;

async function qgis(username: string, password: string, expected: object): Promise<QgisReport> {
  const name = `run-${++runs}`;
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(expected));
  try {
    const { stdout } = await run(PYTHON, [SCRIPT, app.url, username, password, file, join(dir, `${name}.png`)], {
      env: ENV,
      timeout: 240_000,
      maxBuffer: 1 << 24,
    });
    // QGIS writes notes of its own to stdout; the report is the last line.
    const report = stdout.trim().split('\n').pop()!;
    if (process.env.KBS_KEEP_QGIS) writeFileSync(join(dir, `${name}-report.json`), report);
    return JSON.parse(report) as QgisReport;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`qgis_check.py failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

it('QGIS 3.22 with a Basic authentication configuration loads every collection with the analyst\'s counts, and draws the vector tiles', async () => {
  const login = await app.gql(`mutation($p: String!) { login(username: "zeynep.arslan", password: $p) { accessToken } }`, { p: SAMPLE_PASSWORD }, null);
  const bearer = login.data.login.accessToken as string;
  const counts = await app.gql(COUNTS, {}, bearer);
  expect(counts.errors).toBeUndefined();
  // Every collection the server lists for her is loaded, and the list is every layer GraphQL has.
  const listed = (await (await fetch(`${app.url}/ogc/collections`, { headers: { authorization: `Bearer ${bearer}` } })).json()) as { collections: { id: string }[] };
  const collections = listed.collections.map((c) => c.id);
  expect([...collections].sort()).toEqual(Object.keys(GRAPHQL_LIST).sort());
  const expected = Object.fromEntries(collections.map((c) => [c, counts.data[GRAPHQL_LIST[c]].totalCount as number]));
  for (const n of Object.values(expected)) expect(n).toBeGreaterThan(0);
  const { rows } = await app.knex.raw('SELECT ST_XMin(e) AS minx, ST_YMin(e) AS miny, ST_XMax(e) AS maxx, ST_YMax(e) AS maxy FROM (SELECT ST_Extent(geom) AS e FROM network_lines) s');
  const extent = [rows[0].minx, rows[0].miny, rows[0].maxx, rows[0].maxy];

  let requests = 0;
  const count = () => requests++;
  app.server.httpServer.on('request', count);
  const started = Date.now();
  const { result: report, sql } = await app.countStatements(() => qgis('zeynep.arslan', SAMPLE_PASSWORD, { collections: expected, tiles: TILE_LAYERS, extent }));
  const minutes = (Date.now() - started) / 60_000;
  app.server.httpServer.off('request', count);
  // Every request carried the password; it was checked with argon2 about once a minute (the kept
  // check's lifetime), not once per request. (How many requests QGIS makes depends on its paging
  // and on how fast the tiles come: dozens, never as few as one per layer.)
  const checks = sql.filter((s) => s.includes('password_hash')).length;
  if (process.env.KBS_KEEP_QGIS) console.log({ requests, checks, minutes });
  expect(requests).toBeGreaterThan(3 * (collections.length + TILE_LAYERS.length));
  expect(checks).toBeGreaterThanOrEqual(1);
  expect(checks).toBeLessThanOrEqual(Math.ceil(minutes) + 1);

  for (const c of collections) {
    const got = report.collections[c];
    expect({ c, valid: got.valid, error: got.error }).toEqual({ c, valid: true, error: undefined });
    // Read through every page QGIS asked for, with the credentials on each request.
    expect({ c, read: got.read }).toEqual({ c, read: expected[c] });
    expect({ c, featureCount: got.featureCount }).toEqual({ c, featureCount: expected[c] });
  }
  expect(report.collections['network-lines'].fields).toEqual(expect.arrayContaining(['code', 'name', 'status']));
  for (const layer of TILE_LAYERS) expect({ layer, valid: report.tiles[layer].valid }).toEqual({ layer, valid: true });
  for (const kind of ['ogc', 'tiles'] as const) {
    const r = report.render[kind];
    expect({ kind, errors: r.errors }).toEqual({ kind, errors: [] });
    // Not one colour: features were drawn over the white background, in more than one colour.
    expect(r.colours).toBeGreaterThan(2);
    expect(r.drawnSamples).toBeGreaterThan(r.samples / 500);
    expect(readFileSync(r.path).subarray(1, 4).toString()).toBe('PNG');
  }
}, 300_000);

it('QGIS with a wrong password loads nothing the public may not read', async () => {
  const report = await qgis('zeynep.arslan', 'yanlış-parola', { collections: { 'network-lines': 1 }, tiles: ['network-lines'], extent: [37.7, 36.9, 37.9, 37.1] });
  expect(report.collections['network-lines'].valid).toBe(false);
  expect(report.render.tiles.drawnSamples).toBe(0);
}, 300_000);
