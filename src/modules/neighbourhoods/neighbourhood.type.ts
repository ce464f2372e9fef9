import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../../common/pagination/connection';
import { LayerFeature } from '../../geo/layer.type';

@ObjectType({ implements: LayerFeature, description: 'A neighbourhood (mahalle): administrative area below the district (ilçe).', simpleResolvers: true })
export class Neighbourhood extends LayerFeature {
  @Field(() => String, { description: 'Stable code of the mahalle.' })
  code!: string;

  @Field(() => String, { description: 'Name of the mahalle, e.g. "İstasyon".' })
  name!: string;

  @Field(() => String, { description: 'District (ilçe).' })
  district!: string;

  @Field(() => String, { description: 'Province (il).' })
  province!: string;

  @Field(() => Int, { nullable: true })
  population!: number | null;

  @Field(() => Float, { description: 'Area in square metres, computed on the ellipsoid (geodesic).' })
  areaSquareMeters!: number;

}

@ObjectType('NeighbourhoodLayerCounts', {
  description: 'How many features of each layer a neighbourhood holds (features that intersect it).',
  simpleResolvers: true,
})
export class LayerCountsType {
  @Field(() => Int) cameras!: number;
  @Field(() => Int) networkNodes!: number;
  @Field(() => Int, { description: 'Lines that cross the neighbourhood count in each neighbourhood they cross.' }) networkLines!: number;
  @Field(() => Int) remoteUnits!: number;
  @Field(() => Int, { description: 'Parcels on a boundary count in both neighbourhoods.' }) parcels!: number;
  @Field(() => Int, { description: 'IT assets in the active inventory (not disposed).' }) assets!: number;
}

export const { EdgeType: NeighbourhoodEdge, ConnectionType: NeighbourhoodConnection } = connectionTypes(
  Neighbourhood,
  'Neighbourhood',
  { history: true },
);

@InputType({ description: 'Attribute conditions on neighbourhoods; all that are given must hold.' })
export class NeighbourhoodFilter {
  @Field(() => String, {
    nullable: true,
    description: 'The whole name, matched the Turkish way: "İSTASYON", "istasyon" and "Istasyon" are the same.',
  })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Part of the name or code, matched the same way.' })
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'District (ilçe), matched the same way.' })
  district?: string | null;
}
