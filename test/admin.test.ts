import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { assignRoles, insertRole, insertUserWithGrants, type GrantSpec } from './helpers/access';
import { insertOrgUnit, insertUser } from './helpers/factories';

/**
 * Administration of user accounts and API tokens through GraphQL, as the IT directorate does it:
 * every change allowed is audited once, every refusal leaves neither the change nor an audit row.
 */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string | null> = { anonymous: null };

async function user(name: string, orgUnit: number, grants: GrantSpec[], attrs: Parameters<typeof insertUser>[3] = {}): Promise<void> {
  ({ id: id[name], token: token[name] } = await insertUserWithGrants(app.knex, orgUnit, name, grants, attrs));
}

beforeAll(async () => {
  app = await startTestApp();
  id.fen = await insertOrgUnit(app.knex, 'FEN');
  id.zab = await insertOrgUnit(app.knex, 'ZAB');
  // Fen İşleri's own administrator: users of Fen İşleri only, and no grant that reveals e-mails.
  await user('fenAdmin', id.fen, (['READ', 'CREATE', 'UPDATE'] as const).map((action) => ({ resource: 'USERS', action, ownOrgUnitOnly: true })));
  await user('mailReader', id.zab, [{ resource: 'USERS', action: 'READ', fields: ['email'] }]);
  await user('nobody', id.zab, [], { password: 'eski-parola-123' });
  await user('svc', id.zab, [], { kind: 'SERVICE' });
  await user('fenUser', id.fen, []);
  await user('zabUser', id.zab, []);
  await app.knex('users').whereIn('id', [id.fenUser, id.zabUser]).update({ email: app.knex.raw("username || '@nizip.bel.tr'") });
});
afterAll(() => app.close());

const auditCount = async (entity: string): Promise<number> =>
  Number((await app.knex('audit_log').where({ entity }).count({ n: '*' }).first())!.n);

/** Runs a write and asserts it left exactly `n` audit rows on `entity`. */
async function audited(entity: string, n: number, write: () => Promise<GraphQLResponse>): Promise<GraphQLResponse> {
  const before = await auditCount(entity);
  const res = await write();
  expect(await auditCount(entity)).toBe(before + n);
  return res;
}

/** A refused write: the error code, and no audit row. */
async function refused(entity: string, code: string, query: string, vars: Record<string, unknown>, as?: string | null): Promise<GraphQLResponse> {
  const res = await audited(entity, 0, () => app.gql(query, vars, as));
  expect(codeOf(res)).toBe(code);
  return res;
}

const CREATE = `mutation($input: UserCreateInput!) { createUser(input: $input) { id username fullName kind active orgUnit { code } } }`;
const UPDATE = `mutation($id: ID!, $input: UserUpdateInput!) { updateUser(id: $id, input: $input) { id fullName active orgUnit { code } } }`;
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`;

describe('reading users', () => {
  it('lists the users in the scope of the READ grant, filtered and paged; FORBIDDEN without one, UNAUTHENTICATED anonymously', async () => {
    const q = `query($f: UserFilter, $first: Int, $after: String) { users(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { username } } } }`;
    const all = await app.gql(q, { f: { orgUnitId: String(id.fen) } });
    expect(all.data.users.edges.map((e: any) => e.node.username)).toEqual(['fenAdmin', 'fenUser']);
    const page = await app.gql(q, { f: { orgUnitId: String(id.fen) }, first: 1 });
    expect(page.data.users.pageInfo.hasNextPage).toBe(true);
    const next = await app.gql(q, { f: { orgUnitId: String(id.fen) }, first: 1, after: page.data.users.pageInfo.endCursor });
    expect(next.data.users.edges.map((e: any) => e.node.username)).toEqual(['fenUser']);
    expect((await app.gql(q, { f: { search: 'FENUS', kind: 'PERSON', active: true } })).data.users.totalCount).toBe(1);
    expect((await app.gql(q, { f: { kind: 'SERVICE' } })).data.users.edges.map((e: any) => e.node.username)).toEqual(['svc']);

    const own = await app.gql(q, {}, token.fenAdmin);
    expect(own.data.users.edges.map((e: any) => e.node.username)).toEqual(['fenAdmin', 'fenUser']);
    expect(codeOf(await app.gql(q, {}, token.nobody))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(q, {}, null))).toBe('UNAUTHENTICATED');
  });

  it('user(id) is NOT_FOUND outside the scope, as when there is none', async () => {
    const q = `query($id: ID!) { user(id: $id) { username } }`;
    expect((await app.gql(q, { id: String(id.fenUser) }, token.fenAdmin)).data.user.username).toBe('fenUser');
    const outside = await app.gql(q, { id: String(id.zabUser) }, token.fenAdmin);
    expect(codeOf(outside)).toBe('NOT_FOUND');
    expect(outside.errors![0].message).toBe(`user ${id.zabUser} does not exist`);
  });

  it('withholds e-mails without a grant naming the field: null and FORBIDDEN on the field; shows them with one, and on me', async () => {
    const q = `query($id: ID!) { user(id: $id) { username email } }`;
    const hidden = await app.gql(q, { id: String(id.fenUser) }, token.fenAdmin);
    expect(hidden.data.user).toEqual({ username: 'fenUser', email: null });
    expect(codeOf(hidden)).toBe('FORBIDDEN');
    expect(hidden.errors![0].path).toEqual(['user', 'email']);

    const shown = await app.gql(q, { id: String(id.zabUser) }, token.mailReader);
    expect(shown.errors).toBeUndefined();
    expect(shown.data.user.email).toBe('zabUser@nizip.bel.tr');

    await app.knex('users').where({ id: id.fenAdmin }).update({ email: 'fen.admin@nizip.bel.tr' });
    const me = await app.gql(`{ me { email } }`, {}, token.fenAdmin);
    expect(me.errors).toBeUndefined();
    expect(me.data.me.email).toBe('fen.admin@nizip.bel.tr');
  });

  it('lists users with their roles and directorates in a constant number of statements', async () => {
    const unit = await insertOrgUnit(app.knex, 'STAT');
    const roles = [await insertRole(app.knex, [{ resource: 'CAMERAS', action: 'READ' }]), await insertRole(app.knex, [])];
    for (let i = 0; i < 60; i++) await assignRoles(app.knex, await insertUser(app.knex, unit, `stat-${i}`), ...roles);
    const q = `query($f: UserFilter, $first: Int) { users(filter: $f, first: $first) { edges { node { roles { code grants { resource } } orgUnit { code } } } } }`;
    const count = async (first: number) => {
      const { result, statements } = await app.countStatements(() => app.gql(q, { f: { orgUnitId: String(unit) }, first }));
      expect(result.errors).toBeUndefined();
      expect(result.data.users.edges).toHaveLength(first);
      expect(result.data.users.edges[first - 1].node.roles).toHaveLength(2);
      return statements;
    };
    await app.gql('{ __typename }'); // the inserts changed access_version: reload the admin's access first
    const few = await count(5);
    expect(await count(50)).toBe(few);
    // the access version check, the page, the roles of all its users, the org units
    expect(few).toBe(3 + app.accessCheckStatements);
  });
});

describe('createUser', () => {
  it('creates a person with a hashed password, audited once without the hash; the person can log in', async () => {
    const input = { username: 'yeni.personel', fullName: 'Yeni Personel', email: 'yeni@nizip.bel.tr', orgUnitId: String(id.fen), password: 'uzun-bir-parola' };
    const res = await audited('USERS', 1, () => app.gql(CREATE, { input }));
    expect(res.errors).toBeUndefined();
    expect(res.data.createUser).toMatchObject({ username: 'yeni.personel', kind: 'PERSON', active: true, orgUnit: { code: 'FEN' } });
    const stored = await app.knex('users').where({ username: 'yeni.personel' }).first();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    const entry = await app.knex('audit_log').where({ entity: 'USERS', entity_id: String(stored.id) }).first();
    expect(entry.action).toBe('CREATE');
    expect(entry.after).toMatchObject({ username: 'yeni.personel', email: 'yeni@nizip.bel.tr', org_unit_id: id.fen });
    expect(entry.after).not.toHaveProperty('password_hash');
    expect(JSON.stringify(entry)).not.toContain('argon2');
    expect((await app.gql(LOGIN, { u: 'yeni.personel', p: 'uzun-bir-parola' }, null)).errors).toBeUndefined();
  });

  it('creates a service account without a password', async () => {
    const res = await audited('USERS', 1, () => app.gql(CREATE, { input: { username: 'svc-cbs', fullName: 'CBS', orgUnitId: String(id.zab), kind: 'SERVICE' } }));
    expect(res.data.createUser.kind).toBe('SERVICE');
  });

  it('refuses without the grant, anonymously, with bad input or a taken username, leaving no user and no audit row', async () => {
    const ok = { username: 'reddedilen', fullName: 'Reddedilen', orgUnitId: String(id.fen), password: 'uzun-bir-parola' };
    await refused('USERS', 'FORBIDDEN', CREATE, { input: ok }, token.nobody);
    await refused('USERS', 'UNAUTHENTICATED', CREATE, { input: ok }, null);
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ password: 'kısa' }, /^input\.password: a password needs at least 10 characters/],
      [{ password: undefined }, /^input\.password is required for a PERSON/],
      [{ kind: 'SERVICE' }, /^input\.password: a SERVICE account has no password/],
      [{ username: 'boşluk var' }, /^input\.username: "boşluk var" is not a username/],
      [{ fullName: ' ' }, /^input\.fullName must not be empty/],
      [{ email: 'değil' }, /^input\.email: "değil" is not an e-mail address/],
      [{ orgUnitId: '999999' }, /^input\.orgUnitId: org unit 999999 does not exist/],
    ];
    for (const [change, message] of bad) {
      const res = await refused('USERS', 'BAD_USER_INPUT', CREATE, { input: { ...ok, ...change } });
      expect(res.errors![0].message).toMatch(message);
    }
    const taken = await refused('USERS', 'CONFLICT', CREATE, { input: { ...ok, username: 'FENUSER' } });
    expect(taken.errors![0].message).toMatch(/username FENUSER is taken/);
    expect(await app.knex('users').where({ username: 'reddedilen' }).first()).toBeUndefined();
  });

  it("lets a directorate's administrator create users in it only, and set no e-mail without the grant that reveals it", async () => {
    const input = { username: 'fen.yeni', fullName: 'Fen Yeni', orgUnitId: String(id.fen), password: 'uzun-bir-parola' };
    await refused('USERS', 'FORBIDDEN', CREATE, { input: { ...input, orgUnitId: String(id.zab) } }, token.fenAdmin);
    await refused('USERS', 'FORBIDDEN', CREATE, { input: { ...input, email: 'fen.yeni@nizip.bel.tr' } }, token.fenAdmin);
    expect(await app.knex('users').where({ username: 'fen.yeni' }).first()).toBeUndefined();
    const res = await audited('USERS', 1, () => app.gql(CREATE, { input }, token.fenAdmin));
    expect(res.data.createUser.orgUnit.code).toBe('FEN');
  });
});

describe('updateUser', () => {
  it('changes the fields given, audited once with before and after', async () => {
    const res = await audited('USERS', 1, () => app.gql(UPDATE, { id: String(id.zabUser), input: { fullName: 'Zabıta Memuru', email: 'memur@nizip.bel.tr' } }));
    expect(res.data.updateUser.fullName).toBe('Zabıta Memuru');
    const entry = await app.knex('audit_log').where({ entity: 'USERS', entity_id: String(id.zabUser), action: 'UPDATE' }).orderBy('id', 'desc').first();
    expect(entry.before).toMatchObject({ full_name: 'zabUser', email: 'zabUser@nizip.bel.tr' });
    expect(entry.after).toMatchObject({ full_name: 'Zabıta Memuru', email: 'memur@nizip.bel.tr' });
  });

  it("keeps a directorate's administrator inside the directorate, before and after the change", async () => {
    const ok = await audited('USERS', 1, () => app.gql(UPDATE, { id: String(id.fenUser), input: { fullName: 'Fen Kullanıcısı' } }, token.fenAdmin));
    expect(ok.data.updateUser.fullName).toBe('Fen Kullanıcısı');
    await refused('USERS', 'FORBIDDEN', UPDATE, { id: String(id.fenUser), input: { orgUnitId: String(id.zab) } }, token.fenAdmin);
    expect((await app.knex('users').where({ id: id.fenUser }).first()).org_unit_id).toBe(id.fen);
    await refused('USERS', 'NOT_FOUND', UPDATE, { id: String(id.zabUser), input: { fullName: 'x' } }, token.fenAdmin);
  });

  it('refuses without the grant, anonymously, with nothing to change, or deactivating oneself', async () => {
    await refused('USERS', 'FORBIDDEN', UPDATE, { id: String(id.zabUser), input: { active: false } }, token.nobody);
    await refused('USERS', 'UNAUTHENTICATED', UPDATE, { id: String(id.zabUser), input: { active: false } }, null);
    await refused('USERS', 'BAD_USER_INPUT', UPDATE, { id: String(id.zabUser), input: {} });
    await refused('USERS', 'BAD_USER_INPUT', UPDATE, { id: String(id.zabUser), input: { fullName: null } });
    await refused('USERS', 'BAD_USER_INPUT', UPDATE, { id: String(app.admin.userId), input: { active: false } });
    expect((await app.knex('users').where({ id: id.zabUser }).first()).active).toBe(true);
  });
});

describe('passwords', () => {
  const SET = `mutation($id: ID!, $p: String!) { setUserPassword(id: $id, password: $p) { username } }`;
  const CHANGE = `mutation($c: String!, $n: String!) { changeMyPassword(currentPassword: $c, newPassword: $n) }`;

  it("an administrator sets a person's password: audited once, saying so, never with the hash", async () => {
    const res = await audited('USERS', 1, () => app.gql(SET, { id: String(id.fenUser), p: 'yeni-parola-4567' }));
    expect(res.errors).toBeUndefined();
    expect((await app.gql(LOGIN, { u: 'fenUser', p: 'yeni-parola-4567' }, null)).errors).toBeUndefined();
    const entry = await app.knex('audit_log').where({ entity: 'USERS', entity_id: String(id.fenUser) }).orderBy('id', 'desc').first();
    expect(entry.after.passwordChanged).toBe(true);
    expect(entry.before).not.toHaveProperty('password_hash');
    expect(entry.after).not.toHaveProperty('password_hash');
  });

  it('refuses a short password, a service account, a user without the grant and anonymous requests', async () => {
    const before = (await app.knex('users').where({ id: id.fenUser }).first()).password_hash;
    const short = await refused('USERS', 'BAD_USER_INPUT', SET, { id: String(id.fenUser), p: 'kısa' });
    expect(short.errors![0].message).toMatch(/^password: a password needs at least 10 characters/);
    await refused('USERS', 'BAD_USER_INPUT', SET, { id: String(id.svc), p: 'uzun-bir-parola' });
    await refused('USERS', 'FORBIDDEN', SET, { id: String(id.fenUser), p: 'uzun-bir-parola' }, token.nobody);
    await refused('USERS', 'UNAUTHENTICATED', SET, { id: String(id.fenUser), p: 'uzun-bir-parola' }, null);
    expect((await app.knex('users').where({ id: id.fenUser }).first()).password_hash).toBe(before);
  });

  it('anyone changes their own password, given the current one; a wrong one changes nothing', async () => {
    const wrong = await refused('USERS', 'BAD_USER_INPUT', CHANGE, { c: 'yanlış-parola-1', n: 'yepyeni-parola-1' }, token.nobody);
    expect(wrong.errors![0].message).toMatch(/^currentPassword:/);
    await refused('USERS', 'BAD_USER_INPUT', CHANGE, { c: 'eski-parola-123', n: 'kısa' }, token.nobody);
    await refused('USERS', 'UNAUTHENTICATED', CHANGE, { c: 'eski-parola-123', n: 'yepyeni-parola-1' }, null);
    expect((await app.gql(LOGIN, { u: 'nobody', p: 'eski-parola-123' }, null)).errors).toBeUndefined();

    const res = await audited('USERS', 1, () => app.gql(CHANGE, { c: 'eski-parola-123', n: 'yepyeni-parola-1' }, token.nobody));
    expect(res.data.changeMyPassword).toBe(true);
    expect(codeOf(await app.gql(LOGIN, { u: 'nobody', p: 'eski-parola-123' }, null))).toBe('UNAUTHENTICATED');
    expect((await app.gql(LOGIN, { u: 'nobody', p: 'yepyeni-parola-1' }, null)).errors).toBeUndefined();
  });

  it('never writes a password hash into the audit log', async () => {
    const rows = await app.knex('audit_log').where({ entity: 'USERS' }).select('before', 'after');
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) expect(JSON.stringify(row)).not.toMatch(/password_hash|argon2/);
  });
});
