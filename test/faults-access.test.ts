import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertUserWithGrants } from './helpers/access';
import { insertNeighbourhood, insertOrgUnit, insertUser } from './helpers/factories';
import { assetState, insertAsset, MANAGER_GRANTS, REPORTER_GRANTS, trail } from './helpers/faults';

/**
 * Faults under the permission model: the IT directorate manages every fault; Zabıta and Fen İşleri
 * report faults on their own assets, read their own directorate's faults and reopen them; an
 * area-limited manager manages only inside its area. Outside the read scope a fault or asset does
 * not exist (NOT_FOUND); visible without the grant for the step, FORBIDDEN.
 */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string> = {};
const BOX_A: [number, number, number, number] = [37.7, 37.0, 37.72, 37.02];
const BOX_B: [number, number, number, number] = [37.74, 37.0, 37.76, 37.02];

const REPORT = `mutation($a: ID!) { reportFault(input: { assetId: $a, category: HARDWARE, description: "Ekran gelmiyor" }) { id version state } }`;
const ASSIGN = `mutation($id: ID!, $v: Int!, $a: ID!) { assignFault(id: $id, version: $v, assigneeId: $a) { state version } }`;
const START = `mutation($id: ID!, $v: Int!) { startFault(id: $id, version: $v) { state version } }`;
const RESOLVE = `mutation($id: ID!, $v: Int!) { resolveFault(id: $id, version: $v, cause: "Kablo", resolution: "Kablo değişti") { state version asset { state } } }`;
const REOPEN = `mutation($id: ID!, $v: Int!) { reopenFault(id: $id, version: $v, note: "Yine olmuyor") { state version reopenCount resolvedAt asset { state } } }`;
const FAULT = `query($id: ID!) { fault(id: $id) { id state } }`;

async function ok(query: string, vars: Record<string, unknown>, as: string): Promise<any> {
  const res = await app.gql(query, vars, as);
  expect(res.errors).toBeUndefined();
  return Object.values(res.data)[0];
}

beforeAll(async () => {
  app = await startTestApp();
  id.bim = await insertOrgUnit(app.knex, 'BIM');
  id.zab = await insertOrgUnit(app.knex, 'ZAB');
  id.fen = await insertOrgUnit(app.knex, 'FEN');
  id.nA = await insertNeighbourhood(app.knex, BOX_A, { name: 'A' });
  id.nB = await insertNeighbourhood(app.knex, BOX_B, { name: 'B' });
  ({ id: id.it, token: token.it } = await insertUserWithGrants(app.knex, id.bim, 'bim', MANAGER_GRANTS));
  ({ token: token.zab } = await insertUserWithGrants(app.knex, id.zab, 'zabita', REPORTER_GRANTS));
  ({ token: token.fen } = await insertUserWithGrants(app.knex, id.fen, 'fen', REPORTER_GRANTS));
  ({ token: token.areaIt } = await insertUserWithGrants(app.knex, id.bim, 'bim.a', [
    { resource: 'ASSETS', action: 'READ' },
    { resource: 'FAULTS', action: 'READ' },
    { resource: 'FAULTS', action: 'UPDATE', neighbourhoodIds: [id.nA] },
  ]));
  id.tech = await insertUser(app.knex, id.bim, 'teknisyen');
  id.zabPc = await insertAsset(app.knex, BOX_A[0] + 0.005, BOX_A[1] + 0.005, id.zab);
  id.zabPrinter = await insertAsset(app.knex, BOX_B[0] + 0.005, BOX_B[1] + 0.005, id.zab, { type: 'PRINTER' });
  id.fenPc = await insertAsset(app.knex, BOX_A[0] + 0.006, BOX_A[1] + 0.006, id.fen);
});
afterAll(() => app.close());

describe('reporting', () => {
  it('lets a directorate report on its own assets only: another\'s asset does not exist for it, and nothing is written', async () => {
    const res = await app.gql(REPORT, { a: String(id.fenPc) }, token.zab);
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(res.errors![0].message).toBe(`asset ${id.fenPc} does not exist`);
    expect(await assetState(app.knex, id.fenPc)).toBe('IN_USE');
    expect(await app.knex('faults').count({ n: '*' }).first()).toEqual({ n: 0 });
    expect(codeOf(await app.gql(REPORT, { a: String(id.zabPc) }, null))).toBe('UNAUTHENTICATED');
    const noGrant = await insertUserWithGrants(app.knex, id.zab, 'zabita.okur', [{ resource: 'ASSETS', action: 'READ', ownOrgUnitOnly: true }]);
    expect(codeOf(await app.gql(REPORT, { a: String(id.zabPc) }, noGrant.token))).toBe('FORBIDDEN');
    const f = await ok(REPORT, { a: String(id.zabPc) }, token.zab);
    id.zabFault = Number(f.id);
    id.fenFault = Number((await ok(REPORT, { a: String(id.fenPc) }, token.fen)).id);
  });

  it('shows each directorate its own faults only, through every path; the IT directorate sees all', async () => {
    const LIST = `{ faults { totalCount edges { node { id } } } }`;
    const ids = async (as: string) => (await ok(LIST, {}, as)).edges.map((e: any) => Number(e.node.id));
    expect(await ids(token.zab)).toEqual([id.zabFault]);
    expect(await ids(token.fen)).toEqual([id.fenFault]);
    expect(await ids(token.it)).toEqual([id.zabFault, id.fenFault]);
    expect(codeOf(await app.gql(FAULT, { id: String(id.zabFault) }, token.fen))).toBe('NOT_FOUND');
    const figures = await ok(`{ faultFigures(by: ORG_UNIT) { key count } }`, {}, token.fen);
    expect(figures).toEqual([{ key: 'FEN', count: 1 }]);
    const history = await ok(`query($id: ID!) { asset(id: $id) { faults { id } } }`, { id: String(id.zabPc) }, token.it);
    expect(history.faults).toEqual([{ id: String(id.zabFault) }]);
    expect(codeOf(await app.gql(REOPEN, { id: String(id.zabFault), v: 1 }, token.fen))).toBe('NOT_FOUND');
    expect(codeOf(await app.gql(`{ faults { totalCount } }`, {}, null))).toBe('UNAUTHENTICATED');
  });
});

describe('managing', () => {
  it('refuses management steps to a reporting directorate (FORBIDDEN) and writes nothing', async () => {
    const before = await trail(app.knex, id.zabFault);
    const res = await app.gql(ASSIGN, { id: String(id.zabFault), v: 1, a: String(id.tech) }, token.zab);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(`mutation($id: ID!) { cancelFault(id: $id, version: 1, note: "x") { id } }`, { id: String(id.zabFault) }, token.zab))).toBe('FORBIDDEN');
    expect(await trail(app.knex, id.zabFault)).toEqual(before);
  });

  it('keeps an area-limited manager to faults inside its area: FORBIDDEN for one it can read outside', async () => {
    const outside = Number((await ok(REPORT, { a: String(id.zabPrinter) }, token.zab)).id);
    const res = await app.gql(ASSIGN, { id: String(outside), v: 1, a: String(id.tech) }, token.areaIt);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(res.errors![0].message).toMatch(/outside the area or directorate where you may update faults/);
    expect(await ok(ASSIGN, { id: String(id.zabFault), v: 1, a: String(id.tech) }, token.areaIt)).toEqual({ state: 'ASSIGNED', version: 2 });
    expect(codeOf(await app.gql(ASSIGN, { id: String(outside), v: 1, a: '99999' }, token.it))).toBe('BAD_USER_INPUT');
  });
});

describe('reopening', () => {
  it('lets the reporting directorate reopen a resolved fault: the asset is FAULTY again, and resolving it again restores it', async () => {
    await ok(START, { id: String(id.zabFault), v: 2 }, token.it);
    expect(await ok(RESOLVE, { id: String(id.zabFault), v: 3 }, token.it)).toMatchObject({ state: 'RESOLVED', asset: { state: 'IN_USE' } });
    const before = await trail(app.knex, id.zabFault);
    const reopened = await ok(REOPEN, { id: String(id.zabFault), v: 4 }, token.zab);
    expect(reopened).toEqual({ state: 'REOPENED', version: 5, reopenCount: 1, resolvedAt: null, asset: { state: 'FAULTY' } });
    expect(await trail(app.knex, id.zabFault)).toEqual({ audit: before.audit + 1, events: before.events + 1 });
    const event = await app.knex('fault_events').where({ fault_id: id.zabFault }).orderBy('id', 'desc').first();
    expect(event).toMatchObject({ from_state: 'RESOLVED', to_state: 'REOPENED', note: 'Yine olmuyor' });
    // Another directorate cannot, and the reporter cannot go on to work it.
    expect(codeOf(await app.gql(START, { id: String(id.zabFault), v: 5 }, token.zab))).toBe('FORBIDDEN');
    await ok(START, { id: String(id.zabFault), v: 5 }, token.it);
    expect(await assetState(app.knex, id.zabPc)).toBe('IN_REPAIR');
    expect(await ok(RESOLVE, { id: String(id.zabFault), v: 6 }, token.it)).toMatchObject({ state: 'RESOLVED', asset: { state: 'IN_USE' } });
  });

  it('refuses reopening while the asset has another open fault (CONFLICT naming it)', async () => {
    const second = Number((await ok(REPORT, { a: String(id.zabPc) }, token.zab)).id);
    const res = await app.gql(REOPEN, { id: String(id.zabFault), v: 7 }, token.zab);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors![0].extensions!.openFaultId).toBe(String(second));
    expect((await app.knex('faults').where({ id: id.zabFault }).first('state')).state).toBe('RESOLVED');
  });
});

describe('vendors', () => {
  const CREATE = `mutation($input: VendorCreateInput!) { createVendor(input: $input) { id name contractEndsOn version } }`;
  const UPDATE = `mutation($id: ID!, $v: Int!, $input: VendorUpdateInput!) { updateVendor(id: $id, version: $v, input: $input) { name phone version } }`;

  it('are administered under the VENDORS grants, audited, with optimistic locking and unique names', async () => {
    const admin = await insertUserWithGrants(app.knex, id.bim, 'bim.satinalma', [
      { resource: 'VENDORS', action: 'READ' },
      { resource: 'VENDORS', action: 'CREATE' },
      { resource: 'VENDORS', action: 'UPDATE' },
    ]);
    const created = await ok(CREATE, { input: { name: 'Onarım Ltd.', contractNo: 'BS-2026/4', contractEndsOn: '2026-12-31' } }, admin.token);
    expect(created).toMatchObject({ name: 'Onarım Ltd.', contractEndsOn: '2026-12-31', version: 1 });
    const vid = created.id;
    expect(await ok(UPDATE, { id: vid, v: 1, input: { phone: '0342 000 00 00' } }, admin.token)).toEqual({ name: 'Onarım Ltd.', phone: '0342 000 00 00', version: 2 });
    expect(codeOf(await app.gql(UPDATE, { id: vid, v: 1, input: { phone: 'x' } }, admin.token))).toBe('CONFLICT');
    expect(codeOf(await app.gql(CREATE, { input: { name: 'onarım ltd.' } }, admin.token))).toBe('CONFLICT');
    expect(codeOf(await app.gql(CREATE, { input: { name: ' ' } }, admin.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql(UPDATE, { id: '99999', v: 1, input: { phone: 'x' } }, admin.token))).toBe('NOT_FOUND');
    const audit = await app.knex('audit_log').where({ entity: 'VENDORS', entity_id: vid }).orderBy('id');
    expect(audit.map((a) => a.action)).toEqual(['CREATE', 'UPDATE']);
    expect(audit[1].before).toMatchObject({ phone: null, version: 1 });
    expect(await ok(`{ vendors(search: "onarim") { name } }`, {}, admin.token)).toEqual([{ name: 'Onarım Ltd.' }]);
    // The IT fault managers read vendors but do not administer them; reporters do neither.
    expect(codeOf(await app.gql(CREATE, { input: { name: 'Başka' } }, token.it))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(UPDATE, { id: vid, v: 2, input: { phone: 'x' } }, token.it))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(`{ vendors { name } }`, {}, token.zab))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(`{ vendors { name } }`, {}, null))).toBe('UNAUTHENTICATED');
  });
});
