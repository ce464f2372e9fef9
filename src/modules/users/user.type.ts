import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum UserKind {
  PERSON = 'PERSON',
  SERVICE = 'SERVICE',
}
registerEnumType(UserKind, {
  name: 'UserKind',
  description: "PERSON: a member of staff who logs in; SERVICE: another directorate's system, which uses API tokens.",
});

@ObjectType({ description: 'A user account.', simpleResolvers: true })
export class User {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  username!: string;

  @Field(() => String)
  fullName!: string;

  @Field(() => UserKind)
  kind!: UserKind;

  @Field(() => Boolean)
  active!: boolean;

  orgUnitId!: number;
}

@ObjectType({ description: 'A signed, expiring access token: send it as `Authorization: Bearer <accessToken>`.', simpleResolvers: true })
export class AuthPayload {
  @Field(() => String)
  accessToken!: string;

  @Field(() => String, { description: 'Always "Bearer".' })
  tokenType!: string;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => User)
  user!: User;
}
