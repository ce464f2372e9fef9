import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../../common/pagination/connection';
import { LayerFeature } from '../../geo/layer.type';

@ObjectType({ implements: LayerFeature, description: 'A parcel of the land registry (tapu), identified by mahalle, ada and parsel (MultiPolygon layer).', simpleResolvers: true })
export class Parcel extends LayerFeature {
  @Field(() => String, { description: 'Province (il).' })
  province!: string;

  @Field(() => String, { description: 'District (ilçe).' })
  district!: string;

  @Field(() => String, { description: 'Mahalle as registered, e.g. "İSTASYON".' })
  mahalle!: string;

  @Field(() => Int, { description: 'Cadastral block number.' })
  ada!: number;

  @Field(() => Int, { description: 'Parcel number within the ada.' })
  parsel!: number;

  @Field(() => Float, { nullable: true, description: 'Area on the title deed, m².' })
  registeredAreaSquareMeters!: number | null;

  @Field(() => Float, { description: 'Area of the geometry, m², computed on the ellipsoid (geodesic).' })
  areaSquareMeters!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'areaSquareMeters - registeredAreaSquareMeters: positive when the geometry is larger than the deed.',
  })
  areaDifferenceSquareMeters!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'areaDifferenceSquareMeters / registeredAreaSquareMeters (0.1 = the geometry is 10 % larger than the deed).',
  })
  areaDifferenceRatio!: number | null;

  @Field(() => String, { nullable: true, description: 'Registered type (nitelik): arsa, tarla, bahçe, ...' })
  nitelik!: string | null;

  @Field(() => String, { nullable: true, description: 'Map sheet.' })
  pafta!: string | null;

  @Field(() => String, { nullable: true, description: 'Where the record came from.' })
  source!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the record was imported.' })
  importedAt!: Date | null;

}

export const { EdgeType: ParcelEdge, ConnectionType: ParcelConnection } = connectionTypes(Parcel, 'Parcel', { history: true });

@InputType({ description: 'Attribute conditions on parcels; all that are given must hold.' })
export class ParcelFilter {
  @Field(() => String, { nullable: true, description: 'Mahalle, matched the Turkish way ("İSTASYON" = "istasyon" = "Istasyon").' })
  mahalle?: string | null;

  @Field(() => Int, { nullable: true })
  ada?: number | null;

  @Field(() => Int, { nullable: true })
  parsel?: number | null;

  @Field(() => [String], { nullable: true, description: 'Any of these nitelik values, matched the Turkish way.' })
  nitelik?: string[] | null;

  @Field(() => Float, { nullable: true, description: 'Geodesic area at least this, m².' })
  minAreaSquareMeters?: number | null;

  @Field(() => Float, { nullable: true, description: 'Geodesic area at most this, m².' })
  maxAreaSquareMeters?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Only parcels whose geometry and deed disagree by at least this share of the registered area (0.05 = 5 %), either way; at most 1000.',
  })
  minAreaDifferenceRatio?: number | null;
}
