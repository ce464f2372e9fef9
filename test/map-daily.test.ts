import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SAMPLE_PASSWORD } from '../seeds/07_users';
import { TECHNICAL_CHIEF } from '../seeds/data/staff';
import { tokenFor } from './helpers/access';
import { startTestApp, type TestApp } from './helpers/app';

/**
 * The map page as the directorate's staff use it (issue 18), in Debian's headless Chromium on the
 * Nizip sample: Turkish first, orientation (names, scale, TM39/WGS84 readout, zoom ranges), a legend
 * that explains what is drawn, search by parcel number and by camera code, the record panel, a
 * geodesic measure against GeographicLib and the API, the GeoJSON export, sessions that end (a wrong
 * token, an expired one, a revoked one), the language switch and a phone's screen. Screenshots go to
 * artifacts/; with KBS_SCREENSHOTS=1 also to docs/ (the ones README shows).
 */
let app: TestApp;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '..');
const STEP = 120_000;

// Globals of the code that runs in the page (page.evaluate): the tests are type-checked without the DOM library.
declare const window: any, document: any;

let browser: Browser;
let context: BrowserContext;
let page: Page;
const outside: string[] = [];
const errors: string[] = [];
const tileUrls: string[] = [];

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup-chromium.sh (or set CHROMIUM_PATH)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  // A Turkish member of staff's browser.
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'tr-TR', acceptDownloads: true });
  const origin = new URL(app.url).origin;
  await context.route('**/*', (route) => {
    if (new URL(route.request().url()).origin === origin) return route.continue();
    outside.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  page = await context.newPage();
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('request', (req) => {
    if (req.url().includes('/tiles/')) tileUrls.push(req.url());
  });
  const res = await page.goto(`${app.url}/map`, { waitUntil: 'load' });
  expect(res?.status()).toBe(200);
  await page.waitForFunction(() => window.kbsPage && window.kbsReady, null, { timeout: 30_000 });
  await page.evaluate(() => window.kbsReady);
}, STEP);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const ask = async (query: string, variables: Record<string, unknown> = {}, token: string | null | undefined = undefined) => {
  const res = await app.gql(query, variables, token);
  expect(res.errors).toBeUndefined();
  return res.data;
};
const state = (selector: string) => page.getAttribute(selector, 'data-state');
const waitState = (selector: string, states: string[], timeout = 30_000) =>
  page.waitForFunction(([sel, want]) => want.includes(document.querySelector(sel)?.dataset.state), [selector, states] as const, { timeout });

/** Centres the map on a point at a zoom, waits until every tile there is drawn; the point's pixel. */
function viewAt(lonLat: [number, number], zoom: number): Promise<[number, number]> {
  return page.evaluate(
    ([lon, lat, z]) =>
      new Promise<[number, number]>((resolve) => {
        const map = window.kbsMap;
        const at = window.ol.proj.fromLonLat([lon, lat]);
        map.once('rendercomplete', () => resolve(map.getPixelFromCoordinate(at).map(Math.round)));
        map.getView().setCenter(at);
        map.getView().setZoom(z);
        map.render();
      }),
    [lonLat[0], lonLat[1], zoom] as const,
  );
}
// Resolves with nothing: the render event holds the whole map, which Playwright would serialise.
const rendered = () => page.evaluate(() => new Promise<void>((resolve) => { window.kbsMap.once('rendercomplete', () => resolve()); window.kbsMap.render(); }));
/** Waits until the view has stopped moving and everything in it is drawn. */
async function settle(): Promise<void> {
  await page.waitForFunction(() => !window.kbsMap.getView().getAnimating());
  await rendered();
}
async function mapBox() {
  return (await page.locator('#map').boundingBox())!;
}
async function screenshot(name: string): Promise<void> {
  fs.mkdirSync(path.join(ROOT, 'artifacts'), { recursive: true });
  await page.screenshot({ path: path.join(ROOT, 'artifacts', name) });
  if (process.env.KBS_SCREENSHOTS === '1') fs.copyFileSync(path.join(ROOT, 'artifacts', name), path.join(ROOT, 'docs', name));
}
async function logIn(username: string, password = SAMPLE_PASSWORD): Promise<string | null> {
  await page.evaluate(() => (document.getElementById('login-status').dataset.state = ''));
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#login-button');
  await waitState('#login-status', ['in', 'error']);
  return state('#login-status');
}
async function search(kind: string, fill: Record<string, string>): Promise<void> {
  await page.selectOption('#search-kind', kind);
  for (const [id, value] of Object.entries(fill)) await page.fill(id, value);
  await page.evaluate(() => (document.getElementById('feature-info').dataset.state = ''));
  await page.click('#search-button');
}
/** The features of a visible tile layer in view, as { id, key (its legend entry) }. */
const drawnKeys = (layer: string): Promise<{ id: string; key: string }[]> =>
  page.evaluate((name) => {
    const map = window.kbsMap;
    const l = window.kbsPage.layer(name);
    return l.getFeaturesInExtent(map.getView().calculateExtent(map.getSize())).map((f: any) => ({ id: String(f.getId()), key: window.kbsPage.legendKey(name, f) }));
  }, layer);

describe('the map page for the directorate staff (issue 18)', () => {
  it(
    'opens in Turkish, with names, a scale bar, a TM39 / WGS84 readout, a home button, and says which layers this zoom leaves out',
    async () => {
      expect(await page.getAttribute('html', 'lang')).toBe('tr');
      expect(await page.textContent('#login-status')).toBe('Giriş yapılmadı: yalnızca herkese açık nesneler.');
      expect(await page.textContent('label[data-layer="parcels"] .title')).toBe('Parseller (ada/parsel)');
      expect(await page.locator('.ol-scale-bar').count()).toBe(1);
      expect(await page.getAttribute('.kbs-home', 'title')).toBe('Tüm alan');

      // Neighbourhood names: one label per neighbourhood the public may read.
      await page.evaluate(() => window.kbsPage.labelsReady());
      const names = (await ask('{ neighbourhoods(first: 1000) { edges { node { name } } } }', {}, null)).neighbourhoods.edges.map((e: any) => e.node.name).sort();
      expect(await page.evaluate(() => window.kbsPage.labels.getSource().getFeatures().map((f: any) => f.get('name')).sort())).toEqual(names);

      // The 256-pixel grid: at view zoom 14 the parcels come from z14 tiles and are drawn.
      const camera = (await ask('{ cameras(first: 1) { edges { node { id geometry tm: geometry(srid: 5257) } } } }', {}, null)).cameras.edges[0].node;
      const pixel = await viewAt(camera.geometry.coordinates, 14);
      expect(tileUrls.some((u) => /\/tiles\/parcels\/14\//.test(u))).toBe(true);
      expect(tileUrls.some((u) => /\/tiles\/parcels\/1[0-3]\//.test(u))).toBe(false);
      expect((await drawnKeys('parcels')).length).toBeGreaterThan(0);
      expect(await page.getAttribute('label[data-layer="parcels"]', 'data-state')).toBe('drawn');

      // The pointer's position, in TM39 as the API gives it, then in WGS84 (within a pixel: 10 m at zoom 14).
      const box = await mapBox();
      await page.mouse.move(box.x + pixel[0], box.y + pixel[1]);
      const numbers = async () => ((await page.textContent('#mouse-position')) ?? '').match(/-?[\d.]+,\d+/g)!.map((n) => Number(n.replace(/\./g, '').replace(',', '.')));
      const [e, n] = await numbers();
      expect(Math.abs(e - camera.tm.coordinates[0])).toBeLessThan(10);
      expect(Math.abs(n - camera.tm.coordinates[1])).toBeLessThan(10);
      await page.selectOption('#crs-select', 'EPSG:4326');
      await page.mouse.move(box.x + pixel[0] + 1, box.y + pixel[1]);
      await page.mouse.move(box.x + pixel[0], box.y + pixel[1]);
      const [lat, lon] = await numbers();
      expect(Math.abs(lat - camera.geometry.coordinates[1])).toBeLessThan(1e-4);
      expect(Math.abs(lon - camera.geometry.coordinates[0])).toBeLessThan(1e-4);
      expect(await page.textContent('#mouse-position')).toMatch(/° K .*° D/);
      await page.selectOption('#crs-select', 'EPSG:5257');

      // Zoomed out to 12: parcels, assets and fields of view are greyed out and say why; the map says so too.
      await viewAt(camera.geometry.coordinates, 12);
      expect(await page.getAttribute('label[data-layer="parcels"]', 'data-state')).toBe('zoom');
      expect(await page.textContent('label[data-layer="parcels"] .layer-note')).toBe('Parseller (ada/parsel) için yakınlaştırın (ölçek 14+)');
      expect(await page.getAttribute('label[data-layer="cameras"]', 'data-state')).not.toBe('zoom');
      expect(await page.textContent('#zoom-hint')).toContain('Parseller');
      // Home: the whole area of the neighbourhoods.
      await page.click('.kbs-home');
      await page.waitForFunction(() => !window.kbsMap.getView().getAnimating());
      const fits = await page.evaluate(() => {
        const map = window.kbsMap;
        const view = map.getView().calculateExtent(map.getSize());
        return window.ol.extent.containsExtent(view, window.kbsPage.labels.getSource().getExtent());
      });
      expect(fits).toBe(true);
    },
    STEP,
  );

  it(
    'says a wrong password and a wrong token on the form, and keeps the public map',
    async () => {
      expect(await logIn(TECHNICAL_CHIEF, 'not-the-password')).toBe('error');
      expect(await page.textContent('#login-status')).toBe('Kullanıcı adı ya da parola yanlış.');
      await page.fill('#token', 'not-a-token');
      await page.click('#token-button');
      await waitState('#login-status', ['error', 'in']);
      expect(await page.textContent('#login-status')).toBe('Bu belirteç geçersiz, süresi dolmuş ya da iptal edilmiş.');
      expect(await page.evaluate(() => window.kbsPage.loggedIn())).toBe(false);
      expect(await page.isHidden('#logout-button')).toBe(true);
    },
    STEP,
  );

  it(
    'logs in; every symbol drawn has its legend entry, in the colour the legend shows',
    async () => {
      expect(await logIn(TECHNICAL_CHIEF)).toBe('in');
      expect(await page.textContent('#login-status')).toMatch(/^Giriş yapıldı: .+\./);
      expect(await page.isVisible('#logout-button')).toBe(true);
      await page.check('#layer-assets');
      await page.check('#layer-faults');
      const centre = (await ask('{ cameras(first: 1, filter: { status: [ACTIVE] }) { edges { node { geometry } } } }')).cameras.edges[0].node.geometry.coordinates;
      await viewAt(centre, 15);
      const missing: string[] = [];
      let checked = 0;
      for (const layer of ['cameras', 'remote-units', 'network-lines', 'network-nodes', 'assets', 'faults', 'parcels', 'neighbourhoods']) {
        const keys = new Set((await drawnKeys(layer)).map((d) => d.key));
        for (const key of keys) {
          checked++;
          if ((await page.locator(`#legend li[data-layer="${layer}"][data-key="${key}"]`).count()) !== 1) missing.push(`${layer}/${key}`);
        }
      }
      expect(missing).toEqual([]);
      expect(checked).toBeGreaterThan(6);
      // Status entries are named in Turkish: an OFFLINE line is "Çalışmıyor", in red like every other out-of-order symbol.
      expect(await page.textContent('#legend li[data-layer="network-lines"][data-key="OFFLINE"]')).toBe('Çalışmıyor');

      // An active camera alone at its pixel: the colour there is the colour of its legend swatch.
      const target = await page.evaluate(async () => {
        const map = window.kbsMap;
        const size = map.getSize();
        const cams = window.kbsPage.layer('cameras');
        for (const f of cams.getFeaturesInExtent(map.getView().calculateExtent(size))) {
          if (window.kbsPage.legendKey('cameras', f) !== 'ACTIVE') continue;
          const c = f.getFlatCoordinates();
          const p = map.getPixelFromCoordinate([c[0], c[1]]).map(Math.round);
          if (p[0] < 30 || p[1] < 30 || p[0] > size[0] - 30 || p[1] > size[1] - 30) continue;
          const near = cams.getFeaturesInExtent(window.ol.extent.buffer(f.getExtent(), map.getView().getResolution() * 12));
          if (near.length === 1) return p;
        }
        return null;
      });
      expect(target).not.toBeNull();
      await page.evaluate(() => window.kbsPage.panel.clear(false));
      await rendered();
      const box = await mapBox();
      const png = await page.screenshot({ clip: { x: box.x + target![0], y: box.y + target![1], width: 1, height: 1 } });
      const colours = await page.evaluate(async (b64) => {
        const img = new window.Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = c.height = 1;
        c.getContext('2d').drawImage(img, 0, 0);
        const onMap = Array.from(c.getContext('2d').getImageData(0, 0, 1, 1).data).slice(0, 3);
        const swatch = document.querySelector('#legend li[data-layer="cameras"][data-key="ACTIVE"] canvas');
        const inLegend = Array.from(swatch.getContext('2d').getImageData(10, 10, 1, 1).data).slice(0, 3);
        return { onMap, inLegend } as { onMap: number[]; inLegend: number[] };
      }, png.toString('base64'));
      colours.onMap.forEach((v: number, i: number) => expect(Math.abs(v - colours.inLegend[i])).toBeLessThan(10));
      await screenshot('map-desktop.png');
    },
    STEP,
  );

  it(
    'finds a parcel by mahalle, ada and parsel written the Turkish way, and shows its record',
    async () => {
      const { rows } = await app.knex.raw(`SELECT id::text AS id, mahalle, ada, parsel FROM parcels WHERE mahalle ~ '[ŞİÖÜÇĞ]' ORDER BY id LIMIT 1`);
      const parcel = rows[0];
      // Typed in lower case, as a person would: "ŞAHİNBEY" as "şahinbey".
      await search('parcel', { '#search-mahalle': parcel.mahalle.toLocaleLowerCase('tr'), '#search-ada': String(parcel.ada), '#search-parsel': String(parcel.parsel) });
      await waitState('#feature-info', ['done', 'error', 'forbidden']);
      expect([await page.getAttribute('#feature-info', 'data-layer'), await page.getAttribute('#feature-info', 'data-id'), await state('#feature-info')]).toEqual(['parcels', parcel.id, 'done']);
      const record = (await ask('query($id: ID!) { parcel(id: $id) { areaSquareMeters neighbourhood { id name } } }', { id: parcel.id })).parcel;
      const text = await page.textContent('#feature-info');
      expect(text).toContain(`Parsel: ${parcel.mahalle} ${parcel.ada}/${parcel.parsel}`);
      expect(text).toContain('Alan (m², jeodezik)');
      expect(text).toContain(record.areaSquareMeters.toLocaleString('tr-TR', { maximumFractionDigits: 1, minimumFractionDigits: 1 }));
      expect(await page.textContent(`#feature-info button[data-layer="neighbourhoods"][data-id="${record.neighbourhood.id}"]`)).toBe(record.neighbourhood.name);
      // Highlighted and zoomed to.
      await page.waitForFunction(() => !window.kbsMap.getView().getAnimating());
      const inView = await page.evaluate(() => {
        const map = window.kbsMap;
        const h = window.kbsPage.panel.highlight.getSource();
        return h.getFeatures().length === 1 && window.ol.extent.containsExtent(map.getView().calculateExtent(map.getSize()), h.getExtent());
      });
      expect(inView).toBe(true);
      // One that does not exist is said so.
      await search('parcel', { '#search-ada': '99999' });
      await waitState('#search-message', ['none', 'error']);
      expect(await page.textContent('#search-message')).toContain('bulunamadı');
    },
    STEP,
  );

  it(
    "finds a camera by its code; the panel has the whole record, its asset and open faults, the field of view drawn, links to GraphQL and OGC",
    async () => {
      const { rows } = await app.knex.raw(
        `SELECT c.id::text AS id, c.code FROM cameras c JOIN assets a ON a.camera_id = c.id
         WHERE c.horizontal_fov < 360 AND EXISTS (SELECT 1 FROM faults f WHERE f.asset_id = a.id AND f.state NOT IN ('RESOLVED', 'CLOSED', 'CANCELLED'))
         ORDER BY c.id LIMIT 1`,
      );
      const cam = rows[0];
      await search('code', { '#search-text': cam.code.toLowerCase() });
      await page.waitForFunction((id) => document.getElementById('feature-info').dataset.id === id && document.getElementById('feature-info').dataset.state === 'done', cam.id, { timeout: 30_000 });
      const expected = (await ask(
        'query($id: ID!) { camera(id: $id) { code name azimuth status fieldOfView asset { id inventoryNo faults { id state } } } }',
        { id: cam.id },
      )).camera;
      const text = (await page.textContent('#feature-info'))!;
      expect(text).toContain(`Kamera: ${expected.code} – ${expected.name}`);
      expect(text).toContain('Bakış yönü (°)');
      expect(text).toMatch(new RegExp(`Durum(Çalışıyor|Çalışmıyor|Planlanan|Sökülmüş) ${expected.status}`));
      expect(text).toContain(expected.asset.inventoryNo);
      const open = expected.asset.faults.filter((f: any) => !['RESOLVED', 'CLOSED', 'CANCELLED'].includes(f.state)).map((f: any) => f.id);
      expect(open.length).toBeGreaterThan(0);
      expect(text).toContain(`Açık arızalar (${open.length})`);
      expect(await page.$$eval('#feature-info ul.faults button', (els: any[]) => els.map((e) => e.dataset.id))).toEqual(open);
      // The field of view drawn is the API's polygon.
      const fov = await page.evaluate(() => {
        const f = window.kbsPage.panel.highlight.getSource().getFeatureById('fov');
        return f && f.getGeometry().clone().transform('EPSG:3857', 'EPSG:4326').getCoordinates();
      });
      expect(fov[0].length).toBe(expected.fieldOfView.coordinates[0].length);
      fov[0].forEach((p: number[], i: number) => {
        expect(Math.abs(p[0] - expected.fieldOfView.coordinates[0][i][0])).toBeLessThan(1e-7);
        expect(Math.abs(p[1] - expected.fieldOfView.coordinates[0][i][1])).toBeLessThan(1e-7);
      });
      // Links: the same record in OGC API, the GraphQL query that read it.
      expect(await page.getAttribute('#feature-info a.ogc', 'href')).toBe(`/ogc/collections/cameras/items/${cam.id}?f=json`);
      expect(await page.textContent('#feature-info pre.gql')).toContain(`camera(id: "${cam.id}")`);
      await page.evaluate(() => window.kbsMap.getView().setZoom(17));
      await settle();
      await page.evaluate(() => document.getElementById('search-message').scrollIntoView());
      await screenshot('map-panel.png');
      // The asset, one click away.
      await page.click(`#feature-info button[data-layer="assets"][data-id="${expected.asset.id}"]`);
      await page.waitForFunction((id) => document.getElementById('feature-info').dataset.id === id && document.getElementById('feature-info').dataset.state === 'done', expected.asset.id, { timeout: 30_000 });
      expect(await page.textContent('#feature-info')).toContain('Demirbaş no');
    },
    STEP,
  );

  it(
    'measures a distance and an area on the ellipsoid: GeographicLib\'s figures, and the API\'s distance between two cameras',
    async () => {
      // Two cameras 80 to 250 m apart, both on screen at zoom 18, and the API's distance between them.
      const { rows } = await app.knex.raw(
        `SELECT a.id::text AS a, b.code AS b_code, ST_X(a.geom) AS ax, ST_Y(a.geom) AS ay, ST_X(b.geom) AS bx, ST_Y(b.geom) AS by
         FROM cameras a JOIN cameras b ON b.id > a.id AND ST_DWithin(a.geom::geography, b.geom::geography, 250) AND NOT ST_DWithin(a.geom::geography, b.geom::geography, 80)
         ORDER BY a.id, b.id LIMIT 1`,
      );
      const pair = rows[0];
      const api = (await ask('query($x: Float!, $y: Float!, $q: String!) { cameras(nearest: { x: $x, y: $y }, filter: { search: $q }, first: 1) { edges { distanceMeters } } }',
        { x: Number(pair.ax), y: Number(pair.ay), q: pair.b_code })).cameras.edges[0].distanceMeters;
      await viewAt([(Number(pair.ax) + Number(pair.bx)) / 2, (Number(pair.ay) + Number(pair.by)) / 2], 18);
      const [pa, pb] = await page.evaluate(([a, b]) => [a, b].map((p) => window.kbsMap.getPixelFromCoordinate(window.ol.proj.fromLonLat(p))), [[Number(pair.ax), Number(pair.ay)], [Number(pair.bx), Number(pair.by)]]);
      const box = await mapBox();
      await page.click('#measure-length');
      await page.mouse.click(box.x + pa[0], box.y + pa[1]);
      await page.mouse.dblclick(box.x + pb[0], box.y + pb[1]);
      await waitState('#measure-result', ['done']);
      const value = Number(await page.getAttribute('#measure-result', 'data-value'));
      const pts: [number, number][] = JSON.parse((await page.getAttribute('#measure-result', 'data-coordinates'))!);
      const ends = [pts[0], pts[pts.length - 1]];
      // GeodSolve -i: lat1 lon1 lat2 lon2 -> azi1 azi2 s12.
      const geod = Number(execFileSync('GeodSolve', ['-i', '-p', '9'], { input: `${ends[0][1]} ${ends[0][0]} ${ends[1][1]} ${ends[1][0]}\n` }).toString().trim().split(/\s+/)[2]);
      expect(Math.abs(value - geod)).toBeLessThan(0.001);
      // The points were put where the cameras are, to a pixel (0.5 m at zoom 18): the API's distance to that.
      const metresPerPixel = await page.evaluate(() => window.kbsMap.getView().getResolution() * Math.cos((37.01 * Math.PI) / 180));
      expect(Math.abs(value - api)).toBeLessThan(2 * metresPerPixel);
      expect(await page.textContent('#measure-result')).toMatch(/^Uzunluk: [\d.,]+ m/);

      // An area: a triangle, against GeographicLib's Planimeter.
      await page.click('#measure-area');
      await page.mouse.click(box.x + 300, box.y + 300);
      await page.mouse.click(box.x + 600, box.y + 320);
      await page.mouse.dblclick(box.x + 450, box.y + 550);
      await page.waitForFunction(() => document.getElementById('measure-result').dataset.state === 'done' && document.getElementById('measure-result').dataset.kind === 'area');
      const area = Number(await page.getAttribute('#measure-result', 'data-value'));
      const ring: [number, number][] = JSON.parse((await page.getAttribute('#measure-result', 'data-coordinates'))!);
      const planimeter = execFileSync('Planimeter', ['-p', '9'], { input: ring.slice(0, -1).map(([x, y]) => `${y} ${x}`).join('\n') + '\n' }).toString().trim().split(/\s+/);
      expect(Math.abs(area - Math.abs(Number(planimeter[2]))) / area).toBeLessThan(1e-6);
      await page.click('#measure-clear');
    },
    STEP,
  );

  it(
    "exports the view's cameras as GeoJSON through the API: the cameras GraphQL finds in that box",
    async () => {
      await page.selectOption('#export-layer', 'cameras');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-button')]);
      const file = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
      const bbox = await page.evaluate(() => {
        const map = window.kbsMap;
        return window.ol.proj.transformExtent(map.getView().calculateExtent(map.getSize()), 'EPSG:3857', 'EPSG:4326').map((v: number) => Number(v.toFixed(7)));
      });
      const token = await page.evaluate(() => window.kbsSession.token());
      const expected = (await ask('query($b: BBoxInput!) { cameras(spatial: { bbox: $b }, first: 1000) { edges { node { id } } } }',
        { b: { minx: bbox[0], miny: bbox[1], maxx: bbox[2], maxy: bbox[3] } }, token)).cameras.edges.map((e: any) => String(e.node.id));
      expect(file.type).toBe('FeatureCollection');
      expect(file.features.map((f: any) => String(f.id)).sort()).toEqual(expected.sort());
      expect(expected.length).toBeGreaterThan(0);
      expect(await page.textContent('#export-message')).toContain(`${expected.length} nesne indirildi`);
    },
    STEP,
  );

  it(
    'switches to English: lang, layers, legend, panel, enum values; and back',
    async () => {
      const { rows } = await app.knex.raw(`SELECT id::text AS id, code FROM cameras WHERE status = 'ACTIVE' ORDER BY id LIMIT 1`);
      await page.evaluate((id) => window.kbsPage.panel.open('cameras', id, { zoom: true }), rows[0].id);
      await waitState('#feature-info', ['done']);
      await page.selectOption('#lang-select', 'en');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.textContent('label[data-layer="parcels"] .title')).toBe('Parcels (ada/parsel)');
      expect(await page.textContent('#legend li[data-layer="network-lines"][data-key="OFFLINE"]')).toBe('Offline');
      expect(await page.textContent('#login-status')).toMatch(/^Logged in as .+\./);
      const text = await page.textContent('#feature-info');
      expect(text).toContain(`Camera: ${rows[0].code}`);
      expect(text).toContain('Azimuth (°)');
      expect(text).toContain('Active ACTIVE');
      expect(await page.textContent('#search-kind option[value="parcel"]')).toBe('Parcel (mahalle, ada, parsel)');
      // Kept for the next visit.
      expect(await page.evaluate(() => window.localStorage.getItem('kbs-map-lang'))).toBe('en');
      await page.selectOption('#lang-select', 'tr');
      expect(await page.getAttribute('html', 'lang')).toBe('tr');
      expect(await page.textContent('#feature-info')).toContain('Bakış yönü (°)');
    },
    STEP,
  );

  it(
    "on a phone's screen: a token that expires brings the login form back with a message, the public layers keep drawing; a revoked one too; logout",
    async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate(() => window.kbsMap.updateSize());
      const { rows } = await app.knex.raw(`SELECT id, session_generation FROM users WHERE username = ?`, [TECHNICAL_CHIEF]);
      // A token that lives 10 seconds, pasted as a member of staff would: long enough to be seen
      // logged in on a loaded CI machine (4 s once ran out before the login form was checked).
      await page.evaluate(() => window.kbsPage.session.end('logout'));
      await page.fill('#token', tokenFor(rows[0].id, 10, rows[0].session_generation));
      await page.click('#token-button');
      await waitState('#login-status', ['in', 'error']);
      expect(await page.textContent('#login-status')).toMatch(/^Belirteçle giriş yapıldı/);
      // Logged in on a phone: the forms give way to the map.
      expect(await page.isHidden('#login-form')).toBe(true);
      await page.check('#layer-network-lines');
      await waitState('#login-status', ['expired'], 25_000);
      expect(await page.textContent('#login-status')).toBe('Oturumunuzun süresi doldu. Yeniden giriş yapın; bu arada herkese açık katmanlar gösteriliyor.');
      expect(await page.isVisible('#username')).toBe(true);
      expect(await page.isHidden('#logout-button')).toBe(true);
      // The public layers are drawn again, without a token; the network is not public.
      await viewAt([37.795, 37.012], 15);
      expect((await drawnKeys('neighbourhoods')).length).toBeGreaterThan(0);
      expect((await drawnKeys('cameras')).length).toBeGreaterThan(0);
      expect(await page.getAttribute('label[data-layer="network-lines"]', 'data-state')).toBe('login');
      await screenshot('map-phone.png');

      // Revoked: a password set anew ends the account's sessions; the next request finds out.
      const other = 'zeynep.arslan';
      expect(await logIn(other)).toBe('in');
      const { rows: [user] } = await app.knex.raw('SELECT id::text AS id FROM users WHERE username = ?', [other]);
      await ask('mutation($id: ID!, $p: String!) { setUserPassword(id: $id, password: $p) { id } }', { id: user.id, p: SAMPLE_PASSWORD }, app.admin.token);
      await page.click('#panel-toggle');
      await page.click('#panel-toggle');
      await search('code', { '#search-text': 'KAM' });
      await waitState('#login-status', ['revoked'], 15_000);
      expect(await page.textContent('#login-status')).toContain('Oturumunuz sona erdi');
      // Logout.
      expect(await logIn(other)).toBe('in');
      await page.click('#logout-button');
      expect(await state('#login-status')).toBe('out');
      expect(await page.evaluate(() => window.kbsPage.loggedIn())).toBe(false);
      await page.setViewportSize({ width: 1280, height: 800 });
    },
    STEP,
  );

  it(
    'live (issue 17): a camera moved in view redraws the cameras, a fault reported appears in the panel, over the WebSocket',
    async () => {
      expect(await logIn(TECHNICAL_CHIEF)).toBe('in');
      await page.waitForFunction(() => window.kbsLive.connected, null, { timeout: 15_000 });
      const { rows: [camera] } = await app.knex.raw(`SELECT id, version, ST_X(geom) AS x, ST_Y(geom) AS y FROM cameras WHERE status = 'ACTIVE' ORDER BY id LIMIT 1`);
      await viewAt([Number(camera.x), Number(camera.y)], 16);
      // The page subscribes anew at the view's zoom: wait for that connection.
      await page.waitForFunction(() => window.kbsLive.connected, null, { timeout: 15_000 });
      await new Promise((r) => setTimeout(r, 500));
      const redrawn = await page.evaluate(() => window.kbsLive.refreshed.length);
      await ask(
        `mutation { updateCamera(id: "${camera.id}", version: ${camera.version}, input: { geometry: { type: "Point", coordinates: [${Number(camera.x) + 0.00005}, ${camera.y}] } }) { version } }`,
        {},
        app.admin.token,
      );
      await page.waitForFunction((id) => window.kbsLive.events.some((e: any) => e.layer === 'CAMERAS' && e.id === String(id)), camera.id, { timeout: 10_000 });
      await page.waitForFunction((n) => window.kbsLive.refreshed.length > n && window.kbsLive.refreshed.includes('cameras'), redrawn, { timeout: 10_000 });
      await ask(`mutation { reportFault(input: { category: POWER, description: "Canlı deneme arızası", geometry: { type: "Point", coordinates: [${camera.x}, ${camera.y}] } }) { id } }`, {}, app.admin.token);
      await page.waitForFunction(() => /Canlı deneme arızası/.test(document.getElementById('live-faults').textContent), null, { timeout: 10_000 });
      expect(await page.textContent('#live-faults')).toMatch(/Yeni arıza #\d+ \(.+\): Canlı deneme arızası/);
      expect(await page.textContent('#live-status')).toBe('Değişiklikler anında gösteriliyor.');
    },
    STEP,
  );

  it('fetched nothing from elsewhere, and logged no error but refused tiles', () => {
    expect(outside).toEqual([]);
    expect(errors.filter((e) => !/tile failed|Failed to load resource: the server responded with a status of 40[13]/.test(e))).toEqual([]);
  });
});
