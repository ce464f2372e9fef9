import { AS_OF_DESCRIPTION } from '../../geo/layer.type';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Info } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { GeoJSONScalar } from '../../geo/geojson.scalar';
import { layerListArgs } from '../../geo/layer.type';
import { SRID_ARG_DESCRIPTION } from '../../geo/spatial.inputs';
import { cameraGeometry, cameraService } from './camera.service';
import { Camera, CameraConnection, CameraFilter } from './camera.type';

const CamerasArgs = layerListArgs(CameraFilter, 'Cameras');
type CamerasArgs = InstanceType<typeof CamerasArgs>;

@Resolver(() => Camera)
export class CameraResolver {
  @Query(() => CameraConnection, {
    description: 'Cameras, filtered by attributes and space; ordered by id, or by distance with `nearest`.',
  })
  cameras(@Args(() => CamerasArgs) args: CamerasArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return cameraService.list(ctx, args, info);
  }

  @Query(() => Camera, { description: 'One camera; NOT_FOUND when there is none with this id.' })
  camera(
    @Arg('id', () => ID) id: string,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF_DESCRIPTION }) asOf: Date | null,
    @Ctx() ctx: Context,
  ) {
    return cameraService.get(ctx, id, asOf);
  }

  @FieldResolver(() => GeoJSONScalar, { description: 'Position of the camera (a Point).' })
  geometry(
    @Root() camera: Camera,
    @Arg('srid', () => Int, { defaultValue: 4326, description: SRID_ARG_DESCRIPTION }) srid: number,
    @Ctx() ctx: Context,
  ) {
    return cameraGeometry(camera, { srid }, ctx);
  }

  @FieldResolver(() => GeoJSONScalar, {
    description:
      'What the camera sees, as a Polygon: a sector from its position, azimuth +/- horizontalFov/2, radius rangeMeters (a circle for 360 degree cameras), computed on the ellipsoid.',
  })
  fieldOfView(
    @Root() camera: Camera,
    @Arg('srid', () => Int, { defaultValue: 4326, description: SRID_ARG_DESCRIPTION }) srid: number,
    @Ctx() ctx: Context,
  ) {
    return cameraService.fieldOfView(ctx, camera, srid);
  }
}
