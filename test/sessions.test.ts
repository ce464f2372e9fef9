import { createHmac } from 'node:crypto';
import { createKnex } from '../src/db/knex';
import { GeoService } from '../src/geo/geo.service';
import { silentLogger } from '../src/logger';
import { createServer, type KbsServer } from '../src/server';
import { codeOf, startTestApp, TEST_AUTH, type TestApp } from './helpers/app';
import { insertUserWithGrants, tokenFor } from './helpers/access';
import { insertOrgUnit, insertUser } from './helpers/factories';

/**
 * Access tokens: every claim the server relies on is checked for type and range (a signed token
 * with a subject that is no account id is UNAUTHENTICATED, never a 500), and a session ends at once
 * when its account's password changes, in every server process.
 */
let app: TestApp;
const id: Record<string, number> = {};
const PASSWORD = 'ilk-parola-12345';
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`;
const CHANGE = `mutation($c: String!, $n: String!) { changeMyPassword(currentPassword: $c, newPassword: $n) }`;
const SET = `mutation($id: ID!, $p: String!) { setUserPassword(id: $id, password: $p) { username } }`;
const ME = `{ me { username } }`;

beforeAll(async () => {
  app = await startTestApp();
  id.bim = await insertOrgUnit(app.knex, 'BIM');
  // Reads cameras: the HTTP routes answer them, so a refused token is told from an empty answer.
  ({ id: id.ayse } = await insertUserWithGrants(app.knex, id.bim, 'ayse', [{ resource: 'CAMERAS', action: 'READ' }], { password: PASSWORD }));
});
afterAll(() => app.close());

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** An HS256 JWT with exactly this payload (any JSON, claims of any type), signed with the server's key. */
function signRaw(payload: unknown): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const signature = createHmac('sha256', TEST_AUTH.jwtSecret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

/** The answers of GraphQL, OGC API Features and the tiles to a request with this token. */
async function answers(token: string, url = app.url): Promise<{ route: string; status: number; code: unknown; message: string }[]> {
  const headers = { authorization: `Bearer ${token}` };
  const graphql = await fetch(`${url}/graphql`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ query: ME }) });
  const g = (await graphql.json()) as any;
  const out = [{ route: 'graphql', status: graphql.status, code: g.errors?.[0]?.extensions?.code ?? null, message: g.errors?.[0]?.message ?? '' }];
  for (const path of ['/ogc/collections/cameras/items', '/tiles/cameras.json']) {
    const res = await fetch(`${url}${path}`, { headers });
    const body = (await res.json()) as any;
    const refused = res.status >= 400;
    out.push({ route: path, status: res.status, code: refused ? body.code : null, message: refused ? body.description : '' });
  }
  return out;
}

const refusedEverywhere = (message: RegExp) =>
  ['graphql', '/ogc/collections/cameras/items', '/tiles/cameras.json'].map((route) => ({ route, status: 401, code: 'UNAUTHENTICATED', message: expect.stringMatching(message) }));

const acceptedEverywhere = () =>
  ['graphql', '/ogc/collections/cameras/items', '/tiles/cameras.json'].map((route) => ({ route, status: 200, code: null, message: '' }));

describe('access token claims', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const valid = () => ({ typ: 'access', gen: 0, sub: String(id.ayse), iss: 'kbs-graphql', iat: now(), exp: now() + 600 });

  it('a well-formed token of the server is accepted on every route', async () => {
    expect(await answers(signRaw(valid()))).toEqual(acceptedEverywhere());
  });

  // Each claim the server relies on, given a wrong type or an impossible value, or left out.
  const WRONG: Record<string, unknown[]> = {
    sub: ['abc', '0', '-1', '1.5', '1e3', ' 1', '01', '0x10', '2147483648', '99999999999', 1, null, true, ['1'], {}],
    typ: ['refresh', 1, null],
    gen: ['0', -1, 1.5, 2147483648, null, true, [0]],
    exp: ['9999999999', null],
  };
  const cases: [string, unknown][] = [
    ...Object.entries(WRONG).flatMap(([claim, values]) => values.map((v): [string, unknown] => [`${claim}: ${JSON.stringify(v)}`, { ...valid(), [claim]: v }])),
    ...['sub', 'typ', 'gen', 'exp'].map((claim): [string, unknown] => [`no ${claim}`, Object.fromEntries(Object.entries(valid()).filter(([k]) => k !== claim))]),
    ['a string payload', 'hello'],
    ['an array payload', [valid()]],
    ['a number payload', 42],
  ];

  it.each(cases)('a signed token with %s is UNAUTHENTICATED (401) on GraphQL, OGC API and tiles, never a 500', async (_what, payload) => {
    const logged = app.logged.length;
    expect(await answers(signRaw(payload))).toEqual(refusedEverywhere(/./));
    expect(app.logged.slice(logged)).toEqual([]);
  });

  it('a token of an account that does not exist is UNAUTHENTICATED', async () => {
    expect(await answers(signRaw({ ...valid(), sub: '2147483647' }))).toEqual(refusedEverywhere(/./));
  });
});

describe('sessions end when the password changes', () => {
  const login = async (password: string): Promise<string> => {
    const res = await app.gql(LOGIN, { u: 'ayse', p: password }, null);
    expect(res.errors).toBeUndefined();
    return res.data.login.accessToken;
  };

  it('changeMyPassword ends every session of the account at once, the one that changed it included', async () => {
    const [laptop, phone] = [await login(PASSWORD), await login(PASSWORD)];
    expect(await answers(phone)).toEqual(acceptedEverywhere());
    const res = await app.gql(CHANGE, { c: PASSWORD, n: 'ikinci-parola-123' }, laptop);
    expect(res.data.changeMyPassword).toBe(true);
    for (const token of [laptop, phone]) expect(await answers(token)).toEqual(refusedEverywhere(/session has ended: the password was changed/));
    // The new password gives a session that works.
    expect(await answers(await login('ikinci-parola-123'))).toEqual(acceptedEverywhere());
  });

  it("setUserPassword ends the account's sessions at once", async () => {
    const session = await login('ikinci-parola-123');
    expect((await app.gql(ME, {}, session)).data.me.username).toBe('ayse');
    expect((await app.gql(SET, { id: String(id.ayse), p: 'ucuncu-parola-123' })).errors).toBeUndefined();
    expect(await answers(session)).toEqual(refusedEverywhere(/session has ended/));
    expect(await answers(await login('ucuncu-parola-123'))).toEqual(acceptedEverywhere());
  });

  it('a password changed outside the API (a script, psql) ends the sessions too', async () => {
    const session = await login('ucuncu-parola-123');
    const { password_hash } = await app.knex('users').where({ id: id.ayse }).first('password_hash');
    await app.knex('users').where({ id: id.ayse }).update({ full_name: 'Ayşe' });
    expect((await app.gql(ME, {}, session)).data.me.username).toBe('ayse');
    // Only a change of the hash ends them: the same hash written again does not.
    await app.knex('users').where({ id: id.ayse }).update({ password_hash });
    expect((await app.gql(ME, {}, session)).data.me.username).toBe('ayse');
    await app.knex('users').where({ id: id.ayse }).update({ password_hash: password_hash.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A')) });
    expect(await answers(session)).toEqual(refusedEverywhere(/session has ended/));
    await app.knex('users').where({ id: id.ayse }).update({ password_hash });
  });

  it('ends in every server process at once, with the one-statement access check kept', async () => {
    // A second server over the same database: another process, with its own access cache.
    const knex = createKnex(process.env.TEST_DATABASE_URL!, { searchPath: [app.schema, 'public'], poolMax: 1 });
    let other: KbsServer | undefined;
    try {
      other = await createServer({ db: knex, geo: new GeoService(), auth: TEST_AUTH }, silentLogger);
      const url = `http://127.0.0.1:${await other.listen(0, '127.0.0.1')}`;
      const session = await login('ucuncu-parola-123');
      expect(await answers(session, url)).toEqual(acceptedEverywhere());
      expect(await answers(session)).toEqual(acceptedEverywhere());
      // Warm: the access check of a request costs no statement (notifications), or one read of access_version (embedded).
      const warm = await app.countStatements(() => app.gql('{ __typename }', {}, session));
      expect(warm.statements).toBe(app.accessCheckStatements);

      expect((await app.gql(SET, { id: String(id.ayse), p: 'dorduncu-parola-1' })).errors).toBeUndefined();
      // This process knows at once; the other hears it from the database's notification, a moment later.
      expect(await answers(session)).toEqual(refusedEverywhere(/session has ended/));
      let elsewhere = await answers(session, url);
      for (let i = 0; i < 40 && elsewhere.some((a) => a.status !== 401); i++) {
        await new Promise((r) => setTimeout(r, 50));
        elsewhere = await answers(session, url);
      }
      expect(elsewhere).toEqual(refusedEverywhere(/session has ended/));
    } finally {
      await other?.stop();
      await knex.destroy();
    }
  });

  it('a token of another session generation, older or newer, is refused', async () => {
    const { session_generation: generation } = await app.knex('users').where({ id: id.ayse }).first('session_generation');
    expect(generation).toBeGreaterThanOrEqual(4);
    expect(await answers(tokenFor(id.ayse, 600, generation))).toEqual(acceptedEverywhere());
    for (const gen of [0, generation - 1, generation + 1]) expect(await answers(tokenFor(id.ayse, 600, gen))).toEqual(refusedEverywhere(/session has ended/));
  });

  it('the other accounts keep their sessions', async () => {
    const other = await insertUser(app.knex, id.bim, 'baska', { password: PASSWORD });
    const session = (await app.gql(LOGIN, { u: 'baska', p: PASSWORD }, null)).data.login.accessToken;
    expect((await app.gql(SET, { id: String(id.ayse), p: 'besinci-parola-1' })).errors).toBeUndefined();
    expect((await app.gql(ME, {}, session)).data.me.username).toBe('baska');
    expect(codeOf(await app.gql(ME, {}, tokenFor(other, 600, 1)))).toBe('UNAUTHENTICATED');
  });
});
