import { Action, Resource } from '../src/common/auth/resources';
import { assignRoles, insertRole, tokenFor } from './helpers/access';
import { codeOf, startTestApp, type TestApp } from './helpers/app';
import { insertUser } from './helpers/factories';
import { networkxAnswers, type Reference } from './helpers/networks';

/**
 * The network operations through the HTTP server on the Nizip sample network: routes, independent
 * routes, connectivity, what-if and current impact and the single points of failure, each against
 * NetworkX's answer for the same network (read here with SQL of the test's own), and each filtered
 * by the reader's grants.
 */
let app: TestApp;
let reference: Reference;
let whatIf: Reference;
let lineIds: number[];
/** Karşıyaka Kabini, the cabinet on Fırat Caddesi (README's example). */
let firatCabinet: number;

/** The cameras that go with units and nodes: served through one, or with their asset at one of the units (the test's own SQL). */
async function camerasOf(units: number[], nodes: number[]): Promise<number[]> {
  const { rows } = await app.knex.raw(
    `SELECT id FROM cameras WHERE served_by_remote_unit_id = ANY(?::int[]) OR served_by_node_id = ANY(?::int[])
     UNION SELECT camera_id FROM assets WHERE camera_id IS NOT NULL AND remote_unit_id = ANY(?::int[]) ORDER BY 1`,
    [units, nodes, units],
  );
  return rows.map((r: { id: number }) => Number(r.id));
}
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
let analyst: string;
let zabita: string;
let area: string;
let areaReadable: { lines: Set<number>; nodes: Set<number>; units: Set<number> };

const ids = (rows: { id: string }[]) => rows.map((r) => Number(r.id));

/** The network as the test reads it; an element whose asset has an open fault is OFFLINE to the reference. */
async function topology() {
  const open = app.knex.raw(`(SELECT f.asset_id FROM faults f WHERE f.state NOT IN ('RESOLVED', 'CLOSED', 'CANCELLED'))`);
  const status = app.knex.raw(`CASE WHEN asset_id IN ? THEN 'OFFLINE' ELSE status::text END AS status`, [open]);
  const nodes = await app.knex('network_nodes').select('id', 'kind', status).orderBy('id');
  const units = (await app.knex('remote_units').pluck('id')).map(Number);
  const lines = await app.knex('network_lines').select('id', status, 'a_node_id', 'a_remote_unit_id', 'z_node_id', 'z_remote_unit_id', app.knex.raw('ST_Length(geom::geography) AS len'));
  const end = (n: number | null, u: number | null) => (n != null ? `n${n}` : u != null ? `u${u}` : null);
  return {
    nodes,
    units,
    lines: lines.map((l) => ({ id: l.id, status: l.status, a: end(l.a_node_id, l.a_remote_unit_id), z: end(l.z_node_id, l.z_remote_unit_id), lengthMeters: Number(l.len) })),
  };
}

beforeAll(async () => {
  app = await startTestApp({ seed: true });
  const t = await topology();
  lineIds = t.lines.filter((l) => l.status === 'ACTIVE').map((l) => l.id).slice(0, 12);
  firatCabinet = Number((await app.knex('network_nodes').where({ code: 'NN-C14' }).first('id')).id);
  const outages = [...lineIds.map((l) => ({ lines: [l], nodes: [] as number[] })), { lines: [], nodes: [firatCabinet] }];
  [reference, whatIf] = networkxAnswers([
    { ...t, current: true, outages: [{ lines: [], nodes: [] }] },
    { ...t, current: false, outages },
  ]);
  const login = async (username: string) => (await app.gql(`mutation { login(username: "${username}", password: "nizip-ornek-2026") { accessToken } }`, {}, null)).data.login.accessToken as string;
  analyst = await login('zeynep.arslan');
  zabita = await login('ali.celik');
  // A reader of the network in two neighbourhoods only.
  // The two neighbourhoods with the most remote units (some reach the centre, the rest of the town is out of sight).
  const { rows: busiest } = await app.knex.raw(
    'SELECT n.id FROM neighbourhoods n JOIN remote_units r ON ST_Intersects(n.geom, r.geom) GROUP BY n.id ORDER BY count(*) DESC, n.id LIMIT 2',
  );
  const hoods = busiest.map((r: { id: number }) => Number(r.id));
  const role = await insertRole(app.knex, [Resource.NETWORK_LINES, Resource.NETWORK_NODES, Resource.REMOTE_UNITS].map((resource) => ({ resource, action: Action.READ, neighbourhoodIds: hoods })));
  const [unit] = await app.knex('org_units').pluck('id');
  const userId = await insertUser(app.knex, unit, 'network.area');
  await assignRoles(app.knex, userId, role);
  area = tokenFor(userId);
  const all = await app.gql('{ networkLines(first: 1000) { edges { node { id } } } networkNodes(first: 1000) { edges { node { id } } } remoteUnits(first: 1000) { edges { node { id } } } }', {}, area);
  areaReadable = {
    lines: new Set(ids(all.data.networkLines.edges.map((e: any) => e.node))),
    nodes: new Set(ids(all.data.networkNodes.edges.map((e: any) => e.node))),
    units: new Set(ids(all.data.remoteUnits.edges.map((e: any) => e.node))),
  };
});
afterAll(() => app.close());

describe('routes and connectivity of every remote unit, as NetworkX has them', () => {
  it('routeToCentre: length, independent routes and steps that join up; connectivity from now against as designed', async () => {
    const res = await app.gql(`{ remoteUnits(first: 100) { edges { node { id connectivity
      routeToCentre { reachesCentre lengthMeters edgeDisjointRoutes nodeDisjointRoutes steps { line { id aEnd { __typename ... on NetworkNode { id } ... on RemoteUnit { id } } zEnd { __typename ... on NetworkNode { id } ... on RemoteUnit { id } } } to { __typename ... on NetworkNode { id } ... on RemoteUnit { id } } } }
      designed: routeToCentre(current: false) { edgeDisjointRoutes nodeDisjointRoutes } } } } }`, {}, analyst);
    expect(res.errors).toBeUndefined();
    const units = res.data.remoteUnits.edges.map((e: any) => e.node);
    expect(units.length).toBe(Object.keys(reference.routes).filter((v) => v.startsWith('u')).length);
    const seen = new Set<string>();
    for (const u of units) {
      const v = `u${u.id}`;
      const r = u.routeToCentre;
      const expected = reference.routes[v];
      if (expected == null) expect([v, r.reachesCentre, r.lengthMeters, r.steps]).toEqual([v, false, null, []]);
      else {
        expect(r.reachesCentre).toBe(true);
        expect(r.lengthMeters).toBeCloseTo(expected, 3);
        // From the unit, each line leads from where the last one ended to its `to`.
        const vertex = (e: any) => `${e.__typename === 'NetworkNode' ? 'n' : 'u'}${e.id}`;
        let at = v;
        for (const step of r.steps) {
          const to = vertex(step.to);
          expect([vertex(step.line.aEnd), vertex(step.line.zEnd)].sort()).toEqual([at, to].sort());
          at = to;
        }
        expect(at.startsWith('n')).toBe(true);
      }
      expect([v, [r.edgeDisjointRoutes, r.nodeDisjointRoutes]]).toEqual([v, reference.independent[v]]);
      seen.add(u.connectivity);
    }
    // Connectivity: CUT_OFF without a route now, DEGRADED with fewer than as designed, else ONLINE.
    const designed = networkxAnswers([{ ...(await topology()), current: false, outages: [] }])[0];
    for (const u of units) {
      const v = `u${u.id}`;
      const now = reference.independent[v]!;
      const usual = designed.independent[v]!;
      const expected = now[0] === 0 ? 'CUT_OFF' : now[0] < usual[0] || now[1] < usual[1] ? 'DEGRADED' : 'ONLINE';
      expect([v, u.connectivity]).toEqual([v, expected]);
      expect([v, u.designed.edgeDisjointRoutes, u.designed.nodeDisjointRoutes]).toEqual([v, ...usual]);
    }
    expect(seen).toContain('ONLINE');
    expect(seen).toContain('CUT_OFF');
  });

  it('networkRoute takes one start: both or neither is BAD_USER_INPUT, an unknown one NOT_FOUND', async () => {
    expect(codeOf(await app.gql('{ networkRoute { lengthMeters } }', {}, analyst))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql('{ networkRoute(remoteUnitId: "1", nodeId: "1") { lengthMeters } }', {}, analyst))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql('{ networkRoute(remoteUnitId: "99999") { lengthMeters } }', {}, analyst))).toBe('NOT_FOUND');
    expect(codeOf(await app.gql('{ networkRoute(nodeId: "x") { lengthMeters } }', {}, analyst))).toBe('BAD_USER_INPUT');
    const centre = await app.knex('network_nodes').where({ kind: 'CENTRAL_DATA_ROOM' }).first('id');
    const res = await app.gql(`{ networkRoute(nodeId: "${centre.id}") { reachesCentre lengthMeters steps { to { __typename } } edgeDisjointRoutes } }`, {}, analyst);
    expect(res.data.networkRoute).toEqual({ reachesCentre: true, lengthMeters: 0, steps: [], edgeDisjointRoutes: null });
  });
});

const IMPACT = `{ remoteUnits { id } nodes { id } lines { id } downLines { id } downNodes { id }
  assets { id } cameras { id } custodians { id } orgUnits { id } }`;

describe('impact of failures', () => {
  it('what-if: each of 12 lines failing cuts off what NetworkX says, with the assets, directorates and custodians there', async () => {
    for (const [k, line] of lineIds.entries()) {
      const res = await app.gql(`{ networkImpact(lineIds: ["${line}"]) ${IMPACT} }`);
      expect(res.errors).toBeUndefined();
      const i = res.data.networkImpact;
      const ref = whatIf.cutoffs[k];
      expect([line, ids(i.remoteUnits), ids(i.nodes), ids(i.lines), ids(i.downLines)]).toEqual([line, ref.units, ref.nodes, ref.lines, ref.downLines]);
      const assetsThere = (await app.knex('assets').whereIn('remote_unit_id', ref.units).orderBy('id').pluck('id')).map(Number);
      expect(ids(i.assets).sort((a, b) => a - b)).toEqual(assetsThere);
      const orgUnits = (await app.knex('remote_units').whereIn('id', ref.units).distinct('org_unit_id').pluck('org_unit_id')).map(Number).sort((a, b) => a - b);
      expect(ids(i.orgUnits)).toEqual(orgUnits);
      const holders = (await app.knex('custody').join('assets', 'assets.id', 'custody.asset_id').whereIn('assets.remote_unit_id', ref.units).whereNull('custody.to_at').whereNotNull('holder_user_id').distinct('holder_user_id').pluck('holder_user_id')).map(Number).sort((a, b) => a - b);
      expect(ids(i.custodians)).toEqual(holders);
      expect(sorted(ids(i.cameras))).toEqual(await camerasOf(ref.units, ref.nodes));
    }
  });

  it("what-if: Fırat Caddesi's cabinet failing cuts off what NetworkX says, and the cameras served through it or what it cuts off", async () => {
    const res = await app.gql(`{ networkImpact(nodeIds: ["${firatCabinet}"], current: false) ${IMPACT} }`);
    expect(res.errors).toBeUndefined();
    const i = res.data.networkImpact;
    const ref = whatIf.cutoffs[lineIds.length];
    expect([ids(i.remoteUnits), ids(i.nodes), ids(i.lines), ids(i.downNodes)]).toEqual([ref.units, ref.nodes, ref.lines, [firatCabinet]]);
    const cameras = await camerasOf(ref.units, [...ref.nodes, firatCabinet]);
    expect(cameras.length).toBeGreaterThan(0);
    expect(sorted(ids(i.cameras))).toEqual(cameras);
  });

  it('now: with no failure and current, what is cut off today (OFFLINE lines and nodes down), as NetworkX', async () => {
    const res = await app.gql(`{ networkImpact(current: true) ${IMPACT} }`, {}, analyst);
    const i = res.data.networkImpact;
    const ref = reference.cutoffs[0];
    expect([ids(i.remoteUnits), ids(i.nodes), ids(i.lines), ids(i.downLines), ids(i.downNodes)]).toEqual([ref.units, ref.nodes, ref.lines, ref.downLines, ref.downNodes]);
    expect(ref.units.length).toBeGreaterThan(0);
    // The analyst reads assets but not user accounts: custodians are not listed to them.
    expect(i.custodians).toEqual([]);
  });

  it('an id that is no line or node you may read is NOT_FOUND; a bad id BAD_USER_INPUT', async () => {
    expect(codeOf(await app.gql('{ networkImpact(lineIds: ["99999"]) { remoteUnits { id } } }', {}, analyst))).toBe('NOT_FOUND');
    expect(codeOf(await app.gql('{ networkImpact(nodeIds: ["99999"]) { remoteUnits { id } } }', {}, analyst))).toBe('NOT_FOUND');
    expect(codeOf(await app.gql('{ networkImpact(lineIds: ["-1"]) { remoteUnits { id } } }', {}, analyst))).toBe('BAD_USER_INPUT');
  });

  it('a constant number of statements, whatever the size of the cut', async () => {
    // A line cutting off a few units and nodes, and the central data room cutting off everything.
    const small = reference.critical.find((c) => c.kind === 'line' && c.units.length > 0 && c.nodes.length > 0)!;
    const centre = await app.knex('network_nodes').where({ kind: 'CENTRAL_DATA_ROOM' }).first('id');
    await app.gql(`{ networkImpact(lineIds: ["${small.id}"], current: true) { remoteUnits { id } } }`);
    const few = await app.countStatements(() => app.gql(`{ networkImpact(lineIds: ["${small.id}"], current: true) ${IMPACT} }`));
    const all = await app.countStatements(() => app.gql(`{ networkImpact(nodeIds: ["${centre.id}"], current: true) ${IMPACT} }`));
    expect(few.result.data.networkImpact.remoteUnits.length).toBeLessThan(all.result.data.networkImpact.remoteUnits.length);
    expect(all.statements).toBe(few.statements);
    // The network's version (the graph is kept between requests), the element asked about, units,
    // nodes, lines, assets, the dependents (once), cameras, custodians, org units: 10, whatever the
    // size of the cut (and the access check where there is no notification of access changes).
    expect(all.statements).toBe(10 + app.accessCheckStatements);
    // Any change to the network (here a line's name, in SQL) makes the next request read it again: 3 statements more, once.
    await app.knex('network_lines').where({ id: small.id }).update({ name: app.knex.raw('name') });
    const again = await app.countStatements(() => app.gql(`{ networkImpact(lineIds: ["${small.id}"], current: true) ${IMPACT} }`));
    const kept = await app.countStatements(() => app.gql(`{ networkImpact(lineIds: ["${small.id}"], current: true) ${IMPACT} }`));
    expect([again.statements, kept.statements]).toEqual([few.statements + 3, few.statements]);
  });
});

describe('single points of failure', () => {
  it('the same nodes and lines, order and counts as removing each in NetworkX; each impact lists what it alone cuts off', async () => {
    const res = await app.gql(`{ networkSinglePointsOfFailure(first: 1000) { kind remoteUnitsCutOff nodesCutOff node { id } line { id } impact { remoteUnits { id } nodes { id } } } }`, {}, analyst);
    expect(res.errors).toBeUndefined();
    const got = res.data.networkSinglePointsOfFailure;
    expect(got.map((c: any) => ({ kind: c.kind.toLowerCase(), id: Number((c.node ?? c.line).id), units: c.remoteUnitsCutOff, nodes: c.nodesCutOff })))
      .toEqual(reference.critical.map((c) => ({ kind: c.kind, id: c.id, units: c.units.length, nodes: c.nodes.length })));
    got.forEach((c: any, k: number) => expect([ids(c.impact.remoteUnits), ids(c.impact.nodes)]).toEqual([reference.critical[k].units, reference.critical[k].nodes]));
    expect(got.length).toBeGreaterThan(5);
    // Only lines, or only nodes: the same order.
    for (const kind of ['LINE', 'NODE']) {
      const some = await app.gql(`{ networkSinglePointsOfFailure(first: 1000, kind: ${kind}) { node { id } line { id } } }`, {}, analyst);
      const expected = reference.critical.filter((c) => c.kind === kind.toLowerCase()).map((c) => c.id);
      expect(some.data.networkSinglePointsOfFailure.map((c: any) => Number((c.node ?? c.line).id))).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    }
    const first3 = await app.gql('{ networkSinglePointsOfFailure(first: 3) { kind } }', {}, analyst);
    expect(first3.data.networkSinglePointsOfFailure).toHaveLength(3);
    expect(codeOf(await app.gql('{ networkSinglePointsOfFailure(first: 5000) { kind } }', {}, analyst))).toBe('BAD_USER_INPUT');
  });
});

describe('reads obey grants', () => {
  it('without a READ grant on network lines: FORBIDDEN for every network query, UNAUTHENTICATED anonymous', async () => {
    for (const q of ['{ networkImpact(current: true) { remoteUnits { id } } }', '{ networkSinglePointsOfFailure { kind } }', '{ networkRoute(remoteUnitId: "1") { lengthMeters } }']) {
      expect([q, codeOf(await app.gql(q, {}, zabita))]).toEqual([q, 'FORBIDDEN']);
      expect([q, codeOf(await app.gql(q, {}, null))]).toEqual([q, 'UNAUTHENTICATED']);
    }
  });

  it('a reader limited to two neighbourhoods sees only its part of every answer, computed on the whole network', async () => {
    expect(areaReadable.units.size).toBeGreaterThan(0);
    expect(areaReadable.units.size).toBeLessThan(Object.keys(reference.routes).filter((v) => v.startsWith('u')).length);
    const now = (await app.gql(`{ networkImpact(current: true) { remoteUnits { id } nodes { id } lines { id } downLines { id } } }`, {}, area)).data.networkImpact;
    const ref = reference.cutoffs[0];
    expect(ids(now.remoteUnits)).toEqual(ref.units.filter((u) => areaReadable.units.has(u)));
    expect(ids(now.nodes)).toEqual(ref.nodes.filter((n) => areaReadable.nodes.has(n)));
    expect(ids(now.lines)).toEqual(ref.lines.filter((l) => areaReadable.lines.has(l)));
    const spof = (await app.gql('{ networkSinglePointsOfFailure(first: 1000) { kind node { id } line { id } impact { remoteUnits { id } } } }', {}, area)).data.networkSinglePointsOfFailure;
    const expected = reference.critical.filter((c) => (c.kind === 'node' ? areaReadable.nodes : areaReadable.lines).has(c.id));
    expect(spof.map((c: any) => Number((c.node ?? c.line).id))).toEqual(expected.map((c) => c.id));
    spof.forEach((c: any, k: number) => expect(ids(c.impact.remoteUnits)).toEqual(expected[k].units.filter((u) => areaReadable.units.has(u))));
    // A route's steps through lines and ends the reader may not read are null, not left out.
    const unit = [...areaReadable.units].find((u) => (reference.routes[`u${u}`] ?? null) !== null)!;
    const routed = await app.gql(`{ networkRoute(remoteUnitId: "${unit}") { lengthMeters steps { line { id } to { ... on NetworkNode { id } ... on RemoteUnit { id } } } } }`, {}, area);
    expect(routed.errors).toBeUndefined();
    const route = routed.data.networkRoute;
    expect(route.lengthMeters).toBeCloseTo(reference.routes[`u${unit}`]!, 3);
    for (const s of route.steps) if (s.line) expect(areaReadable.lines.has(Number(s.line.id))).toBe(true);
    // A line outside the reader's part is NOT_FOUND to it, as networkLine(id) is.
    const hidden = lineIds.find((l) => !areaReadable.lines.has(l))!;
    expect(codeOf(await app.gql(`{ networkImpact(lineIds: ["${hidden}"]) { remoteUnits { id } } }`, {}, area))).toBe('NOT_FOUND');
  });
});

describe('faults on network elements: down now, Fault.impact, and the fault queue by impact', () => {
  const QUEUE = `query($first: Int, $order: FaultOrder!) { faults(first: $first, orderBy: $order, filter: { open: true }) {
    totalCount edges { node { id priority reportedAt impact { remoteUnits { id } nodes { id } lines { id } downNodes { id } downLines { id } cameras { id } } } } } }`;

  it('an open fault on the asset of a node or a line puts it down now; its impact is what repairing it would reconnect, as NetworkX; the queue ranks by it', async () => {
    // A node whose loss cuts units off (not the central data room), and a leased line on a unit's only route if there is one.
    const nodes = await app.knex('network_nodes').whereNotNull('asset_id').whereNot({ kind: 'CENTRAL_DATA_ROOM' }).select('id', 'asset_id');
    const nodeAsset = new Map(nodes.map((n) => [Number(n.id), Number(n.asset_id)]));
    const lines = await app.knex('network_lines').whereNotNull('asset_id').where({ status: 'ACTIVE' }).select('id', 'asset_id');
    const lineAsset = new Map(lines.map((l) => [Number(l.id), Number(l.asset_id)]));
    const node = reference.critical.find((c) => c.kind === 'node' && nodeAsset.has(c.id) && c.units.length > 0)!;
    const line = reference.critical.find((c) => c.kind === 'line' && lineAsset.has(c.id) && c.units.length > 0) ?? { id: lines[0].id as number };
    expect(node).toBeDefined();
    const report = async (assetId: number) => {
      const r = await app.gql('mutation($input: ReportFaultInput!) { reportFault(input: $input) { id version } }', {
        input: { assetId: String(assetId), category: 'NETWORK', priority: 'LOW', description: 'Bağlantı yok' },
      });
      expect(r.errors).toBeUndefined();
      return r.data.reportFault as { id: string; version: number };
    };
    const faults = [await report(nodeAsset.get(node.id)!), await report(lineAsset.get(line.id)!)];
    try {
      // NetworkX, as designed, with everything down now: all of it, and all but each faulted element.
      const t = await topology();
      const downNodes = t.nodes.filter((n) => n.status === 'OFFLINE').map((n) => Number(n.id));
      const downLines = t.lines.filter((l) => l.status === 'OFFLINE').map((l) => Number(l.id));
      expect(downNodes).toContain(node.id);
      expect(downLines).toContain(line.id);
      const [ref] = networkxAnswers([{ ...t, current: false, outages: [
        { nodes: downNodes, lines: downLines },
        { nodes: downNodes.filter((id) => id !== node.id), lines: downLines },
        { nodes: downNodes, lines: downLines.filter((id) => id !== line.id) },
      ] }]);
      const [all, withoutNode, withoutLine] = ref.cutoffs;

      // What is cut off now, and each unit's connectivity.
      const now = (await app.gql(`{ networkImpact(current: true) ${IMPACT} remoteUnits(first: 1000) { edges { node { id connectivity } } } }`, {}, analyst)).data;
      expect([ids(now.networkImpact.remoteUnits), ids(now.networkImpact.nodes), ids(now.networkImpact.downNodes), ids(now.networkImpact.downLines)])
        .toEqual([all.units, all.nodes, all.downNodes, all.downLines]);
      for (const { node: u } of now.remoteUnits.edges) expect([u.id, u.connectivity === 'CUT_OFF']).toEqual([u.id, all.units.includes(Number(u.id))]);

      // Fault.impact: the share of today's cut-off that each fault is alone responsible for.
      const minus = (xs: number[], ys: number[]) => xs.filter((x) => !ys.includes(x));
      const impactOf = async (id: string) => (await app.gql(`{ fault(id: "${id}") { impact ${IMPACT} } }`, {}, analyst)).data.fault.impact;
      const [ofNode, ofLine] = [await impactOf(faults[0].id), await impactOf(faults[1].id)];
      expect([ids(ofNode.remoteUnits), ids(ofNode.nodes), ids(ofNode.lines), ids(ofNode.downNodes)])
        .toEqual([minus(all.units, withoutNode.units), minus(all.nodes, withoutNode.nodes), minus(all.lines, withoutNode.lines), [node.id]]);
      expect([ids(ofLine.remoteUnits), ids(ofLine.nodes), ids(ofLine.lines), ids(ofLine.downLines)])
        .toEqual([minus(all.units, withoutLine.units), minus(all.nodes, withoutLine.nodes), minus(all.lines, withoutLine.lines), [line.id]]);
      expect(ofNode.remoteUnits.length).toBeGreaterThan(0);
      expect(sorted(ids(ofNode.cameras))).toEqual(await camerasOf(ids(ofNode.remoteUnits), [...ids(ofNode.nodes), node.id]));

      // The queue by impact: most units, then most cameras first; the rest in priority-and-age order.
      const byImpact = await app.countStatements(() => app.gql(QUEUE, { first: 500, order: 'IMPACT' }, analyst));
      expect(byImpact.result.errors).toBeUndefined();
      const queue = byImpact.result.data.faults;
      const byAge = (await app.gql(QUEUE, { first: 500, order: 'PRIORITY_AND_AGE' }, analyst)).data.faults;
      expect(queue.totalCount).toBe(byAge.totalCount);
      expect(queue.edges.length).toBe(Math.min(500, byAge.totalCount));
      const score = (f: any) => (f.impact ? [f.impact.remoteUnits.length, f.impact.cameras.length] : [-1, -1]);
      const got = queue.edges.map((e: any) => e.node);
      expect(got[0].id).toBe(faults[0].id);
      for (let k = 1; k < got.length; k++) {
        const [a, b] = [score(got[k - 1]), score(got[k])];
        expect([got[k].id, a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1])]).toEqual([got[k].id, true]);
      }
      const unranked = new Set(got.filter((f: any) => !f.impact).map((f: any) => f.id));
      expect(got.filter((f: any) => unranked.has(f.id)).map((f: any) => f.id)).toEqual(byAge.edges.map((e: any) => e.node.id).filter((id: string) => unranked.has(id)));
      // Pages: the same order by offset cursors, and a constant number of statements.
      const page2 = (await app.gql(`query($after: String) { faults(first: 2, after: $after, orderBy: IMPACT, filter: { open: true }) { edges { node { id } } pageInfo { hasNextPage } } }`, { after: null }, analyst)).data.faults;
      expect(page2.edges.map((e: any) => e.node.id)).toEqual(got.slice(0, 2).map((f: any) => f.id));
      expect(page2.pageInfo.hasNextPage).toBe(got.length > 2);
      const small = await app.countStatements(() => app.gql(QUEUE, { first: 2, order: 'IMPACT' }, analyst));
      expect(byImpact.statements).toBe(small.statements);

      // Who may not read the network may not rank by it; a closed fault and one on a computer have no impact.
      expect(codeOf(await app.gql(QUEUE, { first: 5, order: 'IMPACT' }, zabita))).toBe('FORBIDDEN');
      const other = await app.knex('faults').join('assets', 'assets.id', 'faults.asset_id').where('assets.type', 'COMPUTER').first('faults.id');
      expect((await app.gql(`{ fault(id: "${other.id}") { impact { remoteUnits { id } } } }`, {}, analyst)).data.fault.impact).toBeNull();
    } finally {
      for (const f of faults) {
        const r = await app.gql('mutation($id: ID!, $v: Int!) { cancelFault(id: $id, version: $v, note: "test") { state } }', { id: f.id, v: f.version });
        expect(r.errors).toBeUndefined();
      }
    }
    expect((await app.gql(`{ fault(id: "${faults[0].id}") { impact { remoteUnits { id } } } }`, {}, analyst)).data.fault.impact).toBeNull();
  });
});
