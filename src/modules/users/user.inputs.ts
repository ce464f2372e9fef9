import { Field, ID, InputType } from 'type-graphql';
import { UserKind } from './user.type';

@InputType({ description: 'Conditions on users; all that are given must hold.' })
export class UserFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Part of the username or full name, matched ignoring case, Turkish dotted/dotless i and diacritics.',
  })
  search?: string | null;

  @Field(() => ID, { nullable: true, description: 'Users of this directorate or unit (exactly; not of the units under it).' })
  orgUnitId?: string | null;

  @Field(() => Boolean, { nullable: true })
  active?: boolean | null;

  @Field(() => UserKind, { nullable: true })
  kind?: UserKind | null;
}

@InputType({ description: 'A new user account.' })
export class UserCreateInput {
  @Field(() => String, { description: 'Login name, unique ignoring case: letters, digits, ".", "_" and "-".' })
  username!: string;

  @Field(() => String)
  fullName!: string;

  @Field(() => String, { nullable: true, description: 'Sensitive: setting it takes a READ grant on USERS that names `email`.' })
  email?: string | null;

  @Field(() => ID, { description: 'The directorate or unit the user belongs to.' })
  orgUnitId!: string;

  @Field(() => UserKind, { defaultValue: UserKind.PERSON })
  kind!: UserKind;

  @Field(() => String, {
    nullable: true,
    description: 'Required for a PERSON (at least 10 characters; stored as an argon2id hash); not allowed for a SERVICE account, which uses API tokens.',
  })
  password?: string | null;
}

@InputType({ description: 'Changes to a user account: only the fields given are changed.' })
export class UserUpdateInput {
  @Field(() => String, { nullable: true })
  fullName?: string | null;

  @Field(() => String, { nullable: true, description: 'null removes it. Sensitive: setting it takes a READ grant on USERS that names `email`.' })
  email?: string | null;

  @Field(() => ID, { nullable: true })
  orgUnitId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'false deactivates the account: its access and API tokens stop working at once.' })
  active?: boolean | null;
}
