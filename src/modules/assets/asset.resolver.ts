import { AS_OF_DESCRIPTION } from '../../geo/layer.type';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Info } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { GeoJSONScalar } from '../../geo/geojson.scalar';
import type { Context } from '../../context';
import { layerListArgs } from '../../geo/layer.type';
import { SpatialFilter, SRID_ARG_DESCRIPTION } from '../../geo/spatial.inputs';
import { Camera } from '../cameras';
import { RemoteUnit } from '../remote-units';
import { assetGeometry, assetService } from './asset.service';
import { Asset, AssetConnection, AssetFilter, AssetGroupCount, AssetGrouping } from './asset.type';
import { Vendor } from './vendor.type';

const AssetsArgs = layerListArgs(AssetFilter, 'Assets');
type AssetsArgs = InstanceType<typeof AssetsArgs>;

@Resolver(() => Asset)
export class AssetResolver {
  @Query(() => AssetConnection, {
    description: 'The IT inventory, filtered by attributes and space; ordered by id, or by distance with `nearest`. Disposed assets only when filter.state names DISPOSED.',
  })
  assets(@Args(() => AssetsArgs) args: AssetsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return assetService.list(ctx, args, info);
  }

  @Query(() => Asset, { description: 'One asset; NOT_FOUND when there is none with this id (or you may not read it).' })
  asset(
    @Arg('id', () => ID) id: string,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF_DESCRIPTION }) asOf: Date | null,
    @Ctx() ctx: Context,
  ) {
    return assetService.get(ctx, id, asOf);
  }

  @Query(() => Asset, { nullable: true, description: 'The asset with this inventory (demirbaş) or serial number; null when there is none.' })
  assetByNumber(@Arg('number', () => String) number: string, @Ctx() ctx: Context) {
    return assetService.byNumber(ctx, number);
  }

  @Query(() => [AssetGroupCount], { description: 'How many assets (that pass the filters) fall in each state, type, directorate or neighbourhood.' })
  assetCounts(
    @Arg('by', () => AssetGrouping) by: AssetGrouping,
    @Arg('filter', () => AssetFilter, { nullable: true }) filter: AssetFilter | null,
    @Arg('spatial', () => SpatialFilter, { nullable: true }) spatial: SpatialFilter | null,
    @Ctx() ctx: Context,
  ) {
    return assetService.counts(ctx, by, filter, spatial);
  }

  @FieldResolver(() => GeoJSONScalar, { description: 'Where the asset is (a Point).' })
  geometry(
    @Root() asset: Asset,
    @Arg('srid', () => Int, { defaultValue: 4326, description: SRID_ARG_DESCRIPTION }) srid: number,
    @Ctx() ctx: Context,
  ) {
    return assetGeometry(asset, { srid }, ctx);
  }

  @FieldResolver(() => RemoteUnit, { nullable: true, description: 'The remote unit the asset is at.' })
  remoteUnit(@Root() asset: Asset, @Ctx() ctx: Context) {
    return asset.remoteUnitId == null ? null : ctx.loaders.remoteUnits.byId.load(asset.remoteUnitId);
  }

  @FieldResolver(() => Camera, { nullable: true, description: 'The camera on the camera layer that this asset is.' })
  camera(@Root() asset: Asset, @Ctx() ctx: Context) {
    return asset.cameraId == null ? null : ctx.loaders.cameras.byId.load(asset.cameraId);
  }

  @FieldResolver(() => Vendor, { nullable: true, description: 'The supplier.' })
  vendor(@Root() asset: Asset, @Ctx() ctx: Context) {
    return asset.vendorId == null ? null : ctx.loaders.assets.vendors.load(asset.vendorId);
  }
}

@Resolver(() => Camera)
export class CameraAssetResolver {
  @FieldResolver(() => Asset, { nullable: true, description: 'The inventory record of this camera.' })
  asset(@Root() camera: Camera, @Ctx() ctx: Context) {
    return ctx.loaders.assets.byCamera.load(camera.id);
  }
}

@Resolver(() => RemoteUnit)
export class RemoteUnitAssetResolver {
  @FieldResolver(() => [Asset], { description: 'The assets at this remote unit.' })
  assets(@Root() unit: RemoteUnit, @Ctx() ctx: Context) {
    return ctx.loaders.assets.byRemoteUnit.load(unit.id);
  }
}
