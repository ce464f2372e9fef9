import { AS_OF_DESCRIPTION } from '../../geo/layer.type';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Info } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { GeoJSONScalar } from '../../geo/geojson.scalar';
import { layerListArgs } from '../../geo/layer.type';
import { SRID_ARG_DESCRIPTION } from '../../geo/spatial.inputs';
import { RemoteUnit } from '../remote-units';
import { networkLineGeometry, networkNodeGeometry, networkService } from './network.service';
import {
  NetworkEnd,
  NetworkLine,
  NetworkLineConnection,
  NetworkLineFilter,
  NetworkNode,
  NetworkNodeConnection,
  NetworkNodeFilter,
} from './network.type';

const NetworkNodesArgs = layerListArgs(NetworkNodeFilter, 'NetworkNodes');
type NetworkNodesArgs = InstanceType<typeof NetworkNodesArgs>;

const NetworkLinesArgs = layerListArgs(NetworkLineFilter, 'NetworkLines');
type NetworkLinesArgs = InstanceType<typeof NetworkLinesArgs>;

@Resolver(() => NetworkNode)
export class NetworkNodeResolver {
  @Query(() => NetworkNodeConnection, { description: 'Network nodes, filtered by attributes and space.' })
  networkNodes(@Args(() => NetworkNodesArgs) args: NetworkNodesArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return networkService.nodes(ctx, args, info);
  }

  @Query(() => NetworkNode, { description: 'One network node; NOT_FOUND when there is none with this id.' })
  networkNode(
    @Arg('id', () => ID) id: string,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF_DESCRIPTION }) asOf: Date | null,
    @Ctx() ctx: Context,
  ) {
    return networkService.node(ctx, id, asOf);
  }

  @FieldResolver(() => GeoJSONScalar, { description: 'Position of the node (a Point).' })
  geometry(
    @Root() node: NetworkNode,
    @Arg('srid', () => Int, { defaultValue: 4326, description: SRID_ARG_DESCRIPTION }) srid: number,
    @Ctx() ctx: Context,
  ) {
    return networkNodeGeometry(node, { srid }, ctx);
  }

  @FieldResolver(() => [NetworkLine], { description: 'The lines that meet at this node.' })
  lines(@Root() node: NetworkNode, @Ctx() ctx: Context) {
    return ctx.loaders.network.linesAtNode.load(node.id);
  }
}

@Resolver(() => NetworkLine)
export class NetworkLineResolver {
  @Query(() => NetworkLineConnection, { description: 'Network lines, filtered by attributes and space.' })
  networkLines(@Args(() => NetworkLinesArgs) args: NetworkLinesArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return networkService.lines(ctx, args, info);
  }

  @Query(() => NetworkLine, { description: 'One network line; NOT_FOUND when there is none with this id.' })
  networkLine(
    @Arg('id', () => ID) id: string,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF_DESCRIPTION }) asOf: Date | null,
    @Ctx() ctx: Context,
  ) {
    return networkService.line(ctx, id, asOf);
  }

  @FieldResolver(() => GeoJSONScalar, { description: 'Route of the line (a LineString), from its A end to its Z end.' })
  geometry(
    @Root() line: NetworkLine,
    @Arg('srid', () => Int, { defaultValue: 4326, description: SRID_ARG_DESCRIPTION }) srid: number,
    @Ctx() ctx: Context,
  ) {
    return networkLineGeometry(line, { srid }, ctx);
  }

  @FieldResolver(() => NetworkEnd, { nullable: true, description: 'Where the line starts: a node or a remote unit; null when you may not read it.' })
  aEnd(@Root() line: NetworkLine, @Ctx() ctx: Context) {
    return networkService.end(ctx, line.aNodeId, line.aRemoteUnitId);
  }

  @FieldResolver(() => NetworkEnd, { nullable: true, description: 'Where the line ends: a node or a remote unit; null when you may not read it.' })
  zEnd(@Root() line: NetworkLine, @Ctx() ctx: Context) {
    return networkService.end(ctx, line.zNodeId, line.zRemoteUnitId);
  }
}

/** The network seen from a remote unit. */
@Resolver(() => RemoteUnit)
export class RemoteUnitNetworkResolver {
  @FieldResolver(() => [NetworkLine], { description: 'The lines that serve the unit (that end at it).' })
  lines(@Root() unit: RemoteUnit, @Ctx() ctx: Context) {
    return ctx.loaders.network.linesAtRemoteUnit.load(unit.id);
  }
}
