// Opens the map page at {base}/map in Debian's headless Chromium (playwright-core), logs in through
// the page's form, waits until the camera tiles are drawn, clicks a camera and checks that
// #feature-info shows its name, code and kind. Keeps a screenshot in artifacts/map.png (and
// docs/map-page.png, for the README). Usage: node .ci/browser-check.js http://127.0.0.1:4517
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const base = (process.argv[2] || '').replace(/\/$/, '');
if (!base) {
  console.error('usage: node .ci/browser-check.js <base URL>');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const shot = path.join(root, 'artifacts', 'map.png');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function fail(message) {
  throw new Error(message);
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing (run scripts/setup-chromium.sh)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const errors = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('requestfailed', (req) => {
      if (!req.url().startsWith(base)) errors.push(`request outside ${base}: ${req.url()}`);
    });

    const res = await page.goto(`${base}/map`, { waitUntil: 'load' });
    if (!res || !res.ok()) fail(`GET /map answered ${res && res.status()}`);
    await page.waitForFunction(() => window.kbsMap && window.kbsReady, null, { timeout: 30000 }).catch(() => fail(`the page never set window.kbsMap / kbsReady${errors.length ? `; it logged: ${errors.join(' | ')}` : ''}`));
    await page.evaluate(() => window.kbsReady);
    console.log('[browser] page loaded, first render complete');

    // Every request the page made went to the server itself: no internet.
    const foreign = await page.evaluate((origin) => performance.getEntriesByType('resource').map((e) => e.name).filter((u) => !u.startsWith(origin)), base);
    if (foreign.length) fail(`the page fetched from elsewhere: ${foreign.join(', ')}`);

    await page.fill('#username', 'zeynep.arslan');
    await page.fill('#password', 'nizip-ornek-2026');
    await page.click('#login-button');
    await page.waitForFunction(() => ['in', 'error'].includes(document.getElementById('login-status').dataset.state), null, { timeout: 30000 });
    const status = await page.textContent('#login-status');
    if (!/Logged in/.test(status)) fail(`login through the page failed: ${status}`);
    console.log(`[browser] ${status.trim()}`);

    // Wait until the sources hold features again (after the refresh), and the map has drawn them.
    const counts = await page
      .waitForFunction(
        () => {
          const map = window.kbsMap;
          const extent = map.getView().calculateExtent(map.getSize());
          const out = {};
          for (const layer of map.getAllLayers()) {
            // The tile layers (the what-if and cut-off overlays are plain vector layers, without this method).
            if (layer.getVisible() && typeof layer.getFeaturesInExtent === 'function') out[layer.get('name')] = layer.getFeaturesInExtent(extent).length;
          }
          return out.cameras > 0 && out.neighbourhoods > 0 && out['network-lines'] > 0 ? out : null;
        },
        null,
        { timeout: 60000, polling: 250 },
      )
      .then((h) => h.jsonValue())
      .catch(() => fail('the cameras, neighbourhoods and network-lines layers drew no features within 60 s'));
    await page.evaluate(() => new Promise((resolve) => { window.kbsMap.once('rendercomplete', resolve); window.kbsMap.render(); }));
    console.log(`[browser] features per layer in view: ${JSON.stringify(counts)}`);

    // A camera that is drawn, well inside the map: its pixel, and one that no other camera is near.
    const target = await page.evaluate(async () => {
      const map = window.kbsMap;
      const size = map.getSize();
      const extent = map.getView().calculateExtent(size);
      const cameras = map.getAllLayers().find((l) => l.get('name') === 'cameras');
      for (const f of cameras.getFeaturesInExtent(extent)) {
        const e = f.getExtent();
        const pixel = map.getPixelFromCoordinate([(e[0] + e[2]) / 2, (e[1] + e[3]) / 2]).map(Math.round);
        if (pixel[0] < 20 || pixel[1] < 20 || pixel[0] > size[0] - 20 || pixel[1] > size[1] - 20) continue;
        // Drawn there, and the topmost camera at that pixel.
        const hits = await cameras.getFeatures(pixel);
        if (hits.length && hits[0].getId() === f.getId()) {
          return { pixel, id: f.getId(), name: f.get('name'), code: f.get('code'), kind: f.get('kind') };
        }
      }
      return null;
    });
    if (!target) fail('no camera could be found on screen to click');
    const box = await page.locator('#map').boundingBox();
    await page.mouse.click(box.x + target.pixel[0], box.y + target.pixel[1]);
    await page
      .waitForFunction(() => document.getElementById('feature-info').dataset.layer === 'cameras', null, { timeout: 10000 })
      .catch(async () => fail(`clicking camera ${target.code} showed: ${(await page.textContent('#feature-info')).trim()}`));
    const text = await page.textContent('#feature-info');
    for (const key of ['name', 'code', 'kind']) {
      if (!target[key] || !text.includes(String(target[key]))) fail(`#feature-info lacks the camera's ${key} (${target[key]}): ${text}`);
    }
    console.log(`[browser] clicked camera ${target.id}: ${target.code} "${target.name}" (${target.kind}) shown in #feature-info`);

    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });
    fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
    fs.copyFileSync(shot, path.join(root, 'docs', 'map-page.png'));
    console.log(`[browser] screenshot: ${path.relative(root, shot)} (copied to docs/map-page.png)`);

    // Tiles a layer refuses before the login (401) are expected; anything else is not.
    const serious = errors.filter((e) => !/tile failed|Failed to load resource: the server responded with a status of 401/.test(e));
    if (serious.length) fail(`the page logged errors: ${serious.join(' | ')}`);
  } finally {
    await browser.close();
  }
}

main().then(
  () => console.log('[browser] map page: ok'),
  (err) => {
    console.error(`[browser] map page check FAILED: ${err.message}`);
    process.exit(1);
  },
);
