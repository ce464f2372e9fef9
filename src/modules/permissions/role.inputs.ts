import { Field, ID, InputType, Int } from 'type-graphql';
import { Action, Resource } from '../../common/auth/resources';
import { GeoJSONScalar, type GeoJsonGeometry } from '../../geo/geojson.scalar';

@InputType({
  description:
    'A grant of a role. Limits add up (AND): the area (neighbourhoods and polygon together) and the own directorate. The public role takes only READ grants without ownOrgUnitOnly.',
})
export class GrantInput {
  @Field(() => Resource)
  resource!: Resource;

  @Field(() => Action)
  action!: Action;

  @Field(() => Boolean, { defaultValue: false, description: "Only rows of the holder's own directorate (and its units)." })
  ownOrgUnitOnly!: boolean;

  @Field(() => [ID], { nullable: true, description: 'Only rows in these neighbourhoods (map layers and the audit log only).' })
  neighbourhoodIds?: string[] | null;

  @Field(() => GeoJSONScalar, { nullable: true, description: 'Only rows in this Polygon or MultiPolygon (map layers and the audit log only).' })
  area?: GeoJsonGeometry | null;

  @Field(() => Int, { defaultValue: 4326, description: 'EPSG code of the coordinates of `area`.' })
  areaSrid!: number;

  @Field(() => [String], { nullable: true, description: "Sensitive fields this READ grant reveals; each must be one of the resource's sensitive fields." })
  fields?: string[] | null;
}

@InputType({ description: 'A new role.' })
export class RoleCreateInput {
  @Field(() => String, { description: 'Short unique name: lower-case letters, digits, ".", "_" and "-", e.g. fen-editor.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [GrantInput])
  grants!: GrantInput[];
}

@InputType({ description: 'Changes to a role: only the fields given are changed; `grants`, when given, replaces all of its grants.' })
export class RoleUpdateInput {
  @Field(() => String, { nullable: true, description: 'A new code; the public role keeps its own.' })
  code?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [GrantInput], { nullable: true })
  grants?: GrantInput[] | null;
}
