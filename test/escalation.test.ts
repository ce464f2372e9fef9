import { getMetadataStorage } from 'type-graphql';
import { Action, Resource, SENSITIVE_FIELDS } from '../src/common/auth/resources';
import * as permissionsModule from '../src/modules/permissions';
import * as usersModule from '../src/modules/users';
import { authService } from '../src/modules/users';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { allGrants, assignRoles, insertRole, tokenFor, type GrantSpec } from './helpers/access';
import { insertNeighbourhood, insertOrgUnit, insertUser } from './helpers/factories';

/**
 * The administration surface under the rule that nobody gives, directly or through a role, more
 * than they hold, nor changes an account or role that holds more than they do, nor their own roles.
 * The cases are generated: every mutation the users and permissions modules declare must have one,
 * and the grants tried are every grant the actor lacks and each of its own widened by one limit.
 */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string> = {};
const secret: Record<string, string> = {};
const tokenId: Record<string, number> = {};
const PASSWORD = 'baslangic-parola-1';

/** A grant as the tests write it: neighbourhoods by name (n1, n2), a polygon area as a lon/lat box. */
interface G {
  resource: `${Resource}`;
  action: `${Action}`;
  ownOrgUnitOnly?: boolean;
  neighbourhoods?: ('n1' | 'n2')[];
  box?: [number, number, number, number];
  fields?: string[];
}

const N1: [number, number, number, number] = [37.7, 37.0, 37.72, 37.02];
const N2: [number, number, number, number] = [37.72, 37.0, 37.74, 37.02];
const INSIDE_N1: [number, number, number, number] = [37.705, 37.005, 37.71, 37.01];
const OVER_N1: [number, number, number, number] = [37.695, 37.0, 37.72, 37.02];

const toSpec = (g: G): GrantSpec => ({ ...g, neighbourhoodIds: g.neighbourhoods?.map((n) => id[n]) });
const polygon = ([x0, y0, x1, y1]: [number, number, number, number]) => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
const toInput = (g: G) => ({
  resource: g.resource,
  action: g.action,
  ownOrgUnitOnly: g.ownOrgUnitOnly ?? false,
  neighbourhoodIds: g.neighbourhoods?.map((n) => String(id[n])),
  area: g.box ? polygon(g.box) : undefined,
  fields: g.fields,
});
const label = (g: G) =>
  [g.action, g.resource, g.ownOrgUnitOnly && 'own directorate', g.neighbourhoods && `in ${g.neighbourhoods.join('+')}`, g.box && `in box ${g.box}`, g.fields?.length && `revealing ${g.fields}`]
    .filter(Boolean)
    .join(' ');

/**
 * The limited administrator: manages roles, reads every user, changes the users and tokens of its
 * own directorate (Fen İşleri), and holds a few grants of every kind of limit.
 */
const LIM: G[] = [
  ...(['READ', 'CREATE', 'UPDATE', 'DELETE'] as const).map((action): G => ({ resource: 'ROLES', action })),
  { resource: 'USERS', action: 'READ' },
  { resource: 'USERS', action: 'CREATE', ownOrgUnitOnly: true },
  { resource: 'USERS', action: 'UPDATE', ownOrgUnitOnly: true },
  ...(['READ', 'CREATE', 'DELETE'] as const).map((action): G => ({ resource: 'API_TOKENS', action, ownOrgUnitOnly: true })),
  { resource: 'CAMERAS', action: 'READ' },
  { resource: 'NETWORK_LINES', action: 'UPDATE', neighbourhoods: ['n1'] },
  { resource: 'ASSETS', action: 'READ', ownOrgUnitOnly: true },
];

/** Every grant beyond `held`: each grant not held at all, and each held one widened by one limit. */
function beyond(held: G[]): [string, G][] {
  const out: [string, G][] = [];
  for (const resource of Object.values(Resource)) {
    for (const action of Object.values(Action)) {
      if (!held.some((h) => h.resource === resource && h.action === action)) out.push([`${action} ${resource}, not held`, { resource, action }]);
    }
  }
  for (const h of held) {
    if (h.ownOrgUnitOnly) out.push([`${label(h)}, without the directorate limit`, { ...h, ownOrgUnitOnly: false }]);
    if (h.neighbourhoods) {
      out.push([`${label(h)}, without the area`, { ...h, neighbourhoods: undefined }]);
      out.push([`${label(h)}, over n1+n2`, { ...h, neighbourhoods: ['n1', 'n2'] }]);
      out.push([`${label(h)}, over a polygon reaching out of n1`, { ...h, neighbourhoods: undefined, box: OVER_N1 }]);
    }
    for (const field of h.action === 'READ' ? SENSITIVE_FIELDS[h.resource as Resource] ?? [] : []) {
      if (!h.fields?.includes(field)) out.push([`${label(h)}, revealing ${field}`, { ...h, fields: [...(h.fields ?? []), field] }]);
    }
  }
  return out;
}

/** Grants within `LIM`: its own, and narrower ones (every limit added that it does not have). */
const WITHIN: G[] = [
  ...LIM,
  { resource: 'CAMERAS', action: 'READ', ownOrgUnitOnly: true },
  { resource: 'CAMERAS', action: 'READ', neighbourhoods: ['n2'] },
  { resource: 'NETWORK_LINES', action: 'UPDATE', neighbourhoods: ['n1'], ownOrgUnitOnly: true },
  { resource: 'NETWORK_LINES', action: 'UPDATE', box: INSIDE_N1 },
  { resource: 'ASSETS', action: 'READ', ownOrgUnitOnly: true, neighbourhoods: ['n1', 'n2'] },
];

beforeAll(async () => {
  app = await startTestApp();
  const k = app.knex;
  id.fen = await insertOrgUnit(k, 'FEN');
  id.zab = await insertOrgUnit(k, 'ZAB');
  [{ id: id.fenSub }] = await k('org_units').insert({ code: 'FEN-HRT', name: 'Harita birimi', kind: 'UNIT', parent_id: id.fen }).returning('id');
  id.n1 = await insertNeighbourhood(k, N1, { name: 'n1' });
  id.n2 = await insertNeighbourhood(k, N2, { name: 'n2' });

  const person = async (name: string, unit: number, ...roles: number[]) => {
    id[name] = await insertUser(k, unit, name, { password: PASSWORD });
    token[name] = tokenFor(id[name]);
    await assignRoles(k, id[name], ...roles);
  };
  id.adminRole = await insertRole(k, allGrants(), 'yonetici');
  id.limRole = await insertRole(k, LIM.map(toSpec), 'sinirli-yonetici');
  id.assetsOwn = await insertRole(k, [{ resource: 'ASSETS', action: 'READ', ownOrgUnitOnly: true }], 'birim-varlik');
  id.camRole = await insertRole(k, [{ resource: 'CAMERAS', action: 'READ' }], 'kamera-zab');
  id.camRoleFen = await insertRole(k, [{ resource: 'CAMERAS', action: 'READ' }], 'kamera-fen');

  await person('boss', id.fen, id.adminRole); // an administrator of the same directorate
  await person('lim', id.fen, id.limRole);
  await person('peer', id.fen, id.camRoleFen);
  await person('fenStaff', id.fen, id.assetsOwn);
  await person('zabUser', id.zab);
  await person('zabStaff', id.zab, id.camRole);
  await person('zabOwner', id.zab, await insertRole(k, [{ resource: 'ASSETS', action: 'READ', ownOrgUnitOnly: true }], 'birim-varlik-zab'));
  // Moves users between directorates, and reads only its own directorate's assets.
  await person('mover', id.fen, await insertRole(k, [
    { resource: 'USERS', action: 'READ' },
    { resource: 'USERS', action: 'UPDATE' },
    { resource: 'ASSETS', action: 'READ', ownOrgUnitOnly: true },
  ]));

  for (const [name, roles] of [['bossSvc', [id.adminRole]], ['plainSvc', []]] as const) {
    id[name] = await insertUser(k, id.fen, name, { kind: 'SERVICE' });
    await assignRoles(k, id[name], ...roles);
    const issued = await authService.createApiToken(k, name, 'entegrasyon', null);
    [secret[name], tokenId[name]] = [issued.secret, issued.token.id];
  }
});
afterAll(() => app.close());

const CREATE_ROLE = `mutation($input: RoleCreateInput!) { createRole(input: $input) { id } }`;
const UPDATE_ROLE = `mutation($id: ID!, $v: Int!, $input: RoleUpdateInput!) { updateRole(id: $id, version: $v, input: $input) { id version } }`;
const DELETE_ROLE = `mutation($id: ID!, $v: Int!) { deleteRole(id: $id, version: $v) }`;
const SET_ROLES = `mutation($u: ID!, $r: [ID!]!) { setUserRoles(userId: $u, roleIds: $r) { id } }`;
const SET_PASSWORD = `mutation($id: ID!, $p: String!) { setUserPassword(id: $id, password: $p) { id } }`;
const UPDATE_USER = `mutation($id: ID!, $input: UserUpdateInput!) { updateUser(id: $id, input: $input) { id } }`;
const CREATE_TOKEN = `mutation($u: ID!) { createApiToken(userId: $u, name: "deneme") { secret } }`;
const REVOKE_TOKEN = `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`;
const CREATE_USER = `mutation($input: UserCreateInput!) { createUser(input: $input) { id } }`;
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`;

/** Everything an administrator's mutation can change, and the audit trail. */
async function state(): Promise<unknown> {
  const k = app.knex;
  return {
    roles: await k('roles').orderBy('id').select('id', 'code', 'name', 'version'),
    grants: await k('role_grants').orderBy('id').select('id', 'role_id', 'resource', 'action', 'own_org_unit_only', 'fields', k.raw('ST_AsText(area_geom) AS area')),
    areas: await k('role_grant_neighbourhoods').orderBy(['grant_id', 'neighbourhood_id']),
    held: await k('user_roles').orderBy(['user_id', 'role_id']).select('user_id', 'role_id'),
    users: await k('users').orderBy('id').select('id', 'username', 'full_name', 'email', 'org_unit_id', 'active', 'password_hash', 'session_generation'),
    tokens: await k('api_tokens').orderBy('id').select('id', 'revoked_at'),
    audit: (await k('audit_log').count({ n: '*' }).first())!.n,
  };
}

/** A refused escalation: FORBIDDEN, saying why, and nothing changed (no audit row either). */
async function refused(query: string, vars: Record<string, unknown>, as: string, why = /goes beyond|beyond yours|your own roles/): Promise<GraphQLResponse> {
  const before = await state();
  const res = await app.gql(query, vars, as);
  expect({ code: codeOf(res), message: res.errors?.[0]?.message }).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(why) });
  expect(await state()).toEqual(before);
  return res;
}

async function allowed(query: string, vars: Record<string, unknown>, as: string): Promise<GraphQLResponse> {
  const res = await app.gql(query, vars, as);
  expect(res.errors).toBeUndefined();
  return res;
}

const version = async (roleId: number): Promise<number> => (await app.knex('roles').where({ id: roleId }).first('version')).version;
const str = (n: number) => String(n);

/** Per mutation: attempts to escalate (each refused), and what stays allowed within the rule. */
const CASES: Record<string, () => Promise<void>> = {
  async createRole() {
    for (const [what, g] of beyond(LIM)) {
      const res = await refused(CREATE_ROLE, { input: { code: 'kacak', name: what, grants: [toInput(LIM[0]), toInput(g)] } }, token.lim);
      expect(res.errors![0].extensions!.beyond).toEqual([expect.objectContaining({ resource: g.resource, action: g.action })]);
    }
    const role = await allowed(CREATE_ROLE, { input: { code: 'icinde', name: 'within', grants: WITHIN.map(toInput) } }, token.lim);
    // Given to a user of the same directorate, within again; of another, the directorate limits are beyond.
    await allowed(SET_ROLES, { u: str(id.peer), r: [role.data.createRole.id] }, token.lim);
    await refused(SET_ROLES, { u: str(id.zabUser), r: [role.data.createRole.id] }, token.lim);
  },

  async updateRole() {
    const free = await insertRole(app.knex, [{ resource: 'CAMERAS', action: 'READ' }], 'serbest');
    for (const [what, g] of beyond(LIM)) {
      await refused(UPDATE_ROLE, { id: str(free), v: await version(free), input: { name: what, grants: [{ resource: 'CAMERAS', action: 'READ' }, toInput(g)] } }, token.lim);
    }
    await allowed(UPDATE_ROLE, { id: str(free), v: await version(free), input: { grants: WITHIN.map(toInput) } }, token.lim);
    // A role that holds more than the actor cannot be changed at all, not even renamed or reduced.
    await refused(UPDATE_ROLE, { id: str(id.adminRole), v: await version(id.adminRole), input: { name: 'Yönetici' } }, token.lim);
    await refused(UPDATE_ROLE, { id: str(id.adminRole), v: await version(id.adminRole), input: { grants: [] } }, token.lim);
    // Roles edited after they were given: kamera-zab is held in Zabıta, where the actor's directorate
    // limits do not reach; the same grants on a role held in Fen İşleri are within.
    const more = { grants: [{ resource: 'CAMERAS', action: 'READ' }, { resource: 'ASSETS', action: 'READ', ownOrgUnitOnly: true }] };
    const res = await refused(UPDATE_ROLE, { id: str(id.camRole), v: await version(id.camRole), input: more }, token.lim);
    expect(res.errors![0].message).toMatch(/READ on ASSETS in the holder's directorate for 1 of its holders/);
    await allowed(UPDATE_ROLE, { id: str(id.camRoleFen), v: await version(id.camRoleFen), input: more }, token.lim);
    // Held in Zabıta with a directorate limit: beyond the actor already, so not even renamed.
    const zabRole = (await app.knex('user_roles').where({ user_id: id.zabOwner }).first('role_id')).role_id;
    await refused(UPDATE_ROLE, { id: str(zabRole), v: await version(zabRole), input: { name: 'x' } }, token.lim);
  },

  async deleteRole() {
    const wide = await insertRole(app.knex, [{ resource: 'CAMERAS', action: 'UPDATE' }], 'genis');
    await refused(DELETE_ROLE, { id: str(wide), v: 1 }, token.lim);
    const narrow = await insertRole(app.knex, [{ resource: 'CAMERAS', action: 'READ' }], 'dar');
    await allowed(DELETE_ROLE, { id: str(narrow), v: 1 }, token.lim);
  },

  async setUserRoles() {
    await refused(SET_ROLES, { u: str(id.lim), r: [str(id.adminRole)] }, token.lim, /your own roles/);
    await refused(SET_ROLES, { u: str(id.lim), r: [] }, token.lim, /your own roles/);
    await refused(SET_ROLES, { u: str(id.peer), r: [str(id.camRoleFen), str(id.adminRole)] }, token.lim);
    await refused(SET_ROLES, { u: str(id.boss), r: [] }, token.lim); // taking roles from an account beyond
    await refused(SET_ROLES, { u: str(id.zabUser), r: [str(id.assetsOwn)] }, token.lim); // the directorate limit lands in Zabıta
    await allowed(SET_ROLES, { u: str(id.zabUser), r: [str(id.camRole)] }, token.lim);
    await allowed(SET_ROLES, { u: str(id.zabUser), r: [] }, token.lim);
  },

  async setUserPassword() {
    await refused(SET_PASSWORD, { id: str(id.boss), p: 'ele-gecirme-123' }, token.lim);
    await allowed(SET_PASSWORD, { id: str(id.fenStaff), p: 'yeni-parola-123' }, token.lim);
  },

  async updateUser() {
    await refused(UPDATE_USER, { id: str(id.boss), input: { fullName: 'x' } }, token.lim);
    await refused(UPDATE_USER, { id: str(id.boss), input: { active: false } }, token.lim);
    await refused(UPDATE_USER, { id: str(id.bossSvc), input: { active: false } }, token.lim);
    // Grants limited to the holder's directorate follow the account: moving fenStaff to Zabıta
    // would let it read Zabıta's assets, which the mover may not.
    await refused(UPDATE_USER, { id: str(id.fenStaff), input: { orgUnitId: str(id.zab) } }, token.mover);
    await allowed(UPDATE_USER, { id: str(id.fenStaff), input: { orgUnitId: str(id.fenSub) } }, token.mover);
    await allowed(UPDATE_USER, { id: str(id.zabUser), input: { orgUnitId: str(id.fen) } }, token.mover);
    await allowed(UPDATE_USER, { id: str(id.fenStaff), input: { fullName: 'Fen Personeli' } }, token.lim);
  },

  async createApiToken() {
    await refused(CREATE_TOKEN, { u: str(id.bossSvc) }, token.lim);
    await allowed(CREATE_TOKEN, { u: str(id.plainSvc) }, token.lim);
  },

  async revokeApiToken() {
    await refused(REVOKE_TOKEN, { id: str(tokenId.bossSvc) }, token.lim);
    expect((await app.gql(`{ me { username } }`, {}, secret.bossSvc)).data.me.username).toBe('bossSvc');
    await allowed(REVOKE_TOKEN, { id: str(tokenId.plainSvc) }, token.lim);
  },

  async createUser() {
    // A new account holds no role: nothing to escalate. Its input cannot name roles or grants.
    const input = await app.gql(`{ __type(name: "UserCreateInput") { inputFields { name } } }`);
    expect(input.data.__type.inputFields.map((f: { name: string }) => f.name)).not.toContainEqual(expect.stringMatching(/role|grant/i));
    const res = await allowed(CREATE_USER, { input: { username: 'fen.yeni', fullName: 'Fen Yeni', orgUnitId: str(id.fen), password: PASSWORD } }, token.lim);
    expect(await app.knex('user_roles').where({ user_id: res.data.createUser.id })).toEqual([]);
  },

  async changeMyPassword() {
    await selfOnly('changeMyPassword');
  },

  async login() {
    await selfOnly('login');
  },
};

/** A mutation that names no account by id acts only on the caller's own (or, for login, none). */
async function selfOnly(mutation: string): Promise<void> {
  const res = await app.gql(`{ __type(name: "Mutation") { fields { name args { name type { name ofType { name } } } } } }`);
  const field = res.data.__type.fields.find((f: { name: string }) => f.name === mutation);
  expect(field.args.filter((a: any) => (a.type.name ?? a.type.ofType?.name) === 'ID')).toEqual([]);
}

/** The mutations the users and permissions modules declare (every resolver their index exports). */
function adminMutations(): string[] {
  const classes = new Set<unknown>([...Object.values(usersModule), ...Object.values(permissionsModule)]);
  return getMetadataStorage()
    .mutations.filter((m) => classes.has(m.target))
    .map((m) => m.schemaName)
    .sort();
}

describe('the administration surface', () => {
  it('is every mutation of the users and permissions modules, each in the schema and with its cases below', async () => {
    const mutations = adminMutations();
    expect(mutations.length).toBeGreaterThanOrEqual(11);
    const res = await app.gql(`{ __type(name: "Mutation") { fields { name } } }`);
    const inSchema = res.data.__type.fields.map((f: { name: string }) => f.name);
    expect(inSchema).toEqual(expect.arrayContaining(mutations));
    expect(mutations).toEqual(Object.keys(CASES).sort());
  });

  it.each(adminMutations())('%s refuses to escalate', async (mutation) => {
    const run = CASES[mutation];
    if (!run) throw new Error(`no escalation case for the admin mutation ${mutation}: add one to CASES`);
    await run();
  });
});

describe('the findings of the review', () => {
  it('ROLES UPDATE with USERS READ of the own directorate cannot make its holder an administrator', async () => {
    const escalator = await insertUser(app.knex, id.fen, 'escalator');
    await assignRoles(app.knex, escalator, await insertRole(app.knex, [
      { resource: 'ROLES', action: 'UPDATE' },
      { resource: 'USERS', action: 'READ', ownOrgUnitOnly: true },
    ]));
    const as = tokenFor(escalator);
    await refused(SET_ROLES, { u: str(escalator), r: [str(id.adminRole)] }, as, /your own roles/);
    await refused(SET_ROLES, { u: str(id.peer), r: [str(id.adminRole)] }, as);
    expect(codeOf(await app.gql(`{ roles { code } }`, {}, as))).toBe('FORBIDDEN');
  });

  it("USERS UPDATE of a directorate cannot set the password of an administrator in it and log in as them", async () => {
    const helpdesk = await insertUser(app.knex, id.fen, 'helpdesk');
    await assignRoles(app.knex, helpdesk, await insertRole(app.knex, [
      { resource: 'USERS', action: 'READ', ownOrgUnitOnly: true },
      { resource: 'USERS', action: 'UPDATE', ownOrgUnitOnly: true },
    ]));
    await refused(SET_PASSWORD, { id: str(id.boss), p: 'ele-gecirme-123' }, tokenFor(helpdesk));
    expect(codeOf(await app.gql(LOGIN, { u: 'boss', p: 'ele-gecirme-123' }, null))).toBe('UNAUTHENTICATED');
    expect((await app.gql(LOGIN, { u: 'boss', p: PASSWORD }, null)).errors).toBeUndefined();
    // Within the rule the same helpdesk still sets the passwords of Fen İşleri's staff.
    const clerk = await insertUser(app.knex, id.fenSub, 'clerk', { password: PASSWORD });
    await allowed(SET_PASSWORD, { id: str(clerk), p: 'katip-parolasi-1' }, tokenFor(helpdesk));
  });

  it('an administrator holding every grant still does everything, to every account and role but its own roles', async () => {
    const role = await allowed(CREATE_ROLE, { input: { code: 'her-sey', name: 'Her şey', grants: [...WITHIN, ...beyond(LIM).map(([, g]) => g)].map(toInput) } }, token.boss);
    const roleId = role.data.createRole.id;
    await allowed(UPDATE_ROLE, { id: roleId, v: 1, input: { name: 'Her şey (2)' } }, token.boss);
    await allowed(SET_ROLES, { u: str(id.zabUser), r: [roleId, str(id.adminRole)] }, token.boss);
    await allowed(SET_ROLES, { u: str(id.zabUser), r: [] }, token.boss);
    await allowed(DELETE_ROLE, { id: roleId, v: 2 }, token.boss);
    await allowed(UPDATE_ROLE, { id: str(id.limRole), v: await version(id.limRole), input: { name: 'Sınırlı yönetici' } }, token.boss);
    await allowed(SET_PASSWORD, { id: str(id.lim), p: 'sinirli-parola-1' }, token.boss);
    await allowed(CREATE_TOKEN, { u: str(id.bossSvc) }, token.boss);
    await refused(SET_ROLES, { u: str(id.boss), r: [] }, token.boss, /your own roles/);
  });
});
