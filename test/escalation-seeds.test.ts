import { SAMPLE_PASSWORD } from '../seeds/07_users';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { assignRoles, insertRole, tokenFor } from './helpers/access';
import { insertUser } from './helpers/factories';

/**
 * The sample roles and accounts (seeds/08_access.ts, README) under the rule that nobody gives more
 * than they hold: the sample administrator still manages every role and account, and a role
 * manager limited to Fen İşleri's neighbourhoods gives exactly those, with their real geometry.
 */
let app: TestApp;
let ayse: string;

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  const res = await app.gql(`mutation($p: String!) { login(username: "ayse.demir", password: $p) { accessToken } }`, { p: SAMPLE_PASSWORD }, null);
  ayse = res.data.login.accessToken;
});
afterAll(() => app.close());

const ROLES = `{ roles { id code version grants { resource action ownOrgUnitOnly neighbourhoodIds area fields } } }`;
const CREATE_ROLE = `mutation($input: RoleCreateInput!) { createRole(input: $input) { id } }`;
const UPDATE_ROLE = `mutation($id: ID!, $v: Int!, $input: RoleUpdateInput!) { updateRole(id: $id, version: $v, input: $input) { id } }`;
const SET_ROLES = `mutation($u: ID!, $r: [ID!]!) { setUserRoles(userId: $u, roleIds: $r) { id } }`;

interface RoleRow {
  id: string;
  code: string;
  version: number;
  grants: { resource: string; action: string; ownOrgUnitOnly: boolean; neighbourhoodIds: string[]; area: unknown; fields: string[] }[];
}

const asInput = (grants: RoleRow['grants']) => grants.map((g) => ({ ...g, area: g.area ?? undefined }));

async function ok(query: string, vars: Record<string, unknown>, as: string): Promise<GraphQLResponse> {
  const res = await app.gql(query, vars, as);
  expect(res.errors).toBeUndefined();
  return res;
}

describe('the sample administrator (ayse.demir, role admin)', () => {
  it('copies and changes every sample role, the public one included', async () => {
    // The sample roles: not the test server's own administrator (test/helpers/app.ts).
    const roles: RoleRow[] = (await ok(ROLES, {}, ayse)).data.roles.filter((r: RoleRow) => !r.code.startsWith('kbs-test'));
    expect(roles.map((r) => r.code)).toEqual(expect.arrayContaining(['admin', 'bim-teknik', 'fen-editor', 'birim-personeli', 'public']));
    for (const role of roles) {
      if (role.code !== 'public') await ok(CREATE_ROLE, { input: { code: `${role.code}-kopya`, name: `${role.code} (kopya)`, grants: asInput(role.grants) } }, ayse);
      await ok(UPDATE_ROLE, { id: role.id, v: role.version, input: { name: `${role.code} (yeni)`, grants: asInput(role.grants) } }, ayse);
    }
  });

  it("gives every sample account its roles again, sets passwords, issues tokens; never changes its own roles", async () => {
    const users = (await ok(`{ users(first: 1000) { edges { node { id username kind roles { id } } } } }`, {}, ayse)).data.users.edges
      .map((e: any) => e.node)
      .filter((u: any) => !u.username.startsWith('kbs-test'));
    const me = users.find((u: any) => u.username === 'ayse.demir');
    for (const user of users.filter((u: any) => u.roles.length > 0 && u !== me)) {
      await ok(SET_ROLES, { u: user.id, r: user.roles.map((r: { id: string }) => r.id) }, ayse);
    }
    const mehmet = users.find((u: any) => u.username === 'mehmet.yilmaz');
    await ok(`mutation($id: ID!) { setUserPassword(id: $id, password: "teknik-servis-2026") { id } }`, { id: mehmet.id }, ayse);
    const svc = users.find((u: any) => u.username === 'svc-ebys');
    await ok(`mutation($u: ID!) { createApiToken(userId: $u, name: "EBYS") { secret } }`, { u: svc.id }, ayse);
    const own = await app.gql(SET_ROLES, { u: me.id, r: [] }, ayse);
    expect(codeOf(own)).toBe('FORBIDDEN');
  });
});

describe("a role manager limited to fen-editor's grants", () => {
  it("gives fen-editor's grants (four real neighbourhoods) and fewer, never a neighbourhood more", async () => {
    const k = app.knex;
    const fen = await k('roles').where({ code: 'fen-editor' }).first('id');
    // The manager holds fen-editor, plus managing roles and reading users.
    const manager = await insertUser(k, (await k('org_units').where({ code: 'FEN' }).first('id')).id, 'fen.rol-yoneticisi');
    await assignRoles(k, manager, fen.id, await insertRole(k, [
      { resource: 'ROLES', action: 'READ' },
      { resource: 'ROLES', action: 'CREATE' },
      { resource: 'ROLES', action: 'UPDATE' },
      { resource: 'USERS', action: 'READ' },
    ]));
    const as = tokenFor(manager);
    const role: RoleRow = (await ok(`query($id: ID!) { role(id: $id) { id code version grants { resource action ownOrgUnitOnly neighbourhoodIds area fields } } }`, { id: String(fen.id) }, as)).data.role;
    const areaGrants = role.grants.filter((g) => g.neighbourhoodIds.length > 0);
    expect(areaGrants.length).toBeGreaterThan(0);
    expect(areaGrants[0].neighbourhoodIds).toHaveLength(4);

    await ok(CREATE_ROLE, { input: { code: 'fen-editor-2', name: 'Fen editörü 2', grants: asInput(role.grants) } }, as);
    const fewer = areaGrants.map((g) => ({ ...g, area: undefined, neighbourhoodIds: g.neighbourhoodIds.slice(0, 2) }));
    const created = await ok(CREATE_ROLE, { input: { code: 'fen-editor-dar', name: 'Fen editörü (dar)', grants: fewer } }, as);

    const other = await k('neighbourhoods').whereNotIn('id', areaGrants[0].neighbourhoodIds.map(Number)).first('id');
    const more = areaGrants.map((g) => ({ ...g, area: undefined, neighbourhoodIds: [...g.neighbourhoodIds, String(other.id)] }));
    const refused = await app.gql(CREATE_ROLE, { input: { code: 'fen-editor-genis', name: 'Fen editörü (geniş)', grants: more } }, as);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(refused.errors![0].message).toMatch(/UPDATE on NETWORK_(LINES|NODES) in an area goes beyond/);

    // Given to a member of staff with no role; not to fatma.kaya, who holds more (birim-personeli).
    const staff = await insertUser(k, (await k('org_units').where({ code: 'FEN' }).first('id')).id, 'fen.yeni-editor');
    await ok(SET_ROLES, { u: String(staff), r: [created.data.createRole.id] }, as);
    const fatma = await k('users').where({ username: 'fatma.kaya' }).first('id');
    expect(codeOf(await app.gql(SET_ROLES, { u: String(fatma.id), r: [String(fen.id)] }, as))).toBe('FORBIDDEN');
  });
});
