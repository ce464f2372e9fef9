import { NetworkGraph, vertexOf, type Vertex } from '../src/modules/network/network.graph';
import { networkxAnswers, outagesFor, randomNetwork, type GeneratedNetwork, type Reference, type Shape } from './helpers/networks';

/**
 * The network graph's answers against NetworkX's (Debian's python3-networkx, computed by
 * test/reference/network_reference.py from the same rules, with brute force where we use
 * low-links) on seeded random networks of every shape, as they are now and as designed: routes,
 * independent-route counts, what failures cut off, and the single points of failure.
 */
const SHAPES: Shape[] = ['tree', 'ring', 'mesh', 'ladder'];
const cases: { net: GeneratedNetwork; current: boolean }[] = [];
for (const shape of SHAPES) {
  for (let i = 0; i < 6; i++) cases.push({ net: randomNetwork(`${shape}-${i}`, shape, 8 + i * 9), current: i % 2 === 0 });
}
let reference: Reference[];

beforeAll(() => {
  reference = networkxAnswers(cases.map(({ net, current }) => ({ ...net, current, outages: outagesFor(net) })));
});

const label = (c: { net: GeneratedNetwork; current: boolean }) => `${c.net.seed} (${c.net.nodes.length} nodes, ${c.net.lines.length} lines, ${c.net.units.length} units${c.current ? ', as now' : ', as designed'})`;

describe.each(cases.map((c, i) => [label(c), i] as const))('%s', (_name, i) => {
  const { net, current } = cases[i];
  const graph = new NetworkGraph(net);
  const vertices: Vertex[] = [...net.units.map((u) => `u${u}`), ...net.nodes.map((n) => `n${n.id}`)].sort();

  it('routes: the same length as NetworkX to a central data room, over lines that join up', () => {
    for (const v of vertices) {
      const route = graph.route(v, {}, current);
      const expected = reference[i].routes[v] ?? null;
      if (expected === null) {
        expect([v, route]).toEqual([v, null]);
        continue;
      }
      expect(route).not.toBeNull();
      expect(route!.lengthMeters).toBeCloseTo(expected, 6);
      expect(route!.vertices[0]).toBe(v);
      expect(graph.isCentre(route!.vertices[route!.vertices.length - 1])).toBe(true);
      let sum = 0;
      route!.lines.forEach((id, k) => {
        const line = net.lines.find((l) => l.id === id)!;
        expect([line.a, line.z].sort()).toEqual([route!.vertices[k], route!.vertices[k + 1]].sort());
        sum += line.lengthMeters;
      });
      expect(sum).toBeCloseTo(route!.lengthMeters, 6);
    }
  });

  it('independent routes: edge- and node-disjoint counts as NetworkX connectivity', () => {
    for (const v of vertices) {
      const r = graph.independentRoutes(v, {}, current);
      expect([v, r ? [r.edgeDisjoint, r.nodeDisjoint] : null]).toEqual([v, reference[i].independent[v] ?? null]);
    }
  });

  it('what failures cut off: units, nodes and lines, as NetworkX components', () => {
    outagesFor(net).forEach((outage, k) => {
      expect([outage, graph.cutOff(outage, current)]).toEqual([outage, reference[i].cutoffs[k]]);
    });
  });

  it('single points of failure: the same elements, cut-offs and order as removing each in NetworkX; the same articulation points and bridges', () => {
    const critical = graph.critical(current);
    expect(critical).toEqual(reference[i].critical.map((c) => ({ ...c, units: c.units.length, nodes: c.nodes.length })));
    // What each one cuts off by its loss alone (a what-if of it, less what is cut off already), listed.
    critical.forEach((c, k) => {
      const by = graph.cutOffBy(c.kind === 'node' ? { nodes: [c.id] } : { lines: [c.id] }, current);
      expect([c.kind, c.id, by.units, by.nodes]).toEqual([c.kind, c.id, reference[i].critical[k].units, reference[i].critical[k].nodes]);
    });
    expect(critical.filter((c) => c.kind === 'node').map((c) => c.id).sort((a, b) => a - b)).toEqual(reference[i].articulation);
    expect(critical.filter((c) => c.kind === 'line').map((c) => c.id).sort((a, b) => a - b)).toEqual(reference[i].bridges);
  });
});

it('the generated networks cover what the rules are about', () => {
  const all = cases.map((c) => c.net);
  expect(all.some((n) => n.nodes.filter((x) => x.kind === 'CENTRAL_DATA_ROOM').length === 2)).toBe(true);
  expect(all.every((n) => n.lines.some((l) => l.status === 'OFFLINE') && n.nodes.some((x) => x.status === 'OFFLINE'))).toBe(true);
  expect(all.every((n) => n.lines.some((l) => l.a === null || l.z === null))).toBe(true);
  // Some units hang on a single line, some have two routes, some none.
  const counts = cases.flatMap((_c, i) => Object.entries(reference[i].independent).filter(([v]) => vertexOf(v).kind === 'unit').map(([, r]) => r?.[0] ?? -1));
  for (const k of [0, 1, 2]) expect(counts).toContain(k);
  expect(reference.every((r) => r.critical.length > 0)).toBe(true);
});
