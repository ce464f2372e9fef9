import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Action, Resource } from '../../common/auth/resources';
import { GeoJSONScalar } from '../../geo/geojson.scalar';

@ObjectType({ description: 'One thing a role allows: an action on a resource, possibly limited to an area or to a directorate.', simpleResolvers: true })
export class Grant {
  @Field(() => ID)
  id!: number;

  @Field(() => Resource)
  resource!: Resource;

  @Field(() => Action)
  action!: Action;

  @Field(() => Boolean, { description: "Only rows of the holder's own directorate (and its units)." })
  ownOrgUnitOnly!: boolean;

  @Field(() => [ID], {
    description: 'The neighbourhoods the grant is limited to (with `area`, their union); `neighbourhoods` resolves those you may read.',
  })
  neighbourhoodIds!: number[];

  @Field(() => GeoJSONScalar, { nullable: true, description: 'A polygon the grant is limited to (MultiPolygon, EPSG:4326); null for none.' })
  area!: unknown;

  @Field(() => [String], { description: 'Sensitive fields this READ grant reveals, e.g. streamUrl on CAMERAS, email on USERS.' })
  fields!: string[];
}

@ObjectType({ description: 'A named set of grants, given to users. The built-in role `public` holds what anonymous requests may read.', simpleResolvers: true })
export class Role {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: 'Short unique name, lower case, e.g. fen-editor.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Int, { description: 'Row version, for optimistic locking of updateRole and deleteRole.' })
  version!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  @Field(() => [Grant], { description: 'What the role allows; all of them apply (OR).' })
  grants!: Grant[];

  @Field(() => Int, { description: 'How many users hold the role, among the users you may read.' })
  userCount!: number;
}
