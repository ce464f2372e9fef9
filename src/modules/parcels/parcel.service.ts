import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { badInput } from '../../common/errors/app-error';
import type { Connection } from '../../common/pagination/connection';
import { geometryField, getFeature, listLayer, type LayerListArgs } from '../../geo/layer.service';
import { ParcelRepository } from './parcel.repository';
import type { Parcel, ParcelFilter } from './parcel.type';

/** Resolves `Parcel.geometry(srid)`. */
export const parcelGeometry = geometryField((ctx) => ctx.loaders.parcels);

export interface ParcelNumber {
  mahalle: string;
  ada: number;
  parsel: number;
  district?: string | null;
  province?: string | null;
}

export const parcelService = {
  list(ctx: Context, args: LayerListArgs<ParcelFilter>, info?: GraphQLResolveInfo): Promise<Connection<Parcel>> {
    const f = args.filter;
    // Past a few thousand the ratio means nothing, and times an area it overflows a double.
    if (f?.minAreaDifferenceRatio != null && !(f.minAreaDifferenceRatio >= 0 && f.minAreaDifferenceRatio <= 1000)) {
      throw badInput(`filter.minAreaDifferenceRatio must be between 0 and 1000, got ${f.minAreaDifferenceRatio}`);
    }
    return listLayer(ctx, new ParcelRepository(ctx.db, ctx.access), args, info);
  },

  get(ctx: Context, id: string, asOf?: Date | null): Promise<Parcel> {
    return getFeature(ctx.loaders.parcels, id, 'parcel', { ctx, repo: new ParcelRepository(ctx.db, ctx.access), asOf });
  },

  /** The parcel with this mahalle, ada and parsel, or null; BAD_USER_INPUT when several districts have one. */
  async byNumber(ctx: Context, key: ParcelNumber): Promise<Parcel | null> {
    if (!key.mahalle.trim()) throw badInput('mahalle must not be empty');
    const found = await new ParcelRepository(ctx.db, ctx.access).byNumber(key, 2);
    if (found.length > 1) {
      throw badInput(`${key.mahalle} ${key.ada}/${key.parsel} exists in more than one district: give district (and province)`);
    }
    return found[0] ?? null;
  },

  /** The parcel containing a point, or null. */
  async at(ctx: Context, point: { x: number; y: number; srid: number }): Promise<Parcel | null> {
    const g = await ctx.geo.geometry(ctx.db, { type: 'Point', coordinates: [point.x, point.y] }, point.srid, {
      argument: 'point',
      types: ['POINT'],
    });
    return (await new ParcelRepository(ctx.db, ctx.access).at(g.ewkb)) ?? null;
  },
};
