import { createUnionType, Field, ID, ObjectType } from 'type-graphql';
import { OrgUnit } from '../org-units';
import { User } from '../users';

/** Who holds an asset: a person (User) or a unit (OrgUnit). */
export const Custodian = createUnionType({
  name: 'Custodian',
  description: 'Who holds an asset in custody (zimmet): a person or a directorate/unit.',
  types: () => [User, OrgUnit] as const,
  // Rows are plain objects: a user has a username, an org unit a code.
  resolveType: (value) => ('username' in value ? User : OrgUnit),
});

@ObjectType({
  description: 'Custody (zimmet): an asset held by a person or a unit from a time until it is returned or handed over. Kept after it ends.',
  simpleResolvers: true,
})
export class Custody {
  @Field(() => ID)
  id!: number;

  @Field(() => Date, { description: 'When the holder took the asset.' })
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the asset was returned, handed over or disposed of; null while it is held.' })
  endedAt!: Date | null;

  @Field(() => Boolean, { description: 'The asset is still held (endedAt is null).' })
  open!: boolean;

  @Field(() => String, { nullable: true, description: 'Written when the asset was given.' })
  note!: string | null;

  @Field(() => String, { nullable: true, description: 'Written when the asset was returned, handed over or disposed of.' })
  returnNote!: string | null;

  assetId!: number;
  holderUserId!: number | null;
  holderOrgUnitId!: number | null;
  givenById!: number | null;
  returnedById!: number | null;
  /** The handover that began this custody, when one did. */
  handoverId!: number | null;
}

@ObjectType({ description: 'A handover (devir-teslim): every asset one person held, moved to another person in one act.', simpleResolvers: true })
export class Handover {
  @Field(() => ID)
  id!: number;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { nullable: true })
  note!: string | null;

  fromUserId!: number;
  toUserId!: number;
  doneById!: number | null;
}

/** One asset of a handover: the custody it ended and the one it began. */
@ObjectType({ description: 'One asset moved by a handover.', simpleResolvers: true })
export class HandoverItem {
  handoverId!: number;
  assetId!: number;
  endedCustodyId!: number;
  startedCustodyId!: number;
}
