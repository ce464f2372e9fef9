import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertGrant, insertUserWithGrants, publicRoleId, type GrantSpec } from './helpers/access';
import {
  insertCamera,
  insertNeighbourhood,
  insertNetworkLine,
  insertNetworkNode,
  insertOrgUnit,
  insertParcel,
  insertRemoteUnit,
} from './helpers/factories';

/**
 * Two neighbourhoods with a gap between them, A (owned by Fen İşleri) and B (owned by Zabıta),
 * each holding one feature of every layer. Every reader below must see exactly its rows through
 * every path: list, totalCount, by id, nearest, spatial filter, nested relations and counts.
 */
let app: TestApp;
const id: Record<string, number> = {};
const token: Record<string, string | null> = {};
const BOX_A: [number, number, number, number] = [37.7, 37.0, 37.72, 37.02];
const BOX_B: [number, number, number, number] = [37.74, 37.0, 37.76, 37.02];

const LAYERS = [
  { resource: 'NEIGHBOURHOODS', list: 'neighbourhoods', one: 'neighbourhood', a: 'nA', b: 'nB' },
  { resource: 'CAMERAS', list: 'cameras', one: 'camera', a: 'camA', b: 'camB' },
  { resource: 'NETWORK_NODES', list: 'networkNodes', one: 'networkNode', a: 'nodeA', b: 'nodeB' },
  { resource: 'NETWORK_LINES', list: 'networkLines', one: 'networkLine', a: 'lineA', b: 'lineB' },
  { resource: 'REMOTE_UNITS', list: 'remoteUnits', one: 'remoteUnit', a: 'unitA', b: 'unitB' },
  { resource: 'PARCELS', list: 'parcels', one: 'parcel', a: 'parcelA', b: 'parcelB' },
] as const;
const TABLES: Record<string, string> = {
  NEIGHBOURHOODS: 'neighbourhoods', CAMERAS: 'cameras', NETWORK_NODES: 'network_nodes',
  NETWORK_LINES: 'network_lines', REMOTE_UNITS: 'remote_units', PARCELS: 'parcels',
};
const every = (action: 'READ' | 'UPDATE', extra: Partial<GrantSpec> = {}): GrantSpec[] =>
  LAYERS.map((l) => ({ resource: l.resource, action, ...extra }));

async function features(box: [number, number, number, number], suffix: 'A' | 'B', owner: number): Promise<void> {
  const [x0, y0] = [box[0], box[1]];
  id[`n${suffix}`] = await insertNeighbourhood(app.knex, box, { name: `Mahalle ${suffix}` });
  id[`cam${suffix}`] = await insertCamera(app.knex, x0 + 0.005, y0 + 0.005, { name: `Kamera ${suffix}` });
  id[`node${suffix}`] = await insertNetworkNode(app.knex, x0 + 0.006, y0 + 0.006);
  id[`unit${suffix}`] = await insertRemoteUnit(app.knex, x0 + 0.012, y0 + 0.006, owner);
  id[`line${suffix}`] = await insertNetworkLine(app.knex, { node: id[`node${suffix}`] }, { unit: id[`unit${suffix}`] }, [
    [x0 + 0.006, y0 + 0.006],
    [x0 + 0.012, y0 + 0.006],
  ]);
  id[`parcel${suffix}`] = await insertParcel(app.knex, [x0 + 0.001, y0 + 0.01, x0 + 0.003, y0 + 0.012], { mahalle: `M${suffix}`, ada: 1, parsel: 1 });
  for (const l of LAYERS) {
    await app.knex(TABLES[l.resource]).where({ id: id[`${l.a.replace(/A$/, '')}${suffix}`] }).update({ owner_org_unit_id: owner });
  }
}

async function user(name: string, orgUnit: number, grants: GrantSpec[]): Promise<void> {
  ({ id: id[name], token: token[name] } = await insertUserWithGrants(app.knex, orgUnit, name, grants));
}

beforeAll(async () => {
  app = await startTestApp();
  id.fen = await insertOrgUnit(app.knex, 'FEN');
  id.zab = await insertOrgUnit(app.knex, 'ZAB');
  const [unit] = await app.knex('org_units').insert({ code: 'ZAB-KARAKOL', name: 'Zabıta Karakolu', kind: 'UNIT', parent_id: id.zab }).returning('id');
  id.zabUnit = unit.id;
  id.imar = await insertOrgUnit(app.knex, 'IMAR');
  await features(BOX_A, 'A', id.fen);
  await features(BOX_B, 'B', id.zab);
  await app.knex('cameras').where({ id: id.camA }).update({ is_public: true });

  // Fen İşleri: reads everything, edits only inside neighbourhood A.
  await user('fen', id.fen, [
    ...every('READ'),
    ...LAYERS.flatMap((l) => (['CREATE', 'UPDATE', 'DELETE'] as const).map((action) => ({ resource: l.resource, action, neighbourhoodIds: [id.nA] }))),
  ]);
  await user('analyst', id.imar, every('READ'));
  await user('zabita', id.zab, [{ resource: 'CAMERAS', action: 'READ' }]);
  await user('operator', id.zab, [{ resource: 'CAMERAS', action: 'READ', fields: ['streamUrl'], neighbourhoodIds: [id.nA] }, { resource: 'CAMERAS', action: 'READ' }]);
  // A member of a unit under Zabıta: rows of the Zabıta directorate (B) only.
  await user('own', id.zabUnit, [...every('READ', { ownOrgUnitOnly: true }), ...every('UPDATE', { ownOrgUnitOnly: true })]);
  await user('polygon', id.imar, every('READ', { box: [37.69, 36.99, 37.73, 37.03] }));
  await user('nobody', id.imar, []);
  token.anonymous = null;
  await insertGrant(app.knex, await publicRoleId(app.knex), { resource: 'CAMERAS', action: 'READ' });
});
afterAll(() => app.close());

/** Which of the two features of each layer each reader may read. */
const VISIBLE: Record<string, 'AB' | 'A' | 'B' | '' | 'forbidden'> = {
  fen: 'AB',
  analyst: 'AB',
  own: 'B',
  polygon: 'A',
};
/** Camera A is flagged public, and the public role may read cameras: every reader sees it. */
const expected = (reader: string, layer: (typeof LAYERS)[number]): string[] | 'forbidden' => {
  if (reader === 'zabita' || reader === 'anonymous' || reader === 'nobody') {
    if (layer.resource !== 'CAMERAS') return 'forbidden';
    return reader === 'zabita' ? [layer.a, layer.b] : [layer.a];
  }
  const mine = [...VISIBLE[reader]].map((s) => (s === 'A' ? layer.a : layer.b));
  return layer.resource === 'CAMERAS' && !mine.includes(layer.a) ? [layer.a, ...mine] : mine;
};
const READERS = ['fen', 'analyst', 'own', 'polygon', 'zabita', 'anonymous', 'nobody'];
const ids = (names: string[]) => names.map((n) => String(id[n])).sort();

describe.each(READERS)('reader %s', (reader) => {
  it.each(LAYERS.map((l) => [l.list, l] as const))('sees only its rows of %s: list, totalCount, by id, nearest, spatial filter', async (_name, layer) => {
    const want = expected(reader, layer);
    const res = await app.gql(
      `query($x: Float!, $y: Float!) {
        all: ${layer.list}(first: 100) { totalCount edges { node { id } } }
        near: ${layer.list}(first: 100, nearest: { x: $x, y: $y }) { totalCount edges { node { id } } }
      }`,
      { x: BOX_B[0] + 0.005, y: BOX_B[1] + 0.005 },
      token[reader],
    );
    if (want === 'forbidden') {
      expect(res.data).toBeNull();
      expect(codeOf(res)).toBe(reader === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    } else {
      expect(res.errors).toBeUndefined();
      const got = (k: string) => res.data[k].edges.map((e: any) => e.node.id).sort();
      expect(got('all')).toEqual(ids(want));
      expect(res.data.all.totalCount).toBe(want.length);
      expect(got('near')).toEqual(ids(want));
      expect(res.data.near.totalCount).toBe(want.length);
      // A neighbourhood the reader may not read does not exist as a filter either.
      const inB = await app.gql(`query($n: ID!) { ${layer.list}(spatial: { inNeighbourhood: $n }) { totalCount edges { node { id } } } }`, { n: String(id.nB) }, token[reader]);
      if (['fen', 'analyst', 'own'].includes(reader)) {
        expect(inB.data[layer.list].edges.map((e: any) => e.node.id)).toEqual(ids(want.filter((n) => n === layer.b)));
        expect(inB.data[layer.list].totalCount).toBe(want.filter((n) => n === layer.b).length);
      } else {
        expect(codeOf(inB)).toBe('BAD_USER_INPUT');
        expect(inB.errors![0].message).toBe(`spatial.inNeighbourhood: neighbourhood ${id.nB} does not exist`);
      }
    }
    // By id: a row outside the reader's scope does not exist, with the same message as a missing id.
    for (const name of [layer.a, layer.b]) {
      const one = await app.gql(`query($id: ID!) { ${layer.one}(id: $id) { id } }`, { id: String(id[name]) }, token[reader]);
      if (want !== 'forbidden' && want.includes(name)) {
        expect(one.data[layer.one].id).toBe(String(id[name]));
      } else {
        expect(codeOf(one)).toBe('NOT_FOUND');
        expect(one.errors![0].message).toMatch(/does not exist$/);
      }
    }
  });

  it('sees only its rows through nested relations and neighbourhood counts', async () => {
    if (reader !== 'polygon' && reader !== 'own') return;
    const res = await app.gql(
      `{ neighbourhoods { edges { node { id counts { cameras networkNodes networkLines remoteUnits parcels } cameras { totalCount edges { node { id } } } } } }
         networkLines { edges { node { id aEnd { ... on NetworkNode { id lines { id } } } zEnd { ... on RemoteUnit { id camerasWithin(meters: 5000) { totalCount } } } neighbourhood { id } } } } }`,
      {},
      token[reader],
    );
    expect(res.errors).toBeUndefined();
    const mine = reader === 'polygon' ? 'A' : 'B';
    expect(res.data.neighbourhoods.edges.map((e: any) => e.node.id)).toEqual([String(id[`n${mine}`])]);
    const n = res.data.neighbourhoods.edges[0].node;
    expect(n.counts).toEqual({ cameras: 1, networkNodes: 1, networkLines: 1, remoteUnits: 1, parcels: 1 });
    expect(n.cameras.edges.map((e: any) => e.node.id)).toEqual([String(id[`cam${mine}`])]);
    const [line] = res.data.networkLines.edges.map((e: any) => e.node);
    expect(line.aEnd.lines.map((l: any) => l.id)).toEqual([String(id[`line${mine}`])]);
    // Both cameras are within 5 km of each unit: the reader's own, and camera A, which is public.
    expect(line.zEnd.camerasWithin.totalCount).toBe(mine === 'A' ? 1 : 2);
    expect(line.neighbourhood.id).toBe(String(id[`n${mine}`]));
  });
});

describe('a neighbourhood-limited reader', () => {
  it('does not learn of rows outside its area through a relation: the far end of a line is null', async () => {
    // A line from A's node to B's unit: visible to the polygon reader (it touches A), its B end is not.
    const cross = await insertNetworkLine(app.knex, { node: id.nodeA }, { unit: id.unitB }, [
      [BOX_A[0] + 0.006, BOX_A[1] + 0.006],
      [BOX_B[0] + 0.012, BOX_B[1] + 0.006],
    ]);
    try {
      const res = await app.gql(`query($id: ID!) { networkLine(id: $id) { aEnd { __typename } zEnd { __typename } } }`, { id: String(cross) }, token.polygon);
      expect(res.errors).toBeUndefined();
      expect(res.data.networkLine).toEqual({ aEnd: { __typename: 'NetworkNode' }, zEnd: null });
    } finally {
      await app.knex('network_lines').where({ id: cross }).delete();
    }
  });
});

describe('sensitive fields', () => {
  const Q = `{ cameras { edges { node { id name streamUrl } } } }`;

  it('withholds camera stream URLs without a grant naming the field: null, and FORBIDDEN on the field', async () => {
    const res = await app.gql(Q, {}, token.zabita);
    expect(res.data.cameras.edges.map((e: any) => e.node.streamUrl)).toEqual([null, null]);
    expect(res.errors).toHaveLength(2);
    expect(res.errors!.every((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.includes('streamUrl'))).toBe(true);
    expect(JSON.stringify(res)).not.toMatch(/rtsp:/);
  });

  it('shows them where a grant names the field, and only inside that grant\'s area', async () => {
    const res = await app.gql(Q, {}, token.operator);
    const byId = Object.fromEntries(res.data.cameras.edges.map((e: any) => [e.node.id, e.node.streamUrl]));
    expect(byId[id.camA]).toMatch(/^rtsp:/);
    expect(byId[id.camB]).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].path).toEqual(['cameras', 'edges', 1, 'node', 'streamUrl']);
  });

  it('shows them to anonymous requests never, even on public rows', async () => {
    const res = await app.gql(Q, {}, null);
    expect(res.data.cameras.edges).toEqual([{ node: { id: String(id.camA), name: 'Kamera A', streamUrl: null } }]);
    expect(codeOf(res)).toBe('FORBIDDEN');
  });
});

describe('anonymous requests', () => {
  it('read only the rows flagged public of the layers the public role may read', async () => {
    const res = await app.gql(`{ cameras { totalCount edges { node { id isPublic } } } }`, {}, null);
    expect(res.data.cameras).toEqual({ totalCount: 1, edges: [{ node: { id: String(id.camA), isPublic: true } }] });
  });

  it('count only public rows in neighbourhood counts (when they may read neighbourhoods)', async () => {
    const pub = await publicRoleId(app.knex);
    const grant = await insertGrant(app.knex, pub, { resource: 'NEIGHBOURHOODS', action: 'READ' });
    try {
      await app.knex('neighbourhoods').update({ is_public: true });
      const res = await app.gql(`{ neighbourhoods { edges { node { name counts { cameras parcels } } } } }`, {}, null);
      expect(res.data.neighbourhoods.edges.map((e: any) => e.node)).toEqual([
        { name: 'Mahalle A', counts: { cameras: 1, parcels: 0 } },
        { name: 'Mahalle B', counts: { cameras: 0, parcels: 0 } },
      ]);
    } finally {
      await app.knex('role_grants').where({ id: grant }).delete();
      await app.knex('neighbourhoods').update({ is_public: false });
    }
  });

  it('never write, even with a write grant on the public role', async () => {
    const pub = await publicRoleId(app.knex);
    const grant = await insertGrant(app.knex, pub, { resource: 'CAMERAS', action: 'UPDATE' });
    try {
      const res = await app.gql(`mutation($id: ID!) { updateCamera(id: $id, version: 1, input: { name: "x" }) { id } }`, { id: String(id.camA) }, null);
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    } finally {
      await app.knex('role_grants').where({ id: grant }).delete();
    }
  });
});
