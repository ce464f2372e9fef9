import type { Knex } from 'knex';
import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertUserWithGrants } from './helpers/access';
import { insertNeighbourhood, insertOrgUnit, insertUser } from './helpers/factories';
import { insertAsset, insertFault, REPORTER_GRANTS } from './helpers/faults';

/**
 * The fault register's queries over faults with fixed timestamps: the queue (priority and age),
 * lists by directorate, assignee, asset and place, the repair history of an asset, and the figures
 * an analyst needs, with exact numbers, in a constant number of statements.
 *
 *   fault  where      asset        owner  state        priority  reported (UTC)      resolved after
 *   f1     A          printerA     ZAB    CLOSED       NORMAL    2026-01-10 07:00    4 h
 *   f2     A          printerA     ZAB    RESOLVED     HIGH      2026-01-20 07:00    10 h
 *   f3     A          pcA          FEN    IN_PROGRESS  URGENT    2026-02-05 07:00    -
 *   f4     B          pcB          ZAB    CLOSED       LOW       2026-01-31 22:30    2 h   (February in Istanbul)
 *   f5     B          (a place)    ZAB    CANCELLED    NORMAL    2026-02-10 07:00    -
 *   f6     B          (a place)    FEN    NEW          URGENT    2026-02-12 07:00    -
 *   f7     outside    (a place)    ZAB    NEW          HIGH      2026-01-05 07:00    -
 */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string> = {};
const BOX_A: [number, number, number, number] = [37.7, 37.0, 37.72, 37.02];
const BOX_B: [number, number, number, number] = [37.74, 37.0, 37.76, 37.02];

beforeAll(async () => {
  app = await startTestApp();
  id.zab = await insertOrgUnit(app.knex, 'ZAB', 'Zabıta Müdürlüğü');
  id.fen = await insertOrgUnit(app.knex, 'FEN', 'Fen İşleri Müdürlüğü');
  id.nA = await insertNeighbourhood(app.knex, BOX_A, { name: 'A' });
  id.nB = await insertNeighbourhood(app.knex, BOX_B, { name: 'B' });
  id.tech = await insertUser(app.knex, id.zab, 'teknisyen');
  id.printerA = await insertAsset(app.knex, BOX_A[0] + 0.005, BOX_A[1] + 0.005, id.zab, { type: 'PRINTER' });
  id.pcA = await insertAsset(app.knex, BOX_A[0] + 0.01, BOX_A[1] + 0.01, id.fen, { state: 'IN_REPAIR' });
  id.pcB = await insertAsset(app.knex, BOX_B[0] + 0.005, BOX_B[1] + 0.005, id.zab);
  const placeB: [number, number] = [BOX_B[0] + 0.01, BOX_B[1] + 0.01];
  id.f1 = await insertFault(app.knex, { owner: id.zab, assetId: id.printerA, state: 'CLOSED', reportedAt: '2026-01-10T07:00:00Z', resolvedAt: '2026-01-10T11:00:00Z' });
  id.f2 = await insertFault(app.knex, { owner: id.zab, assetId: id.printerA, state: 'RESOLVED', priority: 'HIGH', reportedAt: '2026-01-20T07:00:00Z', resolvedAt: '2026-01-20T17:00:00Z' });
  id.f3 = await insertFault(app.knex, { owner: id.fen, assetId: id.pcA, state: 'IN_PROGRESS', priority: 'URGENT', reportedAt: '2026-02-05T07:00:00Z', assigneeId: id.tech, reportedBy: id.tech });
  id.f4 = await insertFault(app.knex, { owner: id.zab, assetId: id.pcB, state: 'CLOSED', priority: 'LOW', reportedAt: '2026-01-31T22:30:00Z', resolvedAt: '2026-02-01T00:30:00Z' });
  id.f5 = await insertFault(app.knex, { owner: id.zab, at: placeB, state: 'CANCELLED', reportedAt: '2026-02-10T07:00:00Z' });
  id.f6 = await insertFault(app.knex, { owner: id.fen, at: placeB, priority: 'URGENT', reportedAt: '2026-02-12T07:00:00Z' });
  id.f7 = await insertFault(app.knex, { owner: id.zab, at: [37.9, 37.1], priority: 'HIGH', reportedAt: '2026-01-05T07:00:00Z' });
  await app.knex('fault_events').insert([id.f1, id.f2, id.f3, id.f4, id.f5, id.f6, id.f7].map((f) => ({ fault_id: f, to_state: 'NEW', actor_id: id.tech })));
  ({ token: token.fen } = await insertUserWithGrants(app.knex, id.fen, 'fen', [...REPORTER_GRANTS, { resource: 'NEIGHBOURHOODS', action: 'READ' }]));
  ({ token: token.analystA } = await insertUserWithGrants(app.knex, id.zab, 'analist', [
    { resource: 'FAULTS', action: 'READ' },
    { resource: 'NEIGHBOURHOODS', action: 'READ', neighbourhoodIds: [id.nA] },
  ]));
});
afterAll(() => app.close());

const LIST = `query($f: FaultFilter, $s: SpatialFilter, $o: FaultOrder, $first: Int, $after: String) {
  faults(filter: $f, spatial: $s, orderBy: $o, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } }
}`;
async function list(vars: Record<string, unknown>, as?: string): Promise<{ ids: number[]; total: number; next: string | null }> {
  const res = await app.gql(LIST, vars, as);
  expect(res.errors).toBeUndefined();
  const c = res.data.faults;
  return { ids: c.edges.map((e: any) => Number(e.node.id)), total: c.totalCount, next: c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null };
}
const ids = async (vars: Record<string, unknown>, as?: string) => (await list(vars, as)).ids;

describe('lists', () => {
  it('puts the open faults in a queue: most urgent first, then oldest first, paged', async () => {
    const page = await list({ f: { open: true }, o: 'PRIORITY_AND_AGE', first: 2 });
    expect(page).toMatchObject({ ids: [id.f3, id.f6], total: 3 });
    expect(await ids({ f: { open: true }, o: 'PRIORITY_AND_AGE', first: 2, after: page.next })).toEqual([id.f7]);
    expect(codeOf(await app.gql(LIST, { o: 'PRIORITY_AND_AGE', after: (await list({ first: 1 })).next }))).toBe('BAD_USER_INPUT');
    expect(await ids({ f: { open: false } })).toEqual([id.f1, id.f2, id.f4, id.f5]);
  });

  it('reads a queue page through the queue-order index, with only the columns the query selects', async () => {
    for (const f of [undefined, { open: true }]) {
      const { sql, bindings } = await app.countStatements(() => list({ f, o: 'PRIORITY_AND_AGE', first: 2 }));
      const i = sql.findIndex((s) => /array_position/.test(s));
      expect(sql[i]).not.toMatch(/description|ST_AsGeoJSON/);
      // Bindings as the API sent them; planner told to avoid scans so a small table shows the plan a large one gets.
      const rows: { 'QUERY PLAN': string }[] = await app.knex.transaction(async (trx) => {
        await trx.raw('SET LOCAL enable_seqscan = off');
        return (await trx.raw(`EXPLAIN ${sql[i].replace(/\$\d+/g, '?')}`, bindings[i] as Knex.RawBinding[])).rows;
      });
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(f ? /Index Scan using faults_open_queue_order/ : /Index Scan using faults_queue_order/);
      expect(plan).not.toMatch(/Sort/);
    }
  });

  it('filters by directorate, assignee, asset, asset type, state, time and neighbourhood', async () => {
    expect(await ids({ f: { ownerOrgUnitId: String(id.fen) } })).toEqual([id.f3, id.f6]);
    expect(await ids({ f: { assigneeId: String(id.tech) } })).toEqual([id.f3]);
    expect(await ids({ f: { assetId: String(id.printerA) } })).toEqual([id.f1, id.f2]);
    expect(await ids({ f: { assetType: ['COMPUTER'] } })).toEqual([id.f3, id.f4]);
    expect(await ids({ f: { state: ['NEW', 'CANCELLED'], priority: ['NORMAL', 'HIGH'] } })).toEqual([id.f5, id.f7]);
    expect(await ids({ f: { reportedAfter: '2026-02-01T00:00:00+03:00', reportedBefore: '2026-02-11T00:00:00Z' } })).toEqual([id.f3, id.f4, id.f5]);
    const days = Math.floor((Date.now() - Date.parse('2026-02-08T00:00:00Z')) / 86400000);
    expect(await ids({ f: { open: true, olderThanDays: days } })).toEqual([id.f3, id.f7]);
    expect(await ids({ s: { inNeighbourhood: String(id.nB) } })).toEqual([id.f4, id.f5, id.f6]);
    expect(codeOf(await app.gql(LIST, { f: { olderThanDays: -1 } }))).toBe('BAD_USER_INPUT');
  });

  it('gives each fault its neighbourhood, age and time to resolve, and each asset its repair history, newest first', async () => {
    const res = await app.gql(`query($a: ID!, $f1: ID!, $f7: ID!) {
      f1: fault(id: $f1) { neighbourhood { name } ageDays resolveHours }
      f7: fault(id: $f7) { neighbourhood { name } resolveHours }
      asset(id: $a) { faults { id state } }
    }`, { a: String(id.printerA), f1: String(id.f1), f7: String(id.f7) });
    expect(res.errors).toBeUndefined();
    expect(res.data.f1).toEqual({ neighbourhood: { name: 'A' }, ageDays: 4 / 24, resolveHours: 4 });
    expect(res.data.f7).toEqual({ neighbourhood: null, resolveHours: null });
    expect(res.data.asset.faults).toEqual([{ id: String(id.f2), state: 'RESOLVED' }, { id: String(id.f1), state: 'CLOSED' }]);
  });
});

describe('figures', () => {
  const FIGURES = `query($by: FaultGrouping!, $f: FaultFilter, $s: SpatialFilter) {
    faultFigures(by: $by, filter: $f, spatial: $s) { key label count open resolved medianHoursToResolve }
  }`;
  async function figures(vars: Record<string, unknown>, as?: string): Promise<any[]> {
    const res = await app.gql(FIGURES, vars, as);
    expect(res.errors).toBeUndefined();
    return res.data.faultFigures;
  }
  const fig = (key: string, label: string, count: number, open: number, resolved: number, median: number | null) => ({
    key, label, count, open, resolved, medianHoursToResolve: median,
  });

  it('per neighbourhood: counted where the faults are, with the median hours to resolve', async () => {
    expect(await figures({ by: 'NEIGHBOURHOOD' })).toEqual([fig(String(id.nA), 'A', 3, 1, 2, 7), fig(String(id.nB), 'B', 3, 1, 1, 2)]);
    expect(await figures({ by: 'NEIGHBOURHOOD', f: { priority: ['URGENT'] } })).toEqual([fig(String(id.nA), 'A', 1, 1, 0, null), fig(String(id.nB), 'B', 1, 1, 0, null)]);
  });

  it('per asset type, per month in Istanbul time, and per reporting directorate', async () => {
    expect(await figures({ by: 'ASSET_TYPE' })).toEqual([
      fig('NONE', 'No asset (reported on a place)', 3, 2, 0, null),
      fig('COMPUTER', 'COMPUTER', 2, 1, 1, 2),
      fig('PRINTER', 'PRINTER', 2, 0, 2, 7),
    ]);
    expect(await figures({ by: 'MONTH' })).toEqual([fig('2026-01', '2026-01', 3, 1, 2, 7), fig('2026-02', '2026-02', 4, 2, 1, 2)]);
    expect(await figures({ by: 'ORG_UNIT' })).toEqual([fig('ZAB', 'Zabıta Müdürlüğü', 5, 1, 3, 4), fig('FEN', 'Fen İşleri Müdürlüğü', 2, 2, 0, null)]);
    expect(await figures({ by: 'ASSET_TYPE', s: { inNeighbourhood: String(id.nA) } })).toEqual([fig('PRINTER', 'PRINTER', 2, 0, 2, 7), fig('COMPUTER', 'COMPUTER', 1, 1, 0, null)]);
  });

  it('count only the faults and neighbourhoods the reader may read', async () => {
    expect(await figures({ by: 'NEIGHBOURHOOD' }, token.analystA)).toEqual([fig(String(id.nA), 'A', 3, 1, 2, 7)]);
    expect(await figures({ by: 'NEIGHBOURHOOD' }, token.fen)).toEqual([fig(String(id.nA), 'A', 1, 1, 0, null), fig(String(id.nB), 'B', 1, 1, 0, null)]);
    expect(await figures({ by: 'MONTH' }, token.fen)).toEqual([fig('2026-02', '2026-02', 2, 2, 0, null)]);
    expect(codeOf(await app.gql(FIGURES, { by: 'MONTH' }, null))).toBe('UNAUTHENTICATED');
  });
});

describe('statements', () => {
  it('reads a page of faults with asset, events, people, neighbourhood and vendor repairs in a constant number of statements', async () => {
    const q = `query($first: Int) { faults(first: $first) { edges { node {
      id geometry ownerOrgUnit { code } asset { inventoryNo } events { toState actor { username } } assignee { username } reportedBy { username }
      neighbourhood { name } vendorRepairs { vendor { name } }
    } } } }`;
    const count = async (first: number) => {
      const { result, statements } = await app.countStatements(() => app.gql(q, { first }));
      expect(result.errors).toBeUndefined();
      expect(result.data.faults.edges).toHaveLength(first);
      return statements;
    };
    const few = await count(2);
    expect(await count(7)).toBe(few);
    // access, the page, org units, assets, events, users, neighbourhoods, vendor repairs
    expect(few).toBe(7 + app.accessCheckStatements);
  });

  it('reads the repair histories of a page of assets in one statement', async () => {
    const q = `{ assets { edges { node { id faults { id events { toState } } } } } }`;
    const { result, statements } = await app.countStatements(() => app.gql(q));
    expect(result.errors).toBeUndefined();
    expect(result.data.assets.edges.map((e: any) => e.node.faults.length)).toEqual([2, 1, 1]);
    // access, the page of assets, their faults, the faults' events
    expect(statements).toBe(3 + app.accessCheckStatements);
  });
});
