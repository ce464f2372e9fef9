import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../../common/input/date.scalar';

@ObjectType({ description: 'A supplier: warranty, maintenance-contract or repair vendor.', simpleResolvers: true })
export class Vendor {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true, description: 'Maintenance contract number.' })
  contractNo!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'End of the maintenance contract.' })
  contractEndsOn!: string | null;

  @Field(() => Int, { description: 'Row version, for optimistic locking of edits.' })
  version!: number;
}
