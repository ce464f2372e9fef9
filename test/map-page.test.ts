import { startTestApp, type TestApp } from './helpers/app';

/** The map page's files (the browser check in .ci/browser-check.js drives it in Chromium). */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app?.close();
});

describe('GET /map', () => {
  it.each(['/map', '/map/'])('%s answers the page, which loads OpenLayers and its script locally', async (path) => {
    const res = await fetch(`${app.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<script src="/map/vendor/ol.js"></script>');
    expect(html).toContain('<script src="/map/map.js"></script>');
    expect(html).toContain('href="/map/vendor/ol.css"');
    expect(html).toContain('id="feature-info"');
    // No CDN, no base map from the internet.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves OpenLayers, its stylesheet and the page script', async () => {
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
  });

  it('answers 404 for a file that is not there', async () => {
    expect((await fetch(`${app.url}/map/nothing.js`)).status).toBe(404);
  });
});
