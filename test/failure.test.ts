import type { Knex } from 'knex';
import { createKnex } from '../src/db/knex';
import { startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { DbProxy } from './helpers/db-proxy';
import { insertOrgUnit } from './helpers/factories';

/**
 * The API while its database goes away and comes back, through a TCP proxy between this file's
 * server and PostgreSQL (other test files, on the same cluster, see nothing of it): answers say
 * SERVICE_UNAVAILABLE (503, Retry-After) and never INTERNAL_SERVER_ERROR, the API answers again
 * within seconds of the database, and a write that committed is never answered as a failure.
 */
let proxy: DbProxy;
let app: TestApp;
/** Straight to the database, past the proxy: what is really stored. */
let direct: Knex;

beforeAll(async () => {
  const url = process.env.TEST_DATABASE_URL!;
  proxy = await DbProxy.start(url);
  app = await startTestApp({ databaseUrl: proxy.url(url) });
  direct = createKnex(url, { searchPath: [app.schema, 'public'], poolMax: 1 });
});

afterAll(async () => {
  await proxy.restore();
  await direct?.destroy();
  await app?.close();
  await proxy?.close();
});

interface Answer<T = any> {
  status: number;
  retryAfter: string | null;
  body: GraphQLResponse<T>;
}

async function post<T = any>(query: string, variables?: Record<string, unknown>, token: string | null = app.admin.token): Promise<Answer<T>> {
  const res = await app.post(query, variables, token === null ? undefined : `Bearer ${token}`);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as GraphQLResponse<T> };
}

describe('a write whose transaction committed is answered as done, even when the database goes away right after', () => {
  const done = new Set<string>();
  const POINT = { type: 'Point', coordinates: [37.79, 37.01] };
  const BOX = { type: 'Polygon', coordinates: [[[37.78, 37.0], [37.781, 37.0], [37.781, 37.001], [37.78, 37.001], [37.78, 37.0]]] };
  const LINE = { type: 'LineString', coordinates: [[37.79, 37.01], [37.791, 37.011]] };
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}-${Date.now().toString(36)}`;

  /**
   * Runs one mutation with the database cut right after its COMMIT was answered: the answer must
   * be the mutation's result (never an error), and the proxy must have seen the COMMIT.
   */
  async function committed<T = any>(field: string, query: string, variables: Record<string, unknown> = {}, token?: string | null): Promise<T> {
    proxy.severAfterCommit();
    const answer = await post(query, variables, token);
    const cut = !(await isUp());
    await proxy.restore();
    expect({ field, errors: answer.body.errors ?? [], status: answer.status }).toEqual({ field, errors: [], status: 200 });
    expect({ field, cut }).toEqual({ field, cut: true });
    expect(answer.body.data?.[field]).not.toBeNull();
    done.add(field);
    return answer.body.data[field] as T;
  }

  /** Whether the proxy still lets connections through (it stops after the armed COMMIT). */
  async function isUp(): Promise<boolean> {
    const net = await import('node:net');
    const url = new URL(proxy.url(process.env.TEST_DATABASE_URL!));
    return new Promise((resolve) => {
      const s = net.connect(Number(url.port), '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
  }

  /** create → update → delete of a map layer, each cut after its COMMIT. */
  async function layer(name: string, input: Record<string, unknown>, change: Record<string, unknown>): Promise<void> {
    const created = await committed<{ id: string; version: number }>(`create${name}`, `mutation($i: ${name}CreateInput!) { create${name}(input: $i) { id version } }`, { i: input });
    const updated = await committed<{ id: string; version: number }>(
      `update${name}`,
      `mutation($id: ID!, $v: Int!, $i: ${name}UpdateInput!) { update${name}(id: $id, version: $v, input: $i) { id version } }`,
      { id: created.id, v: created.version, i: change },
    );
    expect(updated.version).toBe(created.version + 1);
    await committed(`delete${name}`, `mutation($id: ID!, $v: Int!) { delete${name}(id: $id, version: $v) }`, { id: created.id, v: updated.version });
  }

  it('map layers: create, update, delete', async () => {
    const unit = String(await insertOrgUnit(direct, unique('MLY')));
    await layer('Camera', { code: unique('KAM'), name: 'Kamera', kind: 'FIXED', purpose: 'SECURITY', azimuth: 90, horizontalFov: 60, rangeMeters: 50, geometry: POINT }, { name: 'Kamera 2' });
    await layer('Neighbourhood', { code: unique('MH'), name: 'Mahalle', district: 'Nizip', province: 'Gaziantep', geometry: BOX }, { name: 'Mahalle 2' });
    await layer('NetworkNode', { code: unique('NN'), name: 'Dolap', kind: 'CABINET', geometry: POINT }, { name: 'Dolap 2' });
    await layer('RemoteUnit', { code: unique('UB'), name: 'Birim', orgUnitId: unit, geometry: POINT }, { name: 'Birim 2' });
    await layer('Parcel', { mahalle: 'İSTASYON', ada: 900 + n, parsel: 1, district: 'Nizip', province: 'Gaziantep', geometry: BOX }, { nitelik: 'Arsa' });
    const a = (await post(`mutation($i: NetworkNodeCreateInput!) { createNetworkNode(input: $i) { id } }`, { i: { code: unique('NA'), name: 'A', kind: 'SWITCH', geometry: POINT } })).body.data.createNetworkNode.id;
    const z = (await post(`mutation($i: NetworkNodeCreateInput!) { createNetworkNode(input: $i) { id } }`, { i: { code: unique('NZ'), name: 'Z', kind: 'SWITCH', geometry: POINT } })).body.data.createNetworkNode.id;
    await layer('NetworkLine', { code: unique('HAT'), name: 'Hat', medium: 'FIBER', aNodeId: a, zNodeId: z, geometry: LINE }, { name: 'Hat 2' });
    await layer('Asset', { inventoryNo: unique('DMB'), serialNo: unique('SN'), type: 'COMPUTER', ownerOrgUnitId: unit, geometry: POINT }, { model: 'X1' });
  });

  it('registers, accounts and roles: every step of each workflow', async () => {
    const unit = String(app.admin.orgUnitId);
    const password = 'uzun-ve-guclu-bir-parola-2026';
    const USER = `mutation($i: UserCreateInput!) { createUser(input: $i) { id } }`;
    const u1 = (await committed<{ id: string }>('createUser', USER, { i: { username: unique('ali'), fullName: 'Ali', orgUnitId: unit, password } })).id;
    const u2 = (await post(USER, { i: { username: unique('veli'), fullName: 'Veli', orgUnitId: unit, password } })).body.data.createUser.id;
    await committed('updateUser', `mutation($id: ID!) { updateUser(id: $id, input: { fullName: "Ali Yılmaz" }) { id } }`, { id: u1 });
    await committed('setUserPassword', `mutation($id: ID!, $p: String!) { setUserPassword(id: $id, password: $p) { id } }`, { id: u1, p: `${password}-2` });
    const login = await post(`mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }`, {
      u: (await direct('users').where({ id: u1 }).first('username')).username,
      p: `${password}-2`,
    });
    const ali = login.body.data.login.accessToken as string;
    await committed('changeMyPassword', `mutation($c: String!, $n: String!) { changeMyPassword(currentPassword: $c, newPassword: $n) }`, { c: `${password}-2`, n: `${password}-3` }, ali);

    const ROLE = `mutation($i: RoleCreateInput!) { createRole(input: $i) { id version } }`;
    const role = await committed<{ id: string; version: number }>('createRole', ROLE, { i: { code: unique('izleyici'), name: 'İzleyici', grants: [{ resource: 'CAMERAS', action: 'READ' }] } });
    await committed('updateRole', `mutation($id: ID!, $v: Int!) { updateRole(id: $id, version: $v, input: { name: "Kamera izleyici" }) { id } }`, { id: role.id, v: role.version });
    await committed('setUserRoles', `mutation($u: ID!, $r: [ID!]!) { setUserRoles(userId: $u, roleIds: $r) { id } }`, { u: u1, r: [role.id] });
    const spare = (await post(ROLE, { i: { code: unique('silinecek'), name: 'Silinecek', grants: [] } })).body.data.createRole;
    await committed('deleteRole', `mutation($id: ID!, $v: Int!) { deleteRole(id: $id, version: $v) }`, { id: spare.id, v: spare.version });

    const service = (await post(USER, { i: { username: unique('servis'), fullName: 'Servis', orgUnitId: unit, kind: 'SERVICE' } })).body.data.createUser.id;
    const token = await committed<{ secret: string; token: { id: string } }>('createApiToken', `mutation($u: ID!) { createApiToken(userId: $u, name: "cbs") { secret token { id } } }`, { u: service });
    await committed('revokeApiToken', `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: token.token.id });

    const vendor = await committed<{ id: string; version: number }>('createVendor', `mutation { createVendor(input: { name: "Bakım A.Ş." }) { id version } }`);
    await committed('updateVendor', `mutation($id: ID!, $v: Int!) { updateVendor(id: $id, version: $v, input: { phone: "0342 000 00 00" }) { id } }`, { id: vendor.id, v: vendor.version });

    const asset = (await post(`mutation($i: AssetCreateInput!) { createAsset(input: $i) { id version } }`, {
      i: { inventoryNo: unique('DMB'), serialNo: unique('SN'), type: 'LAPTOP', ownerOrgUnitId: unit, geometry: POINT },
    })).body.data.createAsset;
    await committed('changeAssetState', `mutation($id: ID!, $v: Int!) { changeAssetState(id: $id, version: $v, state: IN_USE) { id } }`, { id: asset.id, v: asset.version });

    let fault = await committed<{ id: string; version: number }>('reportFault', `mutation($a: ID!) { reportFault(input: { assetId: $a, category: HARDWARE, description: "Açılmıyor" }) { id version } }`, { a: asset.id });
    const step = async (field: string, args: string, vars: Record<string, unknown> = {}) => {
      const types = Object.keys(vars).map((k) => `, $${k}: ${k === 'r' ? 'VendorRepairInput' : 'ID!'}`).join('');
      fault = await committed(field, `mutation($id: ID!, $v: Int!${types}) { ${field}(id: $id, version: $v${args}) { id version } }`, { id: fault.id, v: fault.version, ...vars });
    };
    await step('assignFault', ', assigneeId: $who', { who: String(app.admin.userId) });
    await step('startFault', '');
    await step('waitFault', ', reason: VENDOR, vendorRepair: $r', { r: { vendorId: vendor.id, basis: 'PAID', sentOn: '2026-01-05' } });
    const repair = await direct('vendor_repairs').where({ fault_id: fault.id }).first('id', 'version');
    fault = await committed('returnFromVendor', `mutation($r: ID!, $v: Int!) { returnFromVendor(repairId: $r, version: $v, returnedOn: "2026-01-09", outcome: REPAIRED) { id version } }`, { r: String(repair.id), v: repair.version });
    await step('resolveFault', ', cause: "Güç kartı", resolution: "Değiştirildi"');
    await step('closeFault', '');
    await step('reopenFault', ', note: "Yine açılmıyor"');
    await step('cancelFault', ', note: "Yanlış kayıt"');

    await committed('giveCustody', `mutation($a: ID!, $u: ID!) { giveCustody(assetId: $a, toUserId: $u) { id } }`, { a: asset.id, u: u1 });
    await committed('handover', `mutation($f: ID!, $t: ID!) { handover(fromUserId: $f, toUserId: $t) { id } }`, { f: u1, t: u2 });
    await committed('returnCustody', `mutation($a: ID!) { returnCustody(assetId: $a) { id } }`, { a: asset.id });

    const disposal = await committed<{ id: string; version: number }>('proposeDisposal', `mutation($a: ID!) { proposeDisposal(assetId: $a, reason: "Ekonomik ömrü doldu") { id version } }`, { a: asset.id });
    const decided = await committed<{ id: string; version: number }>(
      'decideDisposal',
      `mutation($id: ID!, $v: Int!) { decideDisposal(id: $id, version: $v, approved: true, decisionNo: "2026/14", decisionDate: "2026-02-01") { id version } }`,
      { id: disposal.id, v: disposal.version },
    );
    await committed('executeDisposal', `mutation($id: ID!, $v: Int!) { executeDisposal(id: $id, version: $v) { id } }`, { id: decided.id, v: decided.version });

    const item = await committed<{ id: string; version: number }>('createStockItem', `mutation($c: String!) { createStockItem(input: { code: $c, name: "Toner", category: CONSUMABLE }) { id version } }`, { c: unique('TNR') });
    await committed('updateStockItem', `mutation($id: ID!, $v: Int!) { updateStockItem(id: $id, version: $v, input: { minimumLevel: 2 }) { id } }`, { id: item.id, v: item.version });
    await committed('recordStockMovement', `mutation($id: ID!) { recordStockMovement(itemId: $id, kind: IN, quantity: 5) { id } }`, { id: item.id });
  });

  it('covers every mutation of the schema that writes', async () => {
    const { data } = (await post(`{ __type(name: "Mutation") { fields { name } } }`)).body;
    const writesNothing = ['login'];
    const missing = data.__type.fields.map((f: { name: string }) => f.name).filter((name: string) => !done.has(name) && !writesNothing.includes(name));
    expect(missing).toEqual([]);
  });
});
