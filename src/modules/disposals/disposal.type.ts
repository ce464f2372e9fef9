import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionTypes } from '../../common/pagination/connection';
import { AssetState } from '../assets';
import { DateScalar } from '../../common/input/date.scalar';

export enum DisposalState {
  PROPOSED = 'PROPOSED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  EXECUTED = 'EXECUTED',
}
registerEnumType(DisposalState, {
  name: 'DisposalState',
  description: 'PROPOSED → APPROVED or REJECTED (by a decision with number and date) → EXECUTED (the asset is DISPOSED).',
});

@ObjectType({
  description: 'A disposal (hurdaya ayırma) of an asset: proposal, decision, execution. The disposed asset stays on the record.',
  simpleResolvers: true,
})
export class Disposal {
  @Field(() => ID)
  id!: number;

  @Field(() => DisposalState)
  state!: DisposalState;

  @Field(() => String, { description: 'Why the asset should be disposed of.' })
  reason!: string;

  @Field(() => Date)
  proposedAt!: Date;

  @Field(() => String, { nullable: true, description: 'Number of the decision (karar no) that approved or rejected it.' })
  decisionNo!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of the decision.' })
  decisionDate!: string | null;

  @Field(() => Date, { nullable: true })
  executedAt!: Date | null;

  @Field(() => AssetState, { nullable: true, description: 'The state the asset was in when proposed; a rejection returns it there.' })
  assetStateBefore!: AssetState | null;

  @Field(() => Int, { description: 'Row version, for optimistic locking of decisions and execution.' })
  version!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  assetId!: number;
  proposedById!: number | null;
  decidedById!: number | null;
  executedById!: number | null;
}

export const { ConnectionType: DisposalConnection } = connectionTypes(Disposal, 'Disposal');

@InputType({ description: 'Conditions on disposals; all that are given must hold.' })
export class DisposalFilter {
  @Field(() => [DisposalState], { nullable: true, description: 'Any of these states.' })
  state?: DisposalState[] | null;

  @Field(() => ID, { nullable: true, description: 'Of this asset.' })
  assetId?: string | null;
}
