import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertCamera, insertNeighbourhood, metresPerDegreeLon } from './helpers/factories';

let app: TestApp;
const id: Record<string, number> = {};

beforeAll(async () => {
  app = await startTestApp();
  id.istasyon = await insertNeighbourhood(app.knex, [37.78, 37.0, 37.79, 37.01], { name: 'İstasyon', population: 5000 });
  id.kibris = await insertNeighbourhood(app.knex, [37.79, 37.0, 37.8, 37.01], { name: 'Kıbrıs' });
  id.sahinbey = await insertNeighbourhood(app.knex, [37.8, 37.0, 37.81, 37.01], { name: 'Şahinbey' });
  await insertCamera(app.knex, 37.781, 37.001, { name: 'i1', status: 'ACTIVE' });
  await insertCamera(app.knex, 37.782, 37.002, { name: 'i2', status: 'OFFLINE' });
  await insertCamera(app.knex, 37.783, 37.003, { name: 'i3', status: 'ACTIVE' });
  await insertCamera(app.knex, 37.791, 37.001, { name: 'k1', status: 'ACTIVE' });
});
afterAll(() => app.close());

describe('neighbourhoods', () => {
  it('lists neighbourhoods with their geodesic area and boundary', async () => {
    const res = await app.gql(`{ neighbourhoods { totalCount edges { node { id name district province population areaSquareMeters geometry } } } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data.neighbourhoods.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.name)).toEqual(['İstasyon', 'Kıbrıs', 'Şahinbey']);
    expect(nodes[0]).toMatchObject({ district: 'Nizip', province: 'Gaziantep', population: 5000 });
    expect(nodes[0].geometry.type).toBe('MultiPolygon');
    // A 0.01 x 0.01 degree cell at 37 N: about 889 m x 1110 m. Independent estimate, within 0.5 %.
    const expected = 0.01 * metresPerDegreeLon(37.005) * 0.01 * 110950;
    expect(Math.abs(nodes[0].areaSquareMeters / expected - 1)).toBeLessThan(0.005);
  });

  it('finds a neighbourhood by name the Turkish way: case and dotted/dotless i do not matter', async () => {
    for (const name of ['İSTASYON', 'istasyon', 'Istasyon', 'ıstasyon', 'İstasyon']) {
      const res = await app.gql(`query($f: NeighbourhoodFilter) { neighbourhoods(filter: $f) { edges { node { name } } } }`, {
        f: { name },
      });
      expect(res.data.neighbourhoods.edges.map((e: any) => e.node.name)).toEqual(['İstasyon']);
    }
    const kibris = await app.gql(`{ neighbourhoods(filter: { name: "KIBRIS" }) { edges { node { name } } } }`);
    expect(kibris.data.neighbourhoods.edges.map((e: any) => e.node.name)).toEqual(['Kıbrıs']);
    const part = await app.gql(`{ neighbourhoods(filter: { search: "sahin" }) { edges { node { name } } } }`);
    expect(part.data.neighbourhoods.edges.map((e: any) => e.node.name)).toEqual(['Şahinbey']);
  });

  it('returns one neighbourhood by id, NOT_FOUND for a missing one', async () => {
    const res = await app.gql(`query($id: ID!) { neighbourhood(id: $id) { name geometry(srid: 5257) } }`, { id: String(id.kibris) });
    expect(res.errors).toBeUndefined();
    expect(res.data.neighbourhood.name).toBe('Kıbrıs');
    expect(res.data.neighbourhood.geometry.crs.properties.name).toBe('EPSG:5257');
    const missing = await app.gql(`{ neighbourhood(id: "424242") { name } }`);
    expect(codeOf(missing)).toBe('NOT_FOUND');
  });

  it('exposes the cameras inside each neighbourhood, with a filter and a count', async () => {
    const res = await app.gql(`{ neighbourhoods {
      edges { node { name
        cameras(first: 2) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } }
        active: cameras(filter: { status: [ACTIVE] }) { totalCount }
        countOnly: cameras(first: 0) { totalCount edges { cursor } }
      } } } }`);
    expect(res.errors).toBeUndefined();
    const byName = Object.fromEntries(res.data.neighbourhoods.edges.map((e: any) => [e.node.name, e.node]));
    expect(byName['İstasyon'].cameras.totalCount).toBe(3);
    expect(byName['İstasyon'].cameras.edges.map((e: any) => e.node.name)).toEqual(['i1', 'i2']);
    expect(byName['İstasyon'].cameras.pageInfo.hasNextPage).toBe(true);
    expect(byName['İstasyon'].active.totalCount).toBe(2);
    expect(byName['İstasyon'].countOnly).toEqual({ totalCount: 3, edges: [] });
    expect(byName['Kıbrıs'].cameras.totalCount).toBe(1);
    expect(byName['Şahinbey'].cameras).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });

    // The nested endCursor continues in the top-level list.
    const rest = await app.gql(`query($id: ID!, $after: String) { cameras(spatial: { inNeighbourhood: $id }, after: $after) { edges { node { name } } } }`, {
      id: String(id.istasyon),
      after: byName['İstasyon'].cameras.pageInfo.endCursor,
    });
    expect(rest.data.cameras.edges.map((e: any) => e.node.name)).toEqual(['i3']);
  });
});

describe('a page of 100 neighbourhoods with their cameras', () => {
  let big: TestApp;
  beforeAll(async () => {
    big = await startTestApp();
    // A 10 x 10 grid of neighbourhoods, two cameras in each.
    await big.knex.raw(`
      INSERT INTO neighbourhoods (code, name, district, province, geom)
      SELECT 'G' || i || '-' || j, 'Grid ' || i || '-' || j, 'Nizip', 'Gaziantep',
             ST_Multi(ST_MakeEnvelope(37.7 + i * 0.01, 37.0 + j * 0.01, 37.7 + (i + 1) * 0.01, 37.0 + (j + 1) * 0.01, 4326))
      FROM generate_series(0, 9) i, generate_series(0, 9) j`);
    await big.knex.raw(`
      INSERT INTO cameras (code, name, kind, purpose, status, azimuth, horizontal_fov, range_m, geom)
      SELECT 'GC' || i || '-' || j || '-' || k, 'cam', 'FIXED', 'SECURITY', 'ACTIVE', 0, 60, 50,
             ST_SetSRID(ST_MakePoint(37.7 + i * 0.01 + 0.003 * k, 37.0 + j * 0.01 + 0.005), 4326)
      FROM generate_series(0, 9) i, generate_series(0, 9) j, generate_series(1, 2) k`);
    // In every cell: one node, one remote unit, one line from the node to the unit, three parcels.
    await big.knex.raw(`INSERT INTO org_units (code, name) VALUES ('BIM', 'Bilgi İşlem Müdürlüğü')`);
    await big.knex.raw(`
      INSERT INTO network_nodes (code, name, kind, geom)
      SELECT 'GN' || i || '-' || j, 'node', 'CABINET', ST_SetSRID(ST_MakePoint(37.7 + i * 0.01 + 0.002, 37.0 + j * 0.01 + 0.002), 4326)
      FROM generate_series(0, 9) i, generate_series(0, 9) j`);
    await big.knex.raw(`
      INSERT INTO remote_units (code, name, org_unit_id, geom)
      SELECT 'GU' || i || '-' || j, 'unit', (SELECT min(id) FROM org_units), ST_SetSRID(ST_MakePoint(37.7 + i * 0.01 + 0.008, 37.0 + j * 0.01 + 0.002), 4326)
      FROM generate_series(0, 9) i, generate_series(0, 9) j`);
    await big.knex.raw(`
      INSERT INTO network_lines (code, name, medium, a_node_id, z_remote_unit_id, geom)
      SELECT 'GL' || n.code, 'line', 'FIBER', n.id, u.id, ST_MakeLine(n.geom, u.geom)
      FROM network_nodes n JOIN remote_units u ON u.code = 'GU' || substr(n.code, 3)`);
    await big.knex.raw(`
      INSERT INTO parcels (province, district, mahalle, ada, parsel, registered_area_m2, geom)
      SELECT 'Gaziantep', 'Nizip', 'GRID ' || i || '-' || j, 1, k, 100,
             ST_Multi(ST_MakeEnvelope(37.7 + i * 0.01 + 0.001 * k, 37.0 + j * 0.01 + 0.006,
                                      37.7 + i * 0.01 + 0.001 * k + 0.0009, 37.0 + j * 0.01 + 0.0069, 4326))
      FROM generate_series(0, 9) i, generate_series(0, 9) j, generate_series(1, 3) k`);
  });
  afterAll(() => big.close());

  it('runs a constant number of SQL statements (no N+1)', async () => {
    const query = `{ neighbourhoods(first: 100) { totalCount edges { node {
      id name areaSquareMeters geometry tm: geometry(srid: 5257)
      cameras(first: 10) { totalCount edges { node { id name geometry fieldOfView } } }
    } } } }`;
    await big.gql(query); // warms the SRID cache
    const { result, statements, sql } = await big.countStatements(() => big.gql(query));
    expect(result.errors).toBeUndefined();
    expect(result.data.neighbourhoods.edges).toHaveLength(100);
    expect(result.data.neighbourhoods.totalCount).toBe(100);
    for (const e of result.data.neighbourhoods.edges) expect(e.node.cameras.totalCount).toBe(2);
    // (the access check where notifications cannot arrive), the page with its count, geometry in 5257, cameras of all 100 neighbourhoods, their fields of view
    expect(statements).toBe(4 + big.accessCheckStatements);
    expect(sql.filter((s) => /from "?cameras"?/i.test(s))).toHaveLength(2);
  });

  it('count the features of every layer in each neighbourhood, in one statement', async () => {
    const query = `{ neighbourhoods(first: 100) { edges { node { name counts { cameras networkNodes networkLines remoteUnits parcels } } } } }`;
    const { result, statements } = await big.countStatements(() => big.gql(query));
    expect(result.errors).toBeUndefined();
    for (const e of result.data.neighbourhoods.edges) {
      expect(e.node.counts).toEqual({ cameras: 2, networkNodes: 1, networkLines: 1, remoteUnits: 1, parcels: 3 });
    }
    // the request's access (account and grants), the page, the counts
    expect(statements).toBe(2 + app.accessCheckStatements);
  });

  it('count only the layers a query asks for, through aliases and fragments, in one statement per selection', async () => {
    const query = `fragment C on NeighbourhoodLayerCounts { c: cameras }
      { neighbourhoods(first: 100) { edges { node { counts { ...C remoteUnits } other: counts { __typename } } } } }`;
    const { result, statements, sql } = await big.countStatements(() => big.gql(query));
    expect(result.errors).toBeUndefined();
    for (const e of result.data.neighbourhoods.edges) expect(e.node).toEqual({ counts: { c: 2, remoteUnits: 1 }, other: { __typename: 'NeighbourhoodLayerCounts' } });
    // the request's access, the page, the counts of the two layers asked for (none for __typename alone)
    expect(statements).toBe(2 + big.accessCheckStatements);
    const counting = sql.filter((s) => /count\(\*\)/i.test(s));
    expect(counting).toHaveLength(1);
    expect(counting[0]).not.toMatch(/"parcels"|"network_lines"|"network_nodes"|"assets"/);
  });

  it('answer "which neighbourhood is this in" for a page of every layer without an N+1', async () => {
    const query = `{
      cameras(first: 100) { edges { node { neighbourhood { name } } } }
      networkNodes(first: 100) { edges { node { neighbourhood { name } } } }
      networkLines(first: 100) { edges { node { neighbourhood { name } } } }
      remoteUnits(first: 100) { edges { node { neighbourhood { name } } } }
      parcels(first: 100) { edges { node { mahalle neighbourhood { name } } } }
    }`;
    const { result, statements } = await big.countStatements(() => big.gql(query));
    expect(result.errors).toBeUndefined();
    // The request's access, then a page per layer and one neighbourhood lookup per layer.
    expect(statements).toBe(10 + app.accessCheckStatements);
    for (const e of result.data.parcels.edges) {
      expect(e.node.neighbourhood.name).toBe(e.node.mahalle.replace('GRID', 'Grid'));
    }
    expect(result.data.networkLines.edges.every((e: any) => e.node.neighbourhood !== null)).toBe(true);
  });
});
