import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { insertUserWithGrants, type GrantSpec } from './helpers/access';
import { insertOrgUnit, insertUser } from './helpers/factories';

/**
 * Disposal (hurda): proposal, decision (number and date), execution. The asset's state follows in
 * the same transaction; a disposed asset leaves the active inventory but stays on the record, its
 * custody ended. Every step is audited; refusals write nothing.
 */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string | null> = { anonymous: null };
let assetNo = 0;

async function user(name: string, orgUnit: number, grants: GrantSpec[]): Promise<void> {
  ({ id: id[name], token: token[name] } = await insertUserWithGrants(app.knex, orgUnit, name, grants));
}

async function insertAsset(owner: number, state = 'IN_USE'): Promise<{ id: string; inventoryNo: string }> {
  const inventoryNo = `HRD-${String(++assetNo).padStart(4, '0')}`;
  const [row] = await app
    .knex('assets')
    .insert({
      inventory_no: inventoryNo,
      serial_no: `SN-${assetNo}`,
      type: 'PRINTER',
      owner_org_unit_id: owner,
      state,
      geom: app.knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', [37.79 + assetNo * 1e-4, 37.01]),
    })
    .returning('id');
  return { id: String(row.id), inventoryNo };
}

const assetState = async (assetId: string) => (await app.knex('assets').where({ id: assetId }).first()).state;
const count = async (table: string) => Number((await app.knex(table).count({ n: '*' }).first())!.n);

/** A refused write: the error code, and no change to disposals, assets, custody or the audit log. */
async function refused(code: string, query: string, vars: Record<string, unknown>, as?: string | null): Promise<GraphQLResponse> {
  const snapshot = async () => [
    await app.knex('disposals').orderBy('id').select(),
    await app.knex('assets').orderBy('id').select('id', 'state', 'version'),
    await app.knex('custody').orderBy('id').select(),
    await count('audit_log'),
  ];
  const before = await snapshot();
  const res = await app.gql(query, vars, as);
  expect(codeOf(res)).toBe(code);
  expect(await snapshot()).toEqual(before);
  return res;
}

beforeAll(async () => {
  app = await startTestApp();
  id.bim = await insertOrgUnit(app.knex, 'BIM');
  id.fen = await insertOrgUnit(app.knex, 'FEN');
  id.ali = await insertUser(app.knex, id.bim, 'ali');
  const reads: GrantSpec[] = [
    { resource: 'ASSETS', action: 'READ' },
    { resource: 'USERS', action: 'READ' },
    { resource: 'DISPOSALS', action: 'READ' },
  ];
  await user('officer', id.bim, [...reads, ...(['CREATE', 'UPDATE'] as const).map((action) => ({ resource: 'DISPOSALS' as const, action, ownOrgUnitOnly: true }))]);
  await user('reader', id.bim, reads);
  await user('fenOfficer', id.fen, [
    { resource: 'ASSETS', action: 'READ', ownOrgUnitOnly: true },
    { resource: 'DISPOSALS', action: 'READ' },
    { resource: 'DISPOSALS', action: 'CREATE' },
    { resource: 'DISPOSALS', action: 'UPDATE' },
  ]);
});
afterAll(() => app.close());

const FIELDS = `id state reason version decisionNo decisionDate executedAt assetStateBefore asset { id state } proposedBy { username } decidedBy { username } executedBy { username }`;
const PROPOSE = `mutation($a: ID!, $reason: String!) { proposeDisposal(assetId: $a, reason: $reason) { ${FIELDS} } }`;
const DECIDE = `mutation($id: ID!, $v: Int!, $ok: Boolean!, $no: String!, $date: Date!) {
  decideDisposal(id: $id, version: $v, approved: $ok, decisionNo: $no, decisionDate: $date) { ${FIELDS} }
}`;
const EXECUTE = `mutation($id: ID!, $v: Int!) { executeDisposal(id: $id, version: $v) { ${FIELDS} } }`;

describe('proposal, decision, execution', () => {
  it('takes an asset to DISPOSED: out of the active inventory, on the record, its custody ended, every step audited', async () => {
    const asset = await insertAsset(id.bim);
    await app.knex('custody').insert({ asset_id: asset.id, holder_user_id: id.ali, note: 'Muhasebe yazıcısı' });

    const proposed = await app.gql(PROPOSE, { a: asset.id, reason: 'Tamiri ekonomik değil' }, token.officer);
    expect(proposed.errors).toBeUndefined();
    const d = proposed.data.proposeDisposal;
    expect(d).toMatchObject({ state: 'PROPOSED', version: 1, assetStateBefore: 'IN_USE', asset: { state: 'PENDING_DISPOSAL' }, proposedBy: { username: 'officer' } });

    const approved = await app.gql(DECIDE, { id: d.id, v: 1, ok: true, no: '2026/45', date: '2026-11-20' }, token.officer);
    expect(approved.data.decideDisposal).toMatchObject({ state: 'APPROVED', version: 2, decisionNo: '2026/45', decisionDate: '2026-11-20', decidedBy: { username: 'officer' }, asset: { state: 'PENDING_DISPOSAL' } });

    const executed = await app.gql(EXECUTE, { id: d.id, v: 2 }, token.officer);
    expect(executed.errors).toBeUndefined();
    expect(executed.data.executeDisposal).toMatchObject({ state: 'EXECUTED', version: 3, executedBy: { username: 'officer' }, asset: { state: 'DISPOSED' } });
    expect(executed.data.executeDisposal.executedAt).not.toBeNull();

    // Its custody ended in the same transaction; the history is kept.
    const custody = await app.knex('custody').where({ asset_id: asset.id }).first();
    expect(custody.to_at).not.toBeNull();
    expect(custody.return_note).toBe(`disposed of: disposal ${d.id}, decision 2026/45`);
    const execution = await app.knex('audit_log').where('request_id', (await app.knex('audit_log').where({ entity: 'DISPOSALS', entity_id: d.id }).orderBy('id', 'desc').first()).request_id).orderBy('id');
    expect(execution.map((e: any) => [e.entity, e.action])).toEqual([
      ['ASSETS', 'UPDATE'],
      ['CUSTODY', 'UPDATE'],
      ['DISPOSALS', 'UPDATE'],
    ]);

    // Gone from the active inventory, present when asked for by state, and in the audit log.
    const list = `query($f: AssetFilter) { assets(filter: $f) { edges { node { id state disposals { id state } } } } }`;
    expect((await app.gql(list, { f: { inventoryNo: asset.inventoryNo } })).data.assets.edges).toEqual([]);
    expect((await app.gql(list, { f: { inventoryNo: asset.inventoryNo, state: ['DISPOSED'] } })).data.assets.edges).toEqual([
      { node: { id: asset.id, state: 'DISPOSED', disposals: [{ id: d.id, state: 'EXECUTED' }] } },
    ]);
    const log = await app.gql(`query($id: ID!) { auditLog(filter: { entity: ASSETS, entityId: $id }) { edges { node { action before after } } } }`, { id: asset.id });
    expect(log.data.auditLog.edges.map((e: any) => [e.node.before.state, e.node.after.state])).toEqual([
      ['PENDING_DISPOSAL', 'DISPOSED'],
      ['IN_USE', 'PENDING_DISPOSAL'],
    ]);
    expect((await app.gql(`query($id: ID!) { disposal(id: $id) { state asset { inventoryNo } } }`, { id: d.id }, token.reader)).data.disposal).toEqual({
      state: 'EXECUTED',
      asset: { inventoryNo: asset.inventoryNo },
    });
    // It cannot be given into custody again, nor proposed again.
    const give = `mutation($a: ID!, $u: ID!) { giveCustody(assetId: $a, toUserId: $u) { id } }`;
    expect(codeOf(await app.gql(give, { a: asset.id, u: String(id.ali) }))).toBe('CONFLICT');
    expect((await refused('BAD_USER_INPUT', PROPOSE, { a: asset.id, reason: 'yine' })).errors![0].message).toMatch(/DISPOSED cannot become PENDING_DISPOSAL/);
  });

  it('a rejection returns the asset to the state it was in (FAULTY for one that was in repair)', async () => {
    for (const [before, after] of [['IN_STOCK', 'IN_STOCK'], ['IN_REPAIR', 'FAULTY']]) {
      const asset = await insertAsset(id.bim, before);
      const d = (await app.gql(PROPOSE, { a: asset.id, reason: 'Eski' }, token.officer)).data.proposeDisposal;
      expect(d.assetStateBefore).toBe(before);
      const rejected = await app.gql(DECIDE, { id: d.id, v: 1, ok: false, no: '2026/46', date: '2026-11-21' }, token.officer);
      expect(rejected.errors).toBeUndefined();
      expect(rejected.data.decideDisposal).toMatchObject({ state: 'REJECTED', decisionNo: '2026/46', asset: { state: after } });
      await refused('CONFLICT', EXECUTE, { id: d.id, v: 2 }, token.officer);
      // A new proposal may follow a rejected one.
      expect((await app.gql(PROPOSE, { a: asset.id, reason: 'Yeniden' }, token.officer)).errors).toBeUndefined();
    }
  });

  it('refuses a second open proposal, a stale version, deciding twice, executing before approval, and bad input', async () => {
    const asset = await insertAsset(id.bim);
    const d = (await app.gql(PROPOSE, { a: asset.id, reason: 'Kırık' })).data.proposeDisposal;
    expect((await refused('CONFLICT', PROPOSE, { a: asset.id, reason: 'İkinci' })).errors![0].message).toMatch(/already has an open disposal/);
    await refused('BAD_USER_INPUT', PROPOSE, { a: (await insertAsset(id.bim)).id, reason: '   ' });
    await refused('NOT_FOUND', PROPOSE, { a: '999999', reason: 'yok' });
    expect((await refused('CONFLICT', EXECUTE, { id: d.id, v: 1 })).errors![0].message).toMatch(/not been decided yet/);
    await refused('BAD_USER_INPUT', DECIDE, { id: d.id, v: 1, ok: true, no: '2026/47', date: '2026-02-30' });
    await refused('BAD_USER_INPUT', DECIDE, { id: d.id, v: 1, ok: true, no: ' ', date: '2026-11-22' });
    expect((await refused('CONFLICT', DECIDE, { id: d.id, v: 7, ok: true, no: '2026/47', date: '2026-11-22' })).errors![0].extensions?.currentVersion).toBe(1);
    expect((await app.gql(DECIDE, { id: d.id, v: 1, ok: true, no: '2026/47', date: '2026-11-22' })).errors).toBeUndefined();
    await refused('CONFLICT', DECIDE, { id: d.id, v: 2, ok: false, no: '2026/48', date: '2026-11-22' });
    expect((await app.gql(EXECUTE, { id: d.id, v: 2 })).errors).toBeUndefined();
    await refused('CONFLICT', EXECUTE, { id: d.id, v: 3 });
    await refused('NOT_FOUND', EXECUTE, { id: '999999', v: 1 });
    expect(await assetState(asset.id)).toBe('DISPOSED');
  });
});

describe('reading', () => {
  it('lists disposals by state', async () => {
    const q = `query($f: DisposalFilter, $first: Int, $after: String) { disposals(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id state } } } }`;
    const states = (res: GraphQLResponse) => res.data.disposals.edges.map((e: any) => e.node.state);
    const executed = await app.gql(q, { f: { state: ['EXECUTED'] } });
    expect(executed.data.disposals.totalCount).toBe(2);
    expect(states(executed)).toEqual(['EXECUTED', 'EXECUTED']);
    const open = await app.gql(q, { f: { state: ['PROPOSED', 'APPROVED'] }, first: 1 });
    expect(open.data.disposals.totalCount).toBe(2);
    const next = await app.gql(q, { f: { state: ['PROPOSED', 'APPROVED'] }, first: 1, after: open.data.disposals.pageInfo.endCursor });
    expect([...states(open), ...states(next)]).toEqual(['PROPOSED', 'PROPOSED']);
    expect(next.data.disposals.pageInfo.hasNextPage).toBe(false);
    expect((await app.gql(q, {})).data.disposals.totalCount).toBe(await count('disposals'));
  });
});

describe('permissions', () => {
  it('FORBIDDEN without the grant or outside its directorate, UNAUTHENTICATED anonymously, NOT_FOUND outside the read scope', async () => {
    const bim = await insertAsset(id.bim);
    const fen = await insertAsset(id.fen);
    await refused('FORBIDDEN', PROPOSE, { a: bim.id, reason: 'x' }, token.reader);
    await refused('UNAUTHENTICATED', PROPOSE, { a: bim.id, reason: 'x' }, null);
    await refused('FORBIDDEN', PROPOSE, { a: fen.id, reason: 'x' }, token.officer);
    await refused('NOT_FOUND', PROPOSE, { a: bim.id, reason: 'x' }, token.fenOfficer);
    const d = (await app.gql(PROPOSE, { a: bim.id, reason: 'Eski' }, token.officer)).data.proposeDisposal;
    await refused('FORBIDDEN', DECIDE, { id: d.id, v: 1, ok: true, no: '1', date: '2026-11-23' }, token.reader);
    await refused('NOT_FOUND', DECIDE, { id: d.id, v: 1, ok: true, no: '1', date: '2026-11-23' }, token.fenOfficer);
    expect(codeOf(await app.gql(`query($id: ID!) { disposal(id: $id) { id } }`, { id: d.id }, token.fenOfficer))).toBe('NOT_FOUND');
    expect(codeOf(await app.gql(`{ disposals { totalCount } }`, {}, null))).toBe('UNAUTHENTICATED');
    const fenList = await app.gql(`{ disposals { edges { node { asset { inventoryNo } } } } }`, {}, token.fenOfficer);
    expect(fenList.data.disposals.edges).toEqual([]);
    const fenD = await app.gql(PROPOSE, { a: fen.id, reason: 'Fen' }, token.fenOfficer);
    expect(fenD.errors).toBeUndefined();
    expect((await app.gql(`{ disposals { edges { node { asset { inventoryNo } } } } }`, {}, token.fenOfficer)).data.disposals.edges).toEqual([
      { node: { asset: { inventoryNo: fen.inventoryNo } } },
    ]);
  });
});

describe('statements', () => {
  it('a page of disposals with assets and people, or of assets with their disposals, takes the same statements for 3 or 15', async () => {
    const unit = await insertOrgUnit(app.knex, 'STAT');
    for (let i = 0; i < 15; i++) await app.gql(PROPOSE, { a: (await insertAsset(unit)).id, reason: `İstatistik ${i}` });
    const assets = `query($f: AssetFilter, $first: Int) { assets(filter: $f, first: $first) { edges { node { disposals { state proposedBy { username } } } } } }`;
    const disposals = `query($first: Int) { disposals(filter: { state: [PROPOSED] }, first: $first) { edges { node { asset { inventoryNo ownerOrgUnit { code } } proposedBy { username } } } } }`;
    const run = async (q: string, first: number) => {
      const { result, statements } = await app.countStatements(() => app.gql(q, { f: { ownerOrgUnitId: String(unit) }, first }));
      expect(result.errors).toBeUndefined();
      return statements;
    };
    expect(await run(assets, 15)).toBe(await run(assets, 3));
    expect(await run(disposals, 15)).toBe(await run(disposals, 3));
    // access, the page, the disposals of its assets, their proposers
    expect(await run(assets, 3)).toBe(3 + app.accessCheckStatements);
  });
});
