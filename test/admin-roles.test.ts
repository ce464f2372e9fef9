import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { publicRoleId, tokenFor } from './helpers/access';
import { insertNeighbourhood, insertOrgUnit, insertUser } from './helpers/factories';

/** Roles, their grants and who holds them, administered through GraphQL; every change audited once. */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp();
  id.bim = await insertOrgUnit(app.knex, 'BIM');
  id.n1 = await insertNeighbourhood(app.knex, [37.7, 37.0, 37.72, 37.02], { name: 'Fevzi Çakmak' });
  id.holder = await insertUser(app.knex, id.bim, 'holder');
  id.nobody = await insertUser(app.knex, id.bim, 'nobody');
  token.holder = tokenFor(id.holder);
  token.nobody = tokenFor(id.nobody);
  id.public = await publicRoleId(app.knex);
});
afterAll(() => app.close());

const ROLE_FIELDS = `id code name description version userCount grants { resource action ownOrgUnitOnly neighbourhoodIds neighbourhoods { id name } area fields }`;
const CREATE = `mutation($input: RoleCreateInput!) { createRole(input: $input) { ${ROLE_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: RoleUpdateInput!) { updateRole(id: $id, version: $v, input: $input) { ${ROLE_FIELDS} } }`;
const DELETE = `mutation($id: ID!, $v: Int!) { deleteRole(id: $id, version: $v) }`;
const SET_ROLES = `mutation($u: ID!, $r: [ID!]!) { setUserRoles(userId: $u, roleIds: $r) { username roles { code } } }`;
const CAMERAS = `{ cameras { totalCount } }`;
// A square in web Mercator (EPSG:3857) around Nizip: areas may be given in any SRID.
const MERCATOR_SQUARE = { type: 'Polygon', coordinates: [[[4195000, 4439000], [4197000, 4439000], [4197000, 4441000], [4195000, 4441000], [4195000, 4439000]]] };

const count = async (table: string, where: Record<string, unknown> = {}) => Number((await app.knex(table).where(where).count({ n: '*' }).first())!.n);
const audits = (entity: string) => count('audit_log', { entity });

/** Runs a write and asserts the audit rows on `entity` it left, and the roles that exist after it. */
async function write(entity: string, n: number, run: () => Promise<GraphQLResponse>): Promise<GraphQLResponse> {
  const [auditBefore, rolesBefore] = [await audits(entity), await count('roles')];
  const res = await run();
  expect(await audits(entity)).toBe(auditBefore + n);
  if (n === 0) expect(await count('roles')).toBe(rolesBefore);
  return res;
}

describe('createRole', () => {
  it('creates a role with limited grants, in any SRID; audited once with its grants', async () => {
    const grants = [
      { resource: 'CAMERAS', action: 'READ', neighbourhoodIds: [String(id.n1)], fields: ['streamUrl'] },
      { resource: 'PARCELS', action: 'UPDATE', area: MERCATOR_SQUARE, areaSrid: 3857 },
      { resource: 'USERS', action: 'READ', ownOrgUnitOnly: true, fields: ['email'] },
    ];
    const res = await write('ROLES', 1, () => app.gql(CREATE, { input: { code: 'fen-editor', name: 'Fen editörü', grants } }));
    expect(res.errors).toBeUndefined();
    const role = res.data.createRole;
    expect(role).toMatchObject({ code: 'fen-editor', version: 1, userCount: 0, description: null });
    expect(role.grants[0]).toEqual({
      resource: 'CAMERAS', action: 'READ', ownOrgUnitOnly: false, neighbourhoodIds: [String(id.n1)],
      neighbourhoods: [{ id: String(id.n1), name: 'Fevzi Çakmak' }], area: null, fields: ['streamUrl'],
    });
    expect(role.grants[1].area.type).toBe('MultiPolygon');
    // 4195000 m east in web Mercator is about 37.68 degrees east.
    expect(role.grants[1].area.coordinates[0][0][0][0]).toBeCloseTo(37.684, 2);
    expect(role.grants[2]).toMatchObject({ resource: 'USERS', ownOrgUnitOnly: true, fields: ['email'] });

    const entry = await app.knex('audit_log').where({ entity: 'ROLES', entity_id: role.id }).first();
    expect(entry.action).toBe('CREATE');
    expect(entry.after).toMatchObject({ code: 'fen-editor', version: 1 });
    expect(entry.after.grants.map((g: any) => g.resource)).toEqual(['CAMERAS', 'PARCELS', 'USERS']);
    expect((await app.gql(`query($id: ID!) { role(id: $id) { code } }`, { id: role.id })).data.role.code).toBe('fen-editor');
  });

  it('refuses without the grant, anonymously, bad grants and a taken code; nothing is written', async () => {
    const input = (change: Record<string, unknown> = {}, grant: Record<string, unknown> = {}) => ({
      input: { code: 'refused', name: 'Refused', grants: [{ resource: 'CAMERAS', action: 'READ', ...grant }], ...change },
    });
    expect(codeOf(await write('ROLES', 0, () => app.gql(CREATE, input(), token.nobody)))).toBe('FORBIDDEN');
    expect(codeOf(await write('ROLES', 0, () => app.gql(CREATE, input(), null)))).toBe('UNAUTHENTICATED');
    const bad: [ReturnType<typeof input>, RegExp][] = [
      [input({ code: 'Büyük Harf' }), /^input\.code: "Büyük Harf" is not a role code/],
      [input({ name: '' }), /^input\.name must not be empty/],
      [input({}, { fields: ['name'] }), /^input\.grants\[0\]\.fields: "name" is not a sensitive field of CAMERAS/],
      [input({}, { action: 'UPDATE', fields: ['streamUrl'] }), /^input\.grants\[0\]\.fields: only READ grants reveal fields/],
      [input({}, { resource: 'USERS', neighbourhoodIds: [String(id.n1)] }), /^input\.grants\[0\]: USERS has no place on the map/],
      [input({}, { neighbourhoodIds: ['999999'] }), /^input\.grants\[0\]\.neighbourhoodIds: neighbourhood 999999 does not exist/],
      [input({}, { area: { type: 'Point', coordinates: [37.7, 37.0] } }), /^input\.grants\[0\]\.area: expected Polygon or MultiPolygon, got Point/],
    ];
    for (const [vars, message] of bad) {
      const res = await write('ROLES', 0, () => app.gql(CREATE, vars));
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(message);
    }
    const taken = await write('ROLES', 0, () => app.gql(CREATE, input({ code: 'public' })));
    expect(codeOf(taken)).toBe('CONFLICT');
  });
});

describe('roles and their holders', () => {
  it('a change of roles or grants applies from the holder\'s next request; each change audited once', async () => {
    const created = (await app.gql(CREATE, { input: { code: 'kamera-izleyici', name: 'Kamera izleyici', grants: [] } })).data.createRole;
    expect(codeOf(await app.gql(CAMERAS, {}, token.holder))).toBe('FORBIDDEN');

    const set = await write('USERS', 1, () => app.gql(SET_ROLES, { u: String(id.holder), r: [created.id] }));
    expect(set.data.setUserRoles.roles).toEqual([{ code: 'kamera-izleyici' }]);
    const entry = await app.knex('audit_log').where({ entity: 'USERS', entity_id: String(id.holder) }).orderBy('id', 'desc').first();
    expect(entry).toMatchObject({ action: 'UPDATE', before: { username: 'holder', roles: [] }, after: { username: 'holder', roles: ['kamera-izleyici'] } });
    expect(codeOf(await app.gql(CAMERAS, {}, token.holder))).toBe('FORBIDDEN');

    const grants = [{ resource: 'CAMERAS', action: 'READ' }];
    const updated = await write('ROLES', 1, () => app.gql(UPDATE, { id: created.id, v: 1, input: { grants } }));
    expect(updated.data.updateRole).toMatchObject({ version: 2, userCount: 1, grants: [{ resource: 'CAMERAS', action: 'READ' }] });
    expect((await app.gql(CAMERAS, {}, token.holder)).data.cameras.totalCount).toBe(0);
    // Everyone sees their own roles, without a grant on ROLES.
    expect((await app.gql(`{ me { roles { code } } }`, {}, token.holder)).data.me.roles).toEqual([{ code: 'kamera-izleyici' }]);

    const stale = await write('ROLES', 0, () => app.gql(UPDATE, { id: created.id, v: 1, input: { grants: [] } }));
    expect(codeOf(stale)).toBe('CONFLICT');
    expect(stale.errors![0].extensions!.currentVersion).toBe(2);
    expect(await count('role_grants', { role_id: created.id })).toBe(1);

    await write('USERS', 1, () => app.gql(SET_ROLES, { u: String(id.holder), r: [] }));
    expect(codeOf(await app.gql(CAMERAS, {}, token.holder))).toBe('FORBIDDEN');
  });

  it('setUserRoles refuses unknown roles, the public role, unknown users, users without the grant and anonymous requests', async () => {
    const cases: [Record<string, unknown>, string | null | undefined, string][] = [
      [{ u: String(id.holder), r: ['999999'] }, undefined, 'BAD_USER_INPUT'],
      [{ u: String(id.holder), r: [String(id.public)] }, undefined, 'BAD_USER_INPUT'],
      [{ u: '999999', r: [] }, undefined, 'NOT_FOUND'],
      [{ u: String(id.holder), r: [] }, token.nobody, 'FORBIDDEN'],
      [{ u: String(id.holder), r: [] }, null, 'UNAUTHENTICATED'],
    ];
    for (const [vars, as, code] of cases) {
      const res = await write('USERS', 0, () => app.gql(SET_ROLES, vars, as));
      expect(codeOf(res)).toBe(code);
    }
  });

  it('lists roles only with a READ grant on ROLES', async () => {
    const res = await app.gql(`{ roles { code } }`);
    expect(res.data.roles.map((r: any) => r.code)).toEqual(expect.arrayContaining(['public', 'fen-editor']));
    expect(codeOf(await app.gql(`{ roles { code } }`, {}, token.nobody))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(`{ roles { code } }`, {}, null))).toBe('UNAUTHENTICATED');
  });
});

describe('the public role', () => {
  it('keeps its code and takes only READ grants on map layers, revealing nothing; it cannot be deleted', async () => {
    const v = (await app.knex('roles').where({ id: id.public }).first()).version;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ code: 'anonim' }, /^input\.code: the public role cannot be renamed/],
      [{ grants: [{ resource: 'CAMERAS', action: 'UPDATE' }] }, /^input\.grants\[0\]\.action: the public role may only READ/],
      [{ grants: [{ resource: 'CAMERAS', action: 'READ', ownOrgUnitOnly: true }] }, /^input\.grants\[0\]\.ownOrgUnitOnly/],
      [{ grants: [{ resource: 'CAMERAS', action: 'READ', fields: ['streamUrl'] }] }, /^input\.grants\[0\]\.fields/],
      [{ grants: [{ resource: 'USERS', action: 'READ' }] }, /^input\.grants\[0\]\.resource/],
    ];
    for (const [input, message] of cases) {
      const res = await write('ROLES', 0, () => app.gql(UPDATE, { id: String(id.public), v, input }));
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(message);
    }
    const del = await write('ROLES', 0, () => app.gql(DELETE, { id: String(id.public), v }));
    expect(codeOf(del)).toBe('BAD_USER_INPUT');

    expect(codeOf(await app.gql(CAMERAS, {}, null))).toBe('UNAUTHENTICATED');
    const ok = await write('ROLES', 1, () => app.gql(UPDATE, { id: String(id.public), v, input: { name: 'e-Belediye', grants: [{ resource: 'CAMERAS', action: 'READ' }] } }));
    expect(ok.data.updateRole).toMatchObject({ code: 'public', name: 'e-Belediye', version: v + 1 });
    expect((await app.gql(CAMERAS, {}, null)).data.cameras.totalCount).toBe(0);
  });
});

describe('deleteRole', () => {
  it('refuses a role still held, a stale version, a user without the grant; deletes otherwise, audited once', async () => {
    const role = (await app.gql(CREATE, { input: { code: 'silinecek', name: 'Silinecek', grants: [{ resource: 'PARCELS', action: 'READ' }] } })).data.createRole;
    await app.gql(SET_ROLES, { u: String(id.holder), r: [role.id] });
    const held = await write('ROLES', 0, () => app.gql(DELETE, { id: role.id, v: 1 }));
    expect(codeOf(held)).toBe('CONFLICT');
    expect(held.errors![0].message).toMatch(/still held by 1 user/);
    await app.gql(SET_ROLES, { u: String(id.holder), r: [] });

    expect(codeOf(await write('ROLES', 0, () => app.gql(DELETE, { id: role.id, v: 7 })))).toBe('CONFLICT');
    expect(codeOf(await write('ROLES', 0, () => app.gql(DELETE, { id: role.id, v: 1 }, token.nobody)))).toBe('FORBIDDEN');
    expect(codeOf(await write('ROLES', 0, () => app.gql(DELETE, { id: role.id, v: 1 }, null)))).toBe('UNAUTHENTICATED');

    const res = await write('ROLES', 1, () => app.gql(DELETE, { id: role.id, v: 1 }));
    expect(res.data.deleteRole).toBe(role.id);
    expect(await count('role_grants', { role_id: role.id })).toBe(0);
    const entry = await app.knex('audit_log').where({ entity: 'ROLES', entity_id: role.id, action: 'DELETE' }).first();
    expect(entry.before).toMatchObject({ code: 'silinecek', grants: [{ resource: 'PARCELS', action: 'READ' }] });
    expect(entry.after).toBeNull();
    expect(codeOf(await app.gql(`query($id: ID!) { role(id: $id) { code } }`, { id: role.id }))).toBe('NOT_FOUND');
  });
});
