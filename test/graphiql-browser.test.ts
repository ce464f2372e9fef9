import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './helpers/app';

/**
 * GraphiQL at /graphql and CORS, in Debian's Chromium (playwright-core; scripts/setup-chromium.sh
 * installs it): the IDE works with no network but this server's, and a page on another origin
 * calls the API with the headers GraphQL clients send.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Globals of the code that runs in the page (page.evaluate): the tests are type-checked without the DOM library.
declare const document: any, DataTransfer: any, ClipboardEvent: any;

let app: TestApp;
let browser: Browser;
let other: http.Server;
let otherOrigin: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup-chromium.sh (or set CHROMIUM_PATH)`);
  app = await startTestApp();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  // A page of another origin (another port), as a web application calling the API would be.
  other = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>another origin</title><p>client'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => other?.close(resolve));
  await app?.close();
});

/** A browser context that may reach only the API's origin (and `also`); what it tried elsewhere is in `outside`. */
async function offlineContext(also: string[] = []): Promise<{ context: BrowserContext; outside: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const outside: string[] = [];
  const allowed = new Set([new URL(app.url).origin, ...also]);
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (allowed.has(url.origin)) return route.continue();
    outside.push(url.href);
    return route.abort('internetdisconnected');
  });
  return { context, outside };
}

/** Pastes `text` over the whole content of the Monaco editor in `selector` (as a person pastes: no auto-closing). */
async function pasteInto(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(`${selector} .monaco-editor:visible`).first().click();
  await page.keyboard.press('Control+A');
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** The text of an element as a person reads it (Monaco draws spaces as no-break spaces). */
const textOf = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).replace(/\u00a0/g, ' ');

/** Waits until the response pane shows `pattern`; returns its text. */
async function responseShows(page: Page, pattern: RegExp): Promise<string> {
  const shown = await page.waitForFunction(
    (source) => {
      const text = document.querySelector('.graphiql-response')?.innerText.replace(/\u00a0/g, ' ') ?? '';
      return new RegExp(source).test(text) ? text : null;
    },
    pattern.source,
    { timeout: 15_000 },
  );
  return (await shown.jsonValue()) as string;
}

describe('GraphiQL at /graphql in a browser', () => {
  it('loads from this server only, shows the docs once a token is pasted, and runs README examples and queries with it', async () => {
    const { context, outside } = await offlineContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (/Content Security Policy|Refused to/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });

    const res = await page.goto(`${app.url}/graphql`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).not.toMatch(/unsafe-eval/);
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor({ timeout: 30_000 });
    // The first tab holds the README's examples, named; the headers hold the token template.
    await expect(textOf(page, '.graphiql-tab')).resolves.toContain('Login');
    await expect(textOf(page, '.graphiql-query-editor')).resolves.toContain('mutation Login');
    await expect(textOf(page, '.graphiql-editor-tool')).resolves.toContain('"Authorization": "Bearer <token>"');

    // Without a token the docs cannot load (introspection needs one by default); a pasted token brings them.
    const introspected = page.waitForResponse((r) => r.url() === `${app.url}/graphql` && /IntrospectionQuery/.test(r.request().postData() ?? '') && r.status() === 200);
    await pasteInto(page, '.graphiql-editor-tool', `{ "Authorization": "Bearer ${app.admin.token}" }`);
    await introspected;
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer-search-input input, .graphiql-doc-explorer-search input').first().fill('GeoJSON');
    await page.getByRole('option', { name: /^GeoJSON/ }).first().click();
    await expect(textOf(page, '.graphiql-doc-explorer')).resolves.toMatch(/A GeoJSON geometry object \(RFC 7946\)/);

    // A README example out of the document: the run button offers the operations by name.
    await page.locator('.graphiql-execute-button').click();
    await page.getByRole('menuitem', { name: 'AttributeFilters', exact: true }).click();
    await responseShows(page, /"totalCount": 0/);

    // A query of one's own, with the pasted token: the account's own answer.
    await pasteInto(page, '.graphiql-query-editor', '{ me { username fullName } }');
    // GraphiQL re-reads the operations a moment after an edit; until then the run button is still the
    // menu of the README's operations, and a click there opens a menu that vanishes (nothing runs).
    await page.waitForFunction(() => !document.querySelector('.graphiql-execute-button')?.hasAttribute('aria-haspopup'));
    await page.locator('.graphiql-execute-button').click();
    await responseShows(page, /"username": "kbs-test-admin"/);

    // Every resource came from this server: nothing was even tried elsewhere.
    const foreign = await page.evaluate((origin) => performance.getEntriesByType('resource').map((e) => e.name).filter((u) => !u.startsWith(origin)), app.url);
    expect({ foreign, outside, problems }).toEqual({ foreign: [], outside: [], problems: [] });
    await context.close();
  }, 120_000);
});

describe('CORS: a page on another origin calls the API', () => {
  const CLIENT_HEADERS = {
    'apollographql-client-name': 'kbs-web',
    'apollographql-client-version': '1.2.3',
    'apollo-require-preflight': 'true',
    'x-apollo-operation-name': 'Me',
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    tracestate: 'kbs=1',
  };

  it('with the headers of Apollo Client, urql and trace context, over POST and GET', async () => {
    // No request interception here: Playwright's routing would take the CORS checks out of the browser's hands.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(otherOrigin);
    const results = await page.evaluate(
      async ({ api, token, headers }) => {
        const query = 'query Me { me { username } }';
        const post = await fetch(`${api}/graphql`, {
          method: 'POST',
          headers: { ...headers, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ query, operationName: 'Me' }),
        });
        const get = await fetch(`${api}/graphql?query=${encodeURIComponent(query)}&operationName=Me`, { headers: { ...headers, authorization: `Bearer ${token}` } });
        // urql's GET (preferGetMethod) sends no header of its own beyond accept: Apollo Server's
        // CSRF prevention refuses it, which the page sees (the answer is readable, CORS lets it through).
        const urqlGet = await fetch(`${api}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/graphql-response+json, application/json' } });
        // A header the API does not allow: the browser refuses before sending.
        const refused = await fetch(`${api}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-not-allowed': '1' }, body: '{"query":"{ __typename }"}' }).then(
          () => 'sent',
          (err: Error) => err.name,
        );
        return {
          post: { status: post.status, body: await post.json(), requestId: post.headers.get('x-request-id') },
          get: { status: get.status, body: await get.json(), etag: get.headers.get('etag'), cacheControl: get.headers.get('cache-control') },
          urqlGet: { status: urqlGet.status, code: ((await urqlGet.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code },
          refused,
        };
      },
      { api: app.url, token: app.admin.token, headers: CLIENT_HEADERS },
    );
    expect(results).toEqual({
      post: { status: 200, body: { data: { me: { username: 'kbs-test-admin' } } }, requestId: expect.any(String) },
      get: { status: 200, body: { data: { me: { username: 'kbs-test-admin' } } }, etag: expect.stringMatching(/^W\/"/), cacheControl: 'private, no-cache' },
      urqlGet: { status: 400, code: 'BAD_REQUEST' },
      refused: 'TypeError',
    });
    await context.close();
  }, 60_000);
});
