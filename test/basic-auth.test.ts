import { SAMPLE_PASSWORD } from '../seeds/07_users';
import { authService } from '../src/modules/users';
import { hashPassword } from '../src/common/auth/password';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { insertUserWithGrants } from './helpers/access';
import { tileAt, tilePath, type TileXYZ } from './helpers/tiles';

/**
 * HTTP Basic on /ogc and /tiles (QGIS 3.22 sends nothing else): a member of staff's username and
 * password, or a service account's username and API token, under the login mutation's throttle.
 * The server trusts X-Forwarded-For from loopback, so each test can come from an address of its own.
 */
let app: TestApp;
const CHALLENGE = 'Basic realm="kbs", charset="UTF-8", Bearer realm="kbs"';
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`;
const COLLECTIONS = ['cameras', 'neighbourhoods', 'network-nodes', 'network-lines', 'remote-units', 'parcels', 'assets', 'faults'];
const LIMITS = { loginFailuresPerAccount: 3, loginFailuresPerAddress: 6, loginWindowSeconds: 60, loginLockSeconds: 2 };
let svcToken: string;
let addresses = 0;

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
const bearer = (token: string) => `Bearer ${token}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A client address no other test uses. */
const newAddress = () => `10.1.0.${++addresses}`;

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function get(path: string, authorization: string | undefined, address: string): Promise<Answer> {
  const headers: Record<string, string> = { 'x-forwarded-for': address };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(`${app.url}${path}`, { headers });
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body };
}

async function login(username: string, password: string, address: string): Promise<{ status: number; headers: Headers; body: GraphQLResponse }> {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query: LOGIN, variables: { u: username, p: password } }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse };
}

function expect401(res: Answer, description: RegExp | string) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe(CHALLENGE);
  expect(res.body.code).toBe('UNAUTHENTICATED');
  if (typeof description === 'string') expect(res.body.description).toBe(description);
  else expect(res.body.description).toMatch(description);
}

/** The tile of `layer` at a neighbourhood's inner point. */
async function tileIn(neighbourhood: string, z: number): Promise<TileXYZ> {
  const { rows } = await app.knex.raw('SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM neighbourhoods WHERE name = ?) s', [neighbourhood]);
  return tileAt(rows[0].x, rows[0].y, z);
}

beforeAll(async () => {
  app = await startTestApp({ seed: true, server: { trustProxy: 'loopback', limits: LIMITS } });
  svcToken = (await authService.createApiToken(app.knex, 'svc-ebys', 'QGIS', null)).secret;
  // Seeding the sample data takes a minute or more on a busy embedded database.
}, 240_000);
afterAll(() => app.close());

describe('HTTP Basic on /ogc', () => {
  it('takes a member of staff\'s username and password: the same features as their Bearer token', async () => {
    const address = newAddress();
    const res = await get('/ogc/collections/network-lines/items?limit=5', basic('zeynep.arslan', SAMPLE_PASSWORD), address);
    expect(res.status).toBe(200);
    expect(res.body.numberMatched).toBeGreaterThan(0);
    // The analyst reads no stream URL: the grants are hers, not the public role's nor an administrator's.
    const cameras = await get('/ogc/collections/cameras/items?limit=3', basic('Zeynep.Arslan', SAMPLE_PASSWORD), address);
    expect(cameras.status).toBe(200);
    expect(cameras.body.features.map((f: any) => f.properties.streamUrl)).toEqual([null, null, null]);
    const anonymous = await get('/ogc/collections/network-lines/items?limit=5', undefined, address);
    expect(anonymous.status).toBe(401);
  });

  it('takes a service account\'s username and an API token as the password, with that account\'s grants', async () => {
    const address = newAddress();
    const parcels = await get('/ogc/collections/parcels/items?limit=2', basic('svc-ebys', svcToken), address);
    expect(parcels.status).toBe(200);
    expect(parcels.body.numberMatched).toBeGreaterThan(parcels.body.features.filter((f: any) => f.properties.isPublic).length);
    // The ebys role reads parcels and neighbourhoods only.
    const lines = await get('/ogc/collections/network-lines/items', basic('svc-ebys', svcToken), address);
    expect({ status: lines.status, code: lines.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    const tokens = await app.knex('api_tokens').where({ token_prefix: svcToken.slice(0, 12) }).first('last_used_at');
    expect(tokens.last_used_at).not.toBeNull();
  });

  it('refuses a wrong password with 401, both challenges and the login\'s message', async () => {
    const res = await get('/ogc', basic('zeynep.arslan', 'yanlış-parola'), newAddress());
    expect401(res, 'wrong username or password');
    expect(res.headers.get('retry-after')).toBeNull();
  });

  it('asks for credentials with both challenges where a layer is not public', async () => {
    expect401(await get('/ogc/collections/network-nodes/items', undefined, newAddress()), /log in \(or send an API token\)/);
  });

  it('offers what a web page fetches for itself (Sec-Fetch-Dest other than document) Bearer only: a Basic challenge would stop its tile requests behind a password dialog', async () => {
    for (const path of ['/ogc/collections/network-nodes/items', '/tiles/network-nodes/13/4956/3188.mvt']) {
      for (const dest of ['empty', 'image']) {
        const res = await fetch(`${app.url}${path}`, { headers: { 'sec-fetch-dest': dest, 'x-forwarded-for': newAddress() } });
        expect({ path, dest, status: res.status, challenge: res.headers.get('www-authenticate') }).toEqual({ path, dest, status: 401, challenge: 'Bearer realm="kbs"' });
      }
      const opened = await fetch(`${app.url}${path}`, { headers: { 'sec-fetch-dest': 'document', 'x-forwarded-for': newAddress() } });
      expect(opened.headers.get('www-authenticate')).toBe(CHALLENGE);
    }
  });

  it('refuses an API token given with another account\'s username, and a revoked token at once', async () => {
    const address = newAddress();
    expect401(await get('/ogc', basic('zeynep.arslan', svcToken), address), /belongs to another account/);
    const { token, secret } = await authService.createApiToken(app.knex, 'svc-ebys', 'revoked soon', null);
    expect((await get('/ogc/collections/parcels/items?limit=1', basic('svc-ebys', secret), address)).status).toBe(200);
    await app.knex('api_tokens').where({ id: token.id }).update({ revoked_at: app.knex.fn.now() });
    expect401(await get('/ogc/collections/parcels/items?limit=1', basic('svc-ebys', secret), address), 'this API token was revoked');
  });

  it('refuses a deactivated account, also at once after its password was accepted', async () => {
    const address = newAddress();
    const unit = (await app.knex('org_units').where({ code: 'IMAR' }).first('id')).id;
    await insertUserWithGrants(app.knex, unit, 'gecici.personel', [{ resource: 'PARCELS', action: 'READ' }], { password: 'geçici-parola-1' });
    const auth = basic('gecici.personel', 'geçici-parola-1');
    expect((await get('/ogc/collections/parcels/items?limit=1', auth, address)).status).toBe(200);
    await app.knex('users').where({ username: 'gecici.personel' }).update({ active: false });
    expect401(await get('/ogc/collections/parcels/items?limit=1', auth, address), 'wrong username or password');
    await app.knex('users').where({ username: 'gecici.personel' }).update({ active: true });
    expect((await get('/ogc/collections/parcels/items?limit=1', auth, address)).status).toBe(200);
    // A new password ends the old one at once, though it was accepted a moment ago.
    await app.knex('users').where({ username: 'gecici.personel' }).update({ password_hash: await hashPassword('yeni-parola-2') });
    expect401(await get('/ogc/collections/parcels/items?limit=1', auth, address), 'wrong username or password');
    expect((await get('/ogc/collections/parcels/items?limit=1', basic('gecici.personel', 'yeni-parola-2'), address)).status).toBe(200);
  });

  it('reads usernames and passwords with Turkish letters as UTF-8', async () => {
    const unit = (await app.knex('org_units').where({ code: 'IMAR' }).first('id')).id;
    await insertUserWithGrants(app.knex, unit, 'gülşen.öztürk', [{ resource: 'NETWORK_LINES', action: 'READ' }], { password: 'şifre-İğne-ıı-Çöü' });
    const address = newAddress();
    expect((await get('/ogc/collections/network-lines/items?limit=1', basic('gülşen.öztürk', 'şifre-İğne-ıı-Çöü'), address)).status).toBe(200);
    // The same letters in ISO-8859-9 (Turkish Latin) bytes are not UTF-8: refused, saying so.
    const latin5 = Buffer.from([0x67, 0xfc, 0x6c, 0xfe, 0x65, 0x6e, 0x3a, 0x78]).toString('base64');
    expect401(await get('/ogc', `Basic ${latin5}`, address), /not valid UTF-8/);
  });

  it('answers malformed Basic credentials with 401 and what is wrong, never a 500', async () => {
    const address = newAddress();
    const cases: [string, RegExp][] = [
      ['Basic', /not valid base64/],
      ['Basic !!!!', /not valid base64/],
      ['Basic emV5bmVw', /no colon/],
      [`Basic ${Buffer.from(':parola').toString('base64')}`, /no username/],
      ['Basic emV5bmVwOnBhcm9sYQ', /not valid base64/],
      [`Basic ${Buffer.from('zeynep:par\nola').toString('base64')}`, /control characters/],
      ['Digest username="zeynep"', /must be "Bearer <token>" or "Basic/],
    ];
    for (const [authorization, message] of cases) {
      const res = await get('/ogc/collections', authorization, address);
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
      expect401(res, message);
    }
    expect(app.logged).toEqual([]);
  });

  it('gives an area-limited account exactly what its Bearer token gives, on every collection', async () => {
    const areas = await app.knex('neighbourhoods').whereIn('name', ['Sakarya', 'Kıbrıs']).pluck('id');
    expect(areas).toHaveLength(2);
    const unit = (await app.knex('org_units').where({ code: 'FEN' }).first('id')).id;
    const grants = ['NEIGHBOURHOODS', 'CAMERAS', 'NETWORK_NODES', 'NETWORK_LINES', 'REMOTE_UNITS', 'PARCELS', 'ASSETS', 'FAULTS'].map((resource) => ({
      resource: resource as any,
      action: 'READ' as const,
      neighbourhoodIds: areas,
      fields: resource === 'CAMERAS' ? ['streamUrl'] : [],
    }));
    await insertUserWithGrants(app.knex, unit, 'alan.sinirli', grants, { password: 'alan-parola-1' });
    const address = newAddress();
    const token = (await login('alan.sinirli', 'alan-parola-1', address)).body.data.login.accessToken as string;
    const everything = await get('/ogc/collections/network-lines/items?limit=1', basic('zeynep.arslan', SAMPLE_PASSWORD), address);
    for (const c of COLLECTIONS) {
      const path = `/ogc/collections/${c}/items?limit=10000`;
      const [byBasic, byBearer] = [await get(path, basic('alan.sinirli', 'alan-parola-1'), address), await get(path, bearer(token), address)];
      expect({ c, status: byBasic.status }).toEqual({ c, status: 200 });
      expect(byBasic.body.numberMatched).toBe(byBearer.body.numberMatched);
      expect(byBasic.body.features.map((f: any) => f.id)).toEqual(byBearer.body.features.map((f: any) => f.id));
      expect(byBasic.body.features.map((f: any) => f.properties)).toEqual(byBearer.body.features.map((f: any) => f.properties));
      if (c === 'network-lines') {
        // Limited: fewer lines than the analyst, who reads them all, and some.
        expect(byBasic.body.numberMatched).toBeGreaterThan(0);
        expect(byBasic.body.numberMatched).toBeLessThan(everything.body.numberMatched);
      }
    }
    // The tiles too, byte for byte.
    for (const layer of ['network-lines', 'parcels', 'cameras']) {
      const t = await tileIn('Kıbrıs', 15);
      const [byBasic, byBearer] = [await get(`/tiles/${tilePath(layer, t)}`, basic('alan.sinirli', 'alan-parola-1'), address), await get(`/tiles/${tilePath(layer, t)}`, bearer(token), address)];
      expect(byBasic.status).toBe(200);
      expect(Buffer.compare(byBasic.body, byBearer.body)).toBe(0);
      expect(byBasic.headers.get('etag')).toBe(byBearer.headers.get('etag'));
    }
  });

  it('is refused on /graphql, which takes Bearer tokens only', async () => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic('zeynep.arslan', SAMPLE_PASSWORD), 'x-forwarded-for': newAddress() },
      body: JSON.stringify({ query: '{ me { username } }' }),
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as GraphQLResponse;
    expect(codeOf(body)).toBe('UNAUTHENTICATED');
    expect(body.errors![0].message).toMatch(/Basic with a username and password is taken on \/ogc and \/tiles only/);
  });
});

describe('HTTP Basic on /tiles', () => {
  it('serves tiles and TileJSON to a username and password, and refuses a wrong one with both challenges', async () => {
    const address = newAddress();
    const t = await tileIn('Kıbrıs', 14);
    const tile = await get(`/tiles/${tilePath('network-lines', t)}`, basic('zeynep.arslan', SAMPLE_PASSWORD), address);
    expect(tile.status).toBe(200);
    expect(tile.headers.get('content-type')).toMatch(/mapbox-vector-tile/);
    expect(tile.body.length).toBeGreaterThan(0);
    expect(tile.headers.get('cache-control')).toMatch(/private/);
    const json = await get('/tiles/network-lines.json', basic('zeynep.arslan', SAMPLE_PASSWORD), address);
    expect(json.status).toBe(200);
    expect(json.body.tiles[0]).toMatch(/\/tiles\/network-lines\/\{z\}\/\{x\}\/\{y\}\.mvt$/);
    expect401(await get(`/tiles/${tilePath('network-lines', t)}`, basic('zeynep.arslan', 'yanlış'), address), 'wrong username or password');
    expect401(await get(`/tiles/${tilePath('network-lines', t)}`, undefined, address), /log in/);
  });

  it('checks the password once for a map view\'s 40 tiles at once, and not again for the next ones', async () => {
    const unit = (await app.knex('org_units').where({ code: 'IMAR' }).first('id')).id;
    await insertUserWithGrants(app.knex, unit, 'harita.kullanici', [{ resource: 'PARCELS', action: 'READ' }, { resource: 'NETWORK_LINES', action: 'READ' }], { password: 'harita-parola-1' });
    const address = newAddress();
    const centre = await tileIn('Kıbrıs', 16);
    const tiles = Array.from({ length: 40 }, (_, i) => ({ z: 16, x: centre.x - 4 + (i % 8), y: centre.y - 2 + Math.floor(i / 8) }));
    const auth = basic('harita.kullanici', 'harita-parola-1');
    // Parallel requests that each took a point of the throttle would lock the account (3 points) here.
    const { result, sql } = await app.countStatements(() => Promise.all(tiles.map((t) => get(`/tiles/${tilePath('parcels', t)}`, auth, address))));
    expect(result.map((r) => r.status)).toEqual(tiles.map(() => 200));
    expect(sql.filter((s) => s.includes('password_hash'))).toHaveLength(1);
    const again = await app.countStatements(() => Promise.all(tiles.slice(0, 10).map((t) => get(`/tiles/${tilePath('network-lines', t)}`, auth, address))));
    expect(again.result.map((r) => r.status)).toEqual(tiles.slice(0, 10).map(() => 200));
    expect(again.sql.filter((s) => s.includes('password_hash'))).toHaveLength(0);
  });
});

describe('HTTP Basic under the login throttle', () => {
  it('locks an account after as many failed Basic checks as failed logins, for Basic and the login mutation alike', async () => {
    const unit = (await app.knex('org_units').where({ code: 'IMAR' }).first('id')).id;
    await insertUserWithGrants(app.knex, unit, 'kilit.deneme', [{ resource: 'PARCELS', action: 'READ' }], { password: 'doğru-parola-1' });
    const address = newAddress();
    // Accepted first: the kept check must not let the right password through the lock either.
    expect((await get('/ogc/collections/parcels/items?limit=1', basic('kilit.deneme', 'doğru-parola-1'), address)).status).toBe(200);
    for (let i = 0; i < LIMITS.loginFailuresPerAccount; i++) {
      expect401(await get('/ogc/collections/parcels/items?limit=1', basic('kilit.deneme', `yanlış-${i}`), address), 'wrong username or password');
    }
    for (const [auth, from] of [
      [basic('kilit.deneme', 'doğru-parola-1'), newAddress()],
      [basic('Kilit.Deneme', 'yanlış-9'), newAddress()],
    ]) {
      const locked = await get('/tiles/parcels.json', auth, from);
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('TOO_MANY_REQUESTS');
      expect(locked.body.description).toMatch(/^too many failed logins for this account: try again in \d s$/);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(LIMITS.loginLockSeconds);
    }
    // One throttle: the login mutation is locked for the account too, with the same message.
    const viaLogin = await login('kilit.deneme', 'doğru-parola-1', newAddress());
    expect(viaLogin.status).toBe(429);
    expect(codeOf(viaLogin.body)).toBe('TOO_MANY_REQUESTS');
    expect(viaLogin.body.errors![0].message).toMatch(/^too many failed logins for this account/);
    await sleep(LIMITS.loginLockSeconds * 1000 + 100);
    expect((await get('/ogc/collections/parcels/items?limit=1', basic('kilit.deneme', 'doğru-parola-1'), address)).status).toBe(200);
  });

  it('counts failed logins of the mutation against Basic too', async () => {
    const unit = (await app.knex('org_units').where({ code: 'IMAR' }).first('id')).id;
    await insertUserWithGrants(app.knex, unit, 'kilit.iki', [{ resource: 'PARCELS', action: 'READ' }], { password: 'doğru-parola-2' });
    const address = newAddress();
    for (let i = 0; i < LIMITS.loginFailuresPerAccount; i++) expect(codeOf((await login('kilit.iki', `yanlış-${i}`, address)).body)).toBe('UNAUTHENTICATED');
    const locked = await get('/ogc', basic('kilit.iki', 'doğru-parola-2'), newAddress());
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('TOO_MANY_REQUESTS');
    await sleep(LIMITS.loginLockSeconds * 1000 + 100);
  });

  it('counts parallel guesses: of 20 different passwords at once, only the allowed number are checked', async () => {
    const address = newAddress();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => get('/ogc', basic('paralel.tahmin', `tahmin-${i}`), address)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMITS.loginFailuresPerAccount);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - LIMITS.loginFailuresPerAccount);
  });

  it('locks an address that guesses across accounts, API tokens included', async () => {
    const address = newAddress();
    for (let i = 0; i < LIMITS.loginFailuresPerAddress; i++) {
      expect((await get('/ogc', basic(`yok-${i}`, i % 2 ? 'parola' : `kbs_${'x'.repeat(43)}`), address)).status).toBe(401);
    }
    const refused = await get('/ogc', basic('svc-ebys', svcToken), address);
    expect(refused.status).toBe(429);
    expect(refused.body.description).toMatch(/from this address/);
    expect((await get('/ogc', basic('svc-ebys', svcToken), newAddress())).status).toBe(200);
  });
});
