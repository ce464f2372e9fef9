import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { badInput } from '../../common/errors/app-error';
import { pageSize, type Connection } from '../../common/pagination/connection';
import { anchoredConnection, geometryField, getFeature, listLayer, type LayerListArgs } from '../../geo/layer.service';
import type { LayerRow } from '../../geo/layer.repository';
import type { Camera, CameraFilter } from '../cameras';
import { NeighbourhoodRepository } from './neighbourhood.repository';
import type { Neighbourhood, NeighbourhoodFilter } from './neighbourhood.type';

const MAX_TEXT = 200;

/** Resolves `Neighbourhood.geometry(srid)`. */
export const neighbourhoodGeometry = geometryField((ctx) => ctx.loaders.neighbourhoods);

export const neighbourhoodService = {
  list(ctx: Context, args: LayerListArgs<NeighbourhoodFilter>, info?: GraphQLResolveInfo): Promise<Connection<Neighbourhood>> {
    for (const [key, value] of Object.entries(args.filter ?? {})) {
      if (typeof value === 'string' && value.length > MAX_TEXT) throw badInput(`filter.${key} may be at most ${MAX_TEXT} characters`);
    }
    return listLayer(ctx, new NeighbourhoodRepository(ctx.db, ctx.access), args, info);
  },

  get(ctx: Context, id: string, asOf?: Date | null): Promise<Neighbourhood> {
    return getFeature(ctx.loaders.neighbourhoods, id, 'neighbourhood', { ctx, repo: new NeighbourhoodRepository(ctx.db, ctx.access), asOf });
  },

  /**
   * The cameras inside a neighbourhood, batched over every neighbourhood on the page. Cursors are
   * camera ids: continue with `cameras(spatial: { inNeighbourhood }, after)`.
   */
  async cameras(
    ctx: Context,
    neighbourhood: LayerRow,
    args: { first?: number | null; filter?: CameraFilter | null },
  ): Promise<Connection<Camera>> {
    const page = await ctx.loaders.neighbourhoods.cameras.load({
      anchorId: neighbourhood.id,
      first: pageSize(args),
      filter: args.filter ?? null,
    });
    return anchoredConnection(page);
  },
};
