import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { PageArgs, connectionTypes } from '../../common/pagination/connection';
import { GeoJSONScalar } from '../../geo/geojson.scalar';
import { SpatialFilter } from '../../geo/spatial.inputs';

/** The layers (and the register) whose past is kept. */
export enum HistoryLayer {
  CAMERAS = 'CAMERAS',
  NEIGHBOURHOODS = 'NEIGHBOURHOODS',
  NETWORK_NODES = 'NETWORK_NODES',
  NETWORK_LINES = 'NETWORK_LINES',
  REMOTE_UNITS = 'REMOTE_UNITS',
  PARCELS = 'PARCELS',
  ASSETS = 'ASSETS',
}

registerEnumType(HistoryLayer, {
  name: 'HistoryLayer',
  description: 'A map layer or the asset register: every version of their rows is kept (see `history`, `changes` and `asOf`).',
});

export enum ChangeKind {
  /** The first version known of a row that existed before its layer kept a history. */
  RECORDED = 'RECORDED',
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
}

registerEnumType(ChangeKind, {
  name: 'ChangeKind',
  description: 'What a write did to a feature.',
  valuesConfig: {
    RECORDED: { description: 'The first version known of a feature that existed before its layer kept a history: the feature as it was then (its earlier writes are in the audit log).' },
    CREATED: { description: 'The feature was created.' },
    UPDATED: { description: 'The feature was changed.' },
    DELETED: { description: 'The feature was deleted.' },
  },
});

@ObjectType({ description: 'One field of a feature, before and after a change.', simpleResolvers: true })
export class FieldChange {
  @Field(() => String, { description: 'The GraphQL field name (`geometry`: GeoJSON in EPSG:4326).' })
  field!: string;

  @Field(() => GraphQLJSON, { nullable: true })
  before!: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  after!: unknown;
}

@ObjectType({
  description:
    'One version of a feature: its values while it was valid, who wrote it, and what changed from the version before. ' +
    'A deletion is an entry of its own (action DELETED) with no values.',
  simpleResolvers: true,
})
export class FeatureVersion {
  @Field(() => ChangeKind, { description: 'The write that began this entry.' })
  action!: ChangeKind;

  @Field(() => Date, { description: 'When the write committed (the transaction time; the same as the audit entry\'s `at`).' })
  validFrom!: Date;

  @Field(() => Date, { nullable: true, description: 'When the next write replaced or deleted this version; null for the current version (and for a deletion).' })
  validTo!: Date | null;

  @Field(() => Int, { nullable: true, description: 'The row version (optimistic locking) of this version; null for a deletion.' })
  version!: number | null;

  @Field(() => String, { nullable: true, description: 'Username of who wrote it, from the audit log: null without a READ grant on AUDIT_LOG, and for writes the audit log has no entry for (the sample data, rows that existed before history was kept).' })
  changedBy!: string | null;

  @Field(() => String, { nullable: true, description: 'The request id (X-Request-Id, or `import:<job>`) of the write, with the same grant as `changedBy`.' })
  requestId!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The attributes of this version by GraphQL field name (sensitive fields null unless a grant reveals them); null for a deletion.' })
  properties!: Record<string, unknown> | null;

  @Field(() => GeoJSONScalar, { nullable: true, description: 'The geometry of this version, GeoJSON in EPSG:4326; null for a deletion.' })
  geometry!: unknown;

  @Field(() => [FieldChange], { description: 'What this write changed, field by field: every field for a creation (before null) and a deletion (after null), the fields that differ for an update.' })
  changes!: FieldChange[];
}

@ObjectType({ description: 'What happened to one feature in a period: its state at the start and at the end.', simpleResolvers: true })
export class FeatureChange {
  @Field(() => HistoryLayer)
  layer!: HistoryLayer;

  @Field(() => ID, { description: 'The feature id (the row id of its layer).' })
  id!: number;

  @Field(() => ChangeKind, { description: 'CREATED: it did not exist at `from` and does at `to`; DELETED: the other way round; UPDATED: it existed at both and was written in between.' })
  kind!: ChangeKind;

  @Field(() => Date, { description: 'The last write to it in the period.' })
  changedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Who made that last write (from the audit log; null without a READ grant on AUDIT_LOG).' })
  changedBy!: string | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'The feature at `from`: attributes by field name and `geometry` (GeoJSON, EPSG:4326). Null when it did not exist then, or when your grants do not reach that version (its area, its directorate).',
  })
  before!: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The feature at `to`, as `before`.' })
  after!: Record<string, unknown> | null;

  @Field(() => [FieldChange], { description: 'Field by field, `before` against `after` (only the fields that differ; every field for a creation or deletion).' })
  changes!: FieldChange[];
}

export const { ConnectionType: FeatureChangeConnection } = connectionTypes(FeatureChange, 'FeatureChange');

@ArgsType()
export class ChangesArgs extends PageArgs {
  @Field(() => Date, { description: 'Start of the period (inclusive).' })
  from!: Date;

  @Field(() => Date, { nullable: true, description: 'End of the period (exclusive); now when omitted.' })
  to?: Date | null;

  @Field(() => [HistoryLayer], { nullable: true, description: 'The layers to look at; all of them (that you may read) when omitted.' })
  layers?: HistoryLayer[] | null;

  @Field(() => SpatialFilter, { nullable: true, description: 'Only features whose geometry at the start or at the end of the period meets this filter (e.g. `{ inNeighbourhood: "7" }` for "what changed in İstasyon").' })
  spatial?: SpatialFilter | null;
}
