import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Info } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { GeoJSONScalar } from '../../geo/geojson.scalar';
import { SpatialFilter, SRID_ARG_DESCRIPTION } from '../../geo/spatial.inputs';
import { Asset, Vendor } from '../assets';
// The type alone: the users index reaches neighbourhoods (through roles), which reach back here.
import { StockMovement } from '../stock/stock.type';
import { User } from '../users/user.type';
import { FaultsArgs } from './fault.inputs';
import { faultGeometry, faultService } from './fault.service';
import { Fault, FaultConnection, FaultEvent, FaultFigure, FaultFilter, FaultGrouping, VendorRepair } from './fault.type';

@Resolver(() => Fault)
export class FaultResolver {
  @Query(() => FaultConnection, {
    description:
      'Faults, filtered by attributes and space; by id, by distance with `nearest`, or as a queue with orderBy: PRIORITY_AND_AGE (most urgent first, then oldest first; with filter.open: true, the open faults by priority and age).',
  })
  faults(@Args(() => FaultsArgs) args: FaultsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return faultService.list(ctx, args, info);
  }

  @Query(() => Fault, { description: 'One fault; NOT_FOUND when there is none with this id (or you may not read it).' })
  fault(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return faultService.get(ctx, id);
  }

  @Query(() => [FaultFigure], {
    description:
      'Figures of the faults you may read that pass the filters, per neighbourhood (those you may read), asset type, month reported (Europe/Istanbul) or reporting directorate: how many, how many open and resolved, the median hours to resolve.',
  })
  faultFigures(
    @Arg('by', () => FaultGrouping) by: FaultGrouping,
    @Arg('filter', () => FaultFilter, { nullable: true }) filter: FaultFilter | null,
    @Arg('spatial', () => SpatialFilter, { nullable: true }) spatial: SpatialFilter | null,
    @Ctx() ctx: Context,
  ) {
    return faultService.figures(ctx, by, filter, spatial);
  }

  @FieldResolver(() => GeoJSONScalar, { description: 'Where the fault is (a Point): its asset\'s position when reported, or the place given.' })
  geometry(
    @Root() fault: Fault,
    @Arg('srid', () => Int, { defaultValue: 4326, description: SRID_ARG_DESCRIPTION }) srid: number,
    @Ctx() ctx: Context,
  ) {
    return faultGeometry(fault, { srid }, ctx);
  }

  @FieldResolver(() => Asset, { nullable: true, description: 'The faulty asset; null for a fault reported on a place, or when you may not read the asset.' })
  asset(@Root() fault: Fault, @Ctx() ctx: Context) {
    return fault.assetId == null ? null : ctx.loaders.assets.byId.load(fault.assetId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who reported it; null when you may not read user accounts (reporterName has the name).' })
  reportedBy(@Root() fault: Fault, @Ctx() ctx: Context) {
    return fault.reportedById == null ? null : ctx.loaders.users.byId.load(fault.reportedById);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who it is assigned to; null when unassigned or when you may not read user accounts (assigneeName has the name).' })
  assignee(@Root() fault: Fault, @Ctx() ctx: Context) {
    return fault.assigneeId == null ? null : ctx.loaders.users.byId.load(fault.assigneeId);
  }

  @FieldResolver(() => [FaultEvent], { description: 'Every step, oldest first: when, who, from which state to which, and the note.' })
  events(@Root() fault: Fault, @Ctx() ctx: Context) {
    return ctx.loaders.faults.events.load(fault.id);
  }

  @FieldResolver(() => [VendorRepair], { description: 'The times the asset was sent out to a vendor for this fault.' })
  vendorRepairs(@Root() fault: Fault, @Ctx() ctx: Context) {
    return ctx.loaders.faults.vendorRepairs.load(fault.id);
  }
}

@Resolver(() => FaultEvent)
export class FaultEventResolver {
  @FieldResolver(() => User, { nullable: true, description: 'Who took the step; null when you may not read user accounts (actorName has the name).' })
  actor(@Root() event: FaultEvent, @Ctx() ctx: Context) {
    return event.actorId == null ? null : ctx.loaders.users.byId.load(event.actorId);
  }
}

@Resolver(() => VendorRepair)
export class VendorRepairResolver {
  @FieldResolver(() => Vendor, { nullable: true })
  vendor(@Root() repair: VendorRepair, @Ctx() ctx: Context) {
    return ctx.loaders.assets.vendors.load(repair.vendorId);
  }
}

@Resolver(() => Asset)
export class AssetFaultsResolver {
  @FieldResolver(() => [Fault], { description: 'The faults of this asset (its repair history), newest first: those you may read.' })
  faults(@Root() asset: Asset, @Ctx() ctx: Context) {
    return ctx.loaders.faults.byAsset.load(asset.id);
  }
}

/** `StockMovement.fault`: the fault the parts went out for, when the reader may read it. */
@Resolver(() => StockMovement)
export class StockMovementFaultResolver {
  @FieldResolver(() => Fault, { nullable: true, description: 'The fault (arıza) the parts went out for; null when none, or when you may not read it.' })
  fault(@Root() movement: StockMovement, @Ctx() ctx: Context) {
    return movement.faultId == null ? null : ctx.loaders.faults.byId.load(movement.faultId);
  }
}
