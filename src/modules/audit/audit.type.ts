import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Action, Resource } from '../../common/auth/resources';
import { connectionTypes } from '../../common/pagination/connection';
import { SpatialFilter } from '../../geo/spatial.inputs';

@ObjectType({ description: 'One write, as the append-only audit log keeps it.', simpleResolvers: true })
export class AuditEntry {
  @Field(() => ID)
  id!: number;

  @Field(() => Date, { description: 'When the change was committed.' })
  at!: Date;

  @Field(() => String, { nullable: true, description: 'Username of who made the change (kept as it was then).' })
  actorUsername!: string | null;

  actorUserId!: number | null;

  @Field(() => ID, { nullable: true, description: 'The API token used, when the change came from a service account.' })
  apiTokenId!: number | null;

  @Field(() => String, { nullable: true, description: 'The request id (X-Request-Id) of the change.' })
  requestId!: string | null;

  @Field(() => Resource, { description: 'What kind of thing changed.' })
  entity!: Resource;

  @Field(() => ID, { description: 'The id of what changed.' })
  entityId!: string;

  @Field(() => Action, { description: 'CREATE, UPDATE or DELETE.' })
  action!: Action;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The stored values before (null for CREATE); geometry as GeoJSON. A sensitive field (such as a camera\'s stream_url or a user\'s email) is null unless a READ grant that names it reaches the row, as everywhere else.' })
  before!: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The stored values after (null for DELETE); geometry as GeoJSON. Sensitive fields as in `before`.' })
  after!: Record<string, unknown> | null;
}

export const { ConnectionType: AuditEntryConnection } = connectionTypes(AuditEntry, 'AuditEntry');

@InputType({ description: 'Conditions on audit entries; all that are given must hold.' })
export class AuditFilter {
  @Field(() => Resource, { nullable: true })
  entity?: Resource | null;

  @Field(() => ID, { nullable: true, description: 'With entity: the history of one thing.' })
  entityId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Changes made by this user (or by their API tokens).' })
  userId?: string | null;

  @Field(() => Action, { nullable: true })
  action?: Action | null;

  @Field(() => Date, { nullable: true, description: 'At or after this time.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Before this time.' })
  to?: Date | null;

  @Field(() => SpatialFilter, { nullable: true, description: 'Changes whose old or new geometry meets this spatial filter.' })
  spatial?: SpatialFilter | null;
}
