import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { badInput } from '../../common/errors/app-error';
import { pageSize, type Connection } from '../../common/pagination/connection';
import { anchoredConnection, geometryField, getFeature, listLayer, type LayerListArgs } from '../../geo/layer.service';
import type { LayerRow } from '../../geo/layer.repository';
import type { Camera, CameraFilter } from '../cameras';
import { RemoteUnitRepository } from './remote-unit.repository';
import type { RemoteUnit, RemoteUnitFilter } from './remote-unit.type';

/** Largest distance `camerasWithin` searches, in metres. */
export const MAX_NEARBY_METERS = 50_000;

/** Resolves `RemoteUnit.geometry(srid)`. */
export const remoteUnitGeometry = geometryField((ctx) => ctx.loaders.remoteUnits);

export const remoteUnitService = {
  list(ctx: Context, args: LayerListArgs<RemoteUnitFilter>, info?: GraphQLResolveInfo): Promise<Connection<RemoteUnit>> {
    return listLayer(ctx, new RemoteUnitRepository(ctx.db, ctx.access), args, info);
  },

  get(ctx: Context, id: string, asOf?: Date | null): Promise<RemoteUnit> {
    return getFeature(ctx.loaders.remoteUnits, id, 'remote unit', { ctx, repo: new RemoteUnitRepository(ctx.db, ctx.access), asOf });
  },

  /** Cameras within `meters` (geodesic) of the unit, nearest first, with their distances. */
  async camerasWithin(
    ctx: Context,
    unit: LayerRow,
    args: { meters: number; first?: number | null; filter?: CameraFilter | null },
  ): Promise<Connection<Camera>> {
    if (!Number.isFinite(args.meters) || args.meters < 0 || args.meters > MAX_NEARBY_METERS) {
      throw badInput(`meters must be between 0 and ${MAX_NEARBY_METERS}, got ${args.meters}`);
    }
    const page = await ctx.loaders.remoteUnits.camerasNear.load({
      anchorId: unit.id,
      first: pageSize(args),
      filter: args.filter ?? null,
      withinMeters: args.meters,
    });
    return anchoredConnection(page);
  },
};
