import { execFileSync } from 'node:child_process';
import path from 'node:path';
import seedrandom from 'seedrandom';
import type { Topology, TopologyLine, TopologyNode, Vertex } from '../../src/modules/network/network.graph';

export type Shape = 'tree' | 'ring' | 'mesh' | 'ladder';

export interface GeneratedNetwork extends Topology {
  seed: string;
  shape: Shape;
}

/**
 * A seeded random network of the given shape: trees (every unit on one route), rings (two routes),
 * meshes and ladders, with one or two central data rooms, parallel lines (a backup beside a
 * fibre), a part joined to nothing, nodes and lines OFFLINE, PLANNED or DECOMMISSIONED, lines with
 * a missing end, and units that relay to further units.
 */
export function randomNetwork(seed: string, shape: Shape, size: number): GeneratedNetwork {
  const random = seedrandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const status = () => (random() < 0.85 ? 'ACTIVE' : random() < 0.5 ? 'OFFLINE' : random() < 0.5 ? 'PLANNED' : 'DECOMMISSIONED');
  const nodes: TopologyNode[] = [{ id: 1, kind: 'CENTRAL_DATA_ROOM', status: 'ACTIVE' }];
  if (random() < 0.35) nodes.push({ id: 2, kind: 'CENTRAL_DATA_ROOM', status: random() < 0.8 ? 'ACTIVE' : 'OFFLINE' });
  const firstOther = nodes.length + 1;
  for (let i = firstOther; i <= size; i++) nodes.push({ id: i, kind: ['CABINET', 'SWITCH', 'SPLICE_POINT'][int(3)], status: status() });
  const units: number[] = [];
  const lines: TopologyLine[] = [];
  const line = (a: Vertex | null, z: Vertex | null, st = status()) =>
    lines.push({ id: 100 + lines.length, a, z, lengthMeters: Math.round(50 + random() * 2000) + int(100) / 100, status: st });
  const n = (i: number): Vertex => `n${i}`;
  const ids = nodes.map((x) => x.id);
  // The backbone.
  for (let k = 1; k < ids.length; k++) {
    const i = ids[k];
    if (shape === 'tree') line(n(ids[int(k)]), n(i));
    else if (shape === 'ring') line(n(ids[k - 1]), n(i));
    else if (shape === 'ladder') {
      line(n(ids[k - 1]), n(i));
      if (k >= 2 && k % 2 === 0) line(n(ids[k - 2]), n(i));
    } else {
      line(n(ids[int(k)]), n(i));
      if (random() < 0.5) line(n(ids[int(k)]), n(i));
    }
  }
  if (shape === 'ring') line(n(ids[ids.length - 1]), n(1));
  // Today's outages, whatever the draw: a line and a node OFFLINE.
  lines[int(lines.length)].status = 'OFFLINE';
  nodes[firstOther - 1 + int(nodes.length - firstOther + 1)].status = 'OFFLINE';
  // Parallel lines, a part joined to nothing, loose ends.
  for (let k = 0; k < Math.max(1, size / 8); k++) {
    const l = lines[int(lines.length)];
    line(l.a, l.z);
  }
  const island = size + 1;
  nodes.push({ id: island, kind: 'CABINET', status: 'ACTIVE' }, { id: island + 1, kind: 'SWITCH', status: 'ACTIVE' });
  line(n(island), n(island + 1), 'ACTIVE');
  line(n(ids[int(ids.length)]), null, 'ACTIVE');
  line(n(ids[int(ids.length)]), n(ids[int(ids.length)]), 'ACTIVE'); // both ends at one node
  // Remote units: most on one line, some on two, some relaying to another unit, one on the island.
  const unitCount = Math.max(3, Math.round(size * 0.7));
  for (let u = 1; u <= unitCount; u++) {
    units.push(u);
    if (u > 2 && random() < 0.15) line(`u${units[int(u - 1)]}`, `u${u}`);
    else line(n(ids[int(ids.length)]), `u${u}`);
    if (random() < 0.25) line(n(ids[int(ids.length)]), `u${u}`);
  }
  units.push(unitCount + 1);
  line(n(island), `u${unitCount + 1}`, 'ACTIVE');
  units.push(unitCount + 2); // a unit with no line at all
  return { seed, shape, nodes, units, lines };
}

/** Some failures to ask about: single lines and nodes, and a few together. */
export function outagesFor(net: GeneratedNetwork): { lines: number[]; nodes: number[] }[] {
  const random = seedrandom(`${net.seed}-outages`);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const lineIds = net.lines.map((l) => l.id);
  const nodeIds = net.nodes.map((x) => x.id);
  return [
    { lines: [], nodes: [] },
    { lines: [pick(lineIds)], nodes: [] },
    { lines: [], nodes: [pick(nodeIds)] },
    { lines: [pick(lineIds), pick(lineIds), pick(lineIds)], nodes: [pick(nodeIds)] },
    { lines: [], nodes: [1] },
  ];
}

export interface Reference {
  routes: Record<Vertex, number | null>;
  independent: Record<Vertex, [number, number] | null>;
  cutoffs: { downNodes: number[]; downLines: number[]; units: number[]; nodes: number[]; lines: number[] }[];
  critical: { kind: 'node' | 'line'; id: number; units: number[]; nodes: number[] }[];
  articulation: number[];
  bridges: number[];
}

/** NetworkX's answers (test/reference/network_reference.py, Debian's python3-networkx). */
export function networkxAnswers(cases: (Topology & { current: boolean; outages: { lines: number[]; nodes: number[] }[] })[]): Reference[] {
  const out = execFileSync('/usr/bin/python3', [path.join(__dirname, '../reference/network_reference.py')], {
    input: JSON.stringify(cases),
    maxBuffer: 1 << 28,
  });
  return JSON.parse(out.toString()) as Reference[];
}
