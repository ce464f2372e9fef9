import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { connectionTypes } from '../../common/pagination/connection';

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

  @Field(() => Boolean, { description: 'A deactivated account can neither log in nor use its API tokens.' })
  active!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'E-mail address. Sensitive: shown only with a READ grant on USERS that names `email` (FORBIDDEN on the field otherwise); always on `me`.',
  })
  email!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  orgUnitId!: number;

  /** Sensitive fields withheld from this request on this row (see SENSITIVE_FIELDS). */
  withheld?: string[] | null;
}

/** `users` as a Relay connection. */
export const { ConnectionType: UserConnection } = connectionTypes(User, 'User');

@ObjectType({ description: "An API token of a service account. Its secret is shown once, when it is created; only a hash is kept.", simpleResolvers: true })
export class ApiToken {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: 'What the token is for, e.g. "EBYS integration".' })
  name!: string;

  @Field(() => String, { description: 'The first characters of the secret, to tell tokens apart.' })
  tokenPrefix!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it stops working; null for never.' })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  userId!: number;
}

@ObjectType({ description: 'A new API token and its secret.', simpleResolvers: true })
export class NewApiToken {
  @Field(() => ApiToken)
  token!: ApiToken;

  @Field(() => String, { description: 'The secret, shown only now: send it as `Authorization: Bearer <secret>`. It cannot be read again.' })
  secret!: string;
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
