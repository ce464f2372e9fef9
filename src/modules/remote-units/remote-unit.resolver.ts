import { AS_OF_DESCRIPTION } from '../../geo/layer.type';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Float, ID, Int, Query, Resolver, Root, Info } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../config';
import { GeoJSONScalar } from '../../geo/geojson.scalar';
import { layerListArgs } from '../../geo/layer.type';
import { SRID_ARG_DESCRIPTION } from '../../geo/spatial.inputs';
import { CameraConnection, CameraFilter } from '../cameras';
import { OrgUnit } from '../org-units';
import { remoteUnitGeometry, remoteUnitService } from './remote-unit.service';
import { Address, InternetSubscription, RemoteUnit, RemoteUnitConnection, RemoteUnitFilter } from './remote-unit.type';

const RemoteUnitsArgs = layerListArgs(RemoteUnitFilter, 'RemoteUnits');
type RemoteUnitsArgs = InstanceType<typeof RemoteUnitsArgs>;

@ArgsType()
export class CamerasWithinArgs {
  @Field(() => Float, { description: 'Distance in geodesic metres.' })
  meters!: number;

  @Field(() => Int, {
    nullable: true,
    description: `How many cameras to return, nearest first: ${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE}.`,
  })
  first?: number | null;

  @Field(() => CameraFilter, { nullable: true })
  filter?: CameraFilter | null;
}

@Resolver(() => RemoteUnit)
export class RemoteUnitResolver {
  @Query(() => RemoteUnitConnection, {
    description: 'Remote units, filtered by attributes and space; ordered by id, or by distance with `nearest`.',
  })
  remoteUnits(@Args(() => RemoteUnitsArgs) args: RemoteUnitsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return remoteUnitService.list(ctx, args, info);
  }

  @Query(() => RemoteUnit, { description: 'One remote unit; NOT_FOUND when there is none with this id.' })
  remoteUnit(
    @Arg('id', () => ID) id: string,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF_DESCRIPTION }) asOf: Date | null,
    @Ctx() ctx: Context,
  ) {
    return remoteUnitService.get(ctx, id, asOf);
  }

  @FieldResolver(() => GeoJSONScalar, { description: 'Location of the unit (a Point).' })
  geometry(
    @Root() unit: RemoteUnit,
    @Arg('srid', () => Int, { defaultValue: 4326, description: SRID_ARG_DESCRIPTION }) srid: number,
    @Ctx() ctx: Context,
  ) {
    return remoteUnitGeometry(unit, { srid }, ctx);
  }

  @FieldResolver(() => OrgUnit, { description: 'The directorate the unit belongs to.' })
  orgUnit(@Root() unit: RemoteUnit, @Ctx() ctx: Context) {
    return ctx.loaders.orgUnits.byId.load(unit.orgUnitId);
  }

  @FieldResolver(() => Address)
  address(@Root() unit: RemoteUnit): Address {
    return { mahalle: unit.addressMahalle, street: unit.addressStreet, doorNo: unit.addressDoorNo };
  }

  @FieldResolver(() => InternetSubscription)
  internet(@Root() unit: RemoteUnit): InternetSubscription {
    return { provider: unit.isp, line: unit.internetLine, bandwidthMbps: unit.bandwidthMbps };
  }

  @FieldResolver(() => CameraConnection, {
    description: 'Cameras within a distance of the unit, nearest first; each edge has `distanceMeters`.',
  })
  camerasWithin(@Root() unit: RemoteUnit, @Args(() => CamerasWithinArgs) args: CamerasWithinArgs, @Ctx() ctx: Context) {
    return remoteUnitService.camerasWithin(ctx, unit, args);
  }
}
