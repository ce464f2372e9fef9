import { MultiUndirectedGraph } from 'graphology';
import { bidirectional } from 'graphology-shortest-path/dijkstra';
import { bfsFromNode } from 'graphology-traversal';
import jsgraphs from 'js-graph-algorithms';

/**
 * The municipal network as a graph, and the answers the technical service asks of it: the route
 * of a remote unit or node to the central data room, how many independent routes it has, what a
 * failure cuts off, and which single nodes and lines would cut something off.
 *
 * Vertices are network nodes (`n<id>`) and remote units (`u<id>`); edges are network lines, more
 * than one between the same ends where the network has them (a fibre and its radio-link backup).
 * Nodes and lines PLANNED or DECOMMISSIONED are not part of it: they carry nothing. Whether an
 * OFFLINE node or line is down depends on the question: `current` (the network as it is now) says
 * it is, the network as designed counts it in service. A remote unit itself never fails here.
 *
 * One implementation of the semantics for the server and the embedded database: the topology is
 * read from either, the answers computed here. Shortest routes and reachability are graphology's,
 * the independent-route counts a maximum flow of js-graph-algorithms (Menger's theorem). The single
 * points of failure are Tarjan's low-link on one iterative depth-first search (see `critical`): no
 * maintained JavaScript library computes articulation points and bridges of a multigraph at this
 * size (cytoscape's recursion is O(V·E) and merges parallel edges). Tests compare every answer with
 * NetworkX on seeded random networks.
 */

export type Vertex = string;
export const nodeVertex = (id: number): Vertex => `n${id}`;
export const unitVertex = (id: number): Vertex => `u${id}`;
export const vertexOf = (v: Vertex): { kind: 'node' | 'unit'; id: number } => ({ kind: v[0] === 'n' ? 'node' : 'unit', id: Number(v.slice(1)) });

/** `faulted`: the element's asset has an open fault, which puts it out of service now as OFFLINE does. */
export interface TopologyNode { id: number; kind: string; status: string; faulted?: boolean }
export interface TopologyLine { id: number; a: Vertex | null; z: Vertex | null; lengthMeters: number; status: string; faulted?: boolean }
export interface Topology { nodes: TopologyNode[]; units: number[]; lines: TopologyLine[] }

/** What is out of service besides what the network's statuses say. */
export interface Outage { lines?: Iterable<number>; nodes?: Iterable<number> }

export interface Route {
  /** From the start to a central data room, both included. */
  vertices: Vertex[];
  /** The lines between them, in order (of parallel lines, the shortest). */
  lines: number[];
  lengthMeters: number;
}

export interface CutOff {
  /** Nodes and lines out of service in this question (the failure asked about, and with `current` today's). */
  downNodes: number[];
  downLines: number[];
  /** What loses its connection to every central data room (but is not down itself). */
  units: number[];
  nodes: number[];
  /** Lines in service with an end that lost its connection (or is down). */
  lines: number[];
}

export interface CriticalElement {
  kind: 'node' | 'line';
  id: number;
  /** How many units and nodes its loss alone would cut off (`cutOffBy` lists them). */
  units: number;
  nodes: number;
}

/**
 * js-graph-algorithms' FlowEdge keeps its capacity and flow in fields its types call private;
 * the networks are reused between queries by resetting them (the library is pinned, and the
 * NetworkX comparison tests every count).
 */
interface MutableFlowEdge { capacity: number; flow: number }
interface FlowNetworks {
  index: Map<Vertex, number>;
  edges: jsgraphs.FlowNetwork;
  split: jsgraphs.FlowNetwork;
  all: MutableFlowEdge[];
  /** The arc through each node or unit (v_in to v_out) of the split network. */
  through: MutableFlowEdge[];
}

const IN_NETWORK = new Set(['ACTIVE', 'OFFLINE']);
const CENTRE = 'centre';
/** Capacity of the arcs no route is limited by (the virtual centre's); any number above the vertex count. */
const UNLIMITED = 1 << 30;

export class NetworkGraph {
  private readonly vertices = new Set<Vertex>();
  private readonly centres: Vertex[] = [];
  private readonly offlineNodes = new Set<number>();
  private readonly offlineLines = new Set<number>();
  private readonly lines = new Map<number, TopologyLine>();
  private readonly graphs = new Map<string, { graph: MultiUndirectedGraph; downNodes: Set<number>; downLines: Set<number>; flow?: FlowNetworks }>();
  private readonly adjacencies = new Map<string, Map<Vertex, { to: Vertex; node: number | null; line: number | null }[]>>();
  private readonly connectedSets = new Map<string, Set<Vertex>>();
  /** Every line in service at each vertex, as designed (built on first use). */
  private incident?: Map<Vertex, TopologyLine[]>;
  /** Today's network: what reaches a centre, and the part that does not in connected pieces (built on first use). */
  private today?: { connected: Set<Vertex>; piece: Map<Vertex, number>; pieces: Vertex[][] };

  constructor(topology: Topology) {
    for (const id of topology.units) this.vertices.add(unitVertex(id));
    for (const n of topology.nodes) {
      if (!IN_NETWORK.has(n.status)) continue;
      this.vertices.add(nodeVertex(n.id));
      if (n.status === 'OFFLINE' || n.faulted) this.offlineNodes.add(n.id);
      if (n.kind === 'CENTRAL_DATA_ROOM') this.centres.push(nodeVertex(n.id));
    }
    for (const l of topology.lines) {
      if (!IN_NETWORK.has(l.status) || !l.a || !l.z || !this.vertices.has(l.a) || !this.vertices.has(l.z)) continue;
      this.lines.set(l.id, l);
      if (l.status === 'OFFLINE' || l.faulted) this.offlineLines.add(l.id);
    }
  }

  has(v: Vertex): boolean {
    return this.vertices.has(v);
  }

  hasLine(id: number): boolean {
    return this.lines.has(id);
  }

  isCentre(v: Vertex): boolean {
    return this.centres.includes(v);
  }

  /**
   * The network in service for a question, with a virtual vertex joined to every central data
   * room in service (length 0), so that "connected" means "reaches some central data room".
   */
  private live(outage: Outage, current: boolean) {
    const { downNodes, downLines } = this.down(outage, current);
    const key = `${current}|${[...downNodes].sort().join()}|${[...downLines].sort().join()}`;
    let found = this.graphs.get(key);
    if (!found) {
      const graph = new MultiUndirectedGraph({ allowSelfLoops: false });
      for (const v of this.vertices) if (!(v[0] === 'n' && downNodes.has(vertexOf(v).id))) graph.addNode(v);
      for (const l of this.lines.values()) {
        if (downLines.has(l.id) || l.a === l.z || !graph.hasNode(l.a!) || !graph.hasNode(l.z!)) continue;
        graph.addEdgeWithKey(`l${l.id}`, l.a!, l.z!, { length: l.lengthMeters, line: l.id });
      }
      graph.addNode(CENTRE);
      for (const c of this.centres) if (graph.hasNode(c)) graph.addEdgeWithKey(`c${c}`, CENTRE, c, { length: 0, line: null });
      found = { graph, downNodes, downLines };
      if (this.graphs.size > 32) this.graphs.clear();
      this.graphs.set(key, found);
    }
    return found;
  }

  /** What is down in a question: the outage, and with `current` today's OFFLINE and faulted elements. */
  private down(outage: Outage, current: boolean): { downNodes: Set<number>; downLines: Set<number> } {
    return {
      downNodes: new Set([...(current ? this.offlineNodes : []), ...(outage.nodes ?? [])]),
      downLines: new Set([...(current ? this.offlineLines : []), ...(outage.lines ?? [])]),
    };
  }

  /** Each vertex's lines in the network in service (today's, or as designed), as arrays: built once per graph. */
  private adjacency(current: boolean): Map<Vertex, { to: Vertex; node: number | null; line: number | null }[]> {
    const key = current ? 'now' : 'designed';
    let found = this.adjacencies.get(key);
    if (!found) {
      const { graph } = this.live({}, current);
      found = new Map();
      for (const v of graph.nodes()) found.set(v, []);
      graph.forEachEdge((_edge, attrs, a, z) => {
        const line = (attrs as { line: number | null }).line;
        found!.get(a)!.push({ to: z, node: z[0] === 'n' ? vertexOf(z).id : null, line });
        found!.get(z)!.push({ to: a, node: a[0] === 'n' ? vertexOf(a).id : null, line });
      });
      this.adjacencies.set(key, found);
    }
    return found;
  }

  /**
   * The vertices that reach a central data room: a breadth-first search from the virtual centre
   * over the network in service, stepping over the outage's nodes and lines (no copy of the graph
   * per question). Without an outage, kept.
   */
  private connectedSet(outage: Outage, current: boolean): Set<Vertex> {
    const nodes = new Set(outage.nodes ?? []);
    const lines = new Set(outage.lines ?? []);
    const plain = !nodes.size && !lines.size;
    const key = current ? 'now' : 'designed';
    if (plain && this.connectedSets.has(key)) return this.connectedSets.get(key)!;
    const adjacency = this.adjacency(current);
    const seen = new Set<Vertex>([CENTRE]);
    const queue: Vertex[] = [CENTRE];
    for (let k = 0; k < queue.length; k++) {
      for (const e of adjacency.get(queue[k]) ?? []) {
        if (seen.has(e.to) || (e.line !== null && lines.has(e.line)) || (e.node !== null && nodes.has(e.node))) continue;
        seen.add(e.to);
        queue.push(e.to);
      }
    }
    seen.delete(CENTRE);
    if (plain) this.connectedSets.set(key, seen);
    return seen;
  }

  connected(v: Vertex, outage: Outage = {}, current = true): boolean {
    return this.connectedSet(outage, current).has(v);
  }

  /** The shortest route (in metres) from `from` to a central data room; null when there is none. */
  route(from: Vertex, outage: Outage = {}, current = true): Route | null {
    const { graph } = this.live(outage, current);
    if (!graph.hasNode(from)) return null;
    if (this.isCentre(from)) return { vertices: [from], lines: [], lengthMeters: 0 };
    const path = bidirectional(graph, from, CENTRE, 'length');
    if (!path) return null;
    const vertices = path.slice(0, -1);
    const lines: number[] = [];
    let lengthMeters = 0;
    for (let i = 0; i + 1 < vertices.length; i++) {
      let best: { line: number; length: number } | undefined;
      graph.forEachEdge(vertices[i], vertices[i + 1], (_e, attrs) => {
        if (!best || attrs.length < best.length || (attrs.length === best.length && attrs.line < best.line)) best = { line: attrs.line, length: attrs.length };
      });
      lines.push(best!.line);
      lengthMeters += best!.length;
    }
    return { vertices, lines, lengthMeters };
  }

  /**
   * How many routes from `from` to the central data rooms share no line (edge-disjoint) and how
   * many share no node or unit between (node-disjoint: parallel lines count apart, as they survive
   * the loss of any node): the maximum flow of unit capacities. Null for a vertex out of the network
   * or a central data room itself.
   */
  independentRoutes(from: Vertex, outage: Outage = {}, current = true): { edgeDisjoint: number; nodeDisjoint: number } | null {
    const live = this.live(outage, current);
    if (!live.graph.hasNode(from) || this.isCentre(from)) return null;
    const flow = (live.flow ??= this.flowNetworks(live.graph));
    // The networks are built once per question and reused: each query starts from no flow, and
    // lets its own start through any number of times.
    for (const e of flow.all) e.flow = 0;
    const s = flow.index.get(from)!;
    const t = flow.index.get(CENTRE)!;
    const through = flow.through[s];
    through.capacity = UNLIMITED;
    try {
      // Every augmenting path crosses a line of capacity 1 (the virtual edges only join the rooms
      // to the centre), so each augments by exactly 1, as the library's bottleneck needs.
      return {
        edgeDisjoint: new jsgraphs.FordFulkerson(flow.edges, s, t).value,
        nodeDisjoint: new jsgraphs.FordFulkerson(flow.split, 2 * s + 1, 2 * t).value,
      };
    } finally {
      through.capacity = 1;
    }
  }

  /**
   * The flow networks of a question's graph: one arc each way per line (edge-disjoint routes), and
   * the same with every node and unit split in two joined by an arc of capacity 1 (node-disjoint:
   * a route passes it once; the rooms and the virtual centre take any number).
   */
  private flowNetworks(graph: MultiUndirectedGraph): FlowNetworks {
    const index = new Map<Vertex, number>();
    graph.forEachNode((v) => index.set(v, index.size));
    const n = index.size;
    const edges = new jsgraphs.FlowNetwork(n);
    const split = new jsgraphs.FlowNetwork(2 * n); // v_in = 2i, v_out = 2i + 1
    const all: MutableFlowEdge[] = [];
    const add = (network: jsgraphs.FlowNetwork, v: number, w: number, capacity: number) => {
      const e = new jsgraphs.FlowEdge(v, w, capacity);
      network.addEdge(e);
      all.push(e as unknown as MutableFlowEdge);
      return e as unknown as MutableFlowEdge;
    };
    const through: MutableFlowEdge[] = [];
    graph.forEachNode((v) => {
      const i = index.get(v)!;
      through[i] = add(split, 2 * i, 2 * i + 1, v === CENTRE || this.isCentre(v) ? UNLIMITED : 1);
    });
    graph.forEachEdge((_e, attrs, a, z) => {
      const [i, j] = [index.get(a)!, index.get(z)!];
      const capacity = attrs.line === null ? UNLIMITED : 1;
      add(edges, i, j, capacity);
      add(edges, j, i, capacity);
      add(split, 2 * i + 1, 2 * j, capacity);
      add(split, 2 * j + 1, 2 * i, capacity);
    });
    return { index, edges, split, all, through };
  }

  /** What loses its connection to every central data room when `outage` is down (and, with `current`, today's outages). */
  cutOff(outage: Outage = {}, current = true): CutOff {
    const { downNodes, downLines } = this.down(outage, current);
    const connected = this.connectedSet(outage, current);
    const units: number[] = [];
    const nodes: number[] = [];
    for (const v of this.vertices) {
      if (connected.has(v)) continue;
      const { kind, id } = vertexOf(v);
      if (kind === 'unit') units.push(id);
      else if (!downNodes.has(id)) nodes.push(id);
    }
    const lines: number[] = [];
    for (const l of this.lines.values()) {
      if (!downLines.has(l.id) && !(connected.has(l.a!) && connected.has(l.z!))) lines.push(l.id);
    }
    const byNumber = (a: number, b: number) => a - b;
    return { downNodes: [...downNodes].filter((id) => this.vertices.has(nodeVertex(id))).sort(byNumber), downLines: [...downLines].filter((id) => this.lines.has(id)).sort(byNumber), units: units.sort(byNumber), nodes: nodes.sort(byNumber), lines: lines.sort(byNumber) };
  }

  /**
   * What `outage` cuts off beyond what is cut off without it (with `current`, beyond today's
   * outages): the share of a failure of its own.
   */
  cutOffBy(outage: Outage, current = true): CutOff {
    const before = this.cutOff({}, current);
    const after = this.cutOff(outage, current);
    const minus = (xs: number[], ys: number[]) => {
      const drop = new Set(ys);
      return xs.filter((x) => !drop.has(x));
    };
    return { ...after, units: minus(after.units, before.units), nodes: minus(after.nodes, before.nodes), lines: minus(after.lines, before.lines) };
  }

  /**
   * Every node and line in service whose loss alone would cut some unit or node off the central
   * data rooms (articulation points and bridges of the part that reaches them), with what it cuts
   * off. One depth-first search from the virtual centre (iterative: a chain of 10,000 nodes is no
   * stack overflow) gives each vertex its discovery number, low-link and subtree; a child subtree
   * whose low-link does not reach above its parent hangs on that parent alone, and a tree line to
   * a child whose low-link does not reach the parent's number (no parallel line, no back line) is a
   * bridge that cuts off the child's subtree.
   */
  critical(current = true): CriticalElement[] {
    const { graph } = this.live({}, current);
    const disc = new Map<Vertex, number>();
    const low = new Map<Vertex, number>();
    const order: Vertex[] = [];
    const size = new Map<Vertex, number>();
    const parentEdge = new Map<Vertex, string | null>();
    const children = new Map<Vertex, Vertex[]>();
    const adjacency = (v: Vertex) => {
      const out: { edge: string; other: Vertex }[] = [];
      graph.forEachEdge(v, (edge, _attrs, a, z) => out.push({ edge, other: a === v ? z : a }));
      return out;
    };
    const stack: { v: Vertex; next: number; adj: { edge: string; other: Vertex }[] }[] = [];
    const visit = (v: Vertex, via: string | null) => {
      disc.set(v, order.length);
      low.set(v, order.length);
      order.push(v);
      parentEdge.set(v, via);
      children.set(v, []);
      stack.push({ v, next: 0, adj: adjacency(v) });
    };
    visit(CENTRE, null);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.next < top.adj.length) {
        const { edge, other } = top.adj[top.next++];
        if (edge === parentEdge.get(top.v)) continue; // the same line back; a parallel one is a back edge
        if (!disc.has(other)) {
          children.get(top.v)!.push(other);
          visit(other, edge);
        } else low.set(top.v, Math.min(low.get(top.v)!, disc.get(other)!));
        continue;
      }
      stack.pop();
      size.set(top.v, 1 + children.get(top.v)!.reduce((s, c) => s + size.get(c)!, 0));
      if (stack.length) {
        const parent = stack[stack.length - 1].v;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
      }
    }
    // Units before each position of the discovery order: a subtree is a run of it, so what it
    // holds is a difference (counts only; a chain of 10,000 would make lists quadratic).
    const unitsBefore = [0];
    for (const v of order) unitsBefore.push(unitsBefore[unitsBefore.length - 1] + (v[0] === 'u' ? 1 : 0));
    const count = (vs: Vertex[]) => {
      let units = 0;
      let all = 0;
      for (const v of vs) {
        const [from, n] = [disc.get(v)!, size.get(v)!];
        units += unitsBefore[from + n] - unitsBefore[from];
        all += n;
      }
      return { units, nodes: all - units };
    };
    const found: CriticalElement[] = [];
    for (const v of order) {
      if (v === CENTRE) continue;
      const hanging = children.get(v)!.filter((c) => low.get(c)! >= disc.get(v)!);
      if (v[0] === 'n' && hanging.length) found.push({ kind: 'node', id: vertexOf(v).id, ...count(hanging) });
      const via = parentEdge.get(v)!;
      const attrs = graph.getEdgeAttributes(via);
      if (attrs.line !== null && low.get(v)! > disc.get(graph.opposite(v, via))!) found.push({ kind: 'line', id: attrs.line, ...count([v]) });
    }
    return found.sort((a, b) => b.units - a.units || b.nodes - a.nodes || (a.kind === b.kind ? a.id - b.id : a.kind === 'line' ? -1 : 1));
  }

  /**
   * What bringing one element that is down now (OFFLINE, or its asset has an open fault) back into
   * service would reconnect to a central data room, the other outages of today staying: the share
   * of today's cut-off that is this element's own. Empty for an element that is not down, or whose
   * return alone reconnects nothing. `downNodes` / `downLines` name the element.
   *
   * Cheap enough to rank hundreds of faults: today's network is split once into what reaches a
   * centre and connected pieces that do not; a line that comes back joins the piece at its far end
   * when its near end is connected, a node that comes back joins the pieces of its neighbours when
   * one of them is connected. (The reference tests compare it with cutting off today's outages with
   * and without the element.)
   */
  restoring(kind: 'node' | 'line', id: number): CutOff {
    const empty: CutOff = { downNodes: kind === 'node' ? [id] : [], downLines: kind === 'line' ? [id] : [], units: [], nodes: [], lines: [] };
    const { downNodes, downLines } = this.down({}, true);
    const today = this.todaysPieces();
    const incident = this.incidentLines();
    const back = new Set<Vertex>();
    const join = (v: Vertex) => {
      const k = today.piece.get(v);
      if (k !== undefined) for (const w of today.pieces[k]) back.add(w);
    };
    if (kind === 'line') {
      const l = this.lines.get(id);
      if (!l || !downLines.has(id)) return empty;
      const inService = (v: Vertex) => !(v[0] === 'n' && downNodes.has(vertexOf(v).id));
      if (!inService(l.a!) || !inService(l.z!) || l.a === l.z) return empty;
      const [a, z] = [today.connected.has(l.a!), today.connected.has(l.z!)];
      if (a === z) return empty;
      join(a ? l.z! : l.a!);
    } else {
      const v = nodeVertex(id);
      if (!this.vertices.has(v) || !downNodes.has(id)) return empty;
      const neighbours = (incident.get(v) ?? [])
        .filter((l) => !downLines.has(l.id))
        .map((l) => (l.a === v ? l.z! : l.a!))
        .filter((w) => w !== v && !(w[0] === 'n' && downNodes.has(vertexOf(w).id)));
      // A central data room that comes back is connected by itself.
      if (!this.centres.includes(v) && !neighbours.some((w) => today.connected.has(w))) return empty;
      back.add(v);
      for (const w of neighbours) if (!today.connected.has(w)) join(w);
    }
    const units: number[] = [];
    const nodes: number[] = [];
    for (const w of back) {
      const { kind: k, id: wid } = vertexOf(w);
      if (k === 'unit') units.push(wid);
      else if (!(kind === 'node' && wid === id)) nodes.push(wid);
    }
    const after = (w: Vertex) => today.connected.has(w) || back.has(w);
    const lines = new Set<number>();
    for (const w of back) {
      for (const l of incident.get(w) ?? []) {
        const down = downLines.has(l.id) && !(kind === 'line' && l.id === id);
        if (!down && after(l.a!) && after(l.z!)) lines.add(l.id);
      }
    }
    if (kind === 'line') lines.delete(id);
    const byNumber = (x: number, y: number) => x - y;
    return { ...empty, units: units.sort(byNumber), nodes: nodes.sort(byNumber), lines: [...lines].sort(byNumber) };
  }

  private incidentLines(): Map<Vertex, TopologyLine[]> {
    if (!this.incident) {
      const incident = new Map<Vertex, TopologyLine[]>();
      for (const l of this.lines.values()) {
        for (const v of l.a === l.z ? [l.a!] : [l.a!, l.z!]) {
          const at = incident.get(v);
          if (at) at.push(l);
          else incident.set(v, [l]);
        }
      }
      this.incident = incident;
    }
    return this.incident;
  }

  private todaysPieces() {
    if (!this.today) {
      const { graph } = this.live({}, true);
      const connected = this.connectedSet({}, true);
      const piece = new Map<Vertex, number>();
      const pieces: Vertex[][] = [];
      graph.forEachNode((v) => {
        if (v === CENTRE || connected.has(v) || piece.has(v)) return;
        const members: Vertex[] = [];
        bfsFromNode(graph, v, (w) => {
          piece.set(w, pieces.length);
          members.push(w);
        });
        pieces.push(members);
      });
      this.today = { connected, piece, pieces };
    }
    return this.today;
  }
}
