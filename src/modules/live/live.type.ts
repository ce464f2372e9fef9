import { ArgsType, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SpatialFilter } from '../../geo/spatial.inputs';
import { FaultEvent, FaultFilter } from '../faults';
import { HistoryLayer } from '../history';

export enum LiveChangeKind {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
  RESYNC = 'RESYNC',
}

registerEnumType(LiveChangeKind, {
  name: 'LiveChangeKind',
  description: 'What a pushed event says.',
  valuesConfig: {
    CREATED: { description: 'A feature was created.' },
    UPDATED: { description: 'A feature was changed (its attributes, its geometry, or both).' },
    DELETED: { description: 'A feature was deleted.' },
    RESYNC: {
      description:
        'Events may have been missed since `resyncFrom` (the subscription was made with `since`, or the server lost its connection to the ' +
        'database for a while): ask `changes(from: resyncFrom)` (or the faults) for what happened meanwhile.',
    },
  },
});

@ObjectType({ description: 'A map tile (XYZ scheme, EPSG:3857), as /tiles serves it.', simpleResolvers: true })
export class TileRef {
  @Field(() => Int) z!: number;
  @Field(() => Int) x!: number;
  @Field(() => Int) y!: number;
}

@ObjectType({ description: 'A feature of a layer created, updated or deleted (pushed when its transaction commits).', simpleResolvers: true })
export class LayerChangeEvent {
  @Field(() => LiveChangeKind)
  kind!: LiveChangeKind;

  @Field(() => HistoryLayer, { nullable: true, description: 'Null for RESYNC.' })
  layer!: HistoryLayer | null;

  @Field(() => ID, { nullable: true, description: 'The feature id; null for RESYNC.' })
  id!: number | null;

  @Field(() => Int, { nullable: true, description: 'Its row version after the change; for a deletion, the version deleted.' })
  version!: number | null;

  @Field(() => Date, { description: 'When the change committed (its transaction time: `history` and `changes` show it at this time).' })
  at!: Date;

  @Field(() => [TileRef], {
    description:
      'The tiles at the subscription\'s `zoom` the change touched (where the feature was and where it is, as far as you may see it): refresh ' +
      'just these. At most 1,000; a larger change gives none, and `bbox` says where.',
  })
  tiles!: TileRef[];

  @Field(() => [Float], { nullable: true, description: 'The lon/lat box [minx, miny, maxx, maxy] the change touched; null for RESYNC.' })
  bbox!: number[] | null;

  @Field(() => Date, { nullable: true, description: 'RESYNC: events since this instant may have been missed.' })
  resyncFrom!: Date | null;
}

export enum FaultLiveKind {
  STEP = 'STEP',
  RESYNC = 'RESYNC',
}

registerEnumType(FaultLiveKind, {
  name: 'FaultLiveKind',
  description: 'What a pushed fault event says.',
  valuesConfig: {
    STEP: { description: 'A fault was reported, assigned, started, resolved, closed, reopened or cancelled: `step` says which.' },
    RESYNC: { description: 'Events may have been missed since `resyncFrom`: ask `faults` again.' },
  },
});

@ObjectType({ description: 'A step of a fault (its report, an assignment, a change of state), with the fault as it is now.' })
export class FaultLiveEvent {
  @Field(() => FaultLiveKind)
  kind!: FaultLiveKind;

  @Field(() => Date)
  at!: Date;

  @Field(() => FaultEvent, { nullable: true, description: 'The step; null for RESYNC.' })
  step!: FaultEvent | null;

  @Field(() => Date, { nullable: true, description: 'RESYNC: events since this instant may have been missed.' })
  resyncFrom!: Date | null;

  /** The fault the step belongs to (FaultLiveEvent.fault reads it under the subscriber's grants). */
  faultId!: number | null;
}

@ArgsType()
export class LayerChangesArgs {
  @Field(() => [HistoryLayer], { nullable: true, description: 'The layers to watch; every layer you may read when omitted.' })
  layers?: HistoryLayer[] | null;

  @Field(() => SpatialFilter, { nullable: true, description: 'Only changes whose feature meets this filter where it was or where it is.' })
  spatial?: SpatialFilter | null;

  @Field(() => Int, { defaultValue: 16, description: 'The zoom of the `tiles` each event lists (0–18).' })
  zoom!: number;

  @Field(() => Date, {
    nullable: true,
    description: 'The time of the last event you saw (after a reconnection): the first event is then a RESYNC from it.',
  })
  since?: Date | null;
}

@ArgsType()
export class FaultEventsArgs {
  @Field(() => FaultFilter, { nullable: true, description: 'Only steps of faults that match this filter (as they are after the step).' })
  filter?: FaultFilter | null;

  @Field(() => SpatialFilter, { nullable: true })
  spatial?: SpatialFilter | null;

  @Field(() => Date, { nullable: true, description: 'The time of the last event you saw: the first event is then a RESYNC from it.' })
  since?: Date | null;
}
