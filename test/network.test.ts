import { codeOf, startTestApp, type TestApp } from './helpers/app';
import {
  insertCamera,
  insertNeighbourhood,
  insertNetworkLine,
  insertNetworkNode,
  insertOrgUnit,
  insertRemoteUnit,
  metresPerDegreeLon,
} from './helpers/factories';

/**
 *   N0 (central) ---L1 fibre--- C1 (cabinet) ---L2 xDSL--- U1 (Zabıta)
 *        \                        \
 *         \---------L4 LTE-------- U2 (Fen) ---L3 fibre (from C1)
 * Neighbourhoods: west [37.79, 37.0, 37.80, 37.03], east [37.80, 37.0, 37.82, 37.03].
 */
let app: TestApp;
const id: Record<string, number> = {};
const LAT = 37.01;

beforeAll(async () => {
  app = await startTestApp();
  id.west = await insertNeighbourhood(app.knex, [37.79, 37.0, 37.8, 37.03], { name: 'Batı' });
  id.east = await insertNeighbourhood(app.knex, [37.8, 37.0, 37.82, 37.03], { name: 'Doğu' });
  id.zab = await insertOrgUnit(app.knex, 'ZAB', 'Zabıta Müdürlüğü');
  id.fen = await insertOrgUnit(app.knex, 'FEN', 'Fen İşleri Müdürlüğü');
  id.n0 = await insertNetworkNode(app.knex, 37.795, LAT, { code: 'NN-000', name: 'Sistem Odası', kind: 'CENTRAL_DATA_ROOM' });
  id.c1 = await insertNetworkNode(app.knex, 37.805, LAT, { code: 'NN-C01', name: 'Kabin 1', kind: 'CABINET' });
  id.u1 = await insertRemoteUnit(app.knex, 37.815, LAT, id.zab, { code: 'UB-01', name: 'Zabıta Karakolu', address_mahalle: 'Doğu' });
  id.u2 = await insertRemoteUnit(app.knex, 37.805, 37.02, id.fen, { code: 'UB-02', name: 'Fen İşleri Şantiyesi', status: 'OFFLINE', isp: 'Superonline' });
  id.l1 = await insertNetworkLine(app.knex, { node: id.n0 }, { node: id.c1 }, [[37.795, LAT], [37.805, LAT]], {
    code: 'HAT-001', name: 'Merkez – K01 omurga', provider: 'Belediye',
  });
  id.l2 = await insertNetworkLine(app.knex, { node: id.c1 }, { unit: id.u1 }, [[37.805, LAT], [37.81, LAT], [37.815, LAT]], {
    code: 'HAT-002', medium: 'XDSL', provider: 'Türk Telekom', circuit_id: 'TT-4455',
  });
  id.l3 = await insertNetworkLine(app.knex, { node: id.c1 }, { unit: id.u2 }, [[37.805, LAT], [37.805, 37.02]], { code: 'HAT-003' });
  id.l4 = await insertNetworkLine(app.knex, { node: id.n0 }, { unit: id.u2 }, [[37.795, LAT], [37.805, 37.02]], {
    code: 'HAT-004', medium: 'LTE', provider: 'Vodafone', status: 'PLANNED',
  });
  id.cam1 = await insertCamera(app.knex, 37.8151, LAT, { name: 'near u1' }); // ~9 m east of U1
  id.cam2 = await insertCamera(app.knex, 37.8155, LAT, { name: 'mid u1' }); // ~44 m
  id.cam3 = await insertCamera(app.knex, 37.83, LAT, { name: 'far' });
});
afterAll(() => app.close());

const LINES = `query($filter: NetworkLineFilter, $spatial: SpatialFilter) {
  networkLines(filter: $filter, spatial: $spatial) {
    totalCount
    edges { node { code name medium provider circuitId status lengthMeters
      aEnd { __typename ... on NetworkNode { code kind } ... on RemoteUnit { code name } }
      zEnd { __typename ... on NetworkNode { code kind } ... on RemoteUnit { code name } }
      neighbourhood { name }
      geometry } }
  }
}`;
const codes = (res: any) => res.data.networkLines.edges.map((e: any) => e.node.code);

describe('network lines', () => {
  it('lists lines with medium, provider, circuit, both ends and geodesic length', async () => {
    const res = await app.gql(LINES, {});
    expect(res.errors).toBeUndefined();
    expect(codes(res)).toEqual(['HAT-001', 'HAT-002', 'HAT-003', 'HAT-004']);
    const [l1, l2] = res.data.networkLines.edges.map((e: any) => e.node);
    expect(l1.aEnd).toEqual({ __typename: 'NetworkNode', code: 'NN-000', kind: 'CENTRAL_DATA_ROOM' });
    expect(l1.zEnd).toEqual({ __typename: 'NetworkNode', code: 'NN-C01', kind: 'CABINET' });
    expect(l2.zEnd).toEqual({ __typename: 'RemoteUnit', code: 'UB-01', name: 'Zabıta Karakolu' });
    expect(l2).toMatchObject({ medium: 'XDSL', provider: 'Türk Telekom', circuitId: 'TT-4455' });
    // 0.01 degree of longitude at 37.01 N, measured independently of PostGIS: within 0.1 %.
    expect(Math.abs(l1.lengthMeters / (0.01 * metresPerDegreeLon(LAT)) - 1)).toBeLessThan(0.001);
    expect(l1.geometry.type).toBe('LineString');
    // The line runs from the west neighbourhood into the east one; a point on it is in one of them.
    expect(['Batı', 'Doğu']).toContain(l1.neighbourhood.name);
    expect(l2.neighbourhood.name).toBe('Doğu');
  });

  it('filters by medium, status, provider (the Turkish way) and text', async () => {
    expect(codes(await app.gql(LINES, { filter: { medium: ['FIBER'] } }))).toEqual(['HAT-001', 'HAT-003']);
    expect(codes(await app.gql(LINES, { filter: { status: ['PLANNED'] } }))).toEqual(['HAT-004']);
    expect(codes(await app.gql(LINES, { filter: { provider: 'TURK TELEKOM' } }))).toEqual(['HAT-002']);
    expect(codes(await app.gql(LINES, { filter: { search: 'omurga' } }))).toEqual(['HAT-001']);
    expect(codes(await app.gql(LINES, { filter: { search: 'tt-44' } }))).toEqual(['HAT-002']);
  });

  it('takes the same spatial filters as every layer', async () => {
    // A box that no vertex of HAT-001 is in, but that the line crosses.
    const crossed = await app.gql(LINES, { spatial: { bbox: { minx: 37.799, miny: 37.009, maxx: 37.801, maxy: 37.011 } } });
    expect(codes(crossed)).toEqual(['HAT-001']);
    const near = await app.gql(LINES, {
      spatial: { withinDistance: { geometry: { type: 'Point', coordinates: [37.815, 37.0105] }, meters: 100 } },
    });
    expect(codes(near)).toEqual(['HAT-002']);
    const inEast = await app.gql(LINES, { spatial: { inNeighbourhood: String(id.east) }, filter: { medium: ['XDSL'] } });
    expect(codes(inEast)).toEqual(['HAT-002']);
  });

  it('orders lines by distance from a point', async () => {
    const res = await app.gql(`{ networkLines(first: 2, nearest: { x: 37.815, y: 37.0101 }) { edges { distanceMeters node { code } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.networkLines.edges.map((e: any) => e.node.code)).toEqual(['HAT-002', 'HAT-003']);
    expect(res.data.networkLines.edges[0].distanceMeters).toBeCloseTo(11.1, 0);
  });

  it('returns one line by id, NOT_FOUND for a missing one', async () => {
    const res = await app.gql(`query($id: ID!) { networkLine(id: $id) { code geometry(srid: 5257) } }`, { id: String(id.l3) });
    expect(res.data.networkLine.code).toBe('HAT-003');
    expect(res.data.networkLine.geometry.crs.properties.name).toBe('EPSG:5257');
    expect(codeOf(await app.gql(`{ networkLine(id: "99999") { code } }`))).toBe('NOT_FOUND');
  });
});

describe('network nodes', () => {
  it('list the lines that meet at each node, and filter by kind', async () => {
    const res = await app.gql(`{ networkNodes { edges { node { code kind status lines { code } neighbourhood { name } } } } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data.networkNodes.edges.map((e: any) => e.node);
    expect(nodes).toEqual([
      { code: 'NN-000', kind: 'CENTRAL_DATA_ROOM', status: 'ACTIVE', lines: [{ code: 'HAT-001' }, { code: 'HAT-004' }], neighbourhood: { name: 'Batı' } },
      { code: 'NN-C01', kind: 'CABINET', status: 'ACTIVE', lines: [{ code: 'HAT-001' }, { code: 'HAT-002' }, { code: 'HAT-003' }], neighbourhood: { name: 'Doğu' } },
    ]);
    const cabinets = await app.gql(`{ networkNodes(filter: { kind: [CABINET] }) { totalCount } }`);
    expect(cabinets.data.networkNodes.totalCount).toBe(1);
    expect(codeOf(await app.gql(`{ networkNode(id: "99999") { code } }`))).toBe('NOT_FOUND');
  });

  it('walk from a remote unit to the centre through the graph', async () => {
    // U1 -> HAT-002 -> NN-C01 -> HAT-001 -> NN-000
    const res = await app.gql(`query($id: ID!) { remoteUnit(id: $id) { lines { code aEnd { ... on NetworkNode { code
        lines { code aEnd { ... on NetworkNode { code kind } } } } } } } }`, { id: String(id.u1) });
    expect(res.errors).toBeUndefined();
    const [access] = res.data.remoteUnit.lines;
    expect(access.code).toBe('HAT-002');
    expect(access.aEnd.code).toBe('NN-C01');
    const backbone = access.aEnd.lines.find((l: any) => l.code === 'HAT-001');
    expect(backbone.aEnd).toEqual({ code: 'NN-000', kind: 'CENTRAL_DATA_ROOM' });
  });
});

describe('remote units', () => {
  const UNITS = `query($filter: RemoteUnitFilter) { remoteUnits(filter: $filter) { totalCount edges { node {
    code name status orgUnit { code name } address { mahalle street doorNo } internet { provider line bandwidthMbps }
    lines { code medium } neighbourhood { name } geometry } } } }`;
  const unitCodes = (res: any) => res.data.remoteUnits.edges.map((e: any) => e.node.code);

  it('list units with their directorate, address, subscription, serving lines and neighbourhood', async () => {
    const res = await app.gql(UNITS, {});
    expect(res.errors).toBeUndefined();
    const [u1, u2] = res.data.remoteUnits.edges.map((e: any) => e.node);
    expect(u1).toMatchObject({
      code: 'UB-01',
      orgUnit: { code: 'ZAB', name: 'Zabıta Müdürlüğü' },
      address: { mahalle: 'Doğu', doorNo: '12' },
      internet: { provider: 'Türk Telekom', line: 'FIBER', bandwidthMbps: 100 },
      lines: [{ code: 'HAT-002', medium: 'XDSL' }],
      neighbourhood: { name: 'Doğu' },
    });
    // Two independent paths serve U2: fibre through the cabinet, LTE straight to the centre.
    expect(u2.lines).toEqual([{ code: 'HAT-003', medium: 'FIBER' }, { code: 'HAT-004', medium: 'LTE' }]);
  });

  it('filter by status, directorate code, provider and text', async () => {
    expect(unitCodes(await app.gql(UNITS, { filter: { status: ['OFFLINE'] } }))).toEqual(['UB-02']);
    expect(unitCodes(await app.gql(UNITS, { filter: { orgUnit: 'zab' } }))).toEqual(['UB-01']);
    expect(unitCodes(await app.gql(UNITS, { filter: { isp: 'superonline' } }))).toEqual(['UB-02']);
    expect(unitCodes(await app.gql(UNITS, { filter: { search: 'SANTIYE' } }))).toEqual(['UB-02']);
  });

  it('list the cameras within a distance, nearest first with distances', async () => {
    const res = await app.gql(`query($id: ID!) { remoteUnit(id: $id) {
      near: camerasWithin(meters: 50) { totalCount edges { distanceMeters node { name } } }
      one: camerasWithin(meters: 5000, first: 1) { totalCount edges { node { name } } pageInfo { hasNextPage } }
    } }`, { id: String(id.u1) });
    expect(res.errors).toBeUndefined();
    const near = res.data.remoteUnit.near;
    expect(near.totalCount).toBe(2);
    expect(near.edges.map((e: any) => e.node.name)).toEqual(['near u1', 'mid u1']);
    expect(Math.abs(near.edges[0].distanceMeters - 0.0001 * metresPerDegreeLon(LAT))).toBeLessThan(0.05);
    expect(res.data.remoteUnit.one).toMatchObject({ totalCount: 3, edges: [{ node: { name: 'near u1' } }], pageInfo: { hasNextPage: true } });

    const bad = await app.gql(`query($id: ID!) { remoteUnit(id: $id) { camerasWithin(meters: -1) { totalCount } } }`, { id: String(id.u1) });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].message).toMatch(/meters must be between 0 and 50000, got -1/);
  });

  it('returns one unit by id, NOT_FOUND for a missing one, and nearest ordering', async () => {
    const res = await app.gql(`{ remoteUnits(nearest: { x: 37.806, y: 37.02 }, first: 1) { edges { distanceMeters node { code } } } }`);
    expect(res.data.remoteUnits.edges[0].node.code).toBe('UB-02');
    expect(codeOf(await app.gql(`{ remoteUnit(id: "99999") { code } }`))).toBe('NOT_FOUND');
  });
});

describe('a page of lines with their ends, neighbourhoods and geometry', () => {
  it('runs a constant number of statements', async () => {
    const q = `{ networkLines(first: 100) { edges { node { code
      aEnd { ... on NetworkNode { code lines { code } } ... on RemoteUnit { code orgUnit { code } lines { code } } }
      zEnd { ... on NetworkNode { code } ... on RemoteUnit { code orgUnit { code } } }
      neighbourhood { name } geometry(srid: 5257) } } } }`;
    await app.gql(q);
    const before = await app.countStatements(() => app.gql(q));
    expect(before.result.errors).toBeUndefined();
    // 20 more lines, each to a new remote unit of its own: the statement count must not move.
    for (let i = 0; i < 20; i++) {
      const unit = await insertRemoteUnit(app.knex, 37.81 + i * 0.0001, 37.015, i % 2 ? id.zab : id.fen);
      await insertNetworkLine(app.knex, { node: id.c1 }, { unit }, [[37.805, LAT], [37.81 + i * 0.0001, 37.015]]);
    }
    const after = await app.countStatements(() => app.gql(q));
    expect(after.result.data.networkLines.edges).toHaveLength(24);
    expect(after.statements).toBe(before.statements);
    // access, page, nodes, remote units, lines at nodes, lines at units, org units, neighbourhoods, geometry in 5257
    expect(after.statements).toBeLessThanOrEqual(9);
  });
});
