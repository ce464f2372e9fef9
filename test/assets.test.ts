import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { assignRoles, insertRole, tokenFor } from './helpers/access';
import { insertCamera, insertNeighbourhood, insertOrgUnit, insertRemoteUnit, insertUser } from './helpers/factories';

/** The IT inventory: numbers, places on the map, states, counts, and who may read and change it. */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string> = {};
const BOX_A: [number, number, number, number] = [37.7, 37.0, 37.72, 37.02];
const BOX_B: [number, number, number, number] = [37.74, 37.0, 37.76, 37.02];

const CREATE = `mutation($input: AssetCreateInput!) {
  createAsset(input: $input) { id inventoryNo state version geometry remoteUnit { code } camera { code } ownerOrgUnit { code } neighbourhood { name } }
}`;
const STATE = `mutation($id: ID!, $v: Int!, $s: AssetState!) { changeAssetState(id: $id, version: $v, state: $s) { state version } }`;
let serial = 0;
const asset = (extra: Record<string, unknown>) => ({
  inventoryNo: `DMB-${++serial}`,
  serialNo: `SN-${serial}`,
  type: 'COMPUTER',
  make: 'Dell',
  model: 'OptiPlex 7010',
  ownerOrgUnitId: String(id.fen),
  ...extra,
});

async function create(extra: Record<string, unknown>, as?: string): Promise<any> {
  const res = await app.gql(CREATE, { input: asset(extra) }, as);
  expect(res.errors).toBeUndefined();
  return res.data.createAsset;
}

beforeAll(async () => {
  app = await startTestApp();
  id.fen = await insertOrgUnit(app.knex, 'FEN');
  id.zab = await insertOrgUnit(app.knex, 'ZAB');
  id.nA = await insertNeighbourhood(app.knex, BOX_A, { name: 'A' });
  id.nB = await insertNeighbourhood(app.knex, BOX_B, { name: 'B' });
  id.unitB = await insertRemoteUnit(app.knex, BOX_B[0] + 0.01, BOX_B[1] + 0.01, id.zab, { code: 'UB-B' });
  id.cam = await insertCamera(app.knex, BOX_A[0] + 0.004, BOX_A[1] + 0.004, { code: 'KAM-1' });
  id.fenUser = await insertUser(app.knex, id.fen, 'fen.personel');
  await assignRoles(app.knex, id.fenUser, await insertRole(app.knex, [{ resource: 'ASSETS', action: 'READ', ownOrgUnitOnly: true }]));
  token.fen = tokenFor(id.fenUser);
});
afterAll(() => app.close());

describe('the inventory', () => {
  it('takes an asset at a point, at a remote unit (its position), or as a camera of the camera layer', async () => {
    const pc = await create({ geometry: { type: 'Point', coordinates: [BOX_A[0] + 0.01, BOX_A[1] + 0.01] }, site: 'Hizmet binası, 2. kat' });
    expect(pc).toMatchObject({ state: 'IN_STOCK', version: 1, ownerOrgUnit: { code: 'FEN' }, neighbourhood: { name: 'A' } });
    const router = await create({ type: 'ROUTER', make: 'Cisco', model: 'ISR 1100', remoteUnitId: String(id.unitB), ownerOrgUnitId: String(id.zab), ipAddress: '10.20.30.1' });
    expect(router.remoteUnit).toEqual({ code: 'UB-B' });
    expect(router.geometry.coordinates).toEqual([BOX_B[0] + 0.01, BOX_B[1] + 0.01]);
    expect(router.neighbourhood).toEqual({ name: 'B' });
    const cam = await create({ type: 'CAMERA', cameraId: String(id.cam), make: 'Hikvision', model: 'DS-2CD2143' });
    expect(cam.camera).toEqual({ code: 'KAM-1' });
    const back = await app.gql(`query($id: ID!) { camera(id: $id) { asset { inventoryNo } } }`, { id: String(id.cam) });
    expect(back.data.camera.asset.inventoryNo).toBe(cam.inventoryNo);
    id.pc = Number(pc.id);
    id.router = Number(router.id);
  });

  it('refuses duplicate numbers (CONFLICT), a camera link on another type, bad addresses and unknown places (BAD_USER_INPUT)', async () => {
    const dup = await app.gql(CREATE, { input: { ...asset({ remoteUnitId: String(id.unitB) }), inventoryNo: 'DMB-1' } });
    expect(codeOf(dup)).toBe('CONFLICT');
    expect(codeOf(await app.gql(CREATE, { input: asset({ cameraId: String(id.cam), type: 'PRINTER' }) }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql(CREATE, { input: asset({ remoteUnitId: String(id.unitB), ipAddress: '999.1.1.1' }) }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql(CREATE, { input: asset({ remoteUnitId: '99999' }) }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql(CREATE, { input: asset({}) }))).toBe('BAD_USER_INPUT');
  });

  it('finds an asset by inventory or serial number, and filters by type, state, directorate, warranty and place', async () => {
    const by = async (n: string) => (await app.gql(`query($n: String!) { assetByNumber(number: $n) { id } }`, { n })).data.assetByNumber;
    expect(await by('DMB-1')).toEqual({ id: String(id.pc) });
    expect(await by('SN-1')).toEqual({ id: String(id.pc) });
    expect(await by('yok')).toBeNull();
    await app.knex('assets').where({ id: id.router }).update({ warranty_ends_on: '2025-06-30' });
    const Q = `query($f: AssetFilter, $s: SpatialFilter) { assets(filter: $f, spatial: $s) { totalCount edges { node { id } } } }`;
    const ids = async (f: unknown, s?: unknown) => (await app.gql(Q, { f, s })).data.assets.edges.map((e: any) => Number(e.node.id));
    expect(await ids({ type: ['ROUTER'] })).toEqual([id.router]);
    expect(await ids({ warrantyEndsBefore: '2026-01-01' })).toEqual([id.router]);
    expect(await ids({ ownerOrgUnitId: String(id.zab) })).toEqual([id.router]);
    expect(await ids({ remoteUnitId: String(id.unitB) })).toEqual([id.router]);
    expect(await ids({ search: 'optıplex' })).toEqual([id.pc]);
    expect(await ids(null, { inNeighbourhood: String(id.nB) })).toEqual([id.router]);
    expect(await ids(null, { withinDistance: { geometry: { type: 'Point', coordinates: [BOX_A[0] + 0.01, BOX_A[1] + 0.011] }, meters: 150 } })).toEqual([id.pc]);
    const bad = await app.gql(Q, { f: { warrantyEndsBefore: 'yarın' } });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  });

  it('counts assets per state, type, directorate and neighbourhood', async () => {
    const counts = async (by: string) =>
      (await app.gql(`query($by: AssetGrouping!) { assetCounts(by: $by) { key count } }`, { by })).data.assetCounts;
    expect(await counts('STATE')).toEqual([{ key: 'IN_STOCK', count: 3 }]);
    expect(await counts('OWNER')).toEqual([{ key: 'FEN', count: 2 }, { key: 'ZAB', count: 1 }]);
    expect(await counts('NEIGHBOURHOOD')).toEqual([{ key: String(id.nA), count: 2 }, { key: String(id.nB), count: 1 }]);
    const nb = await app.gql(`{ neighbourhoods { edges { node { name counts { assets } } } } }`);
    expect(nb.data.neighbourhoods.edges.map((e: any) => e.node.counts.assets)).toEqual([2, 1]);
  });
});

describe('asset states', () => {
  it('follow the allowed transitions; a refused one names the allowed states', async () => {
    let res = await app.gql(STATE, { id: String(id.pc), v: 1, s: 'IN_USE' });
    expect(res.data.changeAssetState).toEqual({ state: 'IN_USE', version: 2 });
    res = await app.gql(STATE, { id: String(id.pc), v: 2, s: 'DISPOSED' });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toBe('an asset that is IN_USE cannot become DISPOSED; allowed: IN_STOCK, FAULTY, PENDING_DISPOSAL, LOST');
    expect(res.errors![0].extensions?.allowed).toEqual(['IN_STOCK', 'FAULTY', 'PENDING_DISPOSAL', 'LOST']);
    res = await app.gql(STATE, { id: String(id.pc), v: 2, s: 'FAULTY' });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/through its fault/);
    expect(codeOf(await app.gql(STATE, { id: String(id.pc), v: 1, s: 'LOST' }))).toBe('CONFLICT');
  });

  it('never bring a DISPOSED asset back, and leave it out of the active inventory', async () => {
    await app.knex('assets').where({ id: id.router }).update({ state: 'DISPOSED' });
    const res = await app.gql(STATE, { id: String(id.router), v: 1, s: 'IN_USE' });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toBe('an asset that is DISPOSED cannot become IN_USE; allowed: none (it is final)');
    const active = await app.gql(`{ assets { totalCount } disposed: assets(filter: { state: [DISPOSED] }) { totalCount } }`);
    expect(active.data).toEqual({ assets: { totalCount: 2 }, disposed: { totalCount: 1 } });
  });

  it('record every change in the audit log', async () => {
    const entries = await app.knex('audit_log').where({ entity: 'ASSETS', entity_id: String(id.pc) }).orderBy('id');
    expect(entries.map((e) => [e.action, e.after?.state])).toEqual([
      ['CREATE', 'IN_STOCK'],
      ['UPDATE', 'IN_USE'],
    ]);
  });
});

describe('a directorate reading its own inventory', () => {
  it('sees its assets only, in lists, counts, by id and through the camera layer', async () => {
    const res = await app.gql(`{ assets { totalCount edges { node { ownerOrgUnit { code } } } } assetCounts(by: OWNER) { key count } }`, {}, token.fen);
    expect(res.errors).toBeUndefined();
    expect(res.data.assets.totalCount).toBe(2);
    expect(res.data.assetCounts).toEqual([{ key: 'FEN', count: 2 }]);
    const other = await app.gql(`query($id: ID!) { asset(id: $id) { id } }`, { id: String(id.router) }, token.fen);
    expect(codeOf(other)).toBe('NOT_FOUND');
    expect(codeOf(await app.gql(STATE, { id: String(id.pc), v: 2, s: 'IN_STOCK' }, token.fen))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(`{ assets { totalCount } }`, {}, null))).toBe('UNAUTHENTICATED');
  });

  it('loads a page of assets with their places in a constant number of statements', async () => {
    for (let i = 0; i < 10; i++) await create({ remoteUnitId: String(id.unitB), ownerOrgUnitId: String(id.zab) });
    const q = `{ assets(first: 100) { edges { node { inventoryNo remoteUnit { code } camera { code } ownerOrgUnit { code } neighbourhood { name } vendor { name } } } } }`;
    const { result, statements } = await app.countStatements(() => app.gql(q));
    expect(result.errors).toBeUndefined();
    expect(result.data.assets.edges).toHaveLength(12); // 2 + 10, the disposed router left out
    // access, page, remote units, cameras, org units, neighbourhoods
    expect(statements).toBeLessThanOrEqual(6);
  });
});
