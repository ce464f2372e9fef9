import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { GeoJSONScalar, type GeoJsonGeometry } from './geojson.scalar';

const SRID_DESCRIPTION = 'EPSG code of the coordinates (4326 = longitude/latitude, 5257 = TUREF / TM39, 3857 = web Mercator, ...).';

export const SRID_ARG_DESCRIPTION = 'EPSG code to return the geometry in (default 4326; e.g. 5257 = TUREF / TM39, 3857).';

@InputType({ description: 'A bounding box; x = easting/longitude, y = northing/latitude.' })
export class BBoxInput {
  @Field(() => Float) minx!: number;
  @Field(() => Float) miny!: number;
  @Field(() => Float) maxx!: number;
  @Field(() => Float) maxy!: number;
  @Field(() => Int, { defaultValue: 4326, description: SRID_DESCRIPTION }) srid!: number;
}

@InputType({ description: 'A GeoJSON geometry and the coordinate system it is in.' })
export class GeometryInput {
  @Field(() => GeoJSONScalar) geometry!: GeoJsonGeometry;
  @Field(() => Int, { defaultValue: 4326, description: SRID_DESCRIPTION }) srid!: number;
}

@InputType({ description: 'Within a distance of a geometry, in geodesic metres.' })
export class DistanceInput {
  @Field(() => GeoJSONScalar) geometry!: GeoJsonGeometry;
  @Field(() => Int, { defaultValue: 4326, description: SRID_DESCRIPTION }) srid!: number;
  @Field(() => Float, { description: 'Distance in metres, measured on the ellipsoid (not degrees).' }) meters!: number;
}

@InputType({ description: 'Spatial conditions; all that are given must hold (AND), together with the attribute filter.' })
export class SpatialFilter {
  @Field(() => BBoxInput, { nullable: true, description: 'Features that intersect this box.' })
  bbox?: BBoxInput | null;

  @Field(() => GeometryInput, { nullable: true, description: 'Features that intersect this geometry.' })
  intersects?: GeometryInput | null;

  @Field(() => DistanceInput, { nullable: true, description: 'Features within this many metres of this geometry.' })
  withinDistance?: DistanceInput | null;

  @Field(() => ID, { nullable: true, description: 'Features inside (intersecting) this neighbourhood.' })
  inNeighbourhood?: string | null;
}

@InputType({
  description:
    'Order by geodesic distance from a point, nearest first; each edge gets `distanceMeters`. Give the point as `x` and `y`, or as a GeoJSON Point in `point`.',
})
export class NearestInput {
  @Field(() => Float, { nullable: true, description: 'Easting or longitude.' }) x?: number | null;
  @Field(() => Float, { nullable: true, description: 'Northing or latitude.' }) y?: number | null;
  @Field(() => GeoJSONScalar, { nullable: true, description: 'The point as a GeoJSON Point (instead of x and y).' })
  point?: GeoJsonGeometry | null;
  @Field(() => Int, { defaultValue: 4326, description: SRID_DESCRIPTION }) srid!: number;
  @Field(() => Float, { nullable: true, description: 'Leave out features farther than this, in metres.' })
  maxDistanceMeters?: number | null;
}
