import jwt from 'jsonwebtoken';
import { authService } from '../src/modules/users';
import { codeOf, startTestApp, TEST_AUTH, type TestApp } from './helpers/app';
import { insertOrgUnit, insertUser } from './helpers/factories';

let app: TestApp;
const id: Record<string, number> = {};
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken tokenType expiresAt user { username kind orgUnit { code } } } }`;
const ME = `{ me { id username fullName kind orgUnit { code } } }`;

beforeAll(async () => {
  app = await startTestApp();
  id.bim = await insertOrgUnit(app.knex, 'BIM', 'Bilgi İşlem Müdürlüğü');
  id.yazi = await insertOrgUnit(app.knex, 'YAZI', 'Yazı İşleri Müdürlüğü');
  id.ayse = await insertUser(app.knex, id.bim, 'ayse.demir', { password: 'doğru-parola-1', fullName: 'Ayşe Demir' });
  id.gone = await insertUser(app.knex, id.bim, 'eski.personel', { password: 'doğru-parola-1', active: false });
  id.svc = await insertUser(app.knex, id.yazi, 'svc-ebys', { kind: 'SERVICE' });
});
afterAll(() => app.close());

describe('logging in', () => {
  it('gives a signed, expiring access token that identifies the user on later requests', async () => {
    const res = await app.gql(LOGIN, { u: 'Ayse.Demir', p: 'doğru-parola-1' });
    expect(res.errors).toBeUndefined();
    const { accessToken, tokenType, expiresAt, user } = res.data.login;
    expect(tokenType).toBe('Bearer');
    expect(user).toEqual({ username: 'ayse.demir', kind: 'PERSON', orgUnit: { code: 'BIM' } });
    const ttl = (new Date(expiresAt).getTime() - Date.now()) / 1000;
    expect(ttl).toBeGreaterThan(TEST_AUTH.accessTokenTtlSeconds - 30);
    expect(ttl).toBeLessThanOrEqual(TEST_AUTH.accessTokenTtlSeconds);

    const me = await app.gql(ME, {}, accessToken);
    expect(me.data.me).toEqual({ id: String(id.ayse), username: 'ayse.demir', fullName: 'Ayşe Demir', kind: 'PERSON', orgUnit: { code: 'BIM' } });
  });

  it('refuses a wrong password, an unknown user, a deactivated user and a service account alike', async () => {
    for (const [u, p] of [
      ['ayse.demir', 'yanlış'],
      ['kimse', 'doğru-parola-1'],
      ['eski.personel', 'doğru-parola-1'],
      ['svc-ebys', ''],
    ]) {
      const res = await app.gql(LOGIN, { u, p });
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
      expect(res.errors![0].message).toBe('wrong username or password');
      expect(res.data).toBeNull();
    }
  });

  it('stores passwords as argon2id hashes', async () => {
    const { password_hash } = await app.knex('users').where({ id: id.ayse }).first('password_hash');
    expect(password_hash).toMatch(/^\$argon2id\$/);
    expect(password_hash).not.toContain('doğru-parola-1');
  });
});

describe('requests with a token', () => {
  it('without one are anonymous', async () => {
    const res = await app.gql(ME, {}, null);
    expect(res.errors).toBeUndefined();
    expect(res.data.me).toBeNull();
  });

  it('with a wrong, expired, forged or malformed one get UNAUTHENTICATED (401), never the anonymous view', async () => {
    const expired = jwt.sign({ typ: 'access' }, TEST_AUTH.jwtSecret, { algorithm: 'HS256', issuer: 'kbs-graphql', subject: String(id.ayse), expiresIn: -10 });
    const forged = jwt.sign({ typ: 'access' }, 'another-secret-another-secret-0123456', { algorithm: 'HS256', issuer: 'kbs-graphql', subject: String(id.ayse) });
    const cases: [string, RegExp][] = [
      ['Bearer not-a-token', /invalid access token/],
      [`Bearer ${expired}`, /has expired: log in again/],
      [`Bearer ${forged}`, /invalid access token/],
      ['Basic YWxpOnBhcm9sYQ==', /must be "Bearer <token>"/],
      ['Bearer kbs_unknown', /unknown API token/],
    ];
    for (const [authorization, message] of cases) {
      const res = await app.post(ME, {}, authorization);
      expect(res.status).toBe(401);
      const body = (await res.json()) as any;
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0].message).toMatch(message);
      expect(body.data ?? null).toBeNull();
    }
  });

  it("of a user deactivated since logging in get UNAUTHENTICATED", async () => {
    const login = await app.gql(LOGIN, { u: 'ayse.demir', p: 'doğru-parola-1' });
    await app.knex('users').where({ id: id.ayse }).update({ active: false });
    try {
      const res = await app.post(ME, {}, `Bearer ${login.data.login.accessToken}`);
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).errors[0].message).toMatch(/deactivated/);
    } finally {
      await app.knex('users').where({ id: id.ayse }).update({ active: true });
    }
  });
});

describe('API tokens of service accounts', () => {
  it('are shown once, stored hashed, identify the account, and stop working when revoked or expired', async () => {
    const { token, secret } = await authService.createApiToken(app.knex, 'svc-ebys', 'EBYS entegrasyonu', null);
    expect(secret).toMatch(/^kbs_[A-Za-z0-9_-]{43}$/);
    expect(token.tokenPrefix).toBe(secret.slice(0, 12));
    const stored = await app.knex('api_tokens').where({ id: token.id }).first();
    expect(JSON.stringify(stored)).not.toContain(secret);

    const me = await app.gql(ME, {}, secret);
    expect(me.data.me).toMatchObject({ username: 'svc-ebys', kind: 'SERVICE', orgUnit: { code: 'YAZI' } });
    expect((await app.knex('api_tokens').where({ id: token.id }).first()).last_used_at).not.toBeNull();

    await app.knex('api_tokens').where({ id: token.id }).update({ revoked_at: app.knex.fn.now() });
    const revoked = await app.post(ME, {}, `Bearer ${secret}`);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as any).errors[0].message).toMatch(/revoked/);

    const short = await authService.createApiToken(app.knex, 'svc-ebys', 'kısa', new Date(Date.now() + 60_000));
    await app.knex('api_tokens').where({ id: short.token.id }).update({ expires_at: app.knex.raw("now() - interval '1 second'") });
    const expired = await app.post(ME, {}, `Bearer ${short.secret}`);
    expect(((await expired.json()) as any).errors[0].message).toMatch(/expired/);
  });

  it('are only for service accounts, with a name', async () => {
    await expect(authService.createApiToken(app.knex, 'ayse.demir', 'x', null)).rejects.toThrow(/not a service account/);
    await expect(authService.createApiToken(app.knex, 'svc-ebys', ' ', null)).rejects.toThrow(/needs a name/);
    await expect(authService.createApiToken(app.knex, 'nobody', 'x', null)).rejects.toThrow(/no user named nobody/);
  });
});

describe('access between requests', () => {
  it('is reused while nothing it comes from changes, and reloaded at once when something does', async () => {
    const [login] = [await app.gql(LOGIN, { u: 'ayse.demir', p: 'doğru-parola-1' })];
    const token = login.data.login.accessToken as string;
    await app.gql(ME, {}, token);
    const warm = await app.countStatements(() => app.gql(ME, {}, token));
    // the me lookup and its org unit (and the access_version read where notifications cannot arrive): the grants query is not run again
    expect(warm.statements).toBe(2 + app.accessCheckStatements);
    expect(warm.sql.some((q) => /role_grants/.test(q))).toBe(false);
    await app.knex('users').where({ id: id.ayse }).update({ active: false });
    try {
      const res = await app.post(ME, {}, `Bearer ${token}`);
      expect(res.status).toBe(401);
    } finally {
      await app.knex('users').where({ id: id.ayse }).update({ active: true });
    }
    expect((await app.gql(ME, {}, token)).data.me.username).toBe('ayse.demir');
  });
});
