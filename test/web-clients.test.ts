import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { silentLogger, type LogFields } from '../src/logger';
import { seed as seedNeighbourhoods } from '../seeds/01_neighbourhoods';
import { seed as seedCameras } from '../seeds/02_cameras';
import { seed as seedParcels } from '../seeds/06_parcels';
import { startTestApp, type TestApp } from './helpers/app';

/**
 * The README's web-client recipes (the ```js blocks marked `<!-- recipe: name -->`), run as
 * written in Debian's Chromium: each is bundled with esbuild from node_modules, as a web
 * application would be, with `api` and `token` defined before it, and loaded by a page of another
 * origin (so CORS is the browser's own). What the page then holds (the map's features, the
 * client's data, what was drawn) is checked against GraphQL on the sample data of Nizip.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

// Globals of the code that runs in the page (page.evaluate): the tests are type-checked without the DOM library.
declare const window: any, document: any, Image: any;

/** The text of the ```js block just after `<!-- recipe: name -->` in the README. */
function readmeRecipe(name: string): string {
  const block = new RegExp(`<!-- recipe: ${name} -->\\s*\\n\`\`\`js\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(README);
  if (!block) throw new Error(`README.md has no \`\`\`js block marked <!-- recipe: ${name} -->`);
  return block[1];
}

/** Each recipe, and the names it declares that the test reads back from the page. */
const RECIPES: Record<string, string[]> = {
  maplibre: ['map'],
  openlayers: ['map', 'parcels'],
  leaflet: ['parcels', 'data'],
  'apollo-client': ['data', 'again'],
};

let app: TestApp;
let token: string;
/** The server's access log: one entry per request, as it answered it. */
const served: LogFields[] = [];
/** What the server logged as errors (none may be). */
const serverErrors: unknown[] = [];
let browser: Browser;
let dir: string;
let site: http.Server;
let siteOrigin: string;

/** Bundles a recipe into `dir`/name.js: `api` and `token` first, then the recipe, then its names handed to the page. */
async function bundle(name: string, names: string[]): Promise<void> {
  const contents = [`const api = ${JSON.stringify(app.url)};`, `const token = ${JSON.stringify(token)};`, readmeRecipe(name), `window.recipe = { ${names.join(', ')} };`, ''].join('\n');
  await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: `README.md recipe ${name}`, loader: 'js' },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    define: { 'process.env.NODE_ENV': '"production"' },
    outfile: path.join(dir, `${name}.js`),
    logLevel: 'silent',
  });
  fs.writeFileSync(
    path.join(dir, `${name}.html`),
    `<!doctype html><meta charset="utf-8"><title>${name}</title><link rel="icon" href="data:,"><style>body{margin:0}#map{width:800px;height:600px}</style><div id="map"></div><script type="module" src="/${name}.js"></script>\n`,
  );
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript' };

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup-chromium.sh (or set CHROMIUM_PATH)`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbs-web-clients-'));
  [app, browser] = await Promise.all([
    startTestApp({ logger: { ...silentLogger, info: (message, fields) => message === 'request' && fields && served.push(fields), error: (_m, err) => serverErrors.push(err) } }),
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // WebGL (MapLibre) with no GPU is SwiftShader's, which Chromium is phasing out as a silent
      // fallback: allowed by name. No host name resolves, so nothing can leave this machine; no
      // request interception either, which would take the CORS checks out of the browser's hands.
      args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
    }),
  ]);
  token = app.admin.token;
  await Promise.all([
    // The sample data the recipes show: Nizip's cameras and parcels (the parcels are cut by the
    // neighbourhoods); the rest of the sample data would only slow the embedded run down.
    (async () => {
      await seedNeighbourhoods(app.knex);
      await seedCameras(app.knex);
      await seedParcels(app.knex);
    })(),
    ...Object.entries(RECIPES).map(([name, names]) => bundle(name, names)),
  ]);
  // MapLibre 6 starts its worker from maplibre-gl-worker.mjs beside the module that imports it.
  fs.copyFileSync(path.join(ROOT, 'node_modules', 'maplibre-gl', 'dist', 'maplibre-gl-worker.mjs'), path.join(dir, 'maplibre-gl-worker.mjs'));
  site = http.createServer((req, res) => {
    const file = path.join(dir, path.basename(new URL(req.url ?? '/', 'http://x').pathname));
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await app?.close();
});

interface Opened {
  page: Page;
  /** Every request the page (and its workers) made, in order. */
  requests: Request[];
  /** Page errors and console errors. */
  problems: string[];
}

/** Opens a recipe's page in a fresh context; resolves once the recipe has run to its end. */
async function openRecipe(name: string): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 1 });
  const requests: Request[] = [];
  const problems: string[] = [];
  context.on('request', (r) => requests.push(r));
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  await page.goto(`${siteOrigin}/${name}.html`);
  await page.waitForFunction(() => window.recipe !== undefined, null, { timeout: 15_000 }).catch((err: Error) => {
    throw new Error(`recipe ${name} did not run to its end: ${problems.join('; ') || err.message}`);
  });
  return { page, requests, problems };
}

/** What left for anywhere but the API and the page's own origin (nothing may). */
const outside = (requests: Request[]) => requests.map((r) => r.url()).filter((u) => !u.startsWith(`${app.url}/`) && !u.startsWith(`${siteOrigin}/`));

/** The colours of the page at these points, as drawn: a screenshot, decoded by the page itself. */
async function pixelsAt(page: Page, points: { x: number; y: number }[]): Promise<[number, number, number][]> {
  const png = (await page.screenshot()).toString('base64');
  return page.evaluate(
    async ({ png, points }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${png}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [image.width, image.height];
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      return points.map((p) => Array.from(context.getImageData(Math.round(p.x), Math.round(p.y), 1, 1).data.slice(0, 3)) as [number, number, number]);
    },
    { png, points },
  );
}

const hex = (colour: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)) as [number, number, number];
const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 4);

type Box = [number, number, number, number];
const grow = ([w, s, e, n]: Box, by: number): Box => [w - by, s - by, e + by, n + by];

/** GraphQL's cameras or parcels whose geometry meets a lon/lat box, as the admin sees them. */
async function inBox<T>(layer: 'cameras' | 'parcels', fields: string, [minx, miny, maxx, maxy]: Box): Promise<T[]> {
  const res = await app.gql(`query ($box: BBoxInput!) { ${layer}(spatial: { bbox: $box }, first: 1000) { totalCount edges { node { ${fields} } } } }`, {
    box: { minx, miny, maxx, maxy },
  });
  expect(res.errors).toBeUndefined();
  expect(res.data[layer].totalCount).toBeLessThan(1000);
  return res.data[layer].edges.map((e: { node: T }) => e.node);
}

/** The server's access log since entry `from`: what it answered, to whom. */
const servedSince = (from: number) =>
  served.slice(from).map(({ method, url, status, userId, operationName }) => ({ method, url: url as string, status, userId, ...(operationName ? { operationName } : {}) }));

/** The distinct statuses and accounts the server answered requests under `prefix` with, since entry `from`. */
const answeredTo = (from: number, prefix: string) => [
  ...new Map(servedSince(from).filter((e) => e.url.startsWith(prefix)).map(({ status, userId }) => [`${status} ${userId}`, { status, userId }])).values(),
];

/** Web Mercator (EPSG:3857) metres to lon/lat. */
const lonLatOf = (x: number, y: number): [number, number] => [(x / 6378137) * (180 / Math.PI), (2 * Math.atan(Math.exp(y / 6378137)) - Math.PI / 2) * (180 / Math.PI)];

/** A feature MapLibre drew: its id and attributes from the tile, where it is on the page and on Earth. */
interface Drawn {
  id: number;
  properties: Record<string, any>;
  at: { x: number; y: number };
  lonLat: [number, number];
}

const CAMERA_FIELDS = 'id code name kind purpose status azimuth horizontalFov rangeMeters geometry';
const PARCEL_FIELDS = 'id mahalle ada parsel nitelik';

describe('README recipes in a browser', () => {
  it('MapLibre GL JS: draws the camera tiles fetched with the token, features and attributes as GraphQL has them', async () => {
    const from = served.length;
    const { page, requests, problems } = await openRecipe('maplibre');
    await page.waitForFunction(() => {
      const map = window.recipe.map;
      return map.getSource('cameras') !== undefined && map.isSourceLoaded('cameras') && map.areTilesLoaded() && map.loaded();
    }, null, { timeout: 20_000 });
    const seen = await page.evaluate(() => {
      const map = window.recipe.map;
      const b = map.getBounds();
      const rendered: Drawn[] = map.queryRenderedFeatures({ layers: ['cameras'] }).map((f: any) => ({ id: f.id, properties: f.properties, at: map.project(f.geometry.coordinates), lonLat: f.geometry.coordinates }));
      return {
        bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
        source: map.querySourceFeatures('cameras', { sourceLayer: 'cameras' }).map((f: any) => f.id) as number[],
        rendered,
      };
    });

    // The TileJSON and the tiles went to the API with the token in a header, and came back.
    const tileRequests = requests.filter((r) => r.url().startsWith(`${app.url}/tiles/cameras`));
    expect(tileRequests.map((r) => r.url())).toEqual(expect.arrayContaining([`${app.url}/tiles/cameras.json`, expect.stringMatching(/\/tiles\/cameras\/14\/\d+\/\d+\.mvt$/)]));
    for (const r of tileRequests) {
      expect({ url: r.url(), authorization: (await r.allHeaders()).authorization, status: (await r.response())?.status() }).toEqual({ url: r.url(), authorization: `Bearer ${token}`, status: 200 });
    }
    expect(answeredTo(from, '/tiles/cameras')).toEqual([{ status: 200, userId: app.admin.userId }]);

    // Every camera GraphQL has well inside the view was decoded and drawn, with its id and attributes.
    const degreesPerPixel = (seen.bounds[2] - seen.bounds[0]) / 800;
    const inside = await inBox<Record<string, any>>('cameras', CAMERA_FIELDS, grow(seen.bounds as Box, -10 * degreesPerPixel));
    const around = await inBox<Record<string, any>>('cameras', CAMERA_FIELDS, grow(seen.bounds as Box, 10 * degreesPerPixel));
    const drawnIds = [...new Set(seen.rendered.map((f) => String(f.id)))];
    expect(inside.length).toBeGreaterThan(3);
    expect(drawnIds).toEqual(expect.arrayContaining(inside.map((c) => c.id)));
    expect(around.map((c) => c.id)).toEqual(expect.arrayContaining(drawnIds));
    expect(seen.source.map(String)).toEqual(expect.arrayContaining(drawnIds));
    const byId = new Map(around.map((c) => [c.id, c]));
    for (const f of seen.rendered) {
      const { geometry, id, ...attributes } = byId.get(String(f.id))!;
      expect({ id: String(f.id), ...f.properties }).toEqual({ id, ...attributes });
      expect(f.lonLat[0]).toBeCloseTo(geometry.coordinates[0], 4);
      expect(f.lonLat[1]).toBeCloseTo(geometry.coordinates[1], 4);
    }

    // What a person sees: at each camera that stands alone, a dot in the colour of its status.
    const colours: Record<string, string> = { ACTIVE: '#2a9d8f', OFFLINE: '#e63946' };
    const visible = seen.rendered.filter((f) => f.at.x >= 6 && f.at.x < 794 && f.at.y >= 6 && f.at.y < 594);
    const alone = visible.filter((f) => seen.rendered.every((g) => g.id === f.id || Math.hypot(g.at.x - f.at.x, g.at.y - f.at.y) > 12));
    expect(alone.length).toBeGreaterThan(0);
    // And the plain background where there is no camera.
    const empty = [...Array(60).keys()].map((i) => ({ x: 10 + (i % 10) * 78, y: 10 + Math.floor(i / 10) * 100 })).find((p) => seen.rendered.every((f) => Math.hypot(f.at.x - p.x, f.at.y - p.y) > 12))!;
    const drawn = await pixelsAt(page, [...alone.map((f) => f.at), empty]);
    const wrong = alone.filter((f, i) => !near(drawn[i], hex(colours[f.properties.status] ?? '#8d99ae'))).map((f) => ({ id: f.id, status: f.properties.status, drawn: drawn[alone.indexOf(f)] }));
    expect(wrong).toEqual([]);
    expect(near(drawn[alone.length], hex('#f4f1ea'))).toBe(true);

    expect({ outside: outside(requests), problems, serverErrors }).toEqual({ outside: [], problems: [], serverErrors: [] });
    await page.context().close();
  }, 40_000);

  it('OpenLayers: the VectorTile layer holds the parcels of the view, with their ids and attributes, fetched with the token', async () => {
    const from = served.length;
    const { page, requests, problems } = await openRecipe('openlayers');
    const seen = await page.evaluate(async () => {
      const { map, parcels } = window.recipe;
      await new Promise((resolve) => {
        map.once('rendercomplete', resolve);
        map.render();
      });
      const extent = map.getView().calculateExtent(map.getSize());
      return {
        extent: extent as number[],
        features: parcels.getFeaturesInExtent(extent).map((f: any) => ({ id: f.getId(), properties: f.getProperties() })) as { id: number; properties: Record<string, unknown> }[],
      };
    });
    const tileRequests = requests.filter((r) => r.url().startsWith(`${app.url}/tiles/parcels/`));
    expect(tileRequests.length).toBeGreaterThan(0);
    for (const r of tileRequests) {
      // OpenLayers' tiles are 512 pixels: a view at zoom 16 draws the z15 tiles.
      expect(r.url()).toMatch(/\/tiles\/parcels\/15\/\d+\/\d+\.mvt$/);
      expect({ authorization: (await r.allHeaders()).authorization, status: (await r.response())?.status() }).toEqual({ authorization: `Bearer ${token}`, status: 200 });
    }
    expect(answeredTo(from, '/tiles/parcels/')).toEqual([{ status: 200, userId: app.admin.userId }]);

    const bounds = [...lonLatOf(seen.extent[0], seen.extent[1]), ...lonLatOf(seen.extent[2], seen.extent[3])] as Box;
    const inside = await inBox<Record<string, any>>('parcels', PARCEL_FIELDS, grow(bounds, -0.0002));
    const around = await inBox<Record<string, any>>('parcels', PARCEL_FIELDS, grow(bounds, 0.0002));
    const ids = [...new Set(seen.features.map((f) => String(f.id)))];
    expect(inside.length).toBeGreaterThan(10);
    expect(ids).toEqual(expect.arrayContaining(inside.map((p) => p.id)));
    expect(around.map((p) => p.id)).toEqual(expect.arrayContaining(ids));
    const byId = new Map(around.map((p) => [p.id, p]));
    for (const f of seen.features) {
      const { id, ...attributes } = byId.get(String(f.id))!;
      expect({ id: String(f.id), ...f.properties }).toEqual({ id, layer: 'parcels', ...attributes });
    }

    expect({ outside: outside(requests), problems, serverErrors }).toEqual({ outside: [], problems: [], serverErrors: [] });
    await page.context().close();
  }, 30_000);

  it("Leaflet: L.geoJSON over the featureCollection query has a layer per parcel, in lon/lat around Nizip, each drawn", async () => {
    const from = served.length;
    const { page, requests, problems } = await openRecipe('leaflet');
    const seen = await page.evaluate(() => {
      const { parcels, data } = window.recipe;
      const b = parcels.getBounds();
      const layers = parcels.getLayers();
      return {
        count: layers.length,
        ids: layers.map((l: any) => l.feature.id),
        tooltips: Object.fromEntries(layers.map((l: any) => [l.feature.id, l.getTooltip().getContent()])),
        bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
        totalCount: data.parcels.totalCount,
        paths: document.querySelectorAll('#map path.leaflet-interactive').length,
      };
    });
    // The server's side: one query, answered to the token's account.
    expect(servedSince(from)).toEqual([{ method: 'POST', url: '/graphql', status: 200, userId: app.admin.userId }]);
    // GraphQL's own answer to the same filter, asked by the test.
    const res = await app.gql('{ parcels(filter: { mahalle: "istasyon" }, first: 1000) { totalCount edges { node { id ada parsel } } } }');
    const graphql = res.data.parcels;
    expect(graphql.totalCount).toBeGreaterThan(10);
    expect(seen.count).toBe(graphql.totalCount);
    expect(seen.totalCount).toBe(graphql.totalCount);
    expect(seen.paths).toBe(graphql.totalCount);
    expect(seen.ids.map(String).sort()).toEqual(graphql.edges.map((e: { node: { id: string } }) => e.node.id).sort());
    expect(seen.tooltips).toEqual(Object.fromEntries(graphql.edges.map(({ node }: { node: { id: string; ada: number; parsel: number } }) => [node.id, `${node.ada}/${node.parsel}`])));
    // West, south, east, north: longitudes about 37.8 E, latitudes about 37.0 N (not swapped).
    const [west, south, east, north] = seen.bounds;
    expect([west, east].every((lon) => lon > 37.7 && lon < 37.9)).toBe(true);
    expect([south, north].every((lat) => lat > 36.95 && lat < 37.05)).toBe(true);

    expect({ outside: outside(requests), problems, serverErrors }).toEqual({ outside: [], problems: [], serverErrors: [] });
    await page.context().close();
  }, 30_000);

  it('Apollo Client: queries over GET with the preflight header and the token; asked again, the browser revalidates (304)', async () => {
    const from = served.length;
    const { page, requests, problems } = await openRecipe('apollo-client');
    const seen = await page.evaluate(() => ({ data: window.recipe.data, again: window.recipe.again.data }));
    // The server's side: the second GET was answered 304 Not Modified (the browser then handed the page its copy).
    expect(servedSince(from).map(({ url, ...entry }) => ({ ...entry, path: url.split('?')[0] }))).toEqual([
      { method: 'GET', path: '/graphql', operationName: 'NearCentre', status: 200, userId: app.admin.userId },
      { method: 'GET', path: '/graphql', operationName: 'NearCentre', status: 304, userId: app.admin.userId },
    ]);
    const res = await app.gql('{ cameras(first: 5, nearest: { x: 37.795, y: 37.010 }) { edges { distanceMeters node { id name status geometry } } } }');
    expect(res.errors).toBeUndefined();
    const strip = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (k, v) => (k === '__typename' ? undefined : v)));
    expect(strip(seen.data)).toEqual(res.data);
    expect(strip(seen.again)).toEqual(res.data);
    expect(res.data.cameras.edges).toHaveLength(5);

    const sent = await Promise.all(
      requests
        .filter((r) => r.url().startsWith(`${app.url}/graphql`))
        .map(async (r) => {
          const headers = await r.allHeaders();
          const response = await r.response();
          return {
            method: r.method(),
            operation: new URL(r.url()).searchParams.get('operationName'),
            preflight: headers['apollo-require-preflight'],
            authorization: headers.authorization,
            ifNoneMatch: headers['if-none-match'],
            status: response?.status(),
            etag: response ? (await response.allHeaders()).etag : undefined,
          };
        }),
    );
    // The page's side: the second request sent the first answer's ETag back, and was handed that answer.
    expect(sent).toEqual([
      { method: 'GET', operation: 'NearCentre', preflight: 'true', authorization: `Bearer ${token}`, ifNoneMatch: undefined, status: 200, etag: expect.stringMatching(/^W\//) },
      { method: 'GET', operation: 'NearCentre', preflight: 'true', authorization: `Bearer ${token}`, ifNoneMatch: sent[0].etag, status: 200, etag: sent[0].etag },
    ]);

    expect({ outside: outside(requests), problems, serverErrors }).toEqual({ outside: [], problems: [], serverErrors: [] });
    await page.context().close();
  }, 30_000);
});
