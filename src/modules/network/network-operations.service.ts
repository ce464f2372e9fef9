import type { Context } from '../../context';
import { Action, Resource } from '../../common/auth/resources';
import { badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import type { Asset } from '../assets';
import type { Camera } from '../cameras';
import type { OrgUnit } from '../org-units';
import type { RemoteUnit } from '../remote-units';
import type { User } from '../users';
import { nodeVertex, unitVertex, vertexOf, type CutOff, type NetworkGraph, type Vertex } from './network.graph';
import { dependentsOf, type FaultElement } from './network.repository';
import type { NetworkLine, NetworkNode } from './network.type';
import { Connectivity, NetworkCriticalElement, NetworkElementKind, NetworkImpact, NetworkRoute } from './network-operations.type';

/** The rows of `ids` the request may read, in the order of `ids`. */
async function readable<R>(loader: { loadMany(ids: readonly number[]): Promise<(R | null | Error)[]> }, ids: readonly number[]): Promise<R[]> {
  if (!ids.length) return [];
  const rows = await loader.loadMany(ids);
  for (const r of rows) if (r instanceof Error) throw r;
  return rows.filter((r): r is R => r != null);
}

/** Every network question needs a READ grant on the lines: without one, FORBIDDEN (UNAUTHENTICATED when anonymous). */
function networkGraph(ctx: Context): Promise<NetworkGraph> {
  ctx.access.require(Resource.NETWORK_LINES, Action.READ, 'the network');
  return ctx.loaders.network.graph();
}

/** What `outage` alone cuts off (beyond what is cut off without it), its own failed nodes serving cameras too. */
function impactOf(graph: NetworkGraph, outage: { nodes?: number[]; lines?: number[] }, current: boolean): NetworkImpact {
  const cut = graph.cutOffBy(outage, current);
  return { cut, servingNodes: [...cut.nodes, ...(outage.nodes ?? [])] };
}

/** What bringing a down element back would reconnect, its own cameras (a node's) included. */
function restoringImpact(graph: NetworkGraph, e: { kind: 'node' | 'line'; id: number }): NetworkImpact {
  const cut = graph.restoring(e.kind, e.id);
  return { cut, servingNodes: [...cut.nodes, ...(e.kind === 'node' ? [e.id] : [])] };
}

/**
 * What hangs on the units an impact cuts off, read once per impact. Keyed by its cut-off: type-graphql
 * hands each field resolver a fresh NetworkImpact instance copied from the one returned.
 */
const dependents = new WeakMap<CutOff, ReturnType<typeof dependentsOf>>();

export const networkOperations = {
  async route(ctx: Context, from: Vertex, current: boolean): Promise<NetworkRoute> {
    const graph = await networkGraph(ctx);
    const route = graph.route(from, {}, current);
    const independent = graph.independentRoutes(from, {}, current);
    return {
      reachesCentre: route !== null,
      lengthMeters: route?.lengthMeters ?? null,
      steps: route ? route.lines.map((lineId, k) => ({ lineId, to: route.vertices[k + 1] })) : [],
      edgeDisjointRoutes: independent?.edgeDisjoint ?? null,
      nodeDisjointRoutes: independent?.nodeDisjoint ?? null,
    };
  },

  /** `networkRoute(remoteUnitId | nodeId)`: the start must be one you may read. */
  async routeFrom(ctx: Context, args: { remoteUnitId?: string | null; nodeId?: string | null; current: boolean }): Promise<NetworkRoute> {
    if ((args.remoteUnitId == null) === (args.nodeId == null)) throw badInput('give either remoteUnitId or nodeId');
    await networkGraph(ctx);
    if (args.remoteUnitId != null) {
      const id = parseId(args.remoteUnitId, 'remoteUnitId');
      if (!(await ctx.loaders.remoteUnits.byId.load(id))) throw notFound('remote unit', args.remoteUnitId);
      return this.route(ctx, unitVertex(id), args.current);
    }
    const id = parseId(args.nodeId!, 'nodeId');
    if (!(await ctx.loaders.network.nodes.byId.load(id))) throw notFound('network node', args.nodeId!);
    return this.route(ctx, nodeVertex(id), args.current);
  },

  /** A step's line, or null when the request may not read it. */
  stepLine(ctx: Context, lineId: number): Promise<NetworkLine | null> {
    return ctx.loaders.network.lines.byId.load(lineId);
  },

  /** A step's end: a node or a remote unit, or null when the request may not read it. */
  stepEnd(ctx: Context, v: Vertex): Promise<NetworkNode | RemoteUnit | null> {
    const { kind, id } = vertexOf(v);
    return kind === 'node' ? ctx.loaders.network.nodes.byId.load(id) : ctx.loaders.remoteUnits.byId.load(id);
  },

  /**
   * `networkImpact`: what the given lines and nodes failing would cut off (with `current`, on top
   * of today's outages; with no lines or nodes and `current`, what is cut off now). Each id must
   * be a line or node you may read.
   */
  async impact(ctx: Context, args: { lineIds: string[]; nodeIds: string[]; current: boolean }): Promise<NetworkImpact> {
    const graph = await networkGraph(ctx);
    const lines = args.lineIds.map((id) => parseId(id, 'lineIds'));
    const nodes = args.nodeIds.map((id) => parseId(id, 'nodeIds'));
    const [readLines, readNodes] = await Promise.all([ctx.loaders.network.lines.byId.loadMany(lines), ctx.loaders.network.nodes.byId.loadMany(nodes)]);
    readLines.forEach((row, k) => {
      if (!row || row instanceof Error) throw notFound('network line', args.lineIds[k]);
    });
    readNodes.forEach((row, k) => {
      if (!row || row instanceof Error) throw notFound('network node', args.nodeIds[k]);
    });
    const cut = graph.cutOff({ lines, nodes }, args.current);
    return { cut, servingNodes: [...cut.nodes, ...cut.downNodes] };
  },

  downNodes: (ctx: Context, i: NetworkImpact) => readable<NetworkNode>(ctx.loaders.network.nodes.byId, i.cut.downNodes),
  downLines: (ctx: Context, i: NetworkImpact) => readable<NetworkLine>(ctx.loaders.network.lines.byId, i.cut.downLines),
  remoteUnits: (ctx: Context, i: NetworkImpact) => readable<RemoteUnit>(ctx.loaders.remoteUnits.byId, i.cut.units),
  nodes: (ctx: Context, i: NetworkImpact) => readable<NetworkNode>(ctx.loaders.network.nodes.byId, i.cut.nodes),
  lines: (ctx: Context, i: NetworkImpact) => readable<NetworkLine>(ctx.loaders.network.lines.byId, i.cut.lines),

  async assets(ctx: Context, i: NetworkImpact): Promise<Asset[]> {
    if (!i.cut.units.length) return [];
    const perUnit = await ctx.loaders.assets.byRemoteUnit.loadMany(i.cut.units);
    return perUnit.flatMap((rows) => {
      if (rows instanceof Error) throw rows;
      return rows;
    });
  },

  async dependents(ctx: Context, i: NetworkImpact) {
    let found = dependents.get(i.cut);
    if (!found) dependents.set(i.cut, (found = dependentsOf(ctx.db, i.cut.units, i.servingNodes)));
    return found;
  },

  cameras: async (ctx: Context, i: NetworkImpact) => readable<Camera>(ctx.loaders.cameras.byId, (await networkOperations.dependents(ctx, i)).cameras),
  custodians: async (ctx: Context, i: NetworkImpact) => readable<User>(ctx.loaders.users.byId, (await networkOperations.dependents(ctx, i)).custodians),
  orgUnits: async (ctx: Context, i: NetworkImpact) => readable<OrgUnit>(ctx.loaders.orgUnits.byId, (await networkOperations.dependents(ctx, i)).orgUnits),

  /**
   * `networkSinglePointsOfFailure`: the nodes and lines whose loss alone would cut something off,
   * most remote units cut off first, then most nodes; only those you may read are listed.
   */
  async critical(ctx: Context, args: { first: number; current: boolean; kind?: NetworkElementKind | null }): Promise<NetworkCriticalElement[]> {
    if (args.first < 0 || args.first > 1000) throw badInput('first: give 0 to 1000');
    const graph = await networkGraph(ctx);
    const all = graph.critical(args.current).filter((c) => !args.kind || c.kind === (args.kind === NetworkElementKind.NODE ? 'node' : 'line'));
    const [lines, nodes] = await Promise.all([
      ctx.loaders.network.lines.byId.loadMany(all.filter((c) => c.kind === 'line').map((c) => c.id)),
      ctx.loaders.network.nodes.byId.loadMany(all.filter((c) => c.kind === 'node').map((c) => c.id)),
    ]);
    const may = new Set([
      ...lines.filter((r): r is NetworkLine => r != null && !(r instanceof Error)).map((r) => `line:${r.id}`),
      ...nodes.filter((r): r is NetworkNode => r != null && !(r instanceof Error)).map((r) => `node:${r.id}`),
    ]);
    return all
      .filter((c) => may.has(`${c.kind}:${c.id}`))
      .slice(0, args.first)
      .map((c) => ({
        kind: c.kind === 'node' ? NetworkElementKind.NODE : NetworkElementKind.LINE,
        id: c.id,
        remoteUnitsCutOff: c.units,
        nodesCutOff: c.nodes,
        current: args.current,
      }));
  },

  /** What a critical element's loss alone would cut off (not what is cut off already). */
  async criticalImpact(ctx: Context, c: NetworkCriticalElement): Promise<NetworkImpact> {
    const graph = await networkGraph(ctx);
    return impactOf(graph, c.kind === NetworkElementKind.NODE ? { nodes: [c.id] } : { lines: [c.id] }, c.current);
  },

  /**
   * `Fault.impact`: for an open fault on a network element's asset, what that element being down
   * cuts off now that the rest of today's outages do not (what repairing it would reconnect);
   * null for a fault that is closed or on anything else.
   */
  async faultImpact(ctx: Context, faultId: number): Promise<NetworkImpact | null> {
    const graph = await networkGraph(ctx);
    const { open, element } = await ctx.loaders.network.faultElement.load(faultId);
    if (!open || !element) return null;
    return restoringImpact(graph, element);
  },

  /**
   * Ranks faults by what they cut off now: remote units, then cameras (on the whole network, as
   * the single points of failure are ranked), keeping `faultIds`' order among equals. Faults that
   * are closed or on no network element come after, in their order.
   */
  async rankByImpact(ctx: Context, faults: { id: number; element: FaultElement }[]): Promise<number[]> {
    const graph = await networkGraph(ctx);
    const cameras = await ctx.loaders.network.camerasByVertex();
    const score = new Map<number, [number, number]>();
    const memo = new Map<string, [number, number]>();
    for (const f of faults) {
      const e = f.element.open ? f.element.element : null;
      if (!e) continue;
      const key = `${e.kind}${e.id}`;
      let s = memo.get(key);
      if (!s) {
        const impact = restoringImpact(graph, e);
        const seen = new Set<number>();
        for (const v of [...impact.cut.units.map(unitVertex), ...impact.servingNodes.map(nodeVertex)]) for (const c of cameras.get(v) ?? []) seen.add(c);
        memo.set(key, (s = [impact.cut.units.length, seen.size]));
      }
      score.set(f.id, s);
    }
    const rank = (id: number) => score.get(id) ?? [-1, -1];
    return faults
      .map((f, k) => ({ id: f.id, k }))
      .sort((a, b) => rank(b.id)[0] - rank(a.id)[0] || rank(b.id)[1] - rank(a.id)[1] || a.k - b.k)
      .map((f) => f.id);
  },

  /** `RemoteUnit.connectivity`: CUT_OFF, DEGRADED (fewer independent routes now than as designed) or ONLINE. */
  async connectivity(ctx: Context, unit: RemoteUnit): Promise<Connectivity> {
    const graph = await networkGraph(ctx);
    const v = unitVertex(unit.id);
    const now = graph.independentRoutes(v, {}, true);
    if (!now || now.edgeDisjoint === 0) return Connectivity.CUT_OFF;
    const usual = graph.independentRoutes(v, {}, false)!;
    return now.edgeDisjoint < usual.edgeDisjoint || now.nodeDisjoint < usual.nodeDisjoint ? Connectivity.DEGRADED : Connectivity.ONLINE;
  },
};
