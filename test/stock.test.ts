import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/app';
import { insertUserWithGrants, type GrantSpec } from './helpers/access';
import { insertOrgUnit } from './helpers/factories';

/**
 * Stock: items with a minimum level, append-only movements in and out (an out may be for a fault),
 * the level derived from the movements and never below zero, even when requests race. Every write
 * is audited; refusals write nothing.
 */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string | null> = { anonymous: null };
let itemNo = 0;

async function user(name: string, orgUnit: number, grants: GrantSpec[]): Promise<void> {
  ({ id: id[name], token: token[name] } = await insertUserWithGrants(app.knex, orgUnit, name, grants));
}

beforeAll(async () => {
  app = await startTestApp();
  id.bim = await insertOrgUnit(app.knex, 'BIM');
  id.fen = await insertOrgUnit(app.knex, 'FEN');
  await user('keeper', id.bim, [
    { resource: 'STOCK', action: 'READ' },
    { resource: 'STOCK', action: 'CREATE', ownOrgUnitOnly: true },
    { resource: 'STOCK', action: 'UPDATE', ownOrgUnitOnly: true },
    { resource: 'FAULTS', action: 'READ' },
    { resource: 'USERS', action: 'READ' },
  ]);
  await user('reader', id.bim, [{ resource: 'STOCK', action: 'READ' }]);
  await user('fenReader', id.fen, [{ resource: 'STOCK', action: 'READ', ownOrgUnitOnly: true }]);
  const [fault] = await app
    .knex('faults')
    .insert({ owner_org_unit_id: id.bim, category: 'HARDWARE', description: 'Yazıcı toner', geom: app.knex.raw('ST_SetSRID(ST_MakePoint(37.79, 37.01), 4326)') })
    .returning('id');
  id.fault = fault.id;
});
afterAll(() => app.close());

const CREATE = `mutation($input: StockItemCreateInput!) { createStockItem(input: $input) { id code name category unit minimumLevel level belowMinimum version ownerOrgUnit { code } } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: StockItemUpdateInput!) { updateStockItem(id: $id, version: $v, input: $input) { id name minimumLevel version } }`;
const MOVE = `mutation($item: ID!, $kind: StockMovementKind!, $q: Int!, $fault: ID, $note: String) {
  recordStockMovement(itemId: $item, kind: $kind, quantity: $q, faultId: $fault, note: $note) { id kind quantity levelAfter faultId note actor { username } item { level } }
}`;
const ITEM = `query($id: ID!, $first: Int, $after: String) { stockItem(id: $id) { level belowMinimum movements(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { kind quantity levelAfter faultId fault { id } } } } } }`;

const count = async (table: string) => Number((await app.knex(table).count({ n: '*' }).first())!.n);
const level = async (itemId: string) => Number((await app.knex('stock_movements').where({ item_id: itemId }).sum({ s: 'quantity' }).first())!.s ?? 0);

/** A stock item of Bilgi İşlem (as the administrator), with movements IN first when `stock` is given. */
async function item(attrs: Record<string, unknown> = {}, stock = 0): Promise<string> {
  const n = ++itemNo;
  const res = await app.gql(CREATE, { input: { code: `STK-${n}`, name: `Malzeme ${n}`, category: 'CONSUMABLE', ownerOrgUnitId: String(id.bim), ...attrs } });
  expect(res.errors).toBeUndefined();
  if (stock) expect((await app.gql(MOVE, { item: res.data.createStockItem.id, kind: 'IN', q: stock })).errors).toBeUndefined();
  return res.data.createStockItem.id;
}

/** A refused write: the error code, and no movement, item change or audit row. */
async function refused(code: string, query: string, vars: Record<string, unknown>, as?: string | null): Promise<GraphQLResponse> {
  const before = [await count('stock_movements'), await count('audit_log'), await app.knex('stock_items').orderBy('id').select()];
  const res = await app.gql(query, vars, as);
  expect(codeOf(res)).toBe(code);
  expect([await count('stock_movements'), await count('audit_log'), await app.knex('stock_items').orderBy('id').select()]).toEqual(before);
  return res;
}

describe('items', () => {
  it('creates and updates an item, audited, with optimistic locking', async () => {
    const res = await app.gql(CREATE, { input: { code: 'TNR-85A', name: 'HP 85A toner', category: 'CONSUMABLE', unit: 'kutu', minimumLevel: 4, ownerOrgUnitId: String(id.bim) } }, token.keeper);
    expect(res.errors).toBeUndefined();
    expect(res.data.createStockItem).toMatchObject({ code: 'TNR-85A', unit: 'kutu', minimumLevel: 4, level: 0, belowMinimum: true, version: 1, ownerOrgUnit: { code: 'BIM' } });
    const itemId = res.data.createStockItem.id;
    expect(await app.knex('audit_log').orderBy('id', 'desc').first()).toMatchObject({ entity: 'STOCK', entity_id: itemId, action: 'CREATE', actor_username: 'keeper' });
    const upd = await app.gql(UPDATE, { id: itemId, v: 1, input: { minimumLevel: 2 } }, token.keeper);
    expect(upd.data.updateStockItem).toMatchObject({ minimumLevel: 2, version: 2 });
    expect((await refused('CONFLICT', UPDATE, { id: itemId, v: 1, input: { name: 'eski' } }, token.keeper)).errors![0].extensions?.currentVersion).toBe(2);
    await refused('CONFLICT', CREATE, { input: { code: 'TNR-85A', name: 'aynı kod', category: 'CONSUMABLE' } });
    await refused('BAD_USER_INPUT', UPDATE, { id: itemId, v: 2, input: { minimumLevel: -1 } });
    await refused('BAD_USER_INPUT', UPDATE, { id: itemId, v: 2, input: {} });
    await refused('NOT_FOUND', UPDATE, { id: '999999', v: 1, input: { name: 'x' } });
  });
});

describe('movements', () => {
  it('derives the level from IN, OUT (for a fault) and ADJUST movements, each audited with the level before and after', async () => {
    const itemId = await item({ minimumLevel: 3 });
    const moves: [string, number, number?][] = [['IN', 10], ['OUT', 3, id.fault], ['ADJUST', -2], ['OUT', 1]];
    const after: number[] = [];
    for (const [kind, q, fault] of moves) {
      const res = await app.gql(MOVE, { item: itemId, kind, q, fault: fault ? String(fault) : null, note: `${kind} ${q}` }, token.keeper);
      expect(res.errors).toBeUndefined();
      expect(res.data.recordStockMovement).toMatchObject({ kind, actor: { username: 'keeper' }, note: `${kind} ${q}` });
      after.push(res.data.recordStockMovement.levelAfter);
      expect(res.data.recordStockMovement.item.level).toBe(res.data.recordStockMovement.levelAfter);
    }
    expect(after).toEqual([10, 7, 5, 4]);
    const entry = await app.knex('audit_log').orderBy('id', 'desc').first();
    expect(entry).toMatchObject({ entity: 'STOCK', entity_id: itemId, action: 'UPDATE' });
    expect([entry.before.level, entry.after.level, entry.after.movement.quantity]).toEqual([5, 4, -1]);

    const first = await app.gql(ITEM, { id: itemId, first: 3 });
    expect(first.data.stockItem).toMatchObject({ level: 4, belowMinimum: false });
    const page = first.data.stockItem.movements;
    expect(page.totalCount).toBe(4);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.edges.map((e: any) => e.node)).toEqual([
      { kind: 'OUT', quantity: -1, levelAfter: 4, faultId: null, fault: null },
      { kind: 'ADJUST', quantity: -2, levelAfter: 5, faultId: null, fault: null },
      { kind: 'OUT', quantity: -3, levelAfter: 7, faultId: String(id.fault), fault: { id: String(id.fault) } },
    ]);
    const rest = await app.gql(ITEM, { id: itemId, first: 3, after: page.pageInfo.endCursor });
    expect(rest.data.stockItem.movements.edges.map((e: any) => e.node.levelAfter)).toEqual([10]);
    expect(rest.data.stockItem.movements.pageInfo.hasNextPage).toBe(false);
  });

  it('cannot go below zero: BAD_USER_INPUT naming the item, its level and the quantity asked', async () => {
    const itemId = await item({ code: 'KBL-CAT6', name: 'Cat6 kablo', unit: 'metre' }, 5);
    const res = await refused('BAD_USER_INPUT', MOVE, { item: itemId, kind: 'OUT', q: 6 }, token.keeper);
    expect(res.errors![0].message).toBe('not enough stock of KBL-CAT6 (Cat6 kablo): the level is 5 metre, 6 metre were asked for; the level cannot go below zero');
    expect(res.errors![0].extensions).toMatchObject({ level: 5, requested: 6 });
    await refused('BAD_USER_INPUT', MOVE, { item: itemId, kind: 'ADJUST', q: -6 }, token.keeper);
    expect((await app.gql(MOVE, { item: itemId, kind: 'OUT', q: 5 }, token.keeper)).data.recordStockMovement.levelAfter).toBe(0);
    await refused('BAD_USER_INPUT', MOVE, { item: itemId, kind: 'OUT', q: 1 }, token.keeper);
    // The database refuses it too, whoever writes.
    await expect(app.knex('stock_movements').insert({ item_id: itemId, kind: 'OUT', quantity: -1 })).rejects.toMatchObject({ code: '23514', constraint: 'stock_level_not_negative' });
    expect(await level(itemId)).toBe(0);
  });

  it('refuses quantities that do not fit the kind, a fault on anything but OUT, and an unknown fault', async () => {
    const itemId = await item({}, 5);
    await refused('BAD_USER_INPUT', MOVE, { item: itemId, kind: 'OUT', q: 0 });
    await refused('BAD_USER_INPUT', MOVE, { item: itemId, kind: 'IN', q: -2 });
    await refused('BAD_USER_INPUT', MOVE, { item: itemId, kind: 'ADJUST', q: 0 });
    await refused('BAD_USER_INPUT', MOVE, { item: itemId, kind: 'IN', q: 2, fault: String(id.fault) });
    expect((await refused('BAD_USER_INPUT', MOVE, { item: itemId, kind: 'OUT', q: 1, fault: '999999' })).errors![0].message).toBe('faultId: fault 999999 does not exist');
    await refused('NOT_FOUND', MOVE, { item: '999999', kind: 'IN', q: 1 });
  });

  it('lets exactly the concurrent OUT movements that fit succeed', async () => {
    const itemId = await item({}, 10);
    const results = await Promise.all(Array.from({ length: 7 }, () => app.gql(MOVE, { item: itemId, kind: 'OUT', q: 3 }, token.keeper)));
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(3);
    expect(results.filter((r) => codeOf(r) === 'BAD_USER_INPUT')).toHaveLength(4);
    expect(ok.map((r) => r.data.recordStockMovement.levelAfter).sort()).toEqual([1, 4, 7]);
    expect(await level(itemId)).toBe(1);
    expect(Number((await app.knex('stock_movements').where({ item_id: itemId, kind: 'OUT' }).count({ n: '*' }).first())!.n)).toBe(3);
  });
});

describe('what is under its minimum', () => {
  it('filters by level in SQL, by category and text; stockBelowMinimum lists the largest shortfall first', async () => {
    const unit = await insertOrgUnit(app.knex, 'DEPO');
    const make = async (code: string, category: string, minimumLevel: number, stock: number) =>
      item({ code, name: `${code} parça`, category, minimumLevel, ownerOrgUnitId: String(unit) }, stock);
    await make('DEPO-A', 'CONSUMABLE', 10, 2);
    await make('DEPO-B', 'SPARE_PART', 5, 4);
    await make('DEPO-C', 'SPARE_PART', 1, 1);
    await make('DEPO-D', 'CONSUMABLE', 0, 0);
    const q = `query($f: StockItemFilter) { stockItems(filter: $f) { totalCount edges { node { code level belowMinimum } } } }`;
    const codes = async (f: Record<string, unknown>) => (await app.gql(q, { f: { ownerOrgUnitId: String(unit), ...f } })).data.stockItems.edges.map((e: any) => e.node.code);
    expect(await codes({ belowMinimum: true })).toEqual(['DEPO-A', 'DEPO-B']);
    expect(await codes({ belowMinimum: false })).toEqual(['DEPO-C', 'DEPO-D']);
    expect(await codes({ belowMinimum: true, category: 'SPARE_PART' })).toEqual(['DEPO-B']);
    // Matched the Turkish way: case and diacritics do not matter.
    expect(await codes({ search: 'depo-c PARCA' })).toEqual(['DEPO-C']);
    expect(await codes({ search: 'depo-x' })).toEqual([]);
    expect((await app.gql(q, { f: { ownerOrgUnitId: String(unit), belowMinimum: true } })).data.stockItems.totalCount).toBe(2);
    const below = await app.gql(`{ stockBelowMinimum { code level minimumLevel } }`, {}, token.reader);
    const depo = below.data.stockBelowMinimum.filter((i: any) => i.code.startsWith('DEPO-'));
    expect(depo).toEqual([
      { code: 'DEPO-A', level: 2, minimumLevel: 10 },
      { code: 'DEPO-B', level: 4, minimumLevel: 5 },
    ]);
  });
});

describe('permissions', () => {
  it('FORBIDDEN without the grant or outside its directorate, UNAUTHENTICATED anonymously, NOT_FOUND outside the read scope', async () => {
    const bimItem = await item({}, 3);
    const fenItem = await item({ ownerOrgUnitId: String(id.fen) }, 3);
    await refused('FORBIDDEN', MOVE, { item: bimItem, kind: 'OUT', q: 1 }, token.reader);
    await refused('UNAUTHENTICATED', MOVE, { item: bimItem, kind: 'OUT', q: 1 }, null);
    await refused('FORBIDDEN', MOVE, { item: fenItem, kind: 'OUT', q: 1 }, token.keeper);
    await refused('FORBIDDEN', CREATE, { input: { code: 'FEN-X', name: 'x', category: 'CONSUMABLE', ownerOrgUnitId: String(id.fen) } }, token.keeper);
    await refused('FORBIDDEN', UPDATE, { id: bimItem, v: 1, input: { ownerOrgUnitId: String(id.fen) } }, token.keeper);
    expect(codeOf(await app.gql(ITEM, { id: bimItem }, token.fenReader))).toBe('NOT_FOUND');
    expect((await app.gql(ITEM, { id: fenItem }, token.fenReader)).data.stockItem.level).toBe(3);
    const listed = await app.gql(`{ stockItems(first: 1000) { edges { node { id } } } }`, {}, token.fenReader);
    expect(listed.data.stockItems.edges.map((e: any) => e.node.id)).toEqual([fenItem]);
    expect(codeOf(await app.gql(`{ stockBelowMinimum { id } }`, {}, null))).toBe('UNAUTHENTICATED');
  });
});

describe('statements', () => {
  it('a page of items with their movements, actors and owners takes the same statements for 3 or 12 items', async () => {
    const unit = await insertOrgUnit(app.knex, 'STAT');
    for (let i = 0; i < 12; i++) {
      const itemId = await item({ ownerOrgUnitId: String(unit) }, 5);
      await app.gql(MOVE, { item: itemId, kind: 'OUT', q: 1 });
    }
    const q = `query($f: StockItemFilter, $first: Int) { stockItems(filter: $f, first: $first) { edges { node { code level ownerOrgUnit { code } movements(first: 5) { totalCount edges { node { levelAfter actor { username } } } } } } } }`;
    const run = async (first: number) => {
      const { result, statements } = await app.countStatements(() => app.gql(q, { f: { ownerOrgUnitId: String(unit) }, first }));
      expect(result.errors).toBeUndefined();
      expect(result.data.stockItems.edges).toHaveLength(first);
      expect(result.data.stockItems.edges[0].node.movements.edges.map((e: any) => e.node.levelAfter)).toEqual([4, 5]);
      return statements;
    };
    const few = await run(3);
    expect(await run(12)).toBe(few);
    // access, the page, the movements, their counts, the actors, the owners
    expect(few).toBe(5 + app.accessCheckStatements);
  });
});
