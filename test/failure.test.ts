import type { Knex } from 'knex';
import { CONNECT_TIMEOUT_MS, createKnex } from '../src/db/knex';
import { startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { DbProxy } from './helpers/db-proxy';
import { insertOrgUnit } from './helpers/factories';
import { tileAt, tilePath } from './helpers/tiles';

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

describe('a request whose statement finds the database gone', () => {
  const CAMERA = { name: 'Kamera', kind: 'FIXED', purpose: 'SECURITY', azimuth: 90, horizontalFov: 60, rangeMeters: 50, geometry: { type: 'Point', coordinates: [37.79, 37.01] } };

  /** Sends `query` with the database cut when the statement matching `pattern` goes out (after authentication). */
  async function cutAt(pattern: RegExp, query: string, variables?: Record<string, unknown>): Promise<Answer> {
    proxy.severOnStatement(pattern);
    try {
      return await post(query, variables);
    } finally {
      await proxy.restore();
    }
  }

  const unavailable = (a: Answer) => ({ status: a.status, retryAfter: a.retryAfter, codes: (a.body.errors ?? []).map((e) => e.extensions?.code) });

  it('is SERVICE_UNAVAILABLE with 503 and Retry-After, also where the field may be null', async () => {
    const expected = { status: 503, retryAfter: expect.stringMatching(/^\d+$/), codes: ['SERVICE_UNAVAILABLE'] };
    expect(unavailable(await cutAt(/from "cameras"/, `{ cameras(first: 2) { totalCount } }`))).toEqual(expected);
    expect(unavailable(await cutAt(/from "cameras"/, `{ camera(id: "1") { id } }`))).toEqual(expected);
    expect(unavailable(await cutAt(/from "parcels"/, `{ parcelAt(x: 37.79, y: 37.01) { id } }`))).toEqual(expected);
    expect(unavailable(await cutAt(/from "cameras"/, `{ a: camera(id: "1") { id } b: camera(id: "2") { id } }`))).toMatchObject({ status: 503 });
    const code = `KAM-${Date.now()}`;
    expect(unavailable(await cutAt(/^INSERT INTO "cameras"/i, `mutation($i: CameraCreateInput!) { createCamera(input: $i) { id } }`, { i: { ...CAMERA, code } }))).toEqual(expected);
    expect(await direct('cameras').where({ code }).first()).toBeUndefined();
  });

  it('a write that committed stays a 200 with its result when a field read after it fails', async () => {
    const code = `KAM-${Date.now()}`;
    proxy.severAfterCommit();
    const answer = await post(`mutation($i: CameraCreateInput!) { createCamera(input: $i) { id code ownerOrgUnit { name } } }`, { i: { ...CAMERA, code, ownerOrgUnitId: String(app.admin.orgUnitId) } });
    await proxy.restore();
    expect(answer.status).toBe(200);
    expect(answer.retryAfter).toBeNull();
    expect(answer.body.data.createCamera).toMatchObject({ code, ownerOrgUnit: null });
    expect(answer.body.errors).toMatchObject([{ path: ['createCamera', 'ownerOrgUnit'], extensions: { code: 'SERVICE_UNAVAILABLE' } }]);
    expect(await direct('cameras').where({ code }).first('id')).toEqual({ id: Number(answer.body.data.createCamera.id) });
  });
});

describe('a database that accepts connections but never answers (a network partition)', () => {
  it('is answered SERVICE_UNAVAILABLE within seconds, not after the pool\'s minute, and answers again once it is back', async () => {
    proxy.blackhole();
    const started = Date.now();
    const during = await post(`{ cameras(first: 1) { totalCount } }`);
    const took = Date.now() - started;
    await proxy.restore();
    expect({ status: during.status, retryAfter: during.retryAfter, code: during.body.errors?.[0]?.extensions?.code }).toEqual({
      status: 503,
      retryAfter: expect.stringMatching(/^\d+$/),
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(took).toBeLessThan(CONNECT_TIMEOUT_MS + 2000);
    const after = await post(`{ cameras(first: 1) { totalCount } }`);
    expect({ status: after.status, errors: after.body.errors }).toEqual({ status: 200, errors: undefined });
  });
});

describe('an outage of the database under load', () => {
  const TILE = tileAt(37.79, 37.01, 14);
  /** What one request got, and when it was sent and answered (ms since the load began). */
  interface Outcome {
    kind: string;
    sent: number;
    done: number;
    status: number;
    retryAfter: string | null;
    codes: string[];
  }

  async function request(kind: string, anonymous: boolean): Promise<Omit<Outcome, 'kind' | 'sent' | 'done'>> {
    const auth: Record<string, string> = anonymous ? {} : { authorization: `Bearer ${app.admin.token}` };
    const get = (path: string) => fetch(`${app.url}${path}`, { headers: auth });
    const res =
      kind === 'graphql' ? await app.post(`{ cameras(first: 3) { totalCount edges { node { id code } } } }`, undefined, auth.authorization)
      : kind === 'tile' ? await get(`/tiles/${tilePath('cameras', TILE)}`)
      : kind === 'ogc' ? await get('/ogc/collections/cameras/items?limit=2')
      : await get('/health');
    const text = await res.text();
    let codes: string[] = [];
    if (res.status !== 200 || kind === 'graphql') {
      const body = JSON.parse(text);
      codes = body.errors ? body.errors.map((e: any) => e.extensions?.code) : body.code ? [body.code] : body.status ? [body.status] : [];
    }
    return { status: res.status, retryAfter: res.headers.get('retry-after'), codes };
  }

  it('answers SERVICE_UNAVAILABLE (503, Retry-After) while it is gone, again within 5 s of its return, and loses or doubles no write', async () => {
    const started = Date.now();
    const now = () => Date.now() - started;
    const outcomes: Outcome[] = [];
    /** Codes of the cameras written, with whether the API said the write was done. */
    const writes = new Map<string, 'done' | 'failed'>();
    let stop = false;
    let n = 0;

    const record = async (kind: string, fn: () => Promise<Omit<Outcome, 'kind' | 'sent' | 'done'>>) => {
      const sent = now();
      const answer = await fn();
      outcomes.push({ kind, sent, done: now(), ...answer });
      return answer;
    };

    /** A client that creates cameras and, told SERVICE_UNAVAILABLE, sends the same one again. */
    const writer = async (w: number) => {
      while (!stop) {
        const code = `YUK-${w}-${++n}`;
        writes.set(code, 'failed');
        for (let attempt = 0; attempt < 100; attempt++) {
          let body: GraphQLResponse | undefined;
          const answer = await record('write', async () => {
            const res = await app.post(
              `mutation($i: CameraCreateInput!) { createCamera(input: $i) { id code } }`,
              { i: { code, name: `Yük ${code}`, kind: 'DOME', purpose: 'SECURITY', azimuth: 0, horizontalFov: 90, rangeMeters: 30, geometry: { type: 'Point', coordinates: [37.79, 37.01] } } },
              `Bearer ${app.admin.token}`,
            );
            body = (await res.json()) as GraphQLResponse;
            return { status: res.status, retryAfter: res.headers.get('retry-after'), codes: (body.errors ?? []).map((e) => e.extensions?.code as string) };
          });
          if (body?.data?.createCamera) {
            writes.set(code, 'done');
            break;
          }
          // CONFLICT on a retry: an earlier attempt did commit (its answer was lost on the way).
          if (answer.codes[0] !== 'SERVICE_UNAVAILABLE') break;
          await sleep(50);
        }
      }
    };

    const reader = async (kinds: string[], anonymous: boolean) => {
      for (let i = 0; !stop; i++) {
        const kind = kinds[i % kinds.length];
        await record(kind, () => request(kind, anonymous));
        await sleep(5);
      }
    };

    const load = Promise.all([
      writer(1),
      writer(2),
      reader(['graphql', 'tile', 'ogc', 'health'], false),
      reader(['graphql', 'ogc', 'tile'], true),
      reader(['graphql'], false),
    ]);

    await sleep(700);
    const cut = now();
    proxy.sever();
    await sleep(1500);
    const restored = now();
    await proxy.restore();
    // The API answers again: the first full answer of each kind after the database came back.
    const back: Record<string, number> = {};
    while (now() - restored < 10000 && Object.keys(back).length < 5) {
      for (const o of outcomes) if (o.sent >= restored && o.status === 200 && !back[o.kind] && (o.kind !== 'graphql' || o.codes.length === 0)) back[o.kind] = o.done - restored;
      await sleep(20);
    }
    await sleep(300);
    stop = true;
    await load;

    // Never an internal error, before, during or after.
    const internal = outcomes.filter((o) => o.status >= 500 && o.status !== 503).concat(outcomes.filter((o) => o.codes.includes('INTERNAL_SERVER_ERROR')));
    expect(internal).toEqual([]);
    // While the database is gone, every answer says so: 503, Retry-After, SERVICE_UNAVAILABLE.
    const during = outcomes.filter((o) => o.sent > cut + 50 && o.done < restored);
    expect(during.length).toBeGreaterThan(5);
    for (const o of during) {
      expect({ kind: o.kind, status: o.status, retryAfter: o.retryAfter, codes: [...new Set(o.codes)] }).toEqual({
        kind: o.kind,
        status: 503,
        retryAfter: expect.stringMatching(/^\d+$/),
        codes: [o.kind === 'health' ? 'unavailable' : 'SERVICE_UNAVAILABLE'],
      });
    }
    // And the API answers again within 5 s of the database, on every route.
    expect(Object.keys(back).sort()).toEqual(['graphql', 'health', 'ogc', 'tile', 'write']);
    for (const ms of Object.values(back)) expect(ms).toBeLessThan(5000);

    // No acknowledged write lost, none applied twice, each with its audit row.
    const rows = await direct('cameras').whereLike('code', 'YUK-%').select('id', 'code');
    const count = new Map<string, number>();
    for (const r of rows) count.set(r.code, (count.get(r.code) ?? 0) + 1);
    expect([...count.values()].filter((c) => c > 1)).toEqual([]);
    const lost = [...writes].filter(([code, said]) => said === 'done' && !count.has(code));
    expect(lost).toEqual([]);
    expect([...writes.values()].filter((s) => s === 'done').length).toBeGreaterThan(2);
    const audited = await direct('audit_log').where({ entity: 'CAMERAS', action: 'CREATE' }).whereIn('entity_id', rows.map((r) => String(r.id))).select('entity_id');
    expect(audited.map((a) => Number(a.entity_id)).sort((a, b) => a - b)).toEqual(rows.map((r) => r.id).sort((a, b) => a - b));
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
