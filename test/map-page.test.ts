import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SAMPLE_PASSWORD } from '../seeds/07_users';
import { TECHNICAL_CHIEF } from '../seeds/data/staff';
import { startTestApp, type TestApp } from './helpers/app';

/**
 * The map page: its files, and (in Debian's Chromium, driven by playwright-core; scripts/setup-chromium.sh
 * installs it) the technical service's tools on the Nizip sample: fields of view, what a line's
 * failure would cut off, the remote units cut off now, the cameras that see a point. The CI's
 * .ci/browser-check.js checks the login and a camera's attributes.
 */
let app: TestApp;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '..', 'artifacts');

// Globals of the code that runs in the page (page.evaluate): the tests are type-checked without the DOM library.
declare const window: any, document: any;

beforeAll(async () => {
  app = await startTestApp({ seed: true });
});

afterAll(async () => {
  await app?.close();
});

describe('GET /map', () => {
  it.each(['/map', '/map/'])('%s answers the page, which loads OpenLayers and its scripts locally', async (path) => {
    const res = await fetch(`${app.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<script src="/map/vendor/ol.js"></script>');
    expect(html).toContain('<script src="/map/map.js"></script>');
    expect(html).toContain('<script src="/map/analysis.js"></script>');
    expect(html).toContain('href="/map/vendor/ol.css"');
    expect(html).toContain('id="feature-info"');
    // No CDN, no base map from the internet.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves OpenLayers, its stylesheet and the page scripts', async () => {
    const ol = await fetch(`${app.url}/map/vendor/ol.js`);
    expect(ol.status).toBe(200);
    expect(ol.headers.get('content-type')).toMatch(/javascript/);
    expect((await ol.text()).length).toBeGreaterThan(100_000);

    const css = await fetch(`${app.url}/map/vendor/ol.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);

    const script = await fetch(`${app.url}/map/map.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('/tiles/');
    const analysis = await fetch(`${app.url}/map/analysis.js`);
    expect(analysis.status).toBe(200);
    expect(await analysis.text()).toContain('networkImpact');
  });

  it('answers 404 for a file that is not there', async () => {
    expect((await fetch(`${app.url}/map/nothing.js`)).status).toBe(404);
  });
});

describe("the map page in Chromium: the technical service's tools", () => {
  const BROWSER_STEP = 180_000;
  let browser: Browser;
  let page: Page;
  /** What the page fetched from elsewhere, what it logged as errors, the camera-fov tiles it got. */
  const outside: string[] = [];
  const errors: string[] = [];
  const fovTiles: { url: string; status: number; bytes: number }[] = [];
  /** The technical service's token, for asking GraphQL what the page should show. */
  let technician: string;
  /** The line whose what-if the page ran, and the units it cuts off. */
  let line: { id: string; at: [number, number]; units: string[] } | undefined;

  const LOGIN = 'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }';
  const ask = async (query: string, variables: Record<string, unknown> = {}, token: string | null = technician) => {
    const res = await app.gql(query, variables, token);
    expect(res.errors).toBeUndefined();
    return res.data;
  };
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

  /** Logs in through the page's form. */
  async function logIn(username: string): Promise<void> {
    await page.evaluate(() => (document.getElementById('login-status').dataset.state = ''));
    await page.fill('#username', username);
    await page.fill('#password', SAMPLE_PASSWORD);
    await page.click('#login-button');
    await page.waitForFunction(() => ['in', 'error'].includes(document.getElementById('login-status').dataset.state), null, { timeout: 30_000 });
    expect(await page.textContent('#login-status')).toMatch(/^Logged in/);
  }

  /** Centres the map on a point at a zoom and waits until every tile there is drawn; the point's pixel. */
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

  /** What a click at the pixel would pick among points and lines ({ layer, id }), as the page decides it. */
  const pointOrLineAt = (pixel: [number, number]) =>
    page.evaluate((p) => window.kbsPage.pointOrLineAt(p).then((h: any) => h && { layer: h.layer.get('name'), id: String(h.feature.getId()) }), pixel);

  /** The ids of a layer's features drawn at the pixel (its hit-detection canvas). */
  const drawnAt = (layer: string, pixel: [number, number]) =>
    page.evaluate(
      ([name, p]) => window.kbsMap.getAllLayers().find((l: any) => l.get('name') === name).getFeatures(p).then((fs: any[]) => fs.map((f) => String(f.getId()))),
      [layer, pixel] as const,
    );

  /** The ids of the features of an overlay (impact, cut-off). */
  const overlayIds = (layer: string) =>
    page.evaluate((name) => window.kbsMap.getAllLayers().find((l: any) => l.get('name') === name).getSource().getFeatures().map((f: any) => f.getId()).sort(), layer);

  async function clickAt(pixel: [number, number]): Promise<void> {
    const box = (await page.locator('#map').boundingBox())!;
    await page.mouse.click(box.x + pixel[0], box.y + pixel[1]);
  }

  const listed = (selector: string) => page.$$eval(selector, (els: any[]) => els.map((e) => e.dataset.id));

  async function screenshot(name: string): Promise<void> {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, name) });
  }

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup-chromium.sh (or set CHROMIUM_PATH)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
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
    page.on('response', async (res) => {
      if (res.url().includes('/tiles/camera-fov/')) fovTiles.push({ url: res.url(), status: res.status(), bytes: (await res.body().catch(() => Buffer.alloc(0))).length });
    });
    const res = await page.goto(`${app.url}/map`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    await page.waitForFunction(() => window.kbsPage && window.kbsReady, null, { timeout: 30_000 });
    await page.evaluate(() => window.kbsReady);
    technician = (await ask(LOGIN, { u: TECHNICAL_CHIEF, p: SAMPLE_PASSWORD }, null)).login.accessToken;
    await logIn(TECHNICAL_CHIEF);
  }, BROWSER_STEP);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'switches the fields of view on: camera-fov tiles are fetched with the token and drawn as polygons',
    async () => {
      expect(await page.isChecked('#layer-camera-fov')).toBe(false);
      expect(fovTiles).toEqual([]);
      await page.check('#layer-camera-fov');
      const drawn = await page.waitForFunction(
        () => {
          const map = window.kbsMap;
          const fov = window.kbsPage.layer('camera-fov');
          const features = fov.getFeaturesInExtent(map.getView().calculateExtent(map.getSize()));
          return features.length > 0 ? features.map((f: any) => f.getType()) : null;
        },
        null,
        { timeout: 60_000, polling: 250 },
      );
      expect(new Set(await drawn.jsonValue())).toEqual(new Set(['Polygon']));
      expect(fovTiles.filter((t) => t.status === 200 && t.bytes > 0).length).toBeGreaterThan(0);
      expect(fovTiles.filter((t) => t.status !== 200)).toEqual([]);
    },
    BROWSER_STEP,
  );

  it(
    'runs "What if it fails?" on a line clicked on the map: lists and highlights what networkImpact cuts off, and clears it',
    async () => {
      // Lines whose loss alone cuts remote units off, at the middle of their route.
      const critical = (await ask('{ networkSinglePointsOfFailure(first: 100, current: false) { kind remoteUnitsCutOff line { id } } }')).networkSinglePointsOfFailure
        .filter((c: any) => c.kind === 'LINE' && c.remoteUnitsCutOff > 0 && c.line)
        .map((c: any) => Number(c.line.id));
      expect(critical.length).toBeGreaterThan(0);
      const { rows: middles } = await app.knex.raw(
        'SELECT id::text AS id, ST_X(p) AS x, ST_Y(p) AS y FROM network_lines, ST_LineInterpolatePoint(geom, 0.5) AS p WHERE id = ANY(?::int[]) ORDER BY array_position(?::int[], id)',
        [critical, critical],
      );
      let pixel: [number, number] | undefined;
      for (const m of middles) {
        const at = await viewAt([Number(m.x), Number(m.y)], 18);
        const hit = await pointOrLineAt(at);
        if (hit?.layer === 'network-lines' && hit.id === m.id) {
          [pixel, line] = [at, { id: m.id, at: [Number(m.x), Number(m.y)], units: [] }];
          break;
        }
      }
      expect(line).toBeDefined();
      await clickAt(pixel!);
      await page.waitForFunction((id) => document.getElementById('feature-info').dataset.id === id && !document.getElementById('what-if').disabled, line!.id, { timeout: 10_000 });
      expect(await page.getAttribute('#feature-info', 'data-layer')).toBe('network-lines');

      await page.click('#what-if');
      await page.waitForFunction(() => ['done', 'error'].includes(document.getElementById('impact').dataset.state), null, { timeout: 30_000 });
      expect([await page.getAttribute('#impact', 'data-state'), await page.textContent('#impact')]).toEqual(['done', expect.any(String)]);
      const expected = (await ask('query($l: [ID!]!) { networkImpact(lineIds: $l) { remoteUnits { id } cameras { id } lines { id } nodes { id } downLines { id } } }', { l: [line!.id] })).networkImpact;
      expect(expected.remoteUnits.length).toBeGreaterThan(0);
      line!.units = ids(expected.remoteUnits);
      const shown = {
        remoteUnits: await listed('#impact li[data-kind="remote-unit"]'),
        cameras: await listed('#impact li[data-kind="camera"]'),
        lines: await listed('#impact li[data-kind="line"]'),
        nodes: await listed('#impact li[data-kind="node"]'),
      };
      expect(shown).toEqual({ remoteUnits: line!.units, cameras: ids(expected.cameras), lines: ids(expected.lines), nodes: ids(expected.nodes) });
      // The highlight layer holds all of them, and the line that fails.
      const highlighted = [
        ...shown.remoteUnits.map((id) => `remote-unit:${id}`),
        ...shown.cameras.map((id) => `camera:${id}`),
        ...shown.lines.map((id) => `line:${id}`),
        ...shown.nodes.map((id) => `node:${id}`),
        ...ids(expected.downLines).map((id) => `down-line:${id}`),
      ].sort();
      expect(await overlayIds('impact')).toEqual(highlighted);
      // A listed unit: the map goes there, and the unit is drawn highlighted.
      await page.click(`#impact li[data-kind="remote-unit"][data-id="${line!.units[0]}"]`);
      const unit = (await ask('query($id: ID!) { remoteUnit(id: $id) { geometry } }', { id: line!.units[0] })).remoteUnit.geometry.coordinates;
      await page.waitForFunction(
        ([lon, lat]) => {
          const view = window.kbsMap.getView();
          const at = window.ol.proj.fromLonLat([lon, lat]);
          const c = view.getCenter();
          return !view.getAnimating() && Math.hypot(c[0] - at[0], c[1] - at[1]) < 1;
        },
        unit,
        { timeout: 10_000 },
      );
      expect(await drawnAt('impact', await viewAt(unit, 18))).toContain(`remote-unit:${line!.units[0]}`);
      await screenshot('map-what-if.png');

      await page.click('#what-if-clear');
      expect(await overlayIds('impact')).toEqual([]);
      expect(await page.textContent('#impact')).toBe('');
      expect(await page.isDisabled('#what-if')).toBe(true);
    },
    BROWSER_STEP,
  );

  it(
    'marks the remote units cut off now (a line set OFFLINE), as networkImpact(current: true) gives them, with a legend',
    async () => {
      expect(line).toBeDefined();
      const CUT_OFF = '{ networkImpact(current: true) { remoteUnits { id } } }';
      const marked = (expected: string[]) =>
        page.waitForFunction(
          (want) => {
            const layer = window.kbsMap.getAllLayers().find((l: any) => l.get('name') === 'cut-off');
            const got = layer.getSource().getFeatures().map((f: any) => f.getId()).sort();
            return document.getElementById('network-status').dataset.state === 'done' && JSON.stringify(got) === JSON.stringify(want);
          },
          expected.map((id) => `remote-unit:${id}`).sort(),
          { timeout: 30_000 },
        );
      const before = ids((await ask(CUT_OFF)).networkImpact.remoteUnits);
      // What the login marked.
      await marked(before);

      const edit = 'mutation($id: ID!, $v: Int!, $s: NetworkStatus!) { updateNetworkLine(id: $id, version: $v, input: { status: $s }) { version status } }';
      const original = (await ask('query($id: ID!) { networkLine(id: $id) { version status } }', { id: line!.id })).networkLine;
      expect(original.status).not.toBe('OFFLINE');
      let version = (await ask(edit, { id: line!.id, v: original.version, s: 'OFFLINE' }, app.admin.token)).updateNetworkLine.version;
      try {
        const now = ids((await ask(CUT_OFF)).networkImpact.remoteUnits);
        expect(now).toEqual(expect.arrayContaining(line!.units));
        // Switching the network on again asks anew.
        await page.uncheck('#layer-network-lines');
        await page.check('#layer-network-lines');
        await marked(now);
        expect(await page.textContent('#network-status')).toContain(`${now.length} remote unit`);
        // The line's tiles were fetched anew: it is drawn as OFFLINE.
        await viewAt(line!.at, 18);
        const status = await page.evaluate((id) => {
          const map = window.kbsMap;
          const lines = window.kbsPage.layer('network-lines').getFeaturesInExtent(map.getView().calculateExtent(map.getSize()));
          return lines.filter((f: any) => String(f.getId()) === id).map((f: any) => f.get('status'));
        }, line!.id);
        expect(new Set(status)).toEqual(new Set(['OFFLINE']));
        const unit = (await ask('query($id: ID!) { remoteUnit(id: $id) { geometry } }', { id: line!.units[0] })).remoteUnit.geometry.coordinates;
        expect(await drawnAt('cut-off', await viewAt(unit, 17))).toContain(`remote-unit:${line!.units[0]}`);
        expect(await page.textContent('#legend')).toMatch(/Remote unit cut off now/);
        await screenshot('map-cut-off.png');
      } finally {
        version = (await ask(edit, { id: line!.id, v: version, s: original.status }, app.admin.token)).updateNetworkLine.version;
      }
      await page.uncheck('#layer-remote-units');
      await page.check('#layer-remote-units');
      await marked(before);
    },
    BROWSER_STEP,
  );

  it(
    'lists the cameras that see a point clicked where no point or line is: those camerasSeeing gives, the camera 20 m in front included',
    async () => {
      // 20 m in front of active cameras that see farther, on the ellipsoid.
      const { rows: fronts } = await app.knex.raw(
        `SELECT c.id::text AS id, ST_X(p) AS x, ST_Y(p) AS y
         FROM cameras c CROSS JOIN LATERAL (SELECT ST_Project(c.geom::geography, 20, radians(c.azimuth))::geometry AS p) f
         WHERE c.status = 'ACTIVE' AND c.range_m >= 30 ORDER BY c.id LIMIT 30`,
      );
      let target: { id: string; pixel: [number, number] } | undefined;
      for (const f of fronts) {
        const pixel = await viewAt([Number(f.x), Number(f.y)], 18);
        if ((await pointOrLineAt(pixel)) === null) {
          target = { id: f.id, pixel };
          break;
        }
      }
      expect(target).toBeDefined();
      // The field of view is drawn there.
      expect(await drawnAt('camera-fov', target!.pixel)).toContain(target!.id);

      await clickAt(target!.pixel);
      await page.waitForFunction(() => ['done', 'error'].includes(document.getElementById('sightings').dataset.state), null, { timeout: 30_000 });
      expect(await page.getAttribute('#sightings', 'data-state')).toBe('done');
      const [x, y] = [Number(await page.getAttribute('#sightings', 'data-lon')), Number(await page.getAttribute('#sightings', 'data-lat'))];
      const seeing = (await ask('query($x: Float!, $y: Float!) { camerasSeeing(x: $x, y: $y) { camera { id } } }', { x, y })).camerasSeeing;
      const shown = await listed('#sightings li');
      expect(shown).toEqual(seeing.map((s: any) => s.camera.id));
      expect(shown).toContain(target!.id);
      await screenshot('map-sightings.png');
    },
    BROWSER_STEP,
  );

  it(
    'tells a user who may not read the network so in the panel; nothing else broke',
    async () => {
      const { rows } = await app.knex.raw(
        `SELECT u.username FROM users u
         WHERE u.active AND u.password_hash IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM user_roles ur JOIN role_grants g ON g.role_id = ur.role_id
           WHERE ur.user_id = u.id AND g.resource = 'NETWORK_LINES' AND g.action = 'READ')
         ORDER BY u.username LIMIT 1`,
      );
      expect(rows).toHaveLength(1);
      await logIn(rows[0].username);
      await page.waitForFunction(() => ['forbidden', 'error'].includes(document.getElementById('network-status').dataset.state), null, { timeout: 30_000 });
      expect(await page.getAttribute('#network-status', 'data-state')).toBe('forbidden');
      expect(await page.textContent('#network-status')).toMatch(/may not read the network \(it needs a READ grant on network lines\)/);
      expect(await overlayIds('cut-off')).toEqual([]);

      // Nothing else broke: only tile requests this account may not make failed, and nothing was fetched from elsewhere.
      expect(errors.filter((e) => !/tile failed|Failed to load resource: the server responded with a status of 40[13]/.test(e))).toEqual([]);
      expect(outside).toEqual([]);
    },
    BROWSER_STEP,
  );
});
