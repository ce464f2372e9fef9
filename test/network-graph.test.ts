import { NetworkGraph, vertexOf, type Vertex } from '../src/modules/network/network.graph';
import seedrandom from 'seedrandom';
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

/**
 * The same networks with a few elements in service whose asset has an open fault (down now, as
 * OFFLINE ones are), and every element down now: NetworkX cuts off, as designed, all of them and
 * all of them but one, for each one.
 */
const faulted = cases.map(({ net }) => {
  const random = seedrandom(`${net.seed}-faults`);
  const withFaults: GeneratedNetwork = {
    ...net,
    nodes: net.nodes.map((n) => ({ ...n, faulted: n.status === 'ACTIVE' && n.kind !== 'CENTRAL_DATA_ROOM' && random() < 0.15 })),
    lines: net.lines.map((l) => ({ ...l, faulted: l.status === 'ACTIVE' && random() < 0.1 })),
  };
  if (!withFaults.nodes.some((n) => n.faulted) && !withFaults.lines.some((l) => l.faulted)) {
    const active = withFaults.lines.filter((l) => l.status === 'ACTIVE');
    active[Math.floor(random() * active.length)].faulted = true;
  }
  const inNetwork = new Set(['ACTIVE', 'OFFLINE']);
  const downNodes = withFaults.nodes.filter((n) => n.status === 'OFFLINE' || n.faulted).map((n) => n.id);
  const downLines = withFaults.lines.filter((l) => inNetwork.has(l.status) && l.a && l.z && (l.status === 'OFFLINE' || l.faulted)).map((l) => l.id);
  const down = [...downNodes.map((id) => ({ kind: 'node' as const, id })), ...downLines.map((id) => ({ kind: 'line' as const, id }))];
  const outages = [
    { nodes: downNodes, lines: downLines },
    ...down.map((e) => ({ nodes: downNodes.filter((id) => !(e.kind === 'node' && id === e.id)), lines: downLines.filter((id) => !(e.kind === 'line' && id === e.id)) })),
  ];
  return { net: withFaults, down, outages };
});
let faultedReference: Reference[];

beforeAll(() => {
  reference = networkxAnswers(cases.map(({ net, current }) => ({ ...net, current, outages: outagesFor(net) })));
  faultedReference = networkxAnswers(faulted.map(({ net, outages }) => ({ ...net, current: false, outages })));
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

  it('restoring each element down now (OFFLINE, or its asset faulty) reconnects what NetworkX cuts off with it and not without it', () => {
    const { net: withFaults, down } = faulted[i];
    const g = new NetworkGraph(withFaults);
    const [all, ...without] = faultedReference[i].cutoffs;
    // Today's cut-off, with the faulted elements down as the OFFLINE ones.
    const now = g.cutOff({}, true);
    expect([now.units, now.nodes, now.lines]).toEqual([all.units, all.nodes, all.lines]);
    const minus = (xs: number[], ys: number[]) => xs.filter((x) => !ys.includes(x));
    down.forEach((e, k) => {
      const r = g.restoring(e.kind, e.id);
      const ref = without[k];
      expect([e, r.units, r.nodes, r.lines]).toEqual([e, minus(all.units, ref.units), minus(all.nodes, ref.nodes).filter((id) => !(e.kind === 'node' && id === e.id)), minus(all.lines, ref.lines)]);
    });
    // An element in service restores nothing.
    const up = withFaults.lines.find((l) => l.status === 'ACTIVE' && !l.faulted);
    if (up) expect(g.restoring('line', up.id).units).toEqual([]);
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
  // Faulted elements in every network; restoring some of them (lines and nodes) reconnects units, others nothing.
  expect(faulted.every((f) => f.net.lines.some((l) => l.faulted) || f.net.nodes.some((n) => n.faulted))).toBe(true);
  const restored = faulted.flatMap((f) => f.down.map((e) => ({ kind: e.kind, units: new NetworkGraph(f.net).restoring(e.kind, e.id).units.length })));
  for (const kind of ['node', 'line']) expect(restored.some((r) => r.kind === kind && r.units > 0)).toBe(true);
  expect(restored.some((r) => r.units === 0)).toBe(true);
});
