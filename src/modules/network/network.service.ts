import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import type { Connection } from '../../common/pagination/connection';
import { geometryField, getFeature, listLayer, type LayerListArgs } from '../../geo/layer.service';
import type { RemoteUnit } from '../remote-units';
import { NetworkLineRepository, NetworkNodeRepository } from './network.repository';
import type { NetworkLine, NetworkLineFilter, NetworkNode, NetworkNodeFilter } from './network.type';

/** Resolves `NetworkNode.geometry(srid)` and `NetworkLine.geometry(srid)`. */
export const networkNodeGeometry = geometryField((ctx) => ctx.loaders.network.nodes);
export const networkLineGeometry = geometryField((ctx) => ctx.loaders.network.lines);

export const networkService = {
  nodes(ctx: Context, args: LayerListArgs<NetworkNodeFilter>, info?: GraphQLResolveInfo): Promise<Connection<NetworkNode>> {
    return listLayer(ctx, new NetworkNodeRepository(ctx.db, ctx.access), args, info);
  },

  node(ctx: Context, id: string, asOf?: Date | null): Promise<NetworkNode> {
    return getFeature(ctx.loaders.network.nodes, id, 'network node', { ctx, repo: new NetworkNodeRepository(ctx.db, ctx.access), asOf });
  },

  lines(ctx: Context, args: LayerListArgs<NetworkLineFilter>, info?: GraphQLResolveInfo): Promise<Connection<NetworkLine>> {
    return listLayer(ctx, new NetworkLineRepository(ctx.db, ctx.access), args, info);
  },

  line(ctx: Context, id: string, asOf?: Date | null): Promise<NetworkLine> {
    return getFeature(ctx.loaders.network.lines, id, 'network line', { ctx, repo: new NetworkLineRepository(ctx.db, ctx.access), asOf });
  },

  /**
   * One end of a line: its node or its remote unit (batched with every other end on the page);
   * null when the request may not read it (the line's row then carries neither id).
   */
  async end(ctx: Context, nodeId: number | null, remoteUnitId: number | null): Promise<NetworkNode | RemoteUnit | null> {
    if (nodeId != null) return ctx.loaders.network.nodes.byId.load(nodeId);
    return remoteUnitId != null ? ctx.loaders.remoteUnits.byId.load(remoteUnitId) : null;
  },
};
