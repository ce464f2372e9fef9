import { AS_OF_DESCRIPTION } from '../../geo/layer.type';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Float, ID, Int, Query, Resolver, Root, Info } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { GeoJSONScalar } from '../../geo/geojson.scalar';
import { layerListArgs } from '../../geo/layer.type';
import { SRID_ARG_DESCRIPTION } from '../../geo/spatial.inputs';
import { parcelGeometry, parcelService } from './parcel.service';
import { Parcel, ParcelConnection, ParcelFilter } from './parcel.type';

const ParcelsArgs = layerListArgs(ParcelFilter, 'Parcels');
type ParcelsArgs = InstanceType<typeof ParcelsArgs>;

@ArgsType()
export class ParcelNumberArgs {
  @Field(() => String, { description: 'Mahalle, matched the Turkish way: "İSTASYON", "istasyon" and "Istasyon" are the same.' })
  mahalle!: string;

  @Field(() => Int)
  ada!: number;

  @Field(() => Int)
  parsel!: number;

  @Field(() => String, { nullable: true, description: 'District (ilçe), when the mahalle name exists in several.' })
  district?: string | null;

  @Field(() => String, { nullable: true, description: 'Province (il).' })
  province?: string | null;
}

@ArgsType()
export class PointArgs {
  @Field(() => Float, { description: 'Easting or longitude.' })
  x!: number;

  @Field(() => Float, { description: 'Northing or latitude.' })
  y!: number;

  @Field(() => Int, { defaultValue: 4326, description: 'EPSG code of x and y.' })
  srid!: number;
}

@Resolver(() => Parcel)
export class ParcelResolver {
  @Query(() => ParcelConnection, { description: 'Parcels, filtered by attributes and space; ordered by id, or by distance with `nearest`.' })
  parcels(@Args(() => ParcelsArgs) args: ParcelsArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return parcelService.list(ctx, args, info);
  }

  @Query(() => Parcel, { description: 'One parcel; NOT_FOUND when there is none with this id.' })
  parcel(
    @Arg('id', () => ID) id: string,
    @Arg('asOf', () => Date, { nullable: true, description: AS_OF_DESCRIPTION }) asOf: Date | null,
    @Ctx() ctx: Context,
  ) {
    return parcelService.get(ctx, id, asOf);
  }

  @Query(() => Parcel, { nullable: true, description: 'The parcel with this mahalle, ada and parsel; null when there is none.' })
  parcelByNumber(@Args(() => ParcelNumberArgs) args: ParcelNumberArgs, @Ctx() ctx: Context) {
    return parcelService.byNumber(ctx, args);
  }

  @Query(() => Parcel, { nullable: true, description: 'The parcel that contains this point; null when none does.' })
  parcelAt(@Args(() => PointArgs) args: PointArgs, @Ctx() ctx: Context) {
    return parcelService.at(ctx, args);
  }

  @FieldResolver(() => GeoJSONScalar, { description: 'Boundary of the parcel (a MultiPolygon).' })
  geometry(
    @Root() parcel: Parcel,
    @Arg('srid', () => Int, { defaultValue: 4326, description: SRID_ARG_DESCRIPTION }) srid: number,
    @Ctx() ctx: Context,
  ) {
    return parcelGeometry(parcel, { srid }, ctx);
  }
}
