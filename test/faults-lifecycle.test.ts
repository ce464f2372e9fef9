import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertUserWithGrants } from './helpers/access';
import { insertNeighbourhood, insertOrgUnit, insertUser } from './helpers/factories';
import { assetState, FAULT_FIELDS, insertAsset, insertVendor, MANAGER_GRANTS, REPORTER_GRANTS, trail } from './helpers/faults';

/**
 * The fault workflow: every step in one transaction with its event and its audit row, the asset's
 * state in lockstep with the fault, and every refusal leaving nothing written.
 */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string> = {};
const BOX: [number, number, number, number] = [37.7, 37.0, 37.72, 37.02];

const REPORT = `mutation($input: ReportFaultInput!) { reportFault(input: $input) { ${FAULT_FIELDS} ownerOrgUnit { code } reporterName geometry events { fromState toState actorName } } }`;
const STEP = {
  assign: `mutation($id: ID!, $v: Int!, $a: ID!) { r: assignFault(id: $id, version: $v, assigneeId: $a) { ${FAULT_FIELDS} assignedAt } }`,
  start: `mutation($id: ID!, $v: Int!) { r: startFault(id: $id, version: $v) { ${FAULT_FIELDS} startedAt } }`,
  wait: `mutation($id: ID!, $v: Int!, $reason: WaitReason!, $repair: VendorRepairInput) { r: waitFault(id: $id, version: $v, reason: $reason, vendorRepair: $repair) { ${FAULT_FIELDS} } }`,
  back: `mutation($id: ID!, $v: Int!) { r: returnFromVendor(repairId: $id, version: $v, returnedOn: "2026-03-10", outcome: REPAIRED, costTry: 0) { ${FAULT_FIELDS} } }`,
  resolve: `mutation($id: ID!, $v: Int!, $c: String!, $r: String!) { r: resolveFault(id: $id, version: $v, cause: $c, resolution: $r) { ${FAULT_FIELDS} cause resolution resolvedAt resolveHours } }`,
  close: `mutation($id: ID!, $v: Int!) { r: closeFault(id: $id, version: $v) { ${FAULT_FIELDS} closedAt } }`,
  reopen: `mutation($id: ID!, $v: Int!, $n: String!) { r: reopenFault(id: $id, version: $v, note: $n) { ${FAULT_FIELDS} resolvedAt } }`,
  cancel: `mutation($id: ID!, $v: Int!, $n: String!) { r: cancelFault(id: $id, version: $v, note: $n) { ${FAULT_FIELDS} cancelledAt } }`,
};

async function report(assetId: number, as = token.zab): Promise<any> {
  const res = await app.gql(REPORT, { input: { assetId: String(assetId), category: 'HARDWARE', priority: 'HIGH', description: 'Açılmıyor' } }, as);
  expect(res.errors).toBeUndefined();
  return res.data.reportFault;
}

/** Takes a step and checks it left exactly one event and one FAULTS audit row. */
async function step(name: keyof typeof STEP, faultId: number | string, vars: Record<string, unknown>, as = token.it): Promise<any> {
  // returnFromVendor takes the vendor repair's id.
  const fault = name === 'back' ? (await app.knex('vendor_repairs').where({ id: faultId }).first('fault_id')).fault_id : Number(faultId);
  const before = await trail(app.knex, fault);
  const res = await app.gql(STEP[name], { id: String(faultId), ...vars }, as);
  expect(res.errors).toBeUndefined();
  expect(await trail(app.knex, fault)).toEqual({ audit: before.audit + 1, events: before.events + 1 });
  return res.data.r;
}

beforeAll(async () => {
  app = await startTestApp();
  id.bim = await insertOrgUnit(app.knex, 'BIM');
  id.zab = await insertOrgUnit(app.knex, 'ZAB');
  await insertNeighbourhood(app.knex, BOX, { name: 'A' });
  ({ id: id.it, token: token.it } = await insertUserWithGrants(app.knex, id.bim, 'bim.yonetici', MANAGER_GRANTS, { fullName: 'Bilgi İşlem Yönetici' }));
  ({ id: id.zabUser, token: token.zab } = await insertUserWithGrants(app.knex, id.zab, 'zabita.memur', REPORTER_GRANTS, { fullName: 'Zabıta Memuru' }));
  id.tech = await insertUser(app.knex, id.bim, 'teknisyen', { fullName: 'Teknisyen Ali' });
  id.vendor = await insertVendor(app.knex, 'Bakım A.Ş.', '2027-12-31');
  id.pc = await insertAsset(app.knex, BOX[0] + 0.005, BOX[1] + 0.005, id.zab, { warranty_ends_on: '2026-12-31' });
});
afterAll(() => app.close());

describe('the workflow', () => {
  it('reports a fault on an asset: the asset becomes FAULTY; the fault is the reporting directorate\'s, where the asset is', async () => {
    const before = await app.knex('audit_log').where({ entity: 'ASSETS' }).count({ n: '*' }).first();
    const f = await report(id.pc);
    expect(f).toMatchObject({ state: 'NEW', version: 1, ownerOrgUnit: { code: 'ZAB' }, reporterName: 'Zabıta Memuru', asset: { state: 'FAULTY' } });
    expect(f.geometry.coordinates[0]).toBeCloseTo(BOX[0] + 0.005, 8);
    expect(f.geometry.coordinates[1]).toBeCloseTo(BOX[1] + 0.005, 8);
    expect(f.events).toEqual([{ fromState: null, toState: 'NEW', actorName: 'Zabıta Memuru' }]);
    expect(await trail(app.knex, Number(f.id))).toEqual({ audit: 1, events: 1 });
    const after = await app.knex('audit_log').where({ entity: 'ASSETS' }).count({ n: '*' }).first();
    expect(Number(after!.n)).toBe(Number(before!.n) + 1);
    id.fault = Number(f.id);
  });

  it('walks it through with the asset in lockstep: FAULTY → IN_REPAIR → AT_VENDOR → IN_REPAIR → back IN_USE', async () => {
    let f = await step('assign', id.fault, { v: 1, a: String(id.tech) });
    expect(f).toMatchObject({ state: 'ASSIGNED', assigneeName: 'Teknisyen Ali', asset: { state: 'FAULTY' } });
    expect(f.assignedAt).not.toBeNull();
    f = await step('start', id.fault, { v: 2 });
    expect(f).toMatchObject({ state: 'IN_PROGRESS', asset: { state: 'IN_REPAIR' } });
    expect(f.startedAt).not.toBeNull();
    f = await step('wait', id.fault, { v: 3, reason: 'VENDOR', repair: { vendorId: String(id.vendor), basis: 'WARRANTY', sentOn: '2026-03-01', expectedBackOn: '2026-03-15' } });
    expect(f).toMatchObject({ state: 'WAITING_VENDOR', asset: { state: 'AT_VENDOR' }, vendorRepairs: [{ returnedOn: null, outcome: null }] });
    // While the asset is away, work cannot simply start again: its return is recorded first.
    const early = await app.gql(STEP.start, { id: String(id.fault), v: 4 }, token.it);
    expect(codeOf(early)).toBe('BAD_USER_INPUT');
    expect(early.errors![0].message).toMatch(/returnFromVendor/);
    const repair = f.vendorRepairs[0];
    f = await step('back', repair.id, { v: repair.version });
    expect(f).toMatchObject({ state: 'IN_PROGRESS', version: 5, asset: { state: 'IN_REPAIR' }, vendorRepairs: [{ returnedOn: '2026-03-10', outcome: 'REPAIRED', version: 2 }] });
    expect(codeOf(await app.gql(STEP.back, { id: repair.id, v: 2 }, token.it))).toBe('BAD_USER_INPUT');
    f = await step('resolve', id.fault, { v: 5, c: 'Güç kaynağı arızası', r: 'Güç kaynağı değiştirildi' });
    expect(f).toMatchObject({ state: 'RESOLVED', cause: 'Güç kaynağı arızası', resolution: 'Güç kaynağı değiştirildi', asset: { state: 'IN_USE' } });
    expect(f.resolveHours).toBeGreaterThanOrEqual(0);
    f = await step('close', id.fault, { v: 6 });
    expect(f).toMatchObject({ state: 'CLOSED', version: 7, asset: { state: 'IN_USE' } });
    const history = await app.gql(`query($id: ID!) { fault(id: $id) { events { fromState toState actorName } } }`, { id: String(id.fault) }, token.it);
    expect(history.data.fault.events.map((e: any) => e.toState)).toEqual(['NEW', 'ASSIGNED', 'IN_PROGRESS', 'WAITING_VENDOR', 'IN_PROGRESS', 'RESOLVED', 'CLOSED']);
    expect(history.data.fault.events[1]).toEqual({ fromState: 'NEW', toState: 'ASSIGNED', actorName: 'Bilgi İşlem Yönetici' });
  });

  it('refuses steps the state does not allow, naming the allowed ones, and leaves nothing written', async () => {
    const before = await trail(app.knex, id.fault);
    const start = await app.gql(STEP.start, { id: String(id.fault), v: 7 }, token.it);
    expect(codeOf(start)).toBe('BAD_USER_INPUT');
    expect(start.errors![0].extensions!.allowed).toEqual(['REOPENED']);
    expect(start.errors![0].message).toMatch(/CLOSED cannot become IN_PROGRESS; allowed: REOPENED/);
    const cancel = await app.gql(STEP.cancel, { id: String(id.fault), v: 7, n: 'vazgeçildi' }, token.it);
    expect(codeOf(cancel)).toBe('BAD_USER_INPUT');
    const other = await insertAsset(app.knex, BOX[0] + 0.006, BOX[1] + 0.006, id.zab);
    const fresh = await report(other);
    const resolve = await app.gql(STEP.resolve, { id: fresh.id, v: 1, c: 'x', r: 'y' }, token.it);
    expect(resolve.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', allowed: ['ASSIGNED', 'CANCELLED'] });
    await step('assign', fresh.id, { v: 1, a: String(id.tech) });
    await step('start', fresh.id, { v: 2 });
    expect(codeOf(await app.gql(STEP.resolve, { id: fresh.id, v: 3, c: ' ', r: 'y' }, token.it))).toBe('BAD_USER_INPUT');
    expect(await trail(app.knex, id.fault)).toEqual(before);
    expect(await trail(app.knex, Number(fresh.id))).toEqual({ audit: 3, events: 3 });
    expect(await assetState(app.knex, other)).toBe('IN_REPAIR');
    id.fresh = Number(fresh.id);
    id.other = other;
  });

  it('refuses a stale version, and a second open fault on an asset naming the open one (CONFLICT)', async () => {
    const stale = await app.gql(STEP.assign, { id: String(id.fresh), v: 1, a: String(id.tech) }, token.it);
    expect(codeOf(stale)).toBe('CONFLICT');
    expect(stale.errors![0].extensions!.currentVersion).toBe(3);
    const again = await app.gql(REPORT, { input: { assetId: String(id.other), category: 'SOFTWARE', description: 'yine' } }, token.zab);
    expect(codeOf(again)).toBe('CONFLICT');
    expect(again.errors![0].extensions!.openFaultId).toBe(String(id.fresh));
    expect(await assetState(app.knex, id.other)).toBe('IN_REPAIR');
    expect(await app.knex('faults').where({ asset_id: id.other }).count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('leaves an asset proposed for disposal to its disposal: a report on it is refused and moves nothing', async () => {
    const old = await insertAsset(app.knex, BOX[0] + 0.008, BOX[1] + 0.008, id.zab, { state: 'PENDING_DISPOSAL' });
    const res = await app.gql(REPORT, { input: { assetId: String(old), category: 'HARDWARE', description: 'x' } }, token.zab);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/PENDING_DISPOSAL: its disposal decides/);
    expect(await assetState(app.knex, old)).toBe('PENDING_DISPOSAL');
    expect(await app.knex('audit_log').where({ entity: 'ASSETS', entity_id: String(old) }).first()).toBeUndefined();
  });

  it('cancels a fault with a reason, returning the asset to the state the report found it in', async () => {
    const spare = await insertAsset(app.knex, BOX[0] + 0.007, BOX[1] + 0.007, id.zab, { state: 'IN_STOCK' });
    const f = await report(spare);
    expect(f.asset.state).toBe('FAULTY');
    expect(codeOf(await app.gql(STEP.cancel, { id: f.id, v: 1, n: '' }, token.it))).toBe('BAD_USER_INPUT');
    const done = await step('cancel', f.id, { v: 1, n: 'Yanlış bildirim' });
    expect(done).toMatchObject({ state: 'CANCELLED', asset: { state: 'IN_STOCK' } });
    expect(done.cancelledAt).not.toBeNull();
  });

  it('rolls a failing step back whole: a reopening refused by the asset (disposed since) leaves the fault, events and audit as they were', async () => {
    const before = await trail(app.knex, id.fault);
    const row = await app.knex('faults').where({ id: id.fault }).first('state', 'version', 'reopen_count');
    await app.knex('assets').where({ id: id.pc }).update({ state: 'DISPOSED' });
    const res = await app.gql(STEP.reopen, { id: String(id.fault), v: 7, n: 'Yine bozuldu' }, token.zab);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/DISPOSED cannot become FAULTY/);
    expect(await app.knex('faults').where({ id: id.fault }).first('state', 'version', 'reopen_count')).toEqual(row);
    expect(await trail(app.knex, id.fault)).toEqual(before);
    await app.knex('assets').where({ id: id.pc }).update({ state: 'IN_USE' });
  });

  it('sends out only what can go: no vendor repair for a fault on a place, none under an expired warranty', async () => {
    const place = await app.gql(
      `mutation($input: ReportFaultInput!) { reportFault(input: $input) { id state asset { id } geometry } }`,
      { input: { geometry: { type: 'Point', coordinates: [BOX[0] + 0.01, BOX[1] + 0.01] }, category: 'NETWORK', description: 'Direkteki kamera hattı kopuk' } },
      token.zab,
    );
    expect(place.errors).toBeUndefined();
    expect(place.data.reportFault).toMatchObject({ state: 'NEW', asset: null, geometry: { type: 'Point' } });
    expect(place.data.reportFault.geometry.coordinates[0]).toBeCloseTo(BOX[0] + 0.01, 8);
    const pid = place.data.reportFault.id;
    await step('assign', pid, { v: 1, a: String(id.tech) });
    await step('start', pid, { v: 2 });
    const repair = { vendorId: String(id.vendor), basis: 'PAID', sentOn: '2026-03-01' };
    expect(codeOf(await app.gql(STEP.wait, { id: pid, v: 3, reason: 'VENDOR', repair }, token.it))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql(STEP.wait, { id: String(id.fresh), v: 3, reason: 'VENDOR', repair: { ...repair, basis: 'WARRANTY' } }, token.it))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql(STEP.wait, { id: String(id.fresh), v: 3, reason: 'PARTS', repair }, token.it))).toBe('BAD_USER_INPUT');
    const parts = await step('wait', id.fresh, { v: 3, reason: 'PARTS' });
    expect(parts).toMatchObject({ state: 'WAITING_PARTS', asset: { state: 'IN_REPAIR' }, vendorRepairs: [] });
    const both = await app.gql(REPORT, { input: { assetId: String(id.pc), geometry: { type: 'Point', coordinates: [37.7, 37] }, category: 'OTHER', description: 'x' } }, token.zab);
    expect(codeOf(both)).toBe('BAD_USER_INPUT');
  });
});
