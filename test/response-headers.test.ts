import http from 'node:http';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import helmet from 'helmet';
import express from 'express';
import { HELMET_OPTIONS } from '../src/http/security-headers';
import { CORS_OPTIONS } from '../src/server';
import { startTestApp, type TestApp } from './helpers/app';

/**
 * CORS as the `cors` package answers it with the server's options (CORS_OPTIONS): the API sets the
 * headers of an ordinary request in one step when every origin is allowed, and must say exactly
 * what cors says, on every kind of route, for a list of origins as for `*`. The reference is cors
 * itself on a bare Express server.
 */
const CORS_HEADERS = ['access-control-allow-origin', 'access-control-expose-headers', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age', 'access-control-allow-credentials'];
const ALLOWED = 'https://harita.nizip.bel.tr';

async function reference(origin: '*' | string[]): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use(cors({ origin, ...CORS_OPTIONS }));
  app.use((_req, res) => res.json({}));
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** The CORS headers and Vary of a response (Vary reduced to whether it names Origin). */
async function corsOf(url: string, init: RequestInit): Promise<Record<string, string | null | boolean>> {
  const res = await fetch(url, init);
  await res.arrayBuffer();
  const out: Record<string, string | null | boolean> = Object.fromEntries(CORS_HEADERS.map((h) => [h, res.headers.get(h)]));
  out.varyOrigin = /(^|,\s*)origin(\s*,|$)/i.test(res.headers.get('vary') ?? '');
  return out;
}

const REQUESTS: [string, string, RequestInit][] = [
  ['a GraphQL POST', '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }],
  ['a GraphQL GET', '/graphql?query=%7B__typename%7D', { headers: { 'apollo-require-preflight': 'true' } }],
  ['an OGC API page', '/ogc/collections', {}],
  ['a preflight', '/graphql', { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } }],
];

describe.each([
  ['every origin', '*' as const],
  ['a list of origins', [ALLOWED]],
])('CORS open to %s', (_name, origins) => {
  let app: TestApp;
  let ref: Awaited<ReturnType<typeof reference>>;
  beforeAll(async () => {
    app = await startTestApp({ server: { corsOrigins: origins } });
    ref = await reference(origins);
  });
  afterAll(async () => {
    await ref?.close();
    await app?.close();
  });

  it.each(REQUESTS.flatMap(([what, path, init]) => [ALLOWED, 'https://example.org', null].map((origin) => [what, origin, path, init] as const)))(
    '%s from %s: the headers cors gives',
    async (_what, origin, path, init) => {
      const withOrigin = { ...init, headers: { ...(init.headers as Record<string, string>), ...(origin ? { origin } : {}) } };
      expect(await corsOf(`${app.url}${path}`, withOrigin)).toEqual(await corsOf(`${ref.url}${path}`, withOrigin));
    },
  );
});

/**
 * The security headers are helmet's, taken once: every response carries exactly the headers helmet
 * sets with the server's options, whatever the route. The reference is helmet itself.
 */
describe('security headers', () => {
  let app: TestApp;
  let ref: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    app = await startTestApp();
    const bare = express();
    bare.disable('x-powered-by');
    bare.use(helmet(HELMET_OPTIONS));
    bare.use((_req, res) => res.json({}));
    const server = http.createServer(bare);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    ref = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
  });
  afterAll(async () => {
    await ref?.close();
    await app?.close();
  });

  it.each([...REQUESTS.map(([what, path, init]) => [what, path, init] as const), ['the map page', '/map', {}] as const, ['a missing route', '/nowhere', {}] as const])(
    '%s: the headers helmet sets',
    async (_what, path, init) => {
      const helmetNames = [...(await fetch(`${ref.url}${path}`, init)).headers.keys()].filter((h) => !/^(content-|date$|connection$|keep-alive$|etag$|access-control-)/.test(h));
      expect(helmetNames.length).toBeGreaterThan(8);
      const [ours, theirs] = await Promise.all([fetch(`${app.url}${path}`, init), fetch(`${ref.url}${path}`, init)]);
      expect(Object.fromEntries(helmetNames.map((h) => [h, ours.headers.get(h)]))).toEqual(Object.fromEntries(helmetNames.map((h) => [h, theirs.headers.get(h)])));
      expect(ours.headers.get('x-powered-by')).toBeNull();
    },
  );
});
