import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { TILE_LAYERS } from '../src/tiles/tile.layers';
import { graphqlBlocks, readmeExamples } from '../src/http/ide/readme-examples';

/**
 * What an integrator meets first: the index at GET /, the schema as SDL, GraphQL over GET (CSRF
 * prevention, 405 for mutations, HTTP caching), the IDE page for a browser at GET /graphql and CORS
 * for GraphQL clients' headers. The IDE itself runs in Chromium in graphiql-browser.test.ts.
 */
const ROOT = path.join(__dirname, '..');
const committedSdl = fs.readFileSync(path.join(ROOT, 'schema', 'schema.graphql'), 'utf8');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let app: TestApp;

const bearer = () => ({ authorization: `Bearer ${app.admin.token}` });
const getQuery = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/graphql?query=${encodeURIComponent(query)}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });

// One test server at a time in this file: on the embedded database every server shares one session (and so its search_path).
describe('the server with its default settings', () => {
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('GET / (the index)', () => {
    it.each([
      ['application/json', 'application/json'],
      ["curl's */*", '*/*'],
    ])('answers JSON for %s: the service, its version and links that all work', async (_label, accept) => {
      const res = await fetch(`${app.url}/`, { headers: { accept } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('vary')).toMatch(/Accept/);
      const index = (await res.json()) as {
        service: string;
        version: string;
        graphql: { endpoint: string; ide: string; schema: string };
        ogcApiFeatures: string;
        map: string;
        tiles: { name: string; tileJson: string }[];
        imports: string;
        health: string;
      };
      expect(index).toMatchObject({
        service: 'kbs-graphql',
        version,
        graphql: { endpoint: `${app.url}/graphql`, ide: `${app.url}/graphql`, schema: `${app.url}/graphql/schema.graphql` },
        ogcApiFeatures: `${app.url}/ogc`,
        map: `${app.url}/map`,
        imports: `${app.url}/imports`,
        health: `${app.url}/health`,
      });
      expect(index.tiles.map((t) => t.name).sort()).toEqual(TILE_LAYERS.map((l) => l.name).sort());
      for (const tile of index.tiles) {
        const tileJson = await fetch(tile.tileJson, { headers: bearer() });
        expect({ url: tile.tileJson, status: tileJson.status }).toEqual({ url: tile.tileJson, status: 200 });
        expect(((await tileJson.json()) as { tilejson: string }).tilejson).toBe('3.0.0');
      }
      for (const url of [index.ogcApiFeatures, index.map, index.health]) expect({ url, status: (await fetch(url)).status }).toEqual({ url, status: 200 });
      expect((await fetch(index.graphql.schema, { headers: bearer() })).status).toBe(200);
      expect((await fetch(index.graphql.ide, { headers: { accept: BROWSER_ACCEPT } })).status).toBe(200);
    });

    it('answers a page for a browser, with the same links and no script', async () => {
      const res = await fetch(`${app.url}/`, { headers: { accept: BROWSER_ACCEPT } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      const html = await res.text();
      expect(html).toContain(`<small>${version}</small>`);
      for (const href of ['/graphql', '/graphql/schema.graphql', '/map', '/ogc', '/health', ...TILE_LAYERS.map((l) => `/tiles/${l.name}.json`)]) {
        expect(html).toContain(`href="${href}"`);
      }
      expect(html).not.toMatch(/<script/i);
    });
  });

  describe('GET /graphql/schema.graphql', () => {
    it('answers the schema as committed in schema/schema.graphql to a request with a token, revalidated by its ETag', async () => {
      const res = await fetch(`${app.url}/graphql/schema.graphql`, { headers: bearer() });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('private, no-cache');
      expect(await res.text()).toBe(committedSdl);
      const etag = res.headers.get('etag')!;
      const again = await fetch(`${app.url}/graphql/schema.graphql`, { headers: { ...bearer(), 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      // graphql-js reads it back (a code generator would).
      expect(buildSchema(committedSdl).getType('GeoJSON')).toBeDefined();
    });

    it('is refused without a token (as introspection is, by default) and with a bad one', async () => {
      for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
        const res = await fetch(`${app.url}/graphql/schema.graphql`, { headers });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(codeOf((await res.json()) as GraphQLResponse)).toBe('UNAUTHENTICATED');
      }
    });

    it('names the specifications of the custom scalars (specifiedByURL), for code generators', async () => {
      const res = await app.gql(`{
        geojson: __type(name: "GeoJSON") { specifiedByURL }
        date: __type(name: "Date") { specifiedByURL }
        dateTime: __type(name: "DateTimeISO") { specifiedByURL }
      }`);
      expect(res).toEqual({
        data: {
          geojson: { specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc7946' },
          date: { specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6' },
          dateTime: { specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6' },
        },
      });
    });
  });

  describe('GraphQL over HTTP: GET', () => {
    it('runs a query sent with apollo-require-preflight (Apollo Client) or x-apollo-operation-name; anonymous answers may be cached a minute', async () => {
      for (const headers of [{ 'apollo-require-preflight': 'true' }, { 'apollo-require-preflight': '', 'x-apollo-operation-name': 'Units' }] as Record<string, string>[]) {
        const res = await getQuery('query Units { orgUnits { code } }', headers);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ data: { orgUnits: [{ code: 'KBS-TEST' }] } });
        expect(res.headers.get('cache-control')).toBe('public, max-age=60');
        expect(res.headers.get('vary')).toMatch(/Accept.*Authorization/);
      }
    });

    it('refuses a GET without either header (CSRF prevention), and does not let it be kept', async () => {
      const res = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ orgUnits { code } }')}`);
      expect(res.status).toBe(400);
      expect(codeOf((await res.json()) as GraphQLResponse)).toBe('BAD_REQUEST');
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    it("keeps a token's answer private, with an ETag: 304 while it is the same, the new answer once it changed", async () => {
      const res = await getQuery('{ roles { code } }', bearer());
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-cache');
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^W\/"[\w-]+"$/);
      const same = await getQuery('{ roles { code } }', { ...bearer(), 'if-none-match': etag });
      expect(same.status).toBe(304);
      expect(await same.text()).toBe('');

      const created = await app.gql('mutation { createRole(input: { code: "etag-check", name: "ETag check", grants: [] }) { code } }');
      expect(created.errors).toBeUndefined();
      const changed = await getQuery('{ roles { code } }', { ...bearer(), 'if-none-match': etag });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      expect(JSON.stringify(await changed.json())).toContain('etag-check');
    });

    it('refuses a mutation over GET with 405 (GraphQL over HTTP), and does not run it', async () => {
      const res = await getQuery('mutation { createRole(input: { code: "by-get", name: "By GET", grants: [] }) { code } }', bearer());
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(codeOf((await res.json()) as GraphQLResponse)).toBe('BAD_REQUEST');
      expect(JSON.stringify(await app.gql('{ roles { code } }'))).not.toContain('by-get');
    });

    it('runs a GET with a query even from a browser that prefers HTML (the IDE is for a GET without one)', async () => {
      const res = await getQuery('{ orgUnits { code } }', { accept: BROWSER_ACCEPT });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ data: { orgUnits: [{ code: 'KBS-TEST' }] } });
    });

    it('leaves POST answers as they were: no cache headers', async () => {
      const res = await app.post('{ orgUnits { code } }');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBeNull();
      expect(res.headers.get('etag')).toBeNull();
    });
  });

  describe('the IDE page at GET /graphql', () => {
    it('is answered to a browser: our GraphiQL from this server, under a CSP with no eval, no inline script and workers from self', async () => {
      const res = await fetch(`${app.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('<script src="/graphql/ide/graphiql.js"></script>');
      expect(html).toContain('href="/graphql/ide/graphiql.css"');
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(html).not.toMatch(/apollographql|cdn\./i);
      const csp = Object.fromEntries(res.headers.get('content-security-policy')!.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['worker-src']).toContain("'self'");
      expect(csp['connect-src']).toEqual(["'self'"]);
      expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-eval|wasm-unsafe-eval/);
    });

    it('holds the README examples as one document that fits the schema, and a headers template', async () => {
      const html = await (await fetch(`${app.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } })).text();
      const config = JSON.parse(/<script id="kbs-ide-config" type="application\/json">(.*?)<\/script>/s.exec(html)![1]) as { examples: string; headers: string };
      expect(JSON.parse(config.headers)).toEqual({ Authorization: 'Bearer <token>' });
      const schema = buildSchema(committedSdl);
      expect(validate(schema, parse(config.examples), specifiedRules)).toEqual([]);
      for (const example of readmeExamples(readme)) expect(config.examples).toContain(example.text);
    });

    it('serves its files; anything else under /graphql/ide is 404', async () => {
      for (const [file, type] of [
        ['graphiql.js', /javascript/],
        ['graphiql.css', /^text\/css/],
        ['editor.worker.js', /javascript/],
        ['json.worker.js', /javascript/],
        ['graphql.worker.js', /javascript/],
      ] as const) {
        const res = await fetch(`${app.url}/graphql/ide/${file}`);
        expect({ file, status: res.status, type: res.headers.get('content-type') }).toEqual({ file, status: 200, type: expect.stringMatching(type) });
        await res.arrayBuffer();
      }
      const missing = await fetch(`${app.url}/graphql/ide/nothing.js`);
      expect(missing.status).toBe(404);
      expect(codeOf((await missing.json()) as GraphQLResponse)).toBe('NOT_FOUND');
    });

    it('is not answered to a GraphQL client: a GET without a query is a bad request', async () => {
      const res = await fetch(`${app.url}/graphql`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
      expect(res.status).toBe(400);
      expect(codeOf((await res.json()) as GraphQLResponse)).toBe('BAD_REQUEST');
    });
  });

  describe('CORS for GraphQL clients', () => {
    it("allows the request headers of Apollo Client, urql and W3C trace context from another origin's pages", async () => {
      const wanted = ['authorization', 'content-type', 'apollographql-client-name', 'apollographql-client-version', 'apollo-require-preflight', 'x-apollo-operation-name', 'traceparent', 'tracestate'];
      const res = await fetch(`${app.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin: 'http://uygulama.example', 'access-control-request-method': 'POST', 'access-control-request-headers': wanted.join(',') },
      });
      expect(res.status).toBe(204);
      const allowed = res.headers.get('access-control-allow-headers')!.split(',').map((h) => h.trim().toLowerCase());
      expect(allowed).toEqual(expect.arrayContaining(wanted));
      expect(res.headers.get('access-control-expose-headers')).toMatch(/etag/);
    });
  });
});

describe('GET /graphql/schema.graphql follows KBS_INTROSPECTION', () => {
  it('is open to everyone with `everyone`', async () => {
    const open = await startTestApp({ server: { limits: { introspection: 'everyone' } } });
    try {
      const anonymous = await fetch(`${open.url}/graphql/schema.graphql`);
      expect(anonymous.status).toBe(200);
      expect(anonymous.headers.get('cache-control')).toBe('public, no-cache');
      expect(await anonymous.text()).toBe(committedSdl);
    } finally {
      await open.close();
    }
  });

  it('is refused to everyone, a token or not, with `nobody`', async () => {
    const closed = await startTestApp({ server: { limits: { introspection: 'nobody' } } });
    try {
      const refused = await fetch(`${closed.url}/graphql/schema.graphql`, { headers: { authorization: `Bearer ${closed.admin.token}` } });
      expect(refused.status).toBe(403);
      expect(codeOf((await refused.json()) as GraphQLResponse)).toBe('FORBIDDEN');
    } finally {
      await closed.close();
    }
  });
});

describe('the README examples (shown in the IDE)', () => {
  const examples = readmeExamples(readme);

  it('come from every ```graphql block of the README', () => {
    const blocks = graphqlBlocks(readme);
    expect(blocks.length).toBeGreaterThan(10);
    expect(new Set(examples.map((e) => e.line))).toEqual(new Set(blocks.map((b) => b.line)));
  });

  it.each(examples.map((e) => [`${e.name} (README line ${e.line})`, e] as const))('%s fits the schema', (_name, example) => {
    expect(validate(buildSchema(committedSdl), parse(example.text), specifiedRules).map((e) => e.message)).toEqual([]);
  });

  it('has no stray comment ends or malformed headings outside its code blocks', () => {
    // A merge once left half of an HTML comment in the text, which Markdown shows as it is.
    const problems: string[] = [];
    let fence = false;
    let comment = false;
    readme.split('\n').forEach((line, i) => {
      if (/^\s*```/.test(line)) fence = !fence;
      if (fence) return;
      for (const m of line.matchAll(/<!--|-->/g)) {
        if ((m[0] === '<!--') === comment) problems.push(`line ${i + 1}: ${m[0]} ${comment ? 'inside a comment' : 'without <!--'}`);
        comment = m[0] === '<!--';
      }
      if (!comment && /^#{1,6}\s/.test(line) && /"|-->/.test(line.replace(/`[^`]*`/g, ''))) problems.push(`line ${i + 1}: heading "${line}"`);
    });
    if (comment) problems.push('a comment is never closed');
    expect(problems).toEqual([]);
  });
});

describe('the README examples on the sample data', () => {
  const examples = readmeExamples(readme);

  it("run from the IDE's document on the sample data without an error, within the server's limits", async () => {
    const seeded = await startTestApp({ seed: true });
    try {
      const html = await (await fetch(`${seeded.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } })).text();
      const document = (JSON.parse(/<script id="kbs-ide-config" type="application\/json">(.*?)<\/script>/s.exec(html)![1]) as { examples: string }).examples;
      // In the document's order (Login first), as a person would try them, as a user who may do everything.
      const names = [...document.matchAll(/^(?:query|mutation) (\w+)/gm)].map((m) => m[1]);
      expect(names.sort()).toEqual(examples.map((e) => e.name).sort());
      for (const name of [...document.matchAll(/^(?:query|mutation) (\w+)/gm)].map((m) => m[1])) {
        const res = await fetch(`${seeded.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.admin.token}` },
          body: JSON.stringify({ query: document, operationName: name }),
        });
        const body = (await res.json()) as GraphQLResponse;
        expect({ name, status: res.status, errors: body.errors }).toEqual({ name, status: 200, errors: undefined });
      }
    } finally {
      await seeded.close();
    }
  });
});
