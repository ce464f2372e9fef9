import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { insertUserWithGrants, type GrantSpec } from './helpers/access';
import { insertOrgUnit, insertUser } from './helpers/factories';

/**
 * Custody (zimmet) and handover (devir-teslim) through GraphQL: what is given is held by one holder
 * at a time and its history is kept; a handover moves everything a person holds in one transaction
 * or nothing; a person holding assets cannot be deactivated. Every write is audited; refusals leave
 * neither the change nor an audit row.
 */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string | null> = { anonymous: null };
let assetNo = 0;

async function user(name: string, orgUnit: number, grants: GrantSpec[]): Promise<void> {
  ({ id: id[name], token: token[name] } = await insertUserWithGrants(app.knex, orgUnit, name, grants));
}

/** An asset of a directorate, in a state. */
async function insertAsset(owner: number, state = 'IN_USE'): Promise<number> {
  const n = ++assetNo;
  const [row] = await app
    .knex('assets')
    .insert({
      inventory_no: `DMB-${String(n).padStart(4, '0')}`,
      serial_no: `SN-${n}`,
      type: 'LAPTOP',
      owner_org_unit_id: owner,
      state,
      geom: app.knex.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', [37.79 + n * 1e-4, 37.01]),
    })
    .returning('id');
  return row.id;
}

/** Open custody of assets for a person, straight into the table (as a migration of old records would). */
async function holding(userId: number, count: number, owner = id.bim): Promise<number[]> {
  const assets: number[] = [];
  for (let i = 0; i < count; i++) assets.push(await insertAsset(owner));
  await app.knex('custody').insert(assets.map((a) => ({ asset_id: a, holder_user_id: userId })));
  return assets;
}

const count = async (table: string, where: Record<string, unknown> = {}) => Number((await app.knex(table).where(where).count({ n: '*' }).first())!.n);
const custodyRows = () => app.knex('custody').orderBy('id').select();

/** A refused write: the error code, and no change to custody, handovers or the audit log. */
async function refused(code: string, query: string, vars: Record<string, unknown>, as?: string | null): Promise<GraphQLResponse> {
  const [custody, handovers, audit] = [await custodyRows(), await count('handovers'), await count('audit_log')];
  const res = await app.gql(query, vars, as);
  expect(codeOf(res)).toBe(code);
  expect(await custodyRows()).toEqual(custody);
  expect([await count('handovers'), await count('audit_log')]).toEqual([handovers, audit]);
  return res;
}

beforeAll(async () => {
  app = await startTestApp();
  id.bim = await insertOrgUnit(app.knex, 'BIM');
  id.fen = await insertOrgUnit(app.knex, 'FEN');
  for (const name of ['ali', 'ayse', 'mehmet', 'zeynep']) id[name] = await insertUser(app.knex, id.bim, name);
  id.gone = await insertUser(app.knex, id.bim, 'gone', { active: false });
  id.svc = await insertUser(app.knex, id.bim, 'svc', { kind: 'SERVICE' });
  const reads: GrantSpec[] = [
    { resource: 'ASSETS', action: 'READ' },
    { resource: 'USERS', action: 'READ' },
  ];
  // Bilgi İşlem's clerk: custody of Bilgi İşlem's assets only.
  await user('clerk', id.bim, [...reads, ...(['READ', 'CREATE', 'UPDATE'] as const).map((action) => ({ resource: 'CUSTODY' as const, action, ownOrgUnitOnly: true }))]);
  await user('reader', id.bim, [...reads, { resource: 'CUSTODY', action: 'READ' }]);
  // Fen İşleri's clerk sees only Fen İşleri's assets.
  await user('fenClerk', id.fen, [
    { resource: 'ASSETS', action: 'READ', ownOrgUnitOnly: true },
    { resource: 'USERS', action: 'READ' },
    { resource: 'CUSTODY', action: 'READ' },
    { resource: 'CUSTODY', action: 'CREATE' },
    { resource: 'CUSTODY', action: 'UPDATE' },
  ]);
  await user('noCustody', id.bim, reads);
});
afterAll(() => app.close());

const HOLDER = `holder { __typename ... on User { username } ... on OrgUnit { code } }`;
const GIVE = `mutation($a: ID!, $u: ID, $o: ID, $note: String) {
  giveCustody(assetId: $a, toUserId: $u, toOrgUnitId: $o, note: $note) { id open startedAt endedAt note ${HOLDER} asset { id inventoryNo } givenBy { username } }
}`;
const RETURN = `mutation($a: ID!, $note: String) { returnCustody(assetId: $a, note: $note) { id open endedAt note returnNote returnedBy { username } } }`;
const HANDOVER = `mutation($from: ID!, $to: ID!, $note: String) {
  handover(fromUserId: $from, toUserId: $to, note: $note) {
    id at note from { username } to { username } doneBy { username }
    items { asset { id inventoryNo } custodyEnded { id open endedAt ${HOLDER} } custodyStarted { id open startedAt ${HOLDER} } }
  }
}`;
const CUSTODY_OF = `query($u: ID, $o: ID, $all: Boolean) { custodyOf(userId: $u, orgUnitId: $o, includeReturned: $all) { id open asset { inventoryNo } ${HOLDER} givenBy { username } } }`;
const DEACTIVATE = `mutation($id: ID!) { updateUser(id: $id, input: { active: false }) { id active } }`;

describe('giving and returning', () => {
  it('gives an asset into a person\'s custody, shows it on the asset and the person, and audits it', async () => {
    const asset = await insertAsset(id.bim);
    const res = await app.gql(GIVE, { a: String(asset), u: String(id.ali), note: ' Masaüstü için ' }, token.clerk);
    expect(res.errors).toBeUndefined();
    expect(res.data.giveCustody).toMatchObject({
      open: true,
      endedAt: null,
      note: 'Masaüstü için',
      holder: { __typename: 'User', username: 'ali' },
      asset: { id: String(asset) },
      givenBy: { username: 'clerk' },
    });
    const read = await app.gql(
      `query($id: ID!) { asset(id: $id) { custodian { __typename ... on User { username } } currentCustody { id } custodyHistory { id } } user(id: ${id.ali}) { custody { asset { id } } } }`,
      { id: String(asset) },
      token.reader,
    );
    expect(read.data.asset).toEqual({ custodian: { __typename: 'User', username: 'ali' }, currentCustody: { id: res.data.giveCustody.id }, custodyHistory: [{ id: res.data.giveCustody.id }] });
    expect(read.data.user.custody).toEqual([{ asset: { id: String(asset) } }]);
    const entry = await app.knex('audit_log').orderBy('id', 'desc').first();
    expect(entry).toMatchObject({ entity: 'CUSTODY', entity_id: res.data.giveCustody.id, action: 'CREATE', actor_username: 'clerk', before: null });
    expect(entry.after).toMatchObject({ asset_id: asset, holder_user_id: id.ali, to_at: null });
    expect(entry.geom).not.toBeNull();
  });

  it('gives to a unit, listed by custodyOf(orgUnitId)', async () => {
    const asset = await insertAsset(id.bim, 'IN_STOCK');
    const res = await app.gql(GIVE, { a: String(asset), o: String(id.fen) });
    expect(res.data.giveCustody.holder).toEqual({ __typename: 'OrgUnit', code: 'FEN' });
    const of = await app.gql(CUSTODY_OF, { o: String(id.fen) });
    expect(of.data.custodyOf.map((c: any) => c.asset.inventoryNo)).toContain(res.data.giveCustody.asset.inventoryNo);
  });

  it('refuses an asset already held, disposed or lost (CONFLICT), and a holder who cannot hold (BAD_USER_INPUT)', async () => {
    const held = await insertAsset(id.bim);
    expect((await app.gql(GIVE, { a: String(held), u: String(id.ali) })).errors).toBeUndefined();
    const again = await refused('CONFLICT', GIVE, { a: String(held), u: String(id.ayse) });
    expect(again.errors![0].message).toMatch(/already in custody .*return it \(returnCustody\) or hand it over/);
    for (const state of ['DISPOSED', 'LOST']) {
      const res = await refused('CONFLICT', GIVE, { a: String(await insertAsset(id.bim, state)), u: String(id.ali) });
      expect(res.errors![0].message).toMatch(new RegExp(`is ${state}: it cannot be given into custody`));
    }
    const free = String(await insertAsset(id.bim));
    expect((await refused('BAD_USER_INPUT', GIVE, { a: free, u: String(id.gone) })).errors![0].message).toMatch(/gone is deactivated/);
    expect((await refused('BAD_USER_INPUT', GIVE, { a: free, u: String(id.svc) })).errors![0].message).toMatch(/service account/);
    await refused('BAD_USER_INPUT', GIVE, { a: free, u: String(id.ali), o: String(id.bim) });
    await refused('BAD_USER_INPUT', GIVE, { a: free });
    await refused('BAD_USER_INPUT', GIVE, { a: free, o: '999999' });
    await refused('NOT_FOUND', GIVE, { a: free, u: '999999' });
    await refused('NOT_FOUND', GIVE, { a: '999999', u: String(id.ali) });
  });

  it('returns an asset, keeping the history; returning it again is a CONFLICT', async () => {
    const asset = await insertAsset(id.bim);
    await app.gql(GIVE, { a: String(asset), u: String(id.ali), note: 'ilk' });
    const back = await app.gql(RETURN, { a: String(asset), note: 'Arızalı döndü' }, token.clerk);
    expect(back.errors).toBeUndefined();
    expect(back.data.returnCustody).toMatchObject({ open: false, note: 'ilk', returnNote: 'Arızalı döndü', returnedBy: { username: 'clerk' } });
    expect(back.data.returnCustody.endedAt).not.toBeNull();
    const entry = await app.knex('audit_log').orderBy('id', 'desc').first();
    expect(entry).toMatchObject({ entity: 'CUSTODY', entity_id: back.data.returnCustody.id, action: 'UPDATE' });
    expect([entry.before.to_at, entry.after.return_note]).toEqual([null, 'Arızalı döndü']);
    await refused('CONFLICT', RETURN, { a: String(asset) });

    await app.gql(GIVE, { a: String(asset), u: String(id.ayse) });
    const history = await app.gql(`query($id: ID!) { asset(id: $id) { custodyHistory { open ${HOLDER} } custodian { ... on User { username } } } }`, { id: String(asset) });
    expect(history.data.asset.custodyHistory).toEqual([
      { open: true, holder: { __typename: 'User', username: 'ayse' } },
      { open: false, holder: { __typename: 'User', username: 'ali' } },
    ]);
    const aliNow = (await app.gql(CUSTODY_OF, { u: String(id.ali) })).data.custodyOf;
    const aliEver = (await app.gql(CUSTODY_OF, { u: String(id.ali), all: true })).data.custodyOf;
    const inv = (await app.knex('assets').where({ id: asset }).first()).inventory_no;
    expect(aliNow.map((c: any) => c.asset.inventoryNo)).not.toContain(inv);
    expect(aliEver.filter((c: any) => c.asset.inventoryNo === inv)).toEqual([expect.objectContaining({ open: false })]);
  });
});

describe('handover (devir-teslim)', () => {
  it('moves 25 assets from one person to another in one transaction, with a record listing each', async () => {
    const assets = await holding(id.mehmet, 25);
    const audit = await count('audit_log');
    const res = await app.gql(HANDOVER, { from: String(id.mehmet), to: String(id.zeynep), note: 'Tayin' }, token.clerk);
    expect(res.errors).toBeUndefined();
    const h = res.data.handover;
    expect(h).toMatchObject({ note: 'Tayin', from: { username: 'mehmet' }, to: { username: 'zeynep' }, doneBy: { username: 'clerk' } });
    expect(h.items).toHaveLength(25);
    expect(h.items.map((i: any) => Number(i.asset.id)).sort((a: number, b: number) => a - b)).toEqual(assets);
    for (const item of h.items) {
      expect(item.custodyEnded).toMatchObject({ open: false, endedAt: h.at, holder: { username: 'mehmet' } });
      // One transaction: every custody ended and began at the transaction's one time.
      expect(item.custodyStarted).toMatchObject({ open: true, startedAt: h.at, holder: { username: 'zeynep' } });
    }
    expect((await app.gql(CUSTODY_OF, { u: String(id.mehmet) })).data.custodyOf).toEqual([]);
    expect((await app.gql(CUSTODY_OF, { u: String(id.zeynep) })).data.custodyOf).toHaveLength(25);
    // 25 custody ended, 25 begun, and the handover itself.
    expect(await count('audit_log')).toBe(audit + 51);
    const record = await app.knex('audit_log').where({ entity: 'CUSTODY', entity_id: `handover:${h.id}` }).first();
    expect(record.after.items).toHaveLength(25);

    const listed = await app.gql(`query($u: ID) { handovers(userId: $u) { id items { asset { id } } } }`, { u: String(id.zeynep) });
    expect(listed.data.handovers).toEqual([expect.objectContaining({ id: h.id })]);
    const one = await app.gql(`query($id: ID!) { handover(id: $id) { id from { username } } }`, { id: h.id }, token.reader);
    expect(one.data.handover).toEqual({ id: h.id, from: { username: 'mehmet' } });
  });

  it('fails midway without a trace: every custody as it was, no handover, no audit row', async () => {
    const assets = await holding(id.ali, 5);
    // The fourth asset's new custody cannot be written (as a disk or constraint failure would).
    await app.knex.raw(`CREATE FUNCTION test_fail_custody() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'simulated failure on asset %', NEW.asset_id; END $$`);
    await app.knex.raw(`CREATE TRIGGER test_fail_custody BEFORE INSERT ON custody FOR EACH ROW
      WHEN (NEW.asset_id = ${assets[3]} AND NEW.handover_id IS NOT NULL) EXECUTE FUNCTION test_fail_custody()`);
    try {
      const res = await refused('INTERNAL_SERVER_ERROR', HANDOVER, { from: String(id.ali), to: String(id.ayse) });
      expect(res.errors![0].message).toBe('Internal server error');
      expect(String(app.logged[app.logged.length - 1])).toMatch(new RegExp(`simulated failure on asset ${assets[3]}`));
      expect(await app.knex('custody').whereIn('asset_id', assets).whereNull('to_at').orderBy('asset_id').pluck('holder_user_id')).toEqual(assets.map(() => id.ali));
    } finally {
      await app.knex.raw('DROP TRIGGER test_fail_custody ON custody');
      await app.knex.raw('DROP FUNCTION test_fail_custody()');
    }
  });

  it('refuses the same person, an inactive or service receiver, and nothing to hand over', async () => {
    const m = (res: GraphQLResponse) => res.errors![0].message;
    expect(m(await refused('BAD_USER_INPUT', HANDOVER, { from: String(id.ali), to: String(id.ali) }))).toMatch(/not to the same one/);
    expect(m(await refused('BAD_USER_INPUT', HANDOVER, { from: String(id.ali), to: String(id.gone) }))).toMatch(/gone is deactivated/);
    expect(m(await refused('BAD_USER_INPUT', HANDOVER, { from: String(id.ali), to: String(id.svc) }))).toMatch(/service account/);
    expect(m(await refused('BAD_USER_INPUT', HANDOVER, { from: String(id.mehmet), to: String(id.ali) }))).toMatch(/mehmet holds no assets in custody/);
    await refused('NOT_FOUND', HANDOVER, { from: '999999', to: String(id.ali) });
  });

  it('moves all or nothing: FORBIDDEN when one asset is outside the clerk\'s scope', async () => {
    const bimUser = await insertUser(app.knex, id.bim, 'mixed');
    await holding(bimUser, 2);
    await holding(bimUser, 1, id.fen);
    const res = await refused('FORBIDDEN', HANDOVER, { from: String(bimUser), to: String(id.ayse) }, token.clerk);
    expect(res.errors![0].message).toMatch(/1 of the 3 assets mixed holds are outside/);
    expect((await app.gql(HANDOVER, { from: String(bimUser), to: String(id.ayse) })).data.handover.items).toHaveLength(3);
  });
});

describe('deactivating a person who holds assets', () => {
  it('is refused with CONFLICT naming how many and the handover, and allowed once they are handed over', async () => {
    const person = await insertUser(app.knex, id.bim, 'leaving');
    await holding(person, 3);
    const res = await refused('CONFLICT', DEACTIVATE, { id: String(person) });
    expect(res.errors![0].message).toMatch(/leaving holds 3 assets in custody .* handed over: use the handover mutation/);
    expect(res.errors![0].extensions?.assetsInCustody).toBe(3);
    expect((await app.gql(HANDOVER, { from: String(person), to: String(id.ayse) })).errors).toBeUndefined();
    const done = await app.gql(DEACTIVATE, { id: String(person) });
    expect(done.errors).toBeUndefined();
    expect(done.data.updateUser.active).toBe(false);
  });
});

describe('permissions', () => {
  it('FORBIDDEN without the grant (or outside its directorate), UNAUTHENTICATED anonymously, NOT_FOUND outside the read scope', async () => {
    const bimAsset = String(await insertAsset(id.bim));
    const fenAsset = String(await insertAsset(id.fen));
    await refused('FORBIDDEN', GIVE, { a: bimAsset, u: String(id.ali) }, token.reader);
    await refused('UNAUTHENTICATED', GIVE, { a: bimAsset, u: String(id.ali) }, null);
    await refused('FORBIDDEN', GIVE, { a: fenAsset, u: String(id.ali) }, token.clerk);
    await refused('NOT_FOUND', GIVE, { a: bimAsset, u: String(id.ali) }, token.fenClerk);
    expect((await app.gql(GIVE, { a: fenAsset, u: String(id.ali) }, token.fenClerk)).errors).toBeUndefined();
    await refused('FORBIDDEN', RETURN, { a: fenAsset }, token.clerk);
    await refused('FORBIDDEN', HANDOVER, { from: String(id.ali), to: String(id.ayse) }, token.reader);

    expect(codeOf(await app.gql(CUSTODY_OF, { u: String(id.ali) }, token.noCustody))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql(CUSTODY_OF, { u: String(id.ali) }, null))).toBe('UNAUTHENTICATED');
    // Without a CUSTODY grant the asset shows no custodian; Fen's clerk sees only Fen's asset of ali's.
    const asset = await app.gql(`query($id: ID!) { asset(id: $id) { custodian { __typename } custodyHistory { id } } }`, { id: fenAsset }, token.noCustody);
    expect(asset.data.asset).toEqual({ custodian: null, custodyHistory: [] });
    const fenView = await app.gql(CUSTODY_OF, { u: String(id.ali) }, token.fenClerk);
    expect(fenView.data.custodyOf.map((c: any) => c.asset.inventoryNo)).toEqual([(await app.knex('assets').where({ id: fenAsset }).first()).inventory_no]);
    const h = await app.knex('handovers').orderBy('id').first('id');
    expect(codeOf(await app.gql(`query($id: ID!) { handover(id: $id) { id } }`, { id: String(h.id) }, token.fenClerk))).toBe('NOT_FOUND');
  });
});

describe('statements', () => {
  it('a page of assets with their custodians takes the same statements for 5 or 25 assets', async () => {
    const unit = await insertOrgUnit(app.knex, 'STAT');
    const people = [await insertUser(app.knex, unit, 'stat-a'), await insertUser(app.knex, unit, 'stat-b')];
    const assets: number[] = [];
    for (let i = 0; i < 25; i++) assets.push(await insertAsset(unit));
    await app.knex('custody').insert(assets.map((a, i) => (i % 3 === 2 ? { asset_id: a, holder_org_unit_id: unit } : { asset_id: a, holder_user_id: people[i % 3] })));
    const q = `query($f: AssetFilter, $first: Int) { assets(filter: $f, first: $first) { edges { node { inventoryNo custodian { __typename ... on User { username orgUnit { code } } ... on OrgUnit { code } } currentCustody { startedAt givenBy { username } } } } } }`;
    const run = async (first: number) => {
      const { result, statements } = await app.countStatements(() => app.gql(q, { f: { ownerOrgUnitId: String(unit) }, first }));
      expect(result.errors).toBeUndefined();
      expect(result.data.assets.edges).toHaveLength(first);
      expect(result.data.assets.edges.every((e: any) => e.node.custodian !== null)).toBe(true);
      return statements;
    };
    await app.gql('{ __typename }'); // the inserts changed access_version: reload the admin's access first
    const few = await run(5);
    expect(await run(25)).toBe(few);
    // the access version check, the page, the open custody of its assets, the users, the org units
    expect(few).toBe(4 + app.accessCheckStatements);
  });

  it('custodyOf with assets, holders and givers takes the same statements whatever it lists', async () => {
    const [few, many] = [await insertUser(app.knex, id.bim, 'holds-few'), await insertUser(app.knex, id.bim, 'holds-many')];
    await holding(few, 2);
    await holding(many, 20);
    const q = `query($u: ID) { custodyOf(userId: $u, includeReturned: true) { asset { inventoryNo ownerOrgUnit { code } } ${HOLDER} givenBy { username } handover { id } } }`;
    const run = async (userId: number, n: number) => {
      const { result, statements } = await app.countStatements(() => app.gql(q, { u: String(userId) }));
      expect(result.errors).toBeUndefined();
      expect(result.data.custodyOf).toHaveLength(n);
      return statements;
    };
    await app.gql('{ __typename }'); // the inserts changed access_version: reload the admin's access first
    const small = await run(few, 2);
    expect(await run(many, 20)).toBe(small);
    // the access version check, the custody, the assets, the holders, their org units
    expect(small).toBeLessThanOrEqual(5);
  });
});
