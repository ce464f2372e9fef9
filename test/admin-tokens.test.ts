import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { assignRoles, insertRole, tokenFor, type GrantSpec } from './helpers/access';
import { insertOrgUnit, insertUser } from './helpers/factories';

/** API tokens of service accounts, issued and revoked through GraphQL; audited without their hash. */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp();
  id.yazi = await insertOrgUnit(app.knex, 'YAZI');
  id.fen = await insertOrgUnit(app.knex, 'FEN');
  id.svc = await insertUser(app.knex, id.yazi, 'svc-ebys', { kind: 'SERVICE' });
  id.fenSvc = await insertUser(app.knex, id.fen, 'svc-fen', { kind: 'SERVICE' });
  id.person = await insertUser(app.knex, id.yazi, 'ayse.demir', { password: 'uzun-bir-parola' });
  id.nobody = await insertUser(app.knex, id.yazi, 'nobody');
  token.nobody = tokenFor(id.nobody);
  // Fen İşleri's administrator: users and tokens of Fen İşleri only.
  id.fenAdmin = await insertUser(app.knex, id.fen, 'fen.admin');
  const grants: GrantSpec[] = [
    { resource: 'USERS', action: 'READ' },
    ...(['READ', 'CREATE', 'DELETE'] as const).map((action) => ({ resource: 'API_TOKENS' as const, action, ownOrgUnitOnly: true })),
  ];
  await assignRoles(app.knex, id.fenAdmin, await insertRole(app.knex, grants));
  token.fenAdmin = tokenFor(id.fenAdmin);
});
afterAll(() => app.close());

const CREATE = `mutation($u: ID!, $n: String!, $e: DateTimeISO) { createApiToken(userId: $u, name: $n, expiresAt: $e) { secret token { id name tokenPrefix createdAt expiresAt revokedAt user { username } } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }`;
const ME = `{ me { username } }`;
const audits = async () => Number((await app.knex('audit_log').where({ entity: 'API_TOKENS' }).count({ n: '*' }).first())!.n);

describe('createApiToken', () => {
  it('issues a token whose secret is shown once and works at once; audited once without hash or secret', async () => {
    const before = await audits();
    const res = await app.gql(CREATE, { u: String(id.svc), n: 'EBYS entegrasyonu' });
    expect(res.errors).toBeUndefined();
    const { secret, token: t } = res.data.createApiToken;
    expect(secret).toMatch(/^kbs_[A-Za-z0-9_-]{43}$/);
    expect(t).toMatchObject({ name: 'EBYS entegrasyonu', tokenPrefix: secret.slice(0, 12), expiresAt: null, revokedAt: null, user: { username: 'svc-ebys' } });
    expect(await audits()).toBe(before + 1);
    const entry = await app.knex('audit_log').where({ entity: 'API_TOKENS', entity_id: t.id }).first();
    expect(entry.action).toBe('CREATE');
    expect(entry.after).toMatchObject({ id: Number(t.id), user_id: id.svc, name: 'EBYS entegrasyonu' });
    const stored = await app.knex('api_tokens').where({ id: t.id }).first();
    expect(JSON.stringify(entry)).not.toContain(stored.token_hash);
    expect(JSON.stringify(entry)).not.toContain(secret);

    expect((await app.gql(ME, {}, secret)).data.me.username).toBe('svc-ebys');
    const listed = await app.gql(`query($u: ID!) { apiTokens(userId: $u) { id } user(id: $u) { apiTokens { id } } }`, { u: String(id.svc) });
    expect(listed.data.apiTokens).toEqual([{ id: t.id }]);
    expect(listed.data.user.apiTokens).toEqual([{ id: t.id }]);
  });

  it('refuses a person, a past expiry, an empty name, a user without the grant and anonymous requests; nothing is written', async () => {
    const before = await audits();
    const tokens = Number((await app.knex('api_tokens').count({ n: '*' }).first())!.n);
    const cases: [Record<string, unknown>, string | null | undefined, string, RegExp?][] = [
      [{ u: String(id.person), n: 'x' }, undefined, 'BAD_USER_INPUT', /^userId: ayse.demir is not a service account/],
      [{ u: String(id.svc), n: 'x', e: new Date(Date.now() - 60_000).toISOString() }, undefined, 'BAD_USER_INPUT', /^expiresAt must be in the future/],
      [{ u: String(id.svc), n: ' ' }, undefined, 'BAD_USER_INPUT', /^name:/],
      [{ u: '999999', n: 'x' }, undefined, 'NOT_FOUND'],
      [{ u: String(id.svc), n: 'x' }, token.nobody, 'FORBIDDEN'],
      [{ u: String(id.svc), n: 'x' }, null, 'UNAUTHENTICATED'],
      // Fen İşleri's administrator: not for another directorate's account.
      [{ u: String(id.svc), n: 'x' }, token.fenAdmin, 'FORBIDDEN'],
    ];
    for (const [vars, as, code, message] of cases) {
      const res = await app.gql(CREATE, vars, as);
      expect(codeOf(res)).toBe(code);
      if (message) expect(res.errors![0].message).toMatch(message);
    }
    expect(await audits()).toBe(before);
    expect(Number((await app.knex('api_tokens').count({ n: '*' }).first())!.n)).toBe(tokens);
    expect((await app.gql(CREATE, { u: String(id.fenSvc), n: 'CBS' }, token.fenAdmin)).errors).toBeUndefined();
  });

  it("shows tokens only to who may read them: an empty list on the user, FORBIDDEN on the list", async () => {
    const q = `query($u: ID!) { user(id: $u) { apiTokens { id } } }`;
    expect((await app.gql(q, { u: String(id.svc) }, token.fenAdmin)).data.user.apiTokens).toEqual([]);
    expect((await app.gql(q, { u: String(id.fenSvc) }, token.fenAdmin)).data.user.apiTokens).toHaveLength(1);
    expect(codeOf(await app.gql(`{ apiTokens { id } }`, {}, token.nobody))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(`{ apiTokens { id } }`, {}, null))).toBe('UNAUTHENTICATED');
  });
});

describe('revokeApiToken', () => {
  it('stops the token at once; audited once; revoking again changes nothing', async () => {
    const { secret, token: t } = (await app.gql(CREATE, { u: String(id.svc), n: 'kısa ömürlü' })).data.createApiToken;
    expect(codeOf(await app.gql(REVOKE, { id: t.id }, token.nobody))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(REVOKE, { id: t.id }, token.fenAdmin))).toBe('NOT_FOUND');
    expect(codeOf(await app.gql(REVOKE, { id: t.id }, null))).toBe('UNAUTHENTICATED');
    expect(codeOf(await app.gql(REVOKE, { id: '999999' }))).toBe('NOT_FOUND');
    expect((await app.gql(ME, {}, secret)).data.me.username).toBe('svc-ebys');

    const before = await audits();
    const res = await app.gql(REVOKE, { id: t.id });
    expect(res.errors).toBeUndefined();
    expect(res.data.revokeApiToken.revokedAt).not.toBeNull();
    expect(await audits()).toBe(before + 1);
    const refused = await app.post(ME, {}, `Bearer ${secret}`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as any).errors[0].message).toMatch(/revoked/);

    const again = await app.gql(REVOKE, { id: t.id });
    expect(again.data.revokeApiToken.revokedAt).toBe(res.data.revokeApiToken.revokedAt);
    expect(await audits()).toBe(before + 1);

    // Fen İşleri's administrator revokes the tokens of Fen İşleri's accounts.
    const fen = (await app.gql(CREATE, { u: String(id.fenSvc), n: 'fen' }, token.fenAdmin)).data.createApiToken.token;
    expect((await app.gql(REVOKE, { id: fen.id }, token.fenAdmin)).data.revokeApiToken.revokedAt).not.toBeNull();
    expect(await audits()).toBe(before + 3);
  });
});
