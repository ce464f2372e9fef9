import { AS_OF_DESCRIPTION } from '../../geo/layer.type';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Query, Resolver, Root, Info } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../config';
import { GeoJSONScalar } from '../../geo/geojson.scalar';
import { selectedFields } from '../../geo/selection';
import { layerListArgs } from '../../geo/layer.type';
import { SRID_ARG_DESCRIPTION } from '../../geo/spatial.inputs';
import { CameraConnection, CameraCoverage, cameraCoverageService, CameraFilter } from '../cameras';
import { neighbourhoodGeometry, neighbourhoodService } from './neighbourhood.service';
import { LayerCountsType, Neighbourhood, NeighbourhoodConnection, NeighbourhoodFilter } from './neighbourhood.type';

const NeighbourhoodsArgs = layerListArgs(NeighbourhoodFilter, 'Neighbourhoods');
type NeighbourhoodsArgs = InstanceType<typeof NeighbourhoodsArgs>;

@ArgsType()
export class CamerasInNeighbourhoodArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many cameras to return: ${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE}.`,
  })
  first?: number | null;

  @Field(() => CameraFilter, { nullable: true })
  filter?: CameraFilter | null;
}

@Resolver(() => Neighbourhood)
export class NeighbourhoodResolver {
  @Query(() => NeighbourhoodConnection, {
    description: 'Neighbourhoods (mahalleler), filtered by attributes and space; ordered by id, or by distance with `nearest`.',
  })
  neighbourhoods(@Args(() => NeighbourhoodsArgs) args: NeighbourhoodsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return neighbourhoodService.list(ctx, args, info);
  }

  @Query(() => Neighbourhood, { description: 'One neighbourhood; NOT_FOUND when there is none with this id.' })
  neighbourhood(
    @Arg('id', () => ID) id: string,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF_DESCRIPTION }) asOf: Date | null,
    @Ctx() ctx: Context,
  ) {
    return neighbourhoodService.get(ctx, id, asOf);
  }

  @FieldResolver(() => GeoJSONScalar, { description: 'Boundary of the neighbourhood (a MultiPolygon).' })
  geometry(
    @Root() row: Neighbourhood,
    @Arg('srid', () => Int, { defaultValue: 4326, description: SRID_ARG_DESCRIPTION }) srid: number,
    @Ctx() ctx: Context,
  ) {
    return neighbourhoodGeometry(row, { srid }, ctx);
  }

  @FieldResolver(() => CameraConnection, {
    description:
      'Cameras inside the neighbourhood, by id. To page further, use `cameras(spatial: { inNeighbourhood: id }, after: endCursor)`.',
  })
  cameras(@Root() row: Neighbourhood, @Args(() => CamerasInNeighbourhoodArgs) args: CamerasInNeighbourhoodArgs, @Ctx() ctx: Context) {
    return neighbourhoodService.cameras(ctx, row, args);
  }

  @FieldResolver(() => LayerCountsType, { description: 'How many features of each layer the neighbourhood holds.' })
  counts(@Root() row: Neighbourhood, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.neighbourhoods.counts(selectedFields(info)).load(row.id);
  }

  @FieldResolver(() => CameraCoverage, {
    nullable: true,
    description: 'How much of the neighbourhood the cameras you may read cover (batched: one statement for a page of neighbourhoods). Needs a READ grant on cameras.',
  })
  cameraCoverage(
    @Root() row: Neighbourhood,
    @Arg('includeInactive', () => Boolean, { defaultValue: false, description: 'Count cameras whatever their status; by default only ACTIVE ones.' }) includeInactive: boolean,
    @Arg('srid', () => Int, { defaultValue: 4326, description: SRID_ARG_DESCRIPTION }) srid: number,
    @Ctx() ctx: Context,
  ) {
    return cameraCoverageService.ofNeighbourhood(ctx, row.id, { srid, includeInactive });
  }
}
